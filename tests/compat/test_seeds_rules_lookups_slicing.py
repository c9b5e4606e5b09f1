"""tf.one_hot, tf.nn.embedding_lookup_sparse and `tensor[...]` slices under a graph seed: TF 2.x
builds them with fewer ops than TF 1.15 (compat/seeds/lookups.py, compat/seeds/slicing.py). A
random op made after each must get TF 1.15's op seed: its index in TF 1.15's graph, which the TF
1.15 run checks (TF 1.15 source: ops/array_ops.py one_hot and _slice_helper, ops/embedding_ops.py
embedding_lookup_sparse)."""

import numpy as np
import pytest

from conftest import TF1, tf

# (what, indexing of x [None, 5, 4] by the scalars i (int32) and n (int64), TF 1.15's ops for it)
SLICES = [
    ("x[i:i + 1]", lambda x, i, n: x[i:i + 1], 6),
    ("x[i:]", lambda x, i, n: x[i:], 4),
    ("x[:, :i]", lambda x, i, n: x[:, :i], 5),
    ("x[..., i:]", lambda x, i, n: x[..., i:], 5),
    ("x[i::2]", lambda x, i, n: x[i::2], 4),
    ("x[tf.newaxis, i:]", lambda x, i, n: x[tf.newaxis, i:], 5),
    ("x[:, i:i + 2, :2]", lambda x, i, n: x[:, i:i + 2, :2], 10),
    ("x[n] (int64)", lambda x, i, n: x[n], 7),
    ("x[:, n:, ::2] (int64, casts)", lambda x, i, n: x[:, n:, ::2], 8),
    ("x[i:n]", lambda x, i, n: x[i:n], 6),
    ("x[tf.shape(x)[0] - 1:]", lambda x, i, n: x[tf.shape(x)[0] - 1:], 11),
    ("x[1:3] (Python ints: the same ops)", lambda x, i, n: x[1:3], 4),
]


def _sparse_ids(dtype=tf.int64):
    return tf.SparseTensor(tf.constant([[0, 0], [0, 1], [2, 0]], tf.int64), tf.constant([3, 1, 3], dtype),
                           tf.constant([3, 2], tf.int64))


def _params():
    return tf.constant(np.arange(8, dtype=np.float32).reshape(4, 2))


# (what, the construct, TF 1.15's ops for it and its inputs)
LOOKUPS = [
    ("one_hot of numbers", lambda: tf.one_hot(tf.placeholder(tf.int32, [None]), 4, 1.0, 0.0), 7),
    ("one_hot of one number", lambda: tf.one_hot(tf.placeholder(tf.int32, [None]), 4, on_value=2.0), 6),
    ("one_hot of tensors (the same ops)",
     lambda: tf.one_hot(tf.placeholder(tf.int32, [None]), 4, tf.constant(1.0), tf.constant(0.0)), 5),
    ("embedding_lookup_sparse, mean", lambda: tf.nn.embedding_lookup_sparse(_params(), _sparse_ids(), None), 14),
    ("embedding_lookup_sparse of a variable, sum",
     lambda: tf.nn.embedding_lookup_sparse(tf.get_variable("e", [4, 2]), _sparse_ids(), None, combiner="sum"), 23),
    ("embedding_lookup_sparse, max_norm",
     lambda: tf.nn.embedding_lookup_sparse(_params(), _sparse_ids(), None, max_norm=1.0), 31),
    ("embedding_lookup_sparse, weighted (the same count)", lambda: tf.nn.embedding_lookup_sparse(
        _params(), _sparse_ids(), tf.SparseTensor(tf.constant([[0, 0], [0, 1], [2, 0]], tf.int64),
                                                  tf.constant([1., 2., 3.]), tf.constant([3, 2], tf.int64))), 33),
    ("safe_embedding_lookup_sparse", lambda: tf.nn.safe_embedding_lookup_sparse([_params()], _sparse_ids()), 60),
]


def _random_op_after(build):
    """The RandomStandardNormal of a tf.random_normal made after build() under graph seed 1 (3 ops
    before it: shape, mean, stddev), and its graph."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(1)
        build()
        noise = tf.random_normal([1])
    random_op = noise.op.inputs[0].op.inputs[0].op
    assert random_op.type == "RandomStandardNormal"
    return random_op, graph


def _assert_tf115_seed(build, tf115_ops_before):
    random_op, graph = _random_op_after(build)
    expected = tf115_ops_before + 3
    assert (random_op.get_attr("seed"), random_op.get_attr("seed2")) == (1, expected)
    if TF1:
        assert graph.get_operations().index(random_op) == expected


@pytest.mark.parametrize("index, made", [c[1:] for c in SLICES], ids=[c[0] for c in SLICES])
def test_a_random_op_after_a_slice_gets_tf115s_op_seed(index, made):
    def build():
        x = tf.placeholder(tf.float32, [None, 5, 4])
        index(x, tf.placeholder(tf.int32, []), tf.placeholder(tf.int64, []))

    _assert_tf115_seed(build, 3 + made)


@pytest.mark.parametrize("build, made", [c[1:] for c in LOOKUPS], ids=[c[0] for c in LOOKUPS])
def test_a_random_op_after_a_lookup_gets_tf115s_op_seed(build, made):
    _assert_tf115_seed(build, made)


def test_the_lookups_still_compute_what_tf115_did():
    """The rules change counts only: the embeddings are the numpy means/sums, the one-hot rows right."""
    graph = tf.Graph()
    with graph.as_default():
        mean = tf.nn.embedding_lookup_sparse(_params(), _sparse_ids(), None)
        total = tf.nn.embedding_lookup_sparse(_params(), _sparse_ids(), None, combiner="sum")
        one_hot = tf.one_hot([2, 0], 3, 5.0, -1.0)
        with tf.Session() as session:
            mean, total, one_hot = session.run([mean, total, one_hot])
    params = np.arange(8, dtype=np.float32).reshape(4, 2)
    np.testing.assert_allclose(mean[0], (params[3] + params[1]) / 2)
    np.testing.assert_allclose(total[[0, 2]], [params[3] + params[1], params[3]])
    np.testing.assert_array_equal(one_hot, [[-1, -1, 5], [5, -1, -1]])
