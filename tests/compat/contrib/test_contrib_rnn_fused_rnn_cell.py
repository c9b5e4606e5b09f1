"""tf.contrib.rnn.FusedRNNCell, FusedRNNCellAdaptor, TimeReversedFusedRNN: the fused-RNN call
convention (whole time-major sequences, outputs of the inputs' kind) on TF 1.15 and via compat."""

import numpy as np
import pytest

from conftest import tf

BATCH, STEPS, INPUT, UNITS = 2, 4, 3, 5
LENGTHS = [STEPS, 2]

pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def sequence(seed=0):
    """[STEPS, BATCH, INPUT] (time-major)."""
    return np.random.RandomState(seed).randn(STEPS, BATCH, INPUT).astype(np.float32)


def np_reverse_each(array, lengths):
    """Reverse each batch entry's first `length` steps of a time-major array, leave the rest."""
    out = array.copy()
    for b, n in enumerate(lengths):
        out[:n, b] = array[:n, b][::-1]
    return out


def test_fused_rnn_cell_is_abstract():
    with pytest.raises(TypeError):
        tf.contrib.rnn.FusedRNNCell()

    class Identity(tf.contrib.rnn.FusedRNNCell):
        def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
            return inputs, initial_state

    assert Identity()("x") == ("x", None)


@pytest.fixture(scope="module")
def adaptors():
    """One BasicRNNCell run four ways on the same variables: static/dynamic adaptor, tensor/list
    inputs, and time-reversed (with and without lengths)."""
    graph = tf.Graph()
    with graph.as_default():
        xs = tf.constant(sequence())
        cell = tf.contrib.rnn.BasicRNNCell(UNITS)
        static = tf.contrib.rnn.FusedRNNCellAdaptor(cell)
        dynamic = tf.contrib.rnn.FusedRNNCellAdaptor(cell, use_dynamic_rnn=True)
        runs = {"static": static(xs, dtype=tf.float32, scope="rnn")}
        names = [v.op.name for v in tf.global_variables()]
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):
            runs["dynamic"] = dynamic(xs, dtype=tf.float32, scope="rnn")
            runs["dynamic_list"] = dynamic(tf.unstack(xs), dtype=tf.float32, scope="rnn")
            runs["static_lengths"] = static(xs, dtype=tf.float32, sequence_length=LENGTHS, scope="rnn")
            reversed_rnn = tf.contrib.rnn.TimeReversedFusedRNN(dynamic)
            runs["reversed"] = reversed_rnn(xs, dtype=tf.float32, scope="rnn")
            runs["reversed_lengths"] = reversed_rnn(xs, dtype=tf.float32, sequence_length=LENGTHS, scope="rnn")
            runs["reversed_list"] = reversed_rnn(tf.unstack(xs), dtype=tf.float32, scope="rnn")
            # References: the dynamic adaptor on inputs reversed by numpy.
            runs["on_reversed"] = dynamic(tf.constant(sequence()[::-1].copy()), dtype=tf.float32, scope="rnn")
            runs["on_reversed_each"] = dynamic(tf.constant(np_reverse_each(sequence(), LENGTHS)),
                                               dtype=tf.float32, sequence_length=LENGTHS, scope="rnn")
        assert len(tf.global_variables()) == 2  # every run shared the first one's variables
        with tf.Session(graph=graph) as session:
            session.run(tf.global_variables_initializer())
            static_types = {k: type(v[0]) for k, v in runs.items()}
            yield names, static_types, session.run(runs)


def test_adaptor_names_and_output_kinds(adaptors):
    names, kinds, _ = adaptors
    assert names == ["rnn/basic_rnn_cell/kernel", "rnn/basic_rnn_cell/bias"]
    assert kinds["static"] is not list and kinds["dynamic"] is not list
    assert kinds["dynamic_list"] is list and kinds["reversed_list"] is list


def test_static_and_dynamic_adaptors_agree(adaptors):
    _, _, runs = adaptors
    static_out, static_state = runs["static"]
    assert static_out.shape == (STEPS, BATCH, UNITS)
    for key in ("dynamic", "dynamic_list"):
        np.testing.assert_allclose(np.stack(runs[key][0]) if key.endswith("list") else runs[key][0],
                                   static_out, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(runs[key][1], static_state, rtol=1e-5, atol=1e-6)
    lengths_out, lengths_state = runs["static_lengths"]
    np.testing.assert_array_equal(lengths_out[2:, 1], 0.0)  # past the second sequence's end
    np.testing.assert_allclose(lengths_state[1], static_out[1, 1], rtol=1e-5)  # its state at step 2


def test_time_reversed_equals_running_on_reversed_inputs(adaptors):
    _, _, runs = adaptors
    out, state = runs["reversed"]
    ref_out, ref_state = runs["on_reversed"]
    np.testing.assert_allclose(out, ref_out[::-1], rtol=1e-5, atol=1e-6)  # outputs back in input order
    np.testing.assert_allclose(state, ref_state, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.stack(runs["reversed_list"][0]), out, rtol=1e-5, atol=1e-6)
    # With lengths, each sequence is reversed within its length (reverse_sequence).
    out, state = runs["reversed_lengths"]
    ref_out, ref_state = runs["on_reversed_each"]
    np.testing.assert_allclose(out, np_reverse_each(ref_out, LENGTHS), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state, ref_state, rtol=1e-5, atol=1e-6)


def test_time_reversed_block_fused_cell_takes_the_scope(graph):
    """A Layer-based fused cell (LSTMBlockFusedCell) gets `scope` through tf.layers' __call__."""
    xs = tf.constant(sequence())
    fw_out, _ = tf.contrib.rnn.LSTMBlockFusedCell(UNITS)(xs, dtype=tf.float32, scope="fw")
    bw_out, bw_state = tf.contrib.rnn.TimeReversedFusedRNN(tf.contrib.rnn.LSTMBlockFusedCell(UNITS))(
        xs, dtype=tf.float32, scope="bw")
    assert [v.op.name for v in tf.global_variables()] == ["fw/kernel", "fw/bias", "bw/kernel", "bw/bias"]
    assert bw_out.shape.as_list() == [STEPS, BATCH, UNITS] and bw_out.op.type == "ReverseV2"
    assert bw_state.h.shape.as_list() == [BATCH, UNITS]
