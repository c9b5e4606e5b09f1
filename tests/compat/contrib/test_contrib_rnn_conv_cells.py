"""tf.contrib.rnn's ConvLSTMCell and Conv1D/2D/3DLSTMCell: TF 1.15's variable names, sizes and
maths (numpy "SAME" convolution from the cell's equations, on the cell's own weights)."""

import itertools

import numpy as np
import pytest

from conftest import tf

BATCH = 2

pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def np_conv_same(x, kernel):
    """Stride-1 "SAME" cross-correlation of x [batch, spatial..., in] with kernel [k..., in, out]."""
    sizes = kernel.shape[:-2]
    pads = [(0, 0)] + [((k - 1) // 2, k - 1 - (k - 1) // 2) for k in sizes] + [(0, 0)]
    padded = np.pad(x, pads, "constant")
    out = np.zeros(x.shape[:-1] + kernel.shape[-1:], np.float64)
    for offset in itertools.product(*[range(k) for k in sizes]):
        window = padded[(slice(None),) + tuple(slice(o, o + n) for o, n in zip(offset, x.shape[1:-1]))]
        out += np.tensordot(window, kernel[offset], axes=([-1], [0]))
    return out


def np_conv_lstm_step(x, c, h, kernel, bias, forget_bias):
    gates = np_conv_same(np.concatenate([x, h], axis=-1), kernel) + (0 if bias is None else bias)
    i, j, f, o = np.split(gates, 4, axis=-1)
    new_c = sigmoid(f + forget_bias) * c + sigmoid(i) * np.tanh(j)
    return np.tanh(new_c) * sigmoid(o), new_c


@pytest.mark.parametrize("cell_class, spatial, kernel_shape, default_name", [
    ("Conv1DLSTMCell", [5], [3], "conv_1d_lstm_cell"),
    ("Conv2DLSTMCell", [3, 4], [2, 3], "conv_2d_lstm_cell"),
    ("Conv3DLSTMCell", [2, 3, 2], [1, 2, 2], "conv_3d_lstm_cell"),
])
def test_conv_lstm_cells_match_numpy_over_two_steps(session, cell_class, spatial, kernel_shape, default_name):
    rng = np.random.RandomState(len(spatial))
    xs = [rng.randn(BATCH, *(spatial + [2])).astype(np.float32) for _ in range(2)]
    cell = getattr(tf.contrib.rnn, cell_class)(input_shape=spatial + [2], output_channels=3,
                                               kernel_shape=kernel_shape, forget_bias=0.5)
    assert cell.output_size.as_list() == spatial + [3]
    assert [s.as_list() for s in cell.state_size] == [spatial + [3]] * 2
    outputs, state = tf.contrib.rnn.static_rnn(cell, [tf.constant(x) for x in xs], dtype=tf.float32)
    assert [(v.op.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("rnn/%s/kernel" % default_name, kernel_shape + [2 + 3, 4 * 3]), ("rnn/%s/biases" % default_name, [12])]
    session.run(tf.global_variables_initializer())
    kernel, bias = session.run(tf.global_variables())
    h = c = np.zeros([BATCH] + spatial + [3])
    expected = []
    for x in xs:
        h, c = np_conv_lstm_step(x, c, h, kernel, bias, 0.5)
        expected.append(h)
    got_outputs, got_state = session.run([outputs, state])
    np.testing.assert_allclose(np.stack(got_outputs), np.stack(expected), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_state.c, c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_state.h, h, rtol=1e-5, atol=1e-6)


def test_conv_lstm_without_bias_with_skip_connection(session):
    """No `biases` variable; the output (and, as in TF 1.15, the state's h) carries the input."""
    rng = np.random.RandomState(5)
    x, c, h = (rng.randn(BATCH, 3, 3, n).astype(np.float32) for n in (2, 4, 4))
    cell = tf.contrib.rnn.ConvLSTMCell(conv_ndims=2, input_shape=[3, 3, 2], output_channels=4, kernel_shape=[1, 1],
                                       use_bias=False, skip_connection=True, name="skip")
    assert cell.output_size.as_list() == [3, 3, 6] and cell.state_size.h.as_list() == [3, 3, 4]
    output, state = cell(tf.constant(x), tf.nn.rnn_cell.LSTMStateTuple(tf.constant(c), tf.constant(h)))
    assert [v.op.name for v in tf.global_variables()] == ["skip/kernel"]
    session.run(tf.global_variables_initializer())
    kernel = session.run(tf.global_variables()[0])
    expected_h, expected_c = np_conv_lstm_step(x, c, h, kernel, None, 1.0)
    got_output, got_state = session.run([output, state])
    np.testing.assert_allclose(got_output, np.concatenate([expected_h, x], axis=-1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_state.c, expected_c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_state.h, got_output)


def test_conv_lstm_fed_state_and_unknown_dims(session):
    """The TF 1.x pattern: a placeholder with unknown batch and length, zero_state from its
    dynamic batch size, the c state fed by tensor name."""
    rng = np.random.RandomState(6)
    x_value, c_value = rng.randn(BATCH, 4, 1).astype(np.float32), rng.randn(BATCH, 4, 2).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, None, 1])
    cell = tf.contrib.rnn.Conv1DLSTMCell(input_shape=[4, 1], kernel_shape=[3], output_channels=2)
    hidden = cell.zero_state(tf.shape(x)[0], tf.float32)
    output, state = cell(x, hidden)
    session.run(tf.global_variables_initializer())
    kernel, bias = session.run(tf.global_variables())
    got_output, got_c = session.run([output, state.c], {x.name: x_value, hidden[0].name: c_value})
    expected_h, expected_c = np_conv_lstm_step(x_value, c_value, np.zeros_like(c_value), kernel, bias, 1.0)
    np.testing.assert_allclose(got_output, expected_h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_c, expected_c, rtol=1e-5, atol=1e-6)


def test_conv_lstm_shape_dimensions_as_arguments_under_dynamic_rnn(session):
    """Scripts pass static shape entries (TF 1.x Dimension objects) as input_shape and
    output_channels, and run the cell with dynamic_rnn over [batch, time, h, w, c]."""
    frames = tf.constant(np.random.RandomState(7).rand(1, 3, 4, 4, 2).astype(np.float32))
    cell = tf.contrib.rnn.ConvLSTMCell(conv_ndims=2, input_shape=[frames.shape[2], frames.shape[3], frames.shape[4]],
                                       output_channels=frames.shape[-1], kernel_shape=[2, 2], initializers=None,
                                       name="conv_lstm_cell1")
    outputs, state = tf.nn.dynamic_rnn(cell, frames, dtype=frames.dtype)
    assert outputs.shape.as_list() == [1, 3, 4, 4, 2]
    assert [(v.op.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("rnn/conv_lstm_cell1/kernel", [2, 2, 4, 8]), ("rnn/conv_lstm_cell1/biases", [8])]
    session.run(tf.global_variables_initializer())
    got_outputs, got_state = session.run([outputs, state])
    np.testing.assert_allclose(got_outputs[:, -1], got_state.h)
    assert np.all(np.abs(got_outputs) < 1) and np.std(got_outputs) > 1e-3


def test_named_conv_lstm_cells_under_successive_dynamic_rnns(session):
    """MSCRED's pattern (7fantasysz/MSCRED code/MSCRED_TF.py): one named ConvLSTMCell per scale,
    each run by its own dynamic_rnn in the root scope, so all share the variable scope `rnn`;
    state[0] is the cell state c."""
    states = []
    for level, size in ((1, 4), (2, 2)):
        frames = tf.constant(np.random.RandomState(level).rand(1, 3, size, size, level).astype(np.float32))
        cell = tf.contrib.rnn.ConvLSTMCell(conv_ndims=2, input_shape=[size, size, level], output_channels=level,
                                           kernel_shape=[2, 2], use_bias=True, skip_connection=False,
                                           forget_bias=1.0, initializers=None, name="conv%d_lstm_cell" % level)
        outputs, state = tf.nn.dynamic_rnn(cell, frames, time_major=False, dtype=frames.dtype)
        states.append((outputs, state[0], state))
    assert [v.op.name for v in tf.global_variables()] == [
        "rnn/conv1_lstm_cell/kernel", "rnn/conv1_lstm_cell/biases",
        "rnn/conv2_lstm_cell/kernel", "rnn/conv2_lstm_cell/biases"]
    session.run(tf.global_variables_initializer())
    for outputs, c, state in session.run(states):
        np.testing.assert_array_equal(c, state.c)
        np.testing.assert_allclose(outputs[:, -1], state.h)


def test_conv_lstm_rejects_input_shape_of_the_wrong_rank():
    with pytest.raises(ValueError, match=r"Invalid input_shape \[4, 4, 2\] for conv_ndims=1"):
        tf.contrib.rnn.ConvLSTMCell(conv_ndims=1, input_shape=[4, 4, 2], output_channels=2, kernel_shape=[3])
