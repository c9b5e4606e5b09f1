"""tf.contrib.rnn's lightly gated and independently recurrent cells (UGRNNCell, IntersectionRNNCell,
SRUCell, IndRNNCell, IndyGRUCell, IndyLSTMCell): one step against numpy on the cell's own
(randomised) weights, sizes, and variable names and shapes as TF 1.15 creates them."""

import numpy as np
import pytest

import compat.v1 as tf
from contrib_rnn_cell_steps import INPUT, assert_close, linear, run_steps, sigmoid

rnn = tf.contrib.rnn
UNITS = 3

BUILDERS = {
    "ugrnn": lambda: rnn.UGRNNCell(UNITS, forget_bias=0.5),
    "intersection": lambda: rnn.IntersectionRNNCell(UNITS, num_in_proj=UNITS, y_activation=tf.tanh),
    "sru": lambda: rnn.SRUCell(UNITS),
    "ind_rnn": lambda: rnn.IndRNNCell(UNITS, activation=tf.nn.relu),
    "indy_gru": lambda: rnn.IndyGRUCell(UNITS),
    "indy_lstm": lambda: rnn.IndyLSTMCell(UNITS, forget_bias=0.5),
}


@pytest.fixture(scope="module")
def steps():
    return run_steps(BUILDERS)


def test_ugrnn(steps):
    step = steps["ugrnn"]
    assert step.cell.state_size == UNITS and step.cell.output_size == UNITS
    assert step.shapes == [["ugrnn_cell/kernel", [INPUT + UNITS, 2 * UNITS]], ["ugrnn_cell/bias", [2 * UNITS]]]
    g_act, c_act = np.split(linear(step.variables, "ugrnn_cell", step.x, step.state_in), 2, axis=1)
    g = sigmoid(g_act + 0.5)
    new_h = g * step.state_in + (1 - g) * np.tanh(c_act)
    assert_close(step.state, new_h)
    assert_close(step.output, new_h)


def test_intersection_rnn_projects_its_inputs_then_gates_time_and_depth(steps):
    step = steps["intersection"]
    v = step.variables
    assert step.shapes == [["intersection_rnn_cell/in_projection/kernel", [INPUT, UNITS]],
                           ["intersection_rnn_cell/in_projection/bias", [UNITS]],
                           ["intersection_rnn_cell/kernel", [2 * UNITS, 4 * UNITS]],
                           ["intersection_rnn_cell/bias", [4 * UNITS]]]
    x = linear(v, "intersection_rnn_cell/in_projection", step.x)
    gh, h, gy, y = np.split(linear(v, "intersection_rnn_cell", x, step.state_in), 4, axis=1)
    gh, gy = sigmoid(gh + 1.0), sigmoid(gy + 1.0)
    assert_close(step.state, gh * step.state_in + (1 - gh) * np.tanh(h))
    assert_close(step.output, gy * x + (1 - gy) * np.tanh(y))


def test_intersection_rnn_needs_a_projection_when_sizes_differ():
    with tf.Graph().as_default():
        cell = rnn.IntersectionRNNCell(UNITS)
        with pytest.raises(ValueError, match="num_in_proj should be set to num_units"):
            cell(tf.zeros([2, UNITS + 1]), tf.zeros([2, UNITS]))


def test_sru(steps):
    step = steps["sru"]
    v = step.variables
    assert step.shapes == [["sru_cell/kernel", [INPUT, 4 * UNITS]], ["sru_cell/bias", [2 * UNITS]]]
    x_bar, f, r, x_tx = np.split(step.x.dot(v["sru_cell/kernel"]), 4, axis=1)
    f, r = np.split(sigmoid(np.concatenate([f, r], axis=1) + v["sru_cell/bias"]), 2, axis=1)
    c = f * step.state_in + (1 - f) * x_bar
    assert_close(step.state, c)
    assert_close(step.output, r * np.tanh(c) + (1 - r) * x_tx)


def test_ind_rnn(steps):
    step = steps["ind_rnn"]
    v = step.variables
    assert step.shapes == [["ind_rnn_cell/kernel_w", [INPUT, UNITS]], ["ind_rnn_cell/kernel_u", [1, UNITS]],
                           ["ind_rnn_cell/bias", [UNITS]]]
    expected = np.maximum(step.x.dot(v["ind_rnn_cell/kernel_w"]) + step.state_in * v["ind_rnn_cell/kernel_u"]
                          + v["ind_rnn_cell/bias"], 0)
    assert_close(step.output, expected)
    assert_close(step.state, expected)


def test_indy_gru(steps):
    step = steps["indy_gru"]
    v = {name[len("indy_gru_cell/"):]: value for name, value in step.variables.items()}
    # TF 1.15 names the candidate's input weights `candidate/kernel`, without the `_w` of the others.
    assert [name for name, _ in step.shapes] == ["indy_gru_cell/" + n for n in (
        "gates/kernel_w", "gates/kernel_u", "gates/bias",
        "candidate/kernel", "candidate/kernel_u", "candidate/bias")]
    h = step.state_in
    r, u = np.split(sigmoid(step.x.dot(v["gates/kernel_w"]) + np.tile(h, 2) * v["gates/kernel_u"]
                            + v["gates/bias"]), 2, axis=1)
    c = np.tanh(step.x.dot(v["candidate/kernel"]) + r * h * v["candidate/kernel_u"] + v["candidate/bias"])
    assert_close(step.output, u * h + (1 - u) * c)


def test_indy_lstm(steps):
    step = steps["indy_lstm"]
    v = step.variables
    assert step.cell.state_size == (UNITS, UNITS)
    assert step.shapes == [["indy_lstm_cell/kernel_w", [INPUT, 4 * UNITS]],
                           ["indy_lstm_cell/kernel_u", [1, 4 * UNITS]], ["indy_lstm_cell/bias", [4 * UNITS]]]
    c, h = step.state_in
    i, j, f, o = np.split(step.x.dot(v["indy_lstm_cell/kernel_w"]) + np.tile(h, 4) * v["indy_lstm_cell/kernel_u"]
                          + v["indy_lstm_cell/bias"], 4, axis=1)
    new_c = c * sigmoid(f + 0.5) + sigmoid(i) * np.tanh(j)
    assert_close(step.state.c, new_c)
    assert_close(step.output, np.tanh(new_c) * sigmoid(o))


def test_layer_cells_default_initializers():
    """IndRNN's recurrent weights start uniform in [-1, 1]; IndyGRU's gate bias at 1 (as GRUCell's)."""
    with tf.Graph().as_default():
        ind, indy_gru = rnn.IndRNNCell(64), rnn.IndyGRUCell(2)
        ind(tf.zeros([1, 1]), tf.zeros([1, 64]))
        indy_gru(tf.zeros([1, 1]), tf.zeros([1, 2]))
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            u, gate_bias, candidate_bias = session.run(
                [ind.weights[1], indy_gru.weights[2], indy_gru.weights[5]])
    assert np.all(np.abs(u) <= 1) and np.std(u) > 0.3
    assert np.all(gate_bias == 1) and np.all(candidate_bias == 0)
