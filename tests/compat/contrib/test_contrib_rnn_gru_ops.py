"""tf.contrib.rnn.GRUBlockCell / GRUBlockCellV2: TF 1.15's variable names, GRUCell's math, and
the gradient compat registers on TF 2.x (checked against TensorFlow's autodiff of GRUCell)."""

import numpy as np
import pytest

import contrib_rnn_cell_steps as cell_steps
from conftest import tf
from contrib_rnn_cell_steps import sigmoid

BATCH, STEPS, INPUT, UNITS = 2, 4, 3, 5

pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def step_inputs(seed=0):
    return cell_steps.step_inputs(STEPS, BATCH, INPUT, seed)


def np_gru(xs, gate_kernel, gate_bias, candidate_kernel, candidate_bias):
    """GRUCell's equations: r, u from [x, h]; candidate from [x, r * h]; h = u h + (1 - u) c."""
    h = np.zeros((BATCH, gate_bias.shape[0] // 2), np.float32)
    for x in xs:
        r, u = np.split(sigmoid(np.concatenate([x, h], axis=1).dot(gate_kernel) + gate_bias), 2, axis=1)
        c = np.tanh(np.concatenate([x, r * h], axis=1).dot(candidate_kernel) + candidate_bias)
        h = u * h + (1 - u) * c
    return h


def variables():
    return [(v.op.name, v.shape.as_list()) for v in tf.global_variables()]


@pytest.mark.parametrize("cell_class, names", [
    ("GRUBlockCell", ["w_ru", "b_ru", "w_c", "b_c"]),
    ("GRUBlockCellV2", ["gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"]),
])
def test_variable_names_and_initial_biases(session, cell_class, names):
    cell = getattr(tf.contrib.rnn, cell_class)(UNITS)
    assert cell.state_size == cell.output_size == UNITS
    outputs, state = tf.nn.static_rnn(cell, [tf.constant(x) for x in step_inputs()], dtype=tf.float32)
    assert variables() == [("rnn/gru_cell/" + names[0], [INPUT + UNITS, 2 * UNITS]),
                           ("rnn/gru_cell/" + names[1], [2 * UNITS]),
                           ("rnn/gru_cell/" + names[2], [INPUT + UNITS, UNITS]),
                           ("rnn/gru_cell/" + names[3], [UNITS])]
    assert state.shape.as_list() == [BATCH, UNITS]
    assert [op.type for op in tf.get_default_graph().get_operations()].count("GRUBlockCell") == STEPS
    session.run(tf.global_variables_initializer())
    gate_bias, candidate_bias = session.run([tf.global_variables()[1], tf.global_variables()[3]])
    np.testing.assert_array_equal(gate_bias, 1.0)
    np.testing.assert_array_equal(candidate_bias, 0.0)


@pytest.fixture(scope="module")
def v2_and_gru_cell():
    """GRUBlockCellV2 and GRUCell on the same random weights, with gradients of the same loss."""
    graph = tf.Graph()
    with graph.as_default():
        xs = [tf.constant(x) for x in step_inputs(1)]
        block_out, block_state = tf.nn.static_rnn(tf.contrib.rnn.GRUBlockCellV2(UNITS), xs, dtype=tf.float32,
                                                  scope="block")
        ref_out, ref_state = tf.nn.static_rnn(tf.contrib.rnn.GRUCell(UNITS), xs, dtype=tf.float32, scope="ref")
        block_vars = [v for v in tf.global_variables() if v.op.name.startswith("block/")]
        ref_vars = [v for v in tf.global_variables() if v.op.name.startswith("ref/")]
        assert [v.op.name[len("block/"):] for v in block_vars] == [v.op.name[len("ref/"):] for v in ref_vars]

        def gradients(outputs, variables):
            loss = tf.reduce_sum(tf.square(outputs[-1] - 0.4)) + tf.reduce_sum(outputs[1])
            return tf.gradients(loss, variables + xs)

        block_grads, ref_grads = gradients(block_out, block_vars), gradients(ref_out, ref_vars)
        rng = np.random.RandomState(5)
        session = tf.Session(graph=graph)
        values = [0.7 * rng.randn(*v.shape.as_list()).astype(np.float32) for v in block_vars]
        session.run([v.assign(value) for v, value in zip(block_vars + ref_vars, values + values)])
        yield dict(session=session, values=values, xs=step_inputs(1), block=(block_state, block_grads),
                   ref=(ref_state, ref_grads))
        session.close()


def test_v2_equals_numpy_and_gru_cell(v2_and_gru_cell):
    f = v2_and_gru_cell
    block_state, ref_state = f["session"].run([f["block"][0], f["ref"][0]])
    gate_kernel, gate_bias, candidate_kernel, candidate_bias = f["values"]
    expected = np_gru(f["xs"], gate_kernel, gate_bias, candidate_kernel, candidate_bias)
    np.testing.assert_allclose(block_state, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ref_state, expected, rtol=1e-5, atol=1e-6)


def test_gradients_equal_gru_cell_autodiff(v2_and_gru_cell):
    f = v2_and_gru_cell
    got, expected = f["session"].run([f["block"][1], f["ref"][1]])
    names = ["gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias"] + ["x%d" % t for t in range(STEPS)]
    for name, g, e in zip(names, got, expected):
        assert np.abs(e).max() > 1e-3, name
        np.testing.assert_allclose(g, e, rtol=1e-4, atol=1e-5, err_msg=name)


def test_v1_cell_trains_and_keeps_its_arguments(graph):
    with pytest.raises(ValueError, match="Exactly one of num_units or cell_size"):
        tf.contrib.rnn.GRUBlockCell()
    with pytest.raises(ValueError, match="Exactly one of num_units or cell_size"):
        tf.contrib.rnn.GRUBlockCell(UNITS, cell_size=UNITS)
    cell = tf.contrib.rnn.GRUBlockCell(cell_size=UNITS)  # TF 1.x's deprecated name still works
    outputs, _ = tf.nn.dynamic_rnn(cell, tf.constant(np.stack(step_inputs(2), axis=1)), dtype=tf.float32)
    loss = tf.reduce_mean(tf.square(outputs - 0.25))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session(graph=graph) as session:
        session.run(tf.global_variables_initializer())
        losses = [session.run([loss, train])[0] for _ in range(10)]
    assert losses[-1] < 0.7 * losses[0], losses
