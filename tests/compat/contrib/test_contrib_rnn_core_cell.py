"""tf.contrib.rnn's EmbeddingWrapper, InputProjectionWrapper, OutputProjectionWrapper.

TF 1.15's math (numpy references from the variables' values), variable names and checks.
"""

import numpy as np
import pytest

from conftest import tf

rnn = tf.contrib.rnn
BATCH, INPUT, UNITS = 2, 3, 4

pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def variables_by_name(session):
    return {v.op.name: session.run(v) for v in tf.global_variables()}


def np_basic_rnn(x, h, kernel, bias):
    return np.tanh(np.concatenate([x, h], axis=1) @ kernel + bias)


@pytest.fixture(scope="module")
def projected():
    """One graph: Output(Input(BasicRNNCell)) for one step, with activations, evaluated once."""
    graph = tf.Graph()
    with graph.as_default():
        rng = np.random.RandomState(0)
        x = rng.randn(BATCH, INPUT).astype(np.float32)
        h = rng.randn(BATCH, UNITS).astype(np.float32)
        cell = rnn.OutputProjectionWrapper(rnn.InputProjectionWrapper(rnn.BasicRNNCell(UNITS), 5, activation=tf.tanh),
                                           2, activation=tf.sigmoid)
        output, state = cell(tf.constant(x), tf.constant(h))
        zero = cell.zero_state(BATCH, tf.float32)
        with tf.Session(graph=graph) as session:
            session.run(tf.global_variables_initializer())
            values = variables_by_name(session)
            result = session.run({"output": output, "state": state, "zero": zero})
        yield dict(result, x=x, h=h, variables=values, cell=cell, zero_tensor=zero, graph=graph)


def test_projection_variable_names_and_shapes(projected):
    shapes = {name: list(value.shape) for name, value in projected["variables"].items()}
    assert shapes == {
        "output_projection_wrapper/input_projection_wrapper/kernel": [INPUT, 5],
        "output_projection_wrapper/input_projection_wrapper/bias": [5],
        "output_projection_wrapper/input_projection_wrapper/basic_rnn_cell/kernel": [5 + UNITS, UNITS],
        "output_projection_wrapper/input_projection_wrapper/basic_rnn_cell/bias": [UNITS],
        "output_projection_wrapper/kernel": [UNITS, 2],
        "output_projection_wrapper/bias": [2],
    }


def test_projections_match_numpy(projected):
    v = projected["variables"]
    inner = "output_projection_wrapper/input_projection_wrapper/"
    x_projected = np.tanh(projected["x"] @ v[inner + "kernel"] + v[inner + "bias"])
    new_h = np_basic_rnn(x_projected, projected["h"], v[inner + "basic_rnn_cell/kernel"],
                         v[inner + "basic_rnn_cell/bias"])
    logits = new_h @ v["output_projection_wrapper/kernel"] + v["output_projection_wrapper/bias"]
    np.testing.assert_allclose(projected["state"], new_h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(projected["output"], 1 / (1 + np.exp(-logits)), rtol=1e-5, atol=1e-6)


def test_sizes_and_zero_state(projected):
    cell = projected["cell"]
    assert (cell.output_size, cell.state_size) == (2, UNITS)
    np.testing.assert_array_equal(projected["zero"], np.zeros([BATCH, UNITS], np.float32))
    assert projected["zero_tensor"].name.startswith("OutputProjectionWrapperZeroState/InputProjectionWrapperZeroState/")


def test_bias_starts_at_zero(projected):
    np.testing.assert_array_equal(projected["variables"]["output_projection_wrapper/bias"], [0.0, 0.0])


def test_embedding_wrapper_looks_up_then_runs_the_cell(session):
    symbols = np.array([[4], [1]], np.int32)  # [batch, 1]: the wrapper flattens it
    h = np.full([BATCH, UNITS], 0.25, np.float32)
    cell = rnn.EmbeddingWrapper(rnn.BasicRNNCell(UNITS), embedding_classes=6, embedding_size=3)
    output, state = cell(tf.constant(symbols), tf.constant(h))
    session.run(tf.global_variables_initializer())
    v = variables_by_name(session)
    assert sorted(v) == ["embedding_wrapper/basic_rnn_cell/bias", "embedding_wrapper/basic_rnn_cell/kernel",
                         "embedding_wrapper/embedding"]
    embedding = v["embedding_wrapper/embedding"]
    assert embedding.shape == (6, 3)
    limit = np.sqrt(3)  # default initializer: uniform on +-sqrt(3), variance 1
    assert np.all(np.abs(embedding) <= limit) and np.abs(embedding).max() > 1.0
    expected = np_basic_rnn(embedding[symbols[:, 0]], h, v["embedding_wrapper/basic_rnn_cell/kernel"],
                            v["embedding_wrapper/basic_rnn_cell/bias"])
    out, new_state = session.run([output, state])
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(new_state, expected, rtol=1e-5, atol=1e-6)


def test_embedding_initializer_argument_then_scope_initializer(session):
    with tf.variable_scope("given"):
        cell = rnn.EmbeddingWrapper(rnn.GRUCell(2), 3, 2, initializer=tf.constant_initializer(0.5))
        cell(tf.constant([0, 1]), tf.zeros([2, 2]))
    with tf.variable_scope("from_scope", initializer=tf.constant_initializer(-2.0)):
        cell = rnn.EmbeddingWrapper(rnn.GRUCell(2), 3, 2)
        cell(tf.constant([0, 1]), tf.zeros([2, 2]))
    session.run(tf.global_variables_initializer())
    v = variables_by_name(session)
    np.testing.assert_array_equal(v["given/embedding_wrapper/embedding"], np.full([3, 2], 0.5))
    np.testing.assert_array_equal(v["from_scope/embedding_wrapper/embedding"], np.full([3, 2], -2.0))


def test_embedding_dtype_follows_a_tuple_state(graph):
    cell = rnn.EmbeddingWrapper(rnn.BasicLSTMCell(2), 3, 2)
    state = rnn.LSTMStateTuple(tf.zeros([2, 2], tf.float64), tf.zeros([2, 2], tf.float64))
    output, _ = cell(tf.constant([0, 2]), state)
    assert output.dtype == tf.float64
    assert [v.dtype.base_dtype for v in tf.global_variables()][0] == tf.float64


@pytest.mark.parametrize("make, message", [
    (lambda: rnn.OutputProjectionWrapper(rnn.GRUCell(2), 0), "Parameter output_size must be > 0: 0."),
    (lambda: rnn.EmbeddingWrapper(rnn.GRUCell(2), 0, 3), "Both embedding_classes and embedding_size must be > 0"),
    (lambda: rnn.EmbeddingWrapper(rnn.GRUCell(2), 3, -1), "Both embedding_classes and embedding_size must be > 0"),
])
def test_bad_sizes_are_value_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("wrapper", [lambda c: rnn.OutputProjectionWrapper(c, 2),
                                     lambda c: rnn.InputProjectionWrapper(c, 2),
                                     lambda c: rnn.EmbeddingWrapper(c, 2, 2)])
def test_wrapping_a_non_cell_is_a_type_error(wrapper):
    with pytest.raises(TypeError, match="is not an RNNCell"):
        wrapper("not a cell")


def test_static_rnn_reuses_the_wrapper_variables(graph):
    cell = rnn.OutputProjectionWrapper(rnn.GRUCell(UNITS), 3)
    outputs, _ = tf.nn.static_rnn(cell, [tf.ones([BATCH, INPUT])] * 3, dtype=tf.float32)
    assert [o.shape.as_list() for o in outputs] == [[BATCH, 3]] * 3
    names = [v.op.name for v in tf.global_variables()]
    assert names == ["rnn/output_projection_wrapper/gru_cell/gates/kernel",
                     "rnn/output_projection_wrapper/gru_cell/gates/bias",
                     "rnn/output_projection_wrapper/gru_cell/candidate/kernel",
                     "rnn/output_projection_wrapper/gru_cell/candidate/bias",
                     "rnn/output_projection_wrapper/kernel", "rnn/output_projection_wrapper/bias"]
