"""tf.contrib.rnn's convolutional LSTM cells (Shi et al., 2015), on TF 2.x.

ConvLSTMCell and its 1-D/2-D/3-D forms as TF 1.15 defined them
(tensorflow/contrib/rnn/python/ops/rnn_cell.py): same arguments and defaults, variables
`<name>/kernel` and `<name>/biases` (default names `conv_lstm_cell`, `conv_1d_lstm_cell`, ...),
one "SAME" convolution of [inputs, h] giving the gates i, j, f, o, same maths and op order.
tf_keras's ConvLSTM2D is a different layer (other variable names and layout), hence this module.

TF 1.15 quirks kept on purpose: `initializers` is accepted and unused (the kernel takes the
scope's initializer); with skip_connection=True the state's h is the output, inputs included.
"""

from tensorflow.compat import v1 as tf

from compat.contrib.rnn.rnn_cell.building_blocks import LSTMStateTuple, RNNCell

__all__ = ["ConvLSTMCell", "Conv1DLSTMCell", "Conv2DLSTMCell", "Conv3DLSTMCell"]


def same_convolution(args, filter_size, num_features, bias, bias_start=0.0):
    """Convolve the channel-concatenation of `args` (all [batch, spatial..., channels], 1 to 3
    spatial dims) with variable `kernel`, stride 1, "SAME" padding; plus variable `biases`."""
    shapes = [a.get_shape().as_list() for a in args]
    rank = len(shapes[0])
    total_channels = 0
    for shape in shapes:
        if len(shape) not in (3, 4, 5):
            raise ValueError("Conv Linear expects 3D, 4D or 5D arguments: %s" % str(shapes))
        if len(shape) != rank:
            raise ValueError("Conv Linear expects all args to be of same Dimension: %s" % str(shapes))
        total_channels += shape[-1]
    dtype = args[0].dtype
    if rank == 3:
        conv, strides = tf.nn.conv1d, 1
    else:
        conv, strides = (tf.nn.conv2d if rank == 4 else tf.nn.conv3d), [1] * rank
    kernel = tf.get_variable("kernel", filter_size + [total_channels, num_features], dtype=dtype)
    joined = args[0] if len(args) == 1 else tf.concat(axis=rank - 1, values=args)
    result = conv(joined, kernel, strides, padding="SAME")
    if not bias:
        return result
    bias_term = tf.get_variable("biases", [num_features], dtype=dtype,
                                initializer=tf.constant_initializer(bias_start, dtype=dtype))
    return result + bias_term


class ConvLSTMCell(RNNCell):
    """Convolutional LSTM: an LSTM whose gates are convolutions over a spatial input.

    `input_shape` excludes the batch (e.g. [height, width, channels] when conv_ndims=2);
    `kernel_shape` has conv_ndims entries. State: LSTMStateTuple(c, h), each
    input_shape[:-1] + [output_channels]."""

    def __init__(self, conv_ndims, input_shape, output_channels, kernel_shape, use_bias=True,
                 skip_connection=False, forget_bias=1.0, initializers=None, name="conv_lstm_cell"):
        super(ConvLSTMCell, self).__init__(name=name)
        if conv_ndims != len(input_shape) - 1:
            raise ValueError("Invalid input_shape {} for conv_ndims={}.".format(input_shape, conv_ndims))
        self._conv_ndims = conv_ndims
        self._input_shape = input_shape
        self._output_channels = output_channels
        self._kernel_shape = list(kernel_shape)
        self._use_bias = use_bias
        self._forget_bias = forget_bias
        self._skip_connection = skip_connection
        self._total_output_channels = output_channels
        if skip_connection:
            self._total_output_channels += input_shape[-1]
        state_size = tf.TensorShape(self._input_shape[:-1] + [output_channels])
        self._state_size = LSTMStateTuple(state_size, state_size)
        self._output_size = tf.TensorShape(self._input_shape[:-1] + [self._total_output_channels])

    @property
    def output_size(self):
        return self._output_size

    @property
    def state_size(self):
        return self._state_size

    def call(self, inputs, state, scope=None):
        cell, hidden = state
        gates = same_convolution([inputs, hidden], self._kernel_shape, 4 * self._output_channels,
                                 self._use_bias)
        input_gate, new_input, forget_gate, output_gate = tf.split(
            value=gates, num_or_size_splits=4, axis=self._conv_ndims + 1)
        new_cell = tf.sigmoid(forget_gate + self._forget_bias) * cell
        new_cell += tf.sigmoid(input_gate) * tf.tanh(new_input)
        output = tf.tanh(new_cell) * tf.sigmoid(output_gate)
        if self._skip_connection:
            output = tf.concat([output, inputs], axis=-1)
        return output, LSTMStateTuple(new_cell, output)


class Conv1DLSTMCell(ConvLSTMCell):
    """ConvLSTMCell over [batch, length, channels] inputs."""

    def __init__(self, name="conv_1d_lstm_cell", **kwargs):
        super(Conv1DLSTMCell, self).__init__(conv_ndims=1, name=name, **kwargs)


class Conv2DLSTMCell(ConvLSTMCell):
    """ConvLSTMCell over [batch, height, width, channels] inputs."""

    def __init__(self, name="conv_2d_lstm_cell", **kwargs):
        super(Conv2DLSTMCell, self).__init__(conv_ndims=2, name=name, **kwargs)


class Conv3DLSTMCell(ConvLSTMCell):
    """ConvLSTMCell over [batch, depth, height, width, channels] inputs."""

    def __init__(self, name="conv_3d_lstm_cell", **kwargs):
        super(Conv3DLSTMCell, self).__init__(conv_ndims=3, name=name, **kwargs)
