"""tf.contrib.rnn's LSTM variants (CoupledInputForgetGateLSTMCell, LayerNormBasicLSTMCell, GLSTMCell,
NASCell): one step against numpy on the cell's own (randomised) weights, sizes, variable names and
shapes as TF 1.15 creates them, and LayerNormBasicLSTMCell's recurrent dropout."""

import numpy as np
import pytest

import compat.v1 as tf
from contrib_rnn_cell_steps import BATCH, INPUT, assert_close, layer_norm, linear, run_steps, sigmoid

rnn = tf.contrib.rnn
UNITS = 4
CIFG = "coupled_input_forget_gate_lstm_cell/"
LN = "layer_norm_basic_lstm_cell/"

BUILDERS = {
    "cifg_peephole_projection": lambda: rnn.CoupledInputForgetGateLSTMCell(
        UNITS, use_peepholes=True, num_proj=3, proj_clip=0.4, num_unit_shards=2, forget_bias=0.5),
    "cifg_layer_norm_concat": lambda: rnn.CoupledInputForgetGateLSTMCell(
        UNITS, layer_norm=True, state_is_tuple=False, activation=tf.nn.softsign),
    "ln_lstm": lambda: rnn.LayerNormBasicLSTMCell(UNITS, forget_bias=0.5),
    "ln_lstm_no_norm": lambda: rnn.LayerNormBasicLSTMCell(UNITS, layer_norm=False),
    "glstm": lambda: rnn.GLSTMCell(UNITS, num_proj=2, number_of_groups=2, forget_bias=0.5),
    "nas": lambda: rnn.NASCell(UNITS, num_proj=3, use_bias=True),
}


@pytest.fixture(scope="module")
def steps():
    return run_steps(BUILDERS)


def cifg_reference(step, scope, peepholes, projection_clip, norm, activation):
    v = step.variables
    if isinstance(step.state_in, np.ndarray):
        c, m = step.state_in[:, :UNITS], step.state_in[:, UNITS:]
    else:
        c, m = step.state_in
    weights = np.concatenate([v[name] for name in sorted(v) if name[len(scope):].startswith("W_") and
                              name[len(scope) + 2:].isdigit()], axis=0)
    gates = np.concatenate([step.x, m], axis=1).dot(weights)
    if not norm:
        gates = gates + v[scope + "B"]
    j, f, o = np.split(gates, 3, axis=1)
    if norm:
        j, f, o = [layer_norm(g, v[scope + n + "/gamma"], v[scope + n + "/beta"])
                   for g, n in zip((j, f, o), ("transform", "forget", "output"))]
    forget_bias = 0.5 if peepholes else 1.0
    f_act = sigmoid(f + forget_bias + (v[scope + "W_F_diag"] * c if peepholes else 0))
    new_c = f_act * c + (1 - f_act) * activation(j)
    if norm:
        new_c = layer_norm(new_c, v[scope + "state/gamma"], v[scope + "state/beta"])
    new_m = sigmoid(o + (v[scope + "W_O_diag"] * new_c if peepholes else 0)) * activation(new_c)
    if projection_clip:
        new_m = np.clip(new_m.dot(v[scope + "W_P_0"]), -projection_clip, projection_clip)
    return new_c, new_m


def test_coupled_input_forget_gate_with_peepholes_projection_and_shards(steps):
    step = steps["cifg_peephole_projection"]
    assert step.cell.state_size == (UNITS, 3) and step.cell.output_size == 3
    # [inputs, m] is 4 + 3 = 7 rows: shard 0 takes the odd one out
    assert step.shapes == [[CIFG + "W_0", [4, 12]], [CIFG + "W_1", [3, 12]], [CIFG + "B", [12]],
                           [CIFG + "W_F_diag", [UNITS]], [CIFG + "W_O_diag", [UNITS]],
                           [CIFG + "W_P_0", [UNITS, 3]]]
    new_c, new_m = cifg_reference(step, CIFG, peepholes=True, projection_clip=0.4, norm=False, activation=np.tanh)
    assert_close(step.state.c, new_c)
    assert_close(step.state.h, new_m)
    assert_close(step.output, new_m)
    assert np.max(np.abs(step.output)) == np.float32(0.4)  # the clip is reached


def test_coupled_input_forget_gate_with_layer_norm_and_concatenated_state(steps):
    step = steps["cifg_layer_norm_concat"]
    assert step.cell.state_size == 2 * UNITS and step.cell.output_size == UNITS
    names = [name for name, _ in step.shapes]
    assert names == [CIFG + n for n in ("W_0", "B", "transform/gamma", "transform/beta", "forget/gamma",
                                        "forget/beta", "output/gamma", "output/beta", "state/gamma", "state/beta")]
    softsign = lambda a: a / (1 + np.abs(a))  # noqa: E731
    new_c, new_m = cifg_reference(step, CIFG, peepholes=False, projection_clip=None, norm=True,
                                  activation=softsign)
    assert_close(step.state, np.concatenate([new_c, new_m], axis=1))
    assert_close(step.output, new_m)


def ln_lstm_reference(step, norm, forget_bias):
    v = step.variables
    c, h = step.state_in
    gates = linear(v, LN[:-1], step.x, h)
    i, j, f, o = np.split(gates, 4, axis=1)
    if norm:
        i, j, f, o = [layer_norm(g, v[LN + n + "/gamma"], v[LN + n + "/beta"])
                      for g, n in zip((i, j, f, o), ("input", "transform", "forget", "output"))]
    new_c = c * sigmoid(f + forget_bias) + sigmoid(i) * np.tanh(j)
    if norm:
        new_c = layer_norm(new_c, v[LN + "state/gamma"], v[LN + "state/beta"])
    return new_c, np.tanh(new_c) * sigmoid(o)


def test_layer_norm_basic_lstm(steps):
    step = steps["ln_lstm"]
    assert step.cell.state_size == (UNITS, UNITS) and step.cell.output_size == UNITS
    assert step.shapes == [[LN + "kernel", [INPUT + UNITS, 4 * UNITS]]] + [
        [LN + gate + "/" + p, [UNITS]] for gate in ("input", "transform", "forget", "output", "state")
        for p in ("gamma", "beta")]
    new_c, new_h = ln_lstm_reference(step, norm=True, forget_bias=0.5)
    assert_close(step.state.c, new_c)
    assert_close(step.output, new_h)


def test_layer_norm_basic_lstm_without_norm_has_a_bias_instead(steps):
    step = steps["ln_lstm_no_norm"]
    assert step.shapes == [[LN + "kernel", [INPUT + UNITS, 4 * UNITS]], [LN + "bias", [4 * UNITS]]]
    new_c, new_h = ln_lstm_reference(step, norm=False, forget_bias=1.0)
    assert_close(step.state.c, new_c)
    assert_close(step.state.h, new_h)


def test_glstm_groups_see_only_their_slices(steps):
    step = steps["glstm"]
    v = step.variables
    assert step.cell.state_size == (UNITS, 2) and step.cell.output_size == 2
    assert step.shapes == [["glstm_cell/group0/kernel", [3, 8]], ["glstm_cell/group1/kernel", [3, 8]]] + [
        ["glstm_cell/bias_" + g, [UNITS]] for g in "ijfo"] + [["glstm_cell/projection/kernel", [UNITS, 2]]]
    c, m = step.state_in
    parts = [np.split(np.concatenate([step.x[:, 2 * g:2 * g + 2], m[:, g:g + 1]], axis=1).dot(
        v["glstm_cell/group%d/kernel" % g]), 4, axis=1) for g in range(2)]
    i, j, f, o = [np.concatenate([parts[0][k], parts[1][k]], axis=1) + v["glstm_cell/bias_" + "ijfo"[k]]
                  for k in range(4)]
    new_c = sigmoid(f + 0.5) * c + sigmoid(i) * np.tanh(j)
    new_m = (sigmoid(o) * np.tanh(new_c)).dot(v["glstm_cell/projection/kernel"])
    assert_close(step.state.c, new_c)
    assert_close(step.output, new_m)


def test_nas_cell(steps):
    step = steps["nas"]
    v = step.variables
    assert step.cell.state_size == (UNITS, 3) and step.cell.output_size == 3
    assert step.shapes == [["nas_cell/recurrent_kernel", [3, 8 * UNITS]], ["nas_cell/kernel", [INPUT, 8 * UNITS]],
                           ["nas_cell/bias", [8 * UNITS]], ["nas_cell/projection_weights", [UNITS, 3]]]
    c, m = step.state_in
    mm = np.split(m.dot(v["nas_cell/recurrent_kernel"]) + v["nas_cell/bias"], 8, axis=1)
    xx = np.split(step.x.dot(v["nas_cell/kernel"]), 8, axis=1)
    relu = lambda a: np.maximum(a, 0)  # noqa: E731
    l1 = [sigmoid(xx[0] + mm[0]), relu(xx[1] + mm[1]), sigmoid(xx[2] + mm[2]), relu(xx[3] * mm[3]),
          np.tanh(xx[4] + mm[4]), sigmoid(xx[5] + mm[5]), np.tanh(xx[6] + mm[6]), sigmoid(xx[7] + mm[7])]
    l2_0 = np.tanh(np.tanh(l1[0] * l1[1]) + c)
    new_c = l2_0 * np.tanh(l1[2] + l1[3])
    new_m = np.tanh(new_c * np.tanh(np.tanh(l1[4] * l1[5]) + sigmoid(l1[6] + l1[7])))
    assert_close(step.state.c, new_c)
    assert_close(step.output, new_m.dot(v["nas_cell/projection_weights"]))


def test_constructor_errors_are_tf115s():
    with pytest.raises(ValueError, match="num_units must be divisible by number_of_groups"):
        rnn.GLSTMCell(5, number_of_groups=2)
    with pytest.raises(ValueError, match="num_proj must be divisible by number_of_groups"):
        rnn.GLSTMCell(4, num_proj=3, number_of_groups=2)


# --- LayerNormBasicLSTMCell's recurrent dropout ---------------------------------------------------

class DropoutGraph(object):
    """Without layer norm, new_c = c * sigmoid(f + 1) + sigmoid(i) * dropout(tanh(j)): the dropped
    candidate can be read back from a step's result and its gates."""

    def __init__(self):
        self.graph = tf.Graph()
        with self.graph.as_default():
            rng = np.random.RandomState(1)
            x = tf.constant(rng.randn(8, INPUT).astype(np.float32))
            self.state = rnn.LSTMStateTuple(*[tf.constant(rng.randn(8, UNITS).astype(np.float32))
                                              for _ in range(2)])
            self.keep = tf.placeholder(tf.float32, [])
            self.new_c, self.random_ops = {}, {}
            for name, keep_prob in (("tensor", self.keep), ("float_one", 1.0), ("int_one", 1)):
                with tf.variable_scope(name):
                    cell = rnn.LayerNormBasicLSTMCell(UNITS, layer_norm=False, dropout_keep_prob=keep_prob,
                                                      dropout_prob_seed=5)
                    self.new_c[name] = cell(x, self.state)[1].c
                self.random_ops[name] = [op.name for op in self.graph.get_operations()
                                         if op.type == "RandomUniform" and op.name.startswith(name + "/")
                                         and "Initializer" not in op.name]
            kernel, bias = tf.trainable_variables("tensor")
            self.gates = tf.matmul(tf.concat([x, self.state.h], 1), kernel) + bias
            self.variables = tf.global_variables()
            self.init = tf.global_variables_initializer()


@pytest.fixture(scope="module")
def dropout():
    built = DropoutGraph()
    with tf.Session(graph=built.graph) as session:
        session.run(built.init)
        built.session = session
        yield built


def test_dropout_draws_only_for_a_tensor_or_a_keep_prob_below_one(dropout):
    assert dropout.random_ops["float_one"] == []
    assert dropout.random_ops["int_one"] == []  # the cell calls dropout, which returns its input at rate 0
    assert len(dropout.random_ops["tensor"]) == 1
    same = dropout.session.run([dropout.new_c[name] for name in ("float_one", "int_one")])
    assert same[0].shape == same[1].shape == (8, UNITS)


def test_dropout_masks_the_candidate_with_inverted_scaling(dropout):
    c, gates, new_c = dropout.session.run([dropout.state.c, dropout.gates, dropout.new_c["tensor"]],
                                          {dropout.keep: 0.5})
    i, j, f, _ = np.split(gates, 4, axis=1)
    dropped = (new_c - c * sigmoid(f + 1.0)) / sigmoid(i)
    kept = np.isclose(dropped, np.tanh(j) / 0.5, rtol=1e-4, atol=1e-5)
    zeroed = np.isclose(dropped, 0.0, atol=1e-5)
    assert np.all(kept | zeroed)
    assert 0 < kept.sum() < kept.size  # some dropped, some kept (32 draws at keep 0.5)
    full = dropout.session.run(dropout.new_c["tensor"], {dropout.keep: 1.0})
    assert_close(full, c * sigmoid(f + 1.0) + sigmoid(i) * np.tanh(j))


def test_dropout_with_a_seed_repeats_its_sequence_in_every_session(dropout):
    values = dropout.session.run(dropout.variables)
    runs = []
    for _ in range(2):
        with tf.Session(graph=dropout.graph) as session:
            for variable, value in zip(dropout.variables, values):
                variable.load(value, session)
            runs.append([session.run(dropout.new_c["tensor"], {dropout.keep: 0.5}) for _ in range(2)])
    assert not np.allclose(runs[0][0], runs[0][1])  # the seeded op draws a new mask every run...
    assert_close(runs[1][0], runs[0][0])  # ...the same sequence in every session
    assert_close(runs[1][1], runs[0][1])
