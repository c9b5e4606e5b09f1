"""tf.contrib.rnn's RNN functions: stack_bidirectional_rnn / _dynamic_rnn (TF 1.15's scopes and
variable names, shapes, layers fed by the previous layer's fw+bw outputs), transpose_batch_time and
best_effort_input_batch_size."""

import numpy as np
import pytest

from conftest import tf

BATCH, STEPS, INPUT, UNITS = 2, 4, 3, 5

pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def batch_major(seed=0):
    return np.random.RandomState(seed).randn(BATCH, STEPS, INPUT).astype(np.float32)


def variables():
    return [(v.op.name, v.shape.as_list()) for v in tf.global_variables()]


def lstm_names(prefix, input_size, units):
    return [(prefix + "/lstm_cell/kernel", [input_size + units, 4 * units]), (prefix + "/lstm_cell/bias", [4 * units])]


def test_stack_bidirectional_dynamic_rnn_names_and_shapes(graph):
    cells_fw = [tf.contrib.rnn.LSTMBlockCell(UNITS), tf.contrib.rnn.LSTMBlockCell(UNITS)]
    cells_bw = [tf.contrib.rnn.LSTMBlockCell(UNITS), tf.contrib.rnn.LSTMBlockCell(UNITS + 1)]
    outputs, states_fw, states_bw = tf.contrib.rnn.stack_bidirectional_dynamic_rnn(
        cells_fw, cells_bw, tf.constant(batch_major()), dtype=tf.float32, sequence_length=[STEPS, 2])
    assert outputs.shape.as_list() == [BATCH, STEPS, 2 * UNITS + 1]
    assert isinstance(states_fw, tuple) and len(states_fw) == len(states_bw) == 2
    assert states_bw[1].h.shape.as_list() == [BATCH, UNITS + 1]
    layer_1_input = 2 * UNITS  # layer 0's fw and bw outputs, concatenated
    assert variables() == (
        lstm_names("stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw", INPUT, UNITS)
        + lstm_names("stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw", INPUT, UNITS)
        + lstm_names("stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw", layer_1_input, UNITS)
        + lstm_names("stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw", layer_1_input, UNITS + 1))


def test_stack_bidirectional_rnn_names_shapes_and_scope(graph):
    inputs = tf.unstack(tf.constant(batch_major()), axis=1)
    outputs, states_fw, states_bw = tf.contrib.rnn.stack_bidirectional_rnn(
        [tf.contrib.rnn.GRUBlockCellV2(UNITS)], [tf.contrib.rnn.GRUBlockCellV2(UNITS)], inputs,
        dtype=tf.float32, scope="encoder")
    assert isinstance(outputs, list) and len(outputs) == STEPS
    assert outputs[0].shape.as_list() == [BATCH, 2 * UNITS]
    assert states_fw[0].shape.as_list() == states_bw[0].shape.as_list() == [BATCH, UNITS]
    # static_bidirectional_rnn is given the layer's scope itself: no "bidirectional_rnn" level.
    assert [name for name, _ in variables()] == [
        "encoder/cell_0/%s/gru_cell/%s" % (direction, name)
        for direction in ("fw", "bw") for name in ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")]


@pytest.fixture(scope="module")
def one_layer_stacks():
    """A one-layer stack (static and dynamic) against tf.nn's bidirectional RNNs, shared weights."""
    graph = tf.Graph()
    with graph.as_default():
        xs = tf.constant(batch_major(1))
        lengths = [STEPS, 3]
        initial = tf.fill([BATCH, UNITS], 0.25)

        def cells():
            return [tf.contrib.rnn.GRUCell(UNITS)], [tf.contrib.rnn.GRUCell(UNITS)]

        runs = {}
        with tf.variable_scope("stack") as scope:
            fw, bw = cells()
            runs["dynamic"] = tf.contrib.rnn.stack_bidirectional_dynamic_rnn(
                fw, bw, xs, initial_states_fw=[initial], initial_states_bw=[initial], sequence_length=lengths,
                scope=scope)
        with tf.variable_scope("stack/cell_0", reuse=True):
            fw, bw = cells()
            runs["reference"] = tf.nn.bidirectional_dynamic_rnn(
                fw[0], bw[0], xs, initial_state_fw=initial, initial_state_bw=initial, sequence_length=lengths)
        names = [v.op.name for v in tf.global_variables()]
        fw, bw = cells()
        runs["static"] = tf.contrib.rnn.stack_bidirectional_rnn(
            fw, bw, tf.unstack(xs, axis=1), initial_states_fw=[initial], initial_states_bw=[initial],
            sequence_length=lengths, scope="static")
        static_variables = tf.global_variables()[len(names):]
        names += [v.op.name for v in static_variables]
        copy = [s.assign(d) for d, s in zip(tf.global_variables(), static_variables)]
        with tf.Session(graph=graph) as session:
            session.run(tf.global_variables_initializer())
            session.run(copy)
            yield names, session.run(runs)


def test_one_layer_stack_is_a_bidirectional_rnn(one_layer_stacks):
    names, runs = one_layer_stacks
    assert [n.replace("stack/cell_0/bidirectional_rnn/", "static/cell_0/") for n in names[:8]] == names[8:]
    outputs, states_fw, states_bw = runs["dynamic"]
    (ref_fw_out, ref_bw_out), (ref_fw_state, ref_bw_state) = runs["reference"]
    np.testing.assert_allclose(outputs, np.concatenate([ref_fw_out, ref_bw_out], axis=2), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(states_fw[0], ref_fw_state, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(states_bw[0], ref_bw_state, rtol=1e-5, atol=1e-6)
    static_outputs, static_fw, static_bw = runs["static"]
    np.testing.assert_allclose(np.stack(static_outputs, axis=1), outputs, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(static_fw[0], states_fw[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(static_bw[0], states_bw[0], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("function", ["stack_bidirectional_rnn", "stack_bidirectional_dynamic_rnn"])
@pytest.mark.parametrize("arguments, message", [
    (dict(cells_fw=[], cells_bw=["c"]), "at least one fw cell"),
    (dict(cells_fw=["c"], cells_bw=None), "at least one bw cell"),
    (dict(cells_fw=("c",), cells_bw=["c"]), "cells_fw must be a list"),
    (dict(cells_fw=["c", "c"], cells_bw=["c"]), "same depth"),
    (dict(cells_fw=["c"], cells_bw=["c"], initial_states_bw=[1, 2]), "initial_states_bw must be a list"),
], ids=["no_fw", "no_bw", "fw_tuple", "depths", "bw_states"])
def test_stack_argument_errors(function, arguments, message):
    with pytest.raises(ValueError, match=message):
        getattr(tf.contrib.rnn, function)(inputs=None, **arguments)


def test_transpose_batch_time(session):
    x = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4)
    placeholder = tf.placeholder(tf.float32, [None, 3, 4])
    transposed = tf.contrib.rnn.transpose_batch_time(placeholder)
    assert transposed.shape.as_list() == [3, None, 4]  # static shape kept, dimensions swapped
    np.testing.assert_array_equal(session.run(transposed, {placeholder: x}), x.transpose(1, 0, 2))
    vector = tf.constant([1.0, 2.0])
    assert tf.contrib.rnn.transpose_batch_time(vector) is vector  # rank < 2: unchanged


def test_best_effort_input_batch_size(session):
    unknown = tf.placeholder(tf.float32, [STEPS, None, INPUT])
    assert tf.contrib.rnn.best_effort_input_batch_size([unknown, tf.zeros([STEPS, 7, 1])]) == 7
    dynamic = tf.contrib.rnn.best_effort_input_batch_size([unknown])
    assert session.run(dynamic, {unknown: np.zeros((STEPS, 9, INPUT))}) == 9
    with pytest.raises(ValueError, match="rank"):
        tf.contrib.rnn.best_effort_input_batch_size([tf.zeros([3])])
