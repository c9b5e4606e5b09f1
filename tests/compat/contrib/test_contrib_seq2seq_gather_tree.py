"""tf.contrib.seq2seq.gather_tree beyond the hand-made case: lengths across the doubling rounds
compat composes parent maps in, which parents it checks, and that its run cost does not grow
with every decoding step (TF 1.15: one GatherTree kernel)."""

import numpy as np
import pytest

import compat.v1 as tf
from seq2seq_reference import numpy_gather_tree

END = 5


@pytest.fixture(scope="module")
def tree():
    """One graph: gather_tree on fed ids and parents of any length, and its session."""
    with tf.Graph().as_default() as graph:
        step_ids = tf.placeholder(tf.int32, [None, None, 4])
        parent_ids = tf.placeholder(tf.int32, [None, None, 4])
        lengths = tf.placeholder(tf.int32, [None])
        beams = tf.contrib.seq2seq.gather_tree(step_ids, parent_ids, lengths, END)
        graph.finalize()
        with tf.Session() as session:
            yield lambda *arrays, **kw: session.run(beams, dict(zip((step_ids, parent_ids, lengths), arrays)), **kw)


@pytest.mark.parametrize("max_time", [1, 2, 8, 9, 17])
def test_matches_the_reference_across_doubling_rounds(tree, max_time):
    rng = np.random.RandomState(max_time)
    steps = rng.randint(0, 7, (max_time, 4, 4)).astype(np.int32)
    parents = rng.randint(0, 4, (max_time, 4, 4)).astype(np.int32)
    lengths = np.array([max_time, max_time // 2, 0, max_time + 3], np.int32)
    np.testing.assert_array_equal(tree(steps, parents, lengths), numpy_gather_tree(steps, parents, lengths, END))


def test_only_parents_on_a_traced_path_are_checked(tree):
    steps = (np.arange(24, dtype=np.int32).reshape(6, 1, 4) % 4) + 1  # never END
    parents = np.zeros((6, 1, 4), np.int32)  # every final beam goes back through beam 0
    parents[0] = -3  # time 0's parents are never followed
    parents[2, 0, 3] = 9  # beam 3 at time 2: no final beam passes through it
    parents[4:] = 7  # past the length
    expected = numpy_gather_tree(steps, np.where(parents < 0, 0, parents) % 4, [4], END)
    np.testing.assert_array_equal(tree(steps, parents, [4]), expected)
    # Final beam 2 follows it. (TF 1.15's kernel let exactly beam_width through, reading past the
    # beam's row; compat rejects it too, so the test uses a larger one.)
    parents[3, 0, 2] = 6
    with pytest.raises(tf.errors.InvalidArgumentError, match="(?i)invalid parent id"):
        tree(steps, parents, [4])


def executed_nodes(tree, max_time):
    rng = np.random.RandomState(0)
    arrays = (rng.randint(0, 7, (max_time, 2, 4)).astype(np.int32),
              rng.randint(0, 4, (max_time, 2, 4)).astype(np.int32), np.array([max_time] * 2, np.int32))
    metadata = tf.RunMetadata()
    tree(*arrays, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), run_metadata=metadata)
    # TF 1.15 lists compute ops a second time under /host:CPU: count one device.
    return sum(len(device.node_stats) for device in metadata.step_stats.dev_stats
               if device.device.endswith("device:CPU:0"))


def test_run_cost_does_not_grow_with_every_step(tree):
    # 56 more steps: a per-step loop would run ~1000 more nodes; 3 more doubling rounds run ~60.
    assert executed_nodes(tree, 64) - executed_nodes(tree, 8) < 100
