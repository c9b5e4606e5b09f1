"""tf.contrib.rnn: the TF 1.x cells and static RNNs, with TF 1.15's variable names and math.

Cell maths are checked against numpy written from the cell equations, on the cell's own weights.
"""

import numpy as np
import pytest

import contrib_rnn_cell_steps as cell_steps
from conftest import TF1, tf
from contrib_rnn_cell_steps import sigmoid

BATCH, STEPS, INPUT, UNITS = 2, 4, 3, 5

# tf_keras's copies of the cells warn that they are deprecated (TF 1.15 only logged it).
pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def step_inputs(seed=0):
    """STEPS arrays of [BATCH, INPUT]."""
    return cell_steps.step_inputs(STEPS, BATCH, INPUT, seed)


def var_names():
    return [v.op.name for v in tf.global_variables()]


def var_values(session):
    session.run(tf.global_variables_initializer())
    return dict(zip(var_names(), session.run(tf.global_variables())))


def test_static_rnn_shapes_and_variable_names(graph):
    cell = tf.contrib.rnn.BasicLSTMCell(UNITS)
    outputs, state = tf.contrib.rnn.static_rnn(cell, [tf.constant(x) for x in step_inputs()], dtype=tf.float32)
    assert len(outputs) == STEPS
    assert all(o.shape.as_list() == [BATCH, UNITS] for o in outputs)
    assert isinstance(state, tf.contrib.rnn.LSTMStateTuple)
    assert state.c.shape.as_list() == state.h.shape.as_list() == [BATCH, UNITS]
    assert var_names() == ["rnn/basic_lstm_cell/kernel", "rnn/basic_lstm_cell/bias"]
    assert [v.shape.as_list() for v in tf.global_variables()] == [[INPUT + UNITS, 4 * UNITS], [4 * UNITS]]


def test_static_rnn_equals_dynamic_rnn_on_shared_weights(session):
    xs = step_inputs()
    static_out, static_state = tf.contrib.rnn.static_rnn(
        tf.contrib.rnn.BasicLSTMCell(UNITS), [tf.constant(x) for x in xs], dtype=tf.float32)
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        dynamic_out, dynamic_state = tf.nn.dynamic_rnn(
            tf.contrib.rnn.BasicLSTMCell(UNITS), tf.constant(np.stack(xs, axis=1)), dtype=tf.float32)
    assert var_names() == ["rnn/basic_lstm_cell/kernel", "rnn/basic_lstm_cell/bias"]  # nothing new
    session.run(tf.global_variables_initializer())
    s_out, s_state, d_out, d_state = session.run([static_out, static_state, dynamic_out, dynamic_state])
    np.testing.assert_allclose(np.stack(s_out, axis=1), d_out, atol=1e-6)
    np.testing.assert_allclose(s_state.c, d_state.c, atol=1e-6)
    np.testing.assert_allclose(s_state.h, d_state.h, atol=1e-6)


def test_multi_rnn_cell_variable_names(graph):
    cell = tf.contrib.rnn.MultiRNNCell([tf.contrib.rnn.BasicLSTMCell(UNITS) for _ in range(2)])
    _, state = tf.contrib.rnn.static_rnn(cell, [tf.constant(x) for x in step_inputs()], dtype=tf.float32)
    assert len(state) == 2
    assert var_names() == ["rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel",
                           "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias",
                           "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel",
                           "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias"]


def np_lstm_step(x, c, h, kernel, bias, forget_bias):
    """BasicLSTMCell: gates i, j, f, o from [x, h] @ kernel + bias."""
    i, j, f, o = np.split(np.concatenate([x, h], axis=1).dot(kernel) + bias, 4, axis=1)
    new_c = c * sigmoid(f + forget_bias) + sigmoid(i) * np.tanh(j)
    return np.tanh(new_c) * sigmoid(o), new_c


def test_basic_lstm_cell_math(session):
    rng = np.random.RandomState(2)
    x, c, h = (rng.randn(BATCH, n).astype(np.float32) for n in (INPUT, UNITS, UNITS))
    cell = tf.contrib.rnn.BasicLSTMCell(UNITS, forget_bias=0.7)
    state = tf.contrib.rnn.LSTMStateTuple(tf.constant(c), tf.constant(h))
    with tf.variable_scope("rnn"):
        output, new_state = cell(tf.constant(x), state)
    # A non-zero bias, so the forget_bias offset is tested against a real bias too.
    session.run(tf.global_variables_initializer())
    session.run(tf.assign(tf.global_variables()[1], rng.randn(4 * UNITS).astype(np.float32)))
    weights = dict(zip(var_names(), session.run(tf.global_variables())))
    expected_h, expected_c = np_lstm_step(x, c, h, weights["rnn/basic_lstm_cell/kernel"],
                                          weights["rnn/basic_lstm_cell/bias"], forget_bias=0.7)
    got_output, got_state = session.run([output, new_state])
    np.testing.assert_allclose(got_output, expected_h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_state.h, expected_h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_state.c, expected_c, rtol=1e-5, atol=1e-6)


def test_basic_rnn_cell_math(session):
    xs = step_inputs(3)
    outputs, state = tf.contrib.rnn.static_rnn(tf.contrib.rnn.BasicRNNCell(UNITS), [tf.constant(x) for x in xs],
                                               dtype=tf.float32)
    weights = var_values(session)
    kernel, bias = weights["rnn/basic_rnn_cell/kernel"], weights["rnn/basic_rnn_cell/bias"]
    h = np.zeros((BATCH, UNITS), np.float32)
    for x in xs:
        h = np.tanh(np.concatenate([x, h], axis=1).dot(kernel) + bias)
    got_outputs, got_state = session.run([outputs, state])
    np.testing.assert_allclose(got_outputs[-1], h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_state, h, rtol=1e-5, atol=1e-6)


def test_gru_cell_math(session):
    xs = step_inputs(4)
    outputs, state = tf.contrib.rnn.static_rnn(tf.contrib.rnn.GRUCell(UNITS), [tf.constant(x) for x in xs],
                                               dtype=tf.float32)
    weights = var_values(session)
    assert sorted(weights) == ["rnn/gru_cell/candidate/bias", "rnn/gru_cell/candidate/kernel",
                               "rnn/gru_cell/gates/bias", "rnn/gru_cell/gates/kernel"]
    np.testing.assert_array_equal(weights["rnn/gru_cell/gates/bias"], 1.0)  # TF 1.x's gate bias init
    h = np.zeros((BATCH, UNITS), np.float32)
    for x in xs:
        gates = sigmoid(np.concatenate([x, h], axis=1).dot(weights["rnn/gru_cell/gates/kernel"])
                        + weights["rnn/gru_cell/gates/bias"])
        r, u = np.split(gates, 2, axis=1)
        candidate = np.tanh(np.concatenate([x, r * h], axis=1).dot(weights["rnn/gru_cell/candidate/kernel"])
                            + weights["rnn/gru_cell/candidate/bias"])
        h = u * h + (1 - u) * candidate
    np.testing.assert_allclose(session.run(state), h, rtol=1e-5, atol=1e-6)


def test_lstm_cell_names_and_projection(graph):
    cell = tf.contrib.rnn.LSTMCell(UNITS, num_proj=2, use_peepholes=True)
    outputs, state = tf.contrib.rnn.static_rnn(cell, [tf.constant(x) for x in step_inputs()], dtype=tf.float32)
    assert outputs[-1].shape.as_list() == [BATCH, 2]
    assert isinstance(state, tf.contrib.rnn.LSTMStateTuple)
    assert state.c.shape.as_list() == [BATCH, UNITS] and state.h.shape.as_list() == [BATCH, 2]
    assert var_names() == ["rnn/lstm_cell/kernel", "rnn/lstm_cell/bias", "rnn/lstm_cell/w_f_diag",
                           "rnn/lstm_cell/w_i_diag", "rnn/lstm_cell/w_o_diag", "rnn/lstm_cell/projection/kernel"]


def test_dropout_wrapper_keep_prob_one_is_identity(session):
    inputs = [tf.constant(x) for x in step_inputs(5)]
    cell = tf.contrib.rnn.BasicLSTMCell(UNITS)
    plain, _ = tf.contrib.rnn.static_rnn(cell, inputs, dtype=tf.float32)
    wrapped = tf.contrib.rnn.DropoutWrapper(cell, input_keep_prob=1.0, output_keep_prob=1.0)
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        dropped, _ = tf.contrib.rnn.static_rnn(wrapped, inputs, dtype=tf.float32)
    session.run(tf.global_variables_initializer())
    np.testing.assert_array_equal(*session.run([plain, dropped]))


def test_lstm_state_tuple_as_initial_state(session):
    c = np.full((BATCH, UNITS), 0.5, np.float32)
    h = np.full((BATCH, UNITS), -0.25, np.float32)
    initial = tf.contrib.rnn.LSTMStateTuple(c=tf.constant(c), h=tf.constant(h))
    assert initial.c is initial[0] and initial.h is initial[1]
    inputs = [tf.zeros([BATCH, INPUT])]
    outputs, state = tf.contrib.rnn.static_rnn(tf.contrib.rnn.BasicLSTMCell(UNITS), inputs, initial_state=initial)
    weights = var_values(session)
    expected_h, expected_c = np_lstm_step(np.zeros((BATCH, INPUT), np.float32), c, h,
                                          weights["rnn/basic_lstm_cell/kernel"], weights["rnn/basic_lstm_cell/bias"],
                                          forget_bias=1.0)
    got = session.run(state)
    np.testing.assert_allclose(got.c, expected_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got.h, expected_h, rtol=1e-5, atol=1e-6)


def test_static_bidirectional_rnn_shapes(graph):
    outputs, fw_state, bw_state = tf.contrib.rnn.static_bidirectional_rnn(
        tf.contrib.rnn.BasicLSTMCell(UNITS), tf.contrib.rnn.BasicLSTMCell(UNITS + 1),
        [tf.constant(x) for x in step_inputs()], dtype=tf.float32)
    assert len(outputs) == STEPS
    assert all(o.shape.as_list() == [BATCH, 2 * UNITS + 1] for o in outputs)
    assert fw_state.h.shape.as_list() == [BATCH, UNITS] and bw_state.h.shape.as_list() == [BATCH, UNITS + 1]
    assert var_names() == ["bidirectional_rnn/fw/basic_lstm_cell/kernel", "bidirectional_rnn/fw/basic_lstm_cell/bias",
                           "bidirectional_rnn/bw/basic_lstm_cell/kernel", "bidirectional_rnn/bw/basic_lstm_cell/bias"]


def test_a_name_tf115_lacks_is_an_attribute_error_naming_it():
    """A name TF 1.15's tf.contrib.rnn does not have either: AttributeError on both runtimes;
    compat's says which name and where to look."""
    with pytest.raises(AttributeError) as error:
        tf.contrib.rnn.NoSuchCell
    if not TF1:
        assert "tf.contrib.rnn.NoSuchCell is not provided by compat" in str(error.value)
