"""rejection_resample under a graph seed (compat/seeds/datasets.py): with an initial_dist, TF 1.15
mapped class_func over the dataset first, one op TF 2.x does not make. The random ops after it,
and the sampling inside it when it has no seed of its own, must get TF 1.15's op seeds: the
numbers below are TF 1.15's op indexes, which the TF 1.15 run checks."""

import pytest

from conftest import TF1, tf

THIRDS = [1 / 3.0] * 3


def _resampled(distributions):
    """A seeded graph: 40 classes resampled with `distributions()` (built in the graph), batched,
    read; then a random op. Returns the graph and that op."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(1)
        classes = tf.data.Dataset.range(40).map(lambda n: tf.cast(n % 3, tf.int32))
        resampled = classes.apply(tf.contrib.data.rejection_resample(lambda c: c, **distributions())).batch(4)
        tf.data.make_one_shot_iterator(resampled).get_next()
        noise = tf.random_normal([1]).op.inputs[0].op.inputs[0].op
    assert noise.type == "RandomStandardNormal"
    return graph, noise


@pytest.mark.parametrize("distributions, expected", [
    (lambda: {"target_dist": [0.6, 0.2, 0.2], "initial_dist": THIRDS, "seed": 9}, 63),
    (lambda: {"target_dist": tf.constant([0.6, 0.2, 0.2]), "initial_dist": tf.constant(THIRDS)}, 63),
    (lambda: {"target_dist": [0.6, 0.2, 0.2], "seed": 9}, 55),  # estimated: TF 2.x maps where TF 1.15 did
], ids=["lists", "tensors", "no initial_dist"])
def test_a_random_op_after_rejection_resample_gets_tf115s_op_seed(distributions, expected):
    graph, noise = _resampled(distributions)
    assert (noise.get_attr("seed"), noise.get_attr("seed2")) == (1, expected)
    if TF1:
        assert graph.get_operations().index(noise) == expected


def test_its_own_unseeded_sampling_gets_tf115s_op_seed():
    """Without a seed, sample_from_datasets inside rejection_resample takes its op seed from the
    op count, after the MapDataset TF 1.15 made: the count must include it by then."""
    graph, _ = _resampled(lambda: {"target_dist": [0.5, 0.3, 0.2], "initial_dist": [0.2, 0.3, 0.5]})
    sampling = next(op for op in graph.get_operations() if op.type == "RandomDataset")
    op_seed = sampling.inputs[1].op.inputs[2].op  # seed2 = select(both seeds 0, 2**31 - 1, op seed)
    assert tf.get_static_value(op_seed.outputs[0]) == 38
    if TF1:  # the seed is the op count when it was drawn: the index of its first Const, "seed"
        assert graph.get_operations().index(sampling.inputs[0].op) == 38
