"""RaggedTensor.to_tensor under a graph seed: TF 2.x converts with one RaggedTensorToTensor op,
TF 1.15 with 61 ops per ragged dimension and more by the inputs (compat/seeds/ragged.py). A random
op made after the conversion must get TF 1.15's op seed: its index in TF 1.15's graph, which the
TF 1.15 run checks (TF 1.15 source: ops/ragged/ragged_tensor.py, RaggedTensor.to_tensor)."""

import numpy as np
import pytest

from conftest import TF1, tf

SPLITS = [0, 2, 2, 5]


def _rank_1(splits_dtype, values=(1.0, 2.0, 3.0, 4.0, 5.0)):
    return tf.RaggedTensor.from_row_splits(tf.constant(values), tf.constant(SPLITS, splits_dtype), validate=False)


def _rank_2(splits_dtype):
    return tf.RaggedTensor.from_nested_row_splits(
        tf.constant([1.0, 2.0, 3.0, 4.0, 5.0]),
        [tf.constant([0, 2, 3], splits_dtype), tf.constant(SPLITS, splits_dtype)], validate=False)


def _unknown_values(splits_dtype):
    return tf.RaggedTensor.from_row_splits(tf.placeholder(tf.float32), tf.constant(SPLITS, splits_dtype),
                                           validate=False)


# (what, the ragged tensor, to_tensor's arguments, ops before the conversion, TF 1.15's ops in to_tensor:
# its default_value Const, then per ragged dimension 61, 2 Casts more for int64 row splits, 2 for
# zeros without a default, 6 to broadcast a default of another rank than the values' rows)
CONVERSIONS = [
    ("rank 1, int64 splits, default -1", lambda: _rank_1(tf.int64), {"default_value": -1.0}, 2, 1 + 61 + 2),
    ("rank 1, int32 splits, no default (zeros)", lambda: _rank_1(tf.int32), {}, 2, 61 + 2),
    ("values of rank 2, scalar default (broadcast)", lambda: _rank_1(tf.int64, np.ones((5, 3), np.float32)),
     {"default_value": 0.5}, 2, 1 + 61 + 2 + 6),
    ("ragged rank 2, int64 splits, no default", lambda: _rank_2(tf.int64), {}, 3, 2 * (61 + 2 + 2)),
    ("ragged rank 2, int32 splits, default", lambda: _rank_2(tf.int32), {"default_value": -1.0}, 3,
     1 + 2 * 61 + 6),  # the outer dimension broadcast the default to the inner rows
    ("values of unknown rank, default", lambda: _unknown_values(tf.int32), {"default_value": -1.0}, 2,
     1 + 61 + 6),
]


@pytest.mark.parametrize("ragged, arguments, before, made", [c[1:] for c in CONVERSIONS],
                         ids=[c[0] for c in CONVERSIONS])
def test_a_random_op_after_to_tensor_gets_tf115s_op_seed(ragged, arguments, before, made):
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(1)
        ragged().to_tensor(**arguments)
        noise = tf.random_normal([1])  # shape, mean, stddev, then the random op
    random_op = noise.op.inputs[0].op.inputs[0].op
    assert random_op.type == "RandomStandardNormal"
    expected = before + made + 3
    assert (random_op.get_attr("seed"), random_op.get_attr("seed2")) == (1, expected)
    if TF1:
        assert graph.get_operations().index(random_op) == expected
