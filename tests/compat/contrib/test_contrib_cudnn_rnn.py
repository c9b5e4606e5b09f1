"""tf.contrib.cudnn_rnn on a CPU, as TF 1.15 behaves there: the cuDNN-compatible cells compute
(numpy reference; TF 1.15's goldens in tests/parity_cases/cudnn_rnn.py), the cuDNN layers,
savers and converters build and fail when run (on TF 2.x with a message naming the GPU)."""

import numpy as np
import pytest

from conftest import TF1, tf

cudnn = tf.contrib.cudnn_rnn


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_cudnn_compatible_gru_cell_math(session):
    x_value = np.random.RandomState(0).randn(2, 3).astype(np.float32)
    h_value = np.random.RandomState(1).randn(2, 4).astype(np.float32)
    cell = cudnn.CudnnCompatibleGRUCell(4)
    output, state = cell(tf.constant(x_value), tf.constant(h_value))
    assert [(v.op.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("cudnn_compatible_gru_cell/gates/kernel", [7, 8]), ("cudnn_compatible_gru_cell/gates/bias", [8]),
        ("cudnn_compatible_gru_cell/candidate/input_projection/kernel", [3, 4]),
        ("cudnn_compatible_gru_cell/candidate/hidden_projection/kernel", [4, 4]),
        ("cudnn_compatible_gru_cell/candidate/input_projection/bias", [4]),
        ("cudnn_compatible_gru_cell/candidate/hidden_projection/bias", [4])]
    session.run(tf.global_variables_initializer())
    gk, gb, ik, hk, ib, hb = session.run(tf.global_variables())
    np.testing.assert_array_equal(gb, 1.0)  # TF 1.15's gate bias default
    r, u = np.split(sigmoid(np.concatenate([x_value, h_value], 1).dot(gk) + gb), 2, axis=1)
    candidate = np.tanh(x_value.dot(ik) + ib + r * (h_value.dot(hk) + hb))
    expected = (1 - u) * candidate + u * h_value
    got_output, got_state = session.run([output, state])
    np.testing.assert_allclose(got_output, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(got_output, got_state)


def test_cudnn_compatible_lstm_cell_has_no_forget_bias(session):
    x_value = np.random.RandomState(0).randn(2, 3).astype(np.float32)
    cell = cudnn.CudnnCompatibleLSTMCell(4)
    zero = cell.zero_state(2, tf.float32)
    output, state = cell(tf.constant(x_value), zero)
    assert [v.op.name for v in tf.global_variables()] == ["cudnn_compatible_lstm_cell/kernel",
                                                           "cudnn_compatible_lstm_cell/bias"]
    session.run(tf.global_variables_initializer())
    kernel, bias = session.run(tf.global_variables())
    i, j, f, o = np.split(np.concatenate([x_value, np.zeros((2, 4))], 1).dot(kernel) + bias, 4, axis=1)
    c = sigmoid(i) * np.tanh(j) + sigmoid(f) * 0.0  # forget gate without TF's usual +1
    np.testing.assert_allclose(session.run(output), sigmoid(o) * np.tanh(c), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name,states", [("CudnnLSTM", 2), ("CudnnGRU", 1), ("CudnnRNNTanh", 1),
                                         ("CudnnRNNRelu", 1)])
def test_cudnn_layers_build_on_cpu_and_fail_when_run(session, name, states):
    layer = getattr(cudnn, name)(num_layers=1, num_units=5)
    outputs, output_states = layer(tf.ones([3, 2, 4]))
    assert outputs.shape.as_list() == [3, 2, 5] and len(output_states) == states
    scope = {"CudnnLSTM": "cudnn_lstm", "CudnnGRU": "cudnn_gru", "CudnnRNNTanh": "cudnn_rnn_tanh",
             "CudnnRNNRelu": "cudnn_rnn_relu"}[name]
    assert [v.op.name for v in tf.global_variables()] == [scope + "/opaque_kernel"]
    with pytest.raises(tf.errors.InvalidArgumentError) as failure:
        session.run(tf.global_variables_initializer())
    if not TF1:
        assert "%s needs an NVIDIA GPU with cuDNN" % name in str(failure.value)
        assert ("CudnnCompatible" if name in ("CudnnLSTM", "CudnnGRU") else "BasicRNNCell") in str(failure.value)


def test_format_converter_and_saveable_fail_when_run(session, tmp_path):
    buffer = tf.Variable(tf.zeros([72]), validate_shape=False, name="opaque")
    session.run(buffer.initializer)
    converter = cudnn.CudnnParamsFormatConverterLSTM(num_layers=1, num_units=2, input_size=3)
    opaque = converter.tf_canonical_to_opaque([tf.ones([5, 8]), tf.zeros([8])])
    with pytest.raises(tf.errors.InvalidArgumentError):
        session.run(opaque)
    saver = tf.train.Saver([cudnn.CudnnLSTMSaveable(buffer, num_layers=1, num_units=2, input_size=3)])
    with pytest.raises(tf.errors.InvalidArgumentError):
        saver.save(session, str(tmp_path / "model.ckpt"))
