"""tf.contrib.rnn's HighwayWrapper, AttentionCellWrapper and CompiledWrapper: one step against numpy
on the cells' own (randomised) weights, sizes, variable names as TF 1.15 creates them, XLA marks;
and the names of the whole first half of contrib's own cells where TF 1.15 keeps them."""

import importlib

import numpy as np
import pytest

import compat.v1 as tf
from conftest import TF1
from contrib_rnn_cell_steps import BATCH, INPUT, assert_close, linear, run_steps, sigmoid

rnn = tf.contrib.rnn

# tf_keras's copies of the TF 1.x cells warn that they are deprecated (TF 1.15 only logged it).
pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")

BUILDERS = {
    "highway": lambda: rnn.HighwayWrapper(rnn.BasicRNNCell(INPUT), carry_bias_init=0.5),
    "highway_uncoupled": lambda: rnn.HighwayWrapper(rnn.BasicRNNCell(INPUT), couple_carry_transform_gates=False),
    "attention": lambda: rnn.AttentionCellWrapper(rnn.BasicRNNCell(3), attn_length=2, attn_vec_size=5),
    "compiled": lambda: rnn.CompiledWrapper(rnn.BasicRNNCell(3)),
}


@pytest.fixture(scope="module")
def steps():
    return run_steps(BUILDERS)


def basic_rnn(v, scope, x, h):
    return np.tanh(linear(v, scope, x, h))


@pytest.mark.parametrize("name", ["highway", "highway_uncoupled"])
def test_highway_mixes_inputs_into_outputs(steps, name):
    step = steps[name]
    v = step.variables
    assert step.cell.state_size == INPUT and step.cell.output_size == INPUT
    # The highway weights live in the scope the wrapper is called in, beside the cell's own.
    names = [n for n, _ in step.shapes]
    expected = ["basic_rnn_cell/kernel", "basic_rnn_cell/bias", "carry_w", "carry_b"]
    assert names == expected + (["transform_w", "transform_b"] if name == "highway_uncoupled" else [])
    out = basic_rnn(v, "basic_rnn_cell", step.x, step.state_in)
    carry = sigmoid(step.x.dot(v["carry_w"]) + v["carry_b"])
    if name == "highway":
        transform = 1 - carry
    else:
        transform = sigmoid(step.x.dot(v["transform_w"]) + v["transform_b"])
    assert_close(step.output, step.x * carry + out * transform)
    assert_close(step.state, out)


def test_highway_initial_biases_and_zero_state():
    with tf.Graph().as_default():
        cell = rnn.HighwayWrapper(rnn.GRUCell(2), couple_carry_transform_gates=False, carry_bias_init=0.7)
        zero = cell.zero_state(BATCH, tf.float32)
        cell(tf.zeros([BATCH, 2]), zero)
        variables = {v.op.name: v for v in tf.global_variables()}
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            carry_b, transform_b = session.run([variables["carry_b"], variables["transform_b"]])
    assert zero.name.startswith("HighwayWrapperZeroState/")
    assert_close(carry_b, [0.7, 0.7])
    assert_close(transform_b, [-0.7, -0.7])


def test_attention_wrapper(steps):
    step = steps["attention"]
    v = {name[len("attention_cell_wrapper/"):]: value for name, value in step.variables.items()}
    length, size, vec = 2, 3, 5
    assert step.cell.state_size == (size, size, size * length) and step.cell.output_size == size
    assert [[n[len("attention_cell_wrapper/"):], s] for n, s in step.shapes] == [
        ["kernel", [INPUT + size, INPUT]], ["bias", [INPUT]],
        ["basic_rnn_cell/kernel", [INPUT + size, size]], ["basic_rnn_cell/bias", [size]],
        ["attention/attn_w", [1, 1, size, vec]], ["attention/attn_v", [vec]],
        ["attention/kernel", [size, vec]], ["attention/bias", [vec]],
        ["attn_output_projection/kernel", [2 * size, size]], ["attn_output_projection/bias", [size]]]
    cell_state, attns, attn_states = step.state_in
    window = attn_states.reshape(BATCH, length, size)
    x = linear(v, "", step.x, attns)
    cell_out = basic_rnn(v, "basic_rnn_cell", x, cell_state)
    features = window.dot(v["attention/attn_w"][0, 0])  # a 1x1 convolution
    query = linear(v, "attention", cell_out)
    scores = (v["attention/attn_v"] * np.tanh(features + query[:, None, :])).sum(axis=2)
    weights = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    new_attns = (weights[:, :, None] * window).sum(axis=1)
    output = linear(v, "attn_output_projection", cell_out, new_attns)
    assert_close(step.output, output)
    assert_close(step.state[0], cell_out)
    assert_close(step.state[1], new_attns)
    assert_close(step.state[2], np.concatenate([window[:, 1:], output[:, None]], axis=1).reshape(BATCH, -1))


def test_attention_wrapper_argument_errors():
    with pytest.raises(TypeError, match="is not an RNNCell"):
        rnn.AttentionCellWrapper(object(), attn_length=2)
    with pytest.raises(ValueError, match="attn_length should be greater than zero"):
        rnn.AttentionCellWrapper(rnn.GRUCell(2), attn_length=0)
    with pytest.raises(ValueError, match="state_is_tuple is not set"):
        rnn.AttentionCellWrapper(rnn.BasicLSTMCell(2), attn_length=2, state_is_tuple=False)
    assert rnn.AttentionCellWrapper(rnn.GRUCell(2), attn_length=3, state_is_tuple=False).state_size == 2 + 2 + 6


def test_compiled_wrapper_computes_the_wrapped_step(steps):
    step = steps["compiled"]
    assert [n for n, _ in step.shapes] == ["basic_rnn_cell/kernel", "basic_rnn_cell/bias"]
    assert_close(step.output, basic_rnn(step.variables, "basic_rnn_cell", step.x, step.state_in))


@pytest.mark.parametrize("compile_stateful", [False, True])
def test_compiled_wrapper_marks_the_step_for_xla(compile_stateful):
    with tf.Graph().as_default() as graph:
        cell = rnn.CompiledWrapper(rnn.BasicRNNCell(2), compile_stateful=compile_stateful)
        cell(tf.zeros([1, 2]), cell.zero_state(1, tf.float32))
        marks = {op.type: op.get_attr("_XlaCompile") for op in graph.get_operations()
                 if "_XlaCompile" in op.node_def.attr}
    assert marks["MatMul"] is True and marks["Tanh"] is True
    assert marks["RandomUniform"] is compile_stateful  # the kernel's initializer: stateful


OWN_CELLS = ["AttentionCellWrapper", "CompiledWrapper", "CoupledInputForgetGateLSTMCell", "GLSTMCell",
             "HighwayWrapper", "IndRNNCell", "IndyGRUCell", "IndyLSTMCell", "IntersectionRNNCell",
             "LayerNormBasicLSTMCell", "NASCell", "SRUCell", "UGRNNCell"]


def test_cells_live_where_tf115_keeps_them():
    """tf.contrib.rnn.<name> is the object of the rnn_cell module (TF 1.15: ...python.ops.rnn_cell)."""
    module = importlib.import_module("tensorflow.contrib.rnn.python.ops.rnn_cell" if TF1
                                     else "compat.contrib.rnn.rnn_cell")
    for name in OWN_CELLS:
        assert getattr(rnn, name) is getattr(module, name), name
        assert name in dir(rnn)


def test_old_script_pattern_cell_called_directly_with_a_constant_initializer():
    """The pattern of a public script (slowbreathing/Deep-Breathe tfwordslstmsingle.py): the cell
    called on tensors that are then fed by name, in a scope whose initializer sets every weight."""
    with tf.Graph().as_default():
        with tf.Session() as session:
            with tf.variable_scope("other", initializer=tf.constant_initializer(0.5)):
                x, c, h = tf.zeros([1, 3]), tf.zeros([1, 2]), tf.zeros([1, 2])
                cell = rnn.LayerNormBasicLSTMCell(2, layer_norm=False)
                output, state = cell(x, (c, h))
                session.run([tf.global_variables_initializer()])
                feed = {x.name: np.array([[1., 1., 1.]]), c.name: 0.1 * np.asarray([[0, 1]]),
                        h.name: 0.1 * np.asarray([[2, 3]])}
                result = session.run([output, state], feed)
            names = [v.op.name for v in tf.global_variables()]
    assert names == ["other/layer_norm_basic_lstm_cell/kernel", "other/layer_norm_basic_lstm_cell/bias"]
    gate = 0.5 * (3 + 0.2 + 0.3) + 0.5  # every weight and bias is 0.5: all four gates are equal
    new_c = np.array([0.0, 0.1]) * sigmoid(gate + 1.0) + sigmoid(gate) * np.tanh(gate)
    assert_close(result[1].c, [new_c])
    assert_close(result[1].h, [np.tanh(new_c) * sigmoid(gate)])
    assert_close(result[0], result[1].h)
