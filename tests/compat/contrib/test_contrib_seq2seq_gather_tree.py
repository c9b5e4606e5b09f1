"""tf.contrib.seq2seq.gather_tree beyond the hand-made case: lengths across the doubling rounds
compat composes parent maps in, which parents it checks, that its run cost does not grow
with every decoding step (TF 1.15: one GatherTree kernel), and that a graph holds one GatherTree
op for it, as on TF 1.15, which an exported meta graph carries."""

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


def test_makes_one_gather_tree_op_as_tf115_did(graph):
    """TF 1.15 made one GatherTree kernel op, after a Const per Python input; compat makes one op
    of that type and name (a function holding its ops), so ops made after it get TF 1.15's op
    ids, which graph-level seeds are drawn from (docs/seeds.md)."""
    ids = tf.placeholder(tf.int32, [None, 2, 3])
    before = len(graph.get_operations())
    beams = tf.contrib.seq2seq.gather_tree(ids, ids, [3, 3], END, name="beams")
    made = [(op.name, op.type) for op in graph.get_operations()[before:]]
    assert made == [("beams/max_sequence_lengths", "Const"), ("beams/end_token", "Const"), ("beams", "GatherTree")]
    assert beams.shape.as_list() == [None, 2, 3]


def test_an_exported_meta_graph_runs_it_in_a_new_graph():
    """The NMT tutorial's inference graph is exported and imported: the GatherTree op travels
    with its graph (on TF 2.x, its function's definition with it)."""
    steps = np.array([[[1, 2]], [[3, 4]]], np.int32)
    parents = np.array([[[0, 0]], [[1, 0]]], np.int32)
    with tf.Graph().as_default():
        tf.contrib.seq2seq.gather_tree(steps, parents, [2], END, name="beams")
        meta_graph = tf.train.export_meta_graph()
    with tf.Graph().as_default() as graph:
        tf.train.import_meta_graph(meta_graph)
        with tf.Session() as session:
            beams = session.run(graph.get_tensor_by_name("beams:0"))
    np.testing.assert_array_equal(beams, [[[2, 1]], [[3, 4]]])
