"""tf.contrib.rnn's PhasedLSTMCell: TF 1.15's variables and the time gate k (numpy, from the
paper's equations, on the cell's own weights)."""

import numpy as np
import pytest

from conftest import tf

BATCH, UNITS, FEATURES = 3, 4, 2

pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def np_time_gate(time, phase, period, ratio_on, leak):
    """k: rises 0 -> 1 over the first half of the open phase, falls 1 -> 0 over the second,
    leak * cycle position while closed."""
    cycle = np.mod(time - phase, period) / period
    return np.where(cycle < 0.5 * ratio_on, 2 * cycle / ratio_on,
                    np.where(cycle < ratio_on, 2 - 2 * cycle / ratio_on, leak * cycle))


@pytest.fixture(scope="module")
def phased_step():
    """One peephole step with float64 times, its variables' values and its results."""
    rng = np.random.RandomState(0)
    feed = dict(time=rng.uniform(0, 6, (BATCH, 1)), x=rng.randn(BATCH, FEATURES).astype(np.float32),
                c=rng.randn(BATCH, UNITS).astype(np.float32), h=rng.randn(BATCH, UNITS).astype(np.float32))
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(1)
        cell = tf.contrib.rnn.PhasedLSTMCell(UNITS, use_peepholes=True, leak=0.05, ratio_on=0.3,
                                             trainable_ratio_on=False, period_init_min=1.0, period_init_max=3.0)
        time = tf.constant(feed["time"])  # float64
        output, state = cell((time, tf.constant(feed["x"])),
                             tf.nn.rnn_cell.LSTMStateTuple(tf.constant(feed["c"]), tf.constant(feed["h"])))
        gradient = tf.gradients(tf.reduce_sum(output), time)[0]
        with tf.Session(graph=graph) as session:
            session.run(tf.global_variables_initializer())
            names = [v.op.name for v in tf.global_variables()]
            values = dict(zip(names, session.run(tf.global_variables())))
            trainable = [v.op.name for v in tf.trainable_variables()]
            results = session.run([output, state, gradient])
    return feed, names, trainable, values, results


def test_variables_in_tf115_order_and_ratio_on_not_trainable(phased_step):
    _, names, trainable, values, _ = phased_step
    expected = ["phased_lstm_cell/%s/%s" % (scope, v) for scope in ("mask_gates", "new_input", "output_gate")
                for v in ("kernel", "bias")] + ["phased_lstm_cell/" + v for v in ("period", "phase", "ratio_on")]
    assert names == expected
    assert trainable == expected[:-1]
    # peepholes: the gates also see c (mask) and the new c (output)
    assert values["phased_lstm_cell/mask_gates/kernel"].shape == (FEATURES + 2 * UNITS, 2 * UNITS)
    assert values["phased_lstm_cell/output_gate/kernel"].shape == (FEATURES + 2 * UNITS, UNITS)


def test_initial_period_phase_and_ratio(phased_step):
    values = phased_step[3]
    period, phase = values["phased_lstm_cell/period"], values["phased_lstm_cell/phase"]
    assert np.all((period >= 1.0) & (period <= 3.0))
    assert np.all((phase >= 0) & (phase < period))
    np.testing.assert_allclose(values["phased_lstm_cell/ratio_on"], 0.3)


def test_step_matches_numpy(phased_step):
    feed, _, _, w, (output, state, gradient) = phased_step
    x, c, h = feed["x"], feed["c"], feed["h"]

    def linear(scope, *args):
        return np.concatenate(args, axis=1).dot(w["phased_lstm_cell/%s/kernel" % scope]) + \
            w["phased_lstm_cell/%s/bias" % scope]

    input_gate, forget_gate = np.split(sigmoid(linear("mask_gates", x, h, c)), 2, axis=1)
    new_c = c * forget_gate + input_gate * np.tanh(linear("new_input", x, h))
    new_h = np.tanh(new_c) * sigmoid(linear("output_gate", x, h, new_c))
    k = np_time_gate(feed["time"], w["phased_lstm_cell/phase"], w["phased_lstm_cell/period"],
                     w["phased_lstm_cell/ratio_on"], 0.05)
    cycle = np.mod(feed["time"] - w["phased_lstm_cell/phase"], w["phased_lstm_cell/period"]) / \
        w["phased_lstm_cell/period"]
    assert 0 < np.mean(cycle < 0.3) < 1  # this draw has open and closed units: both branches checked
    np.testing.assert_allclose(state.c, k * new_c + (1 - k) * c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(state.h, k * new_h + (1 - k) * h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(output, state.h)
    # the mod's jumps carry no gradient, but time still reaches the output through k
    assert np.all(np.isfinite(gradient)) and np.any(gradient != 0)


def test_dynamic_rnn_over_time_feature_pairs(graph):
    times = tf.constant(np.arange(1, 5, dtype=np.float32).reshape(1, 4, 1).repeat(BATCH, 0))
    features = tf.constant(np.ones((BATCH, 4, FEATURES), np.float32))
    cell = tf.contrib.rnn.PhasedLSTMCell(UNITS)
    assert cell.output_size == UNITS and tuple(cell.state_size) == (UNITS, UNITS)
    outputs, state = tf.nn.dynamic_rnn(cell, (times, features), dtype=tf.float32)
    assert outputs.shape.as_list() == [BATCH, 4, UNITS]
    assert isinstance(state, tf.nn.rnn_cell.LSTMStateTuple)
    assert [v.op.name for v in tf.trainable_variables()][-3:] == [
        "rnn/phased_lstm_cell/period", "rnn/phased_lstm_cell/phase", "rnn/phased_lstm_cell/ratio_on"]
