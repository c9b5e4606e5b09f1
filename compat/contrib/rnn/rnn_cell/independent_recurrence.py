"""contrib's independently recurrent cells (Li et al. 2018): IndRNNCell, IndyGRUCell, IndyLSTMCell.

Each unit sees only its own previous state: the recurrent matrix is a vector `*_u` [1, n]
multiplied elementwise. TF 1.15's signatures, defaults, variable names and math.
"""

from tensorflow.compat import v1 as tf

from compat.contrib.rnn.rnn_cell.building_blocks import (
    BIAS_NAME, WEIGHTS_NAME, InputSpec, LayerRNNCell, LSTMStateTuple)

__all__ = ["IndRNNCell", "IndyGRUCell", "IndyLSTMCell"]


def _input_depth(inputs_shape):
    input_depth = tf.dimension_value(inputs_shape[1])
    if input_depth is None:
        raise ValueError("Expected inputs.shape[-1] to be known, saw shape: %s" % inputs_shape)
    return input_depth


def _recurrent_initializer(dtype):
    """The `*_u` vectors start uniform in [-1, 1]."""
    return tf.random_uniform_initializer(minval=-1, maxval=1, dtype=dtype)


class _IndependentCell(LayerRNNCell):
    """2-D inputs, `num_units` columns out, `activation` tanh unless given."""

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None):
        super(_IndependentCell, self).__init__(_reuse=reuse, name=name, dtype=dtype)
        self.input_spec = InputSpec(ndim=2)
        self._num_units = num_units
        self._activation = activation or tf.tanh

    @property
    def output_size(self):
        return self._num_units


class IndRNNCell(_IndependentCell):
    """output = new_state = act(x @ kernel_w + h * kernel_u + bias)."""

    @property
    def state_size(self):
        return self._num_units

    def build(self, inputs_shape):
        input_depth = _input_depth(inputs_shape)
        self._kernel_w = self.add_weight("%s_w" % WEIGHTS_NAME, shape=[input_depth, self._num_units])
        self._kernel_u = self.add_weight("%s_u" % WEIGHTS_NAME, shape=[1, self._num_units],
                                         initializer=_recurrent_initializer(self.dtype))
        self._bias = self.add_weight(BIAS_NAME, shape=[self._num_units],
                                     initializer=tf.zeros_initializer(dtype=self.dtype))
        self.built = True

    def call(self, inputs, state):
        gate_inputs = tf.matmul(inputs, self._kernel_w) + state * self._kernel_u
        output = self._activation(tf.nn.bias_add(gate_inputs, self._bias))
        return output, output


class IndyGRUCell(_IndependentCell):
    """GRU whose recurrent matrices U_r, U_z, U are diagonal (`gates/kernel_u`, `candidate/kernel_u`)."""

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None, bias_initializer=None,
                 name=None, dtype=None):
        super(IndyGRUCell, self).__init__(num_units, activation=activation, reuse=reuse, name=name, dtype=dtype)
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self):
        return self._num_units

    def _bias_or(self, default):
        return self._bias_initializer if self._bias_initializer is not None else default

    def build(self, inputs_shape):
        input_depth = _input_depth(inputs_shape)
        n = self._num_units
        self._gate_kernel_w = self.add_weight("gates/%s_w" % WEIGHTS_NAME, shape=[input_depth, 2 * n],
                                              initializer=self._kernel_initializer)
        self._gate_kernel_u = self.add_weight("gates/%s_u" % WEIGHTS_NAME, shape=[1, 2 * n],
                                              initializer=_recurrent_initializer(self.dtype))
        gate_bias_initializer = self._bias_or(tf.constant_initializer(1.0, dtype=self.dtype))
        self._gate_bias = self.add_weight("gates/%s" % BIAS_NAME, shape=[2 * n], initializer=gate_bias_initializer)
        # TF 1.15 names the candidate's input kernel `candidate/kernel` (no `_w`).
        self._candidate_kernel_w = self.add_weight("candidate/%s" % WEIGHTS_NAME, shape=[input_depth, n],
                                                   initializer=self._kernel_initializer)
        self._candidate_kernel_u = self.add_weight("candidate/%s_u" % WEIGHTS_NAME, shape=[1, n],
                                                   initializer=_recurrent_initializer(self.dtype))
        self._candidate_bias = self.add_weight("candidate/%s" % BIAS_NAME, shape=[n],
                                               initializer=self._bias_or(tf.zeros_initializer(dtype=self.dtype)))
        self.built = True

    def call(self, inputs, state):
        gate_inputs = tf.matmul(inputs, self._gate_kernel_w) + tf.tile(state, [1, 2]) * self._gate_kernel_u
        value = tf.sigmoid(tf.nn.bias_add(gate_inputs, self._gate_bias))
        r, u = tf.split(value=value, num_or_size_splits=2, axis=1)
        r_state = r * state
        candidate = tf.matmul(inputs, self._candidate_kernel_w) + r_state * self._candidate_kernel_u
        c = self._activation(tf.nn.bias_add(candidate, self._candidate_bias))
        new_h = u * state + (1 - u) * c
        return new_h, new_h


class IndyLSTMCell(_IndependentCell):
    """Basic LSTM whose recurrent matrices are diagonal: gates i, j, f, o from
    x @ kernel_w + tile(h, 4) * kernel_u + bias; forget_bias added to f."""

    def __init__(self, num_units, forget_bias=1.0, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None):
        super(IndyLSTMCell, self).__init__(num_units, activation=activation, reuse=reuse, name=name, dtype=dtype)
        self._forget_bias = forget_bias
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    def build(self, inputs_shape):
        input_depth = _input_depth(inputs_shape)
        width = 4 * self._num_units
        self._kernel_w = self.add_weight("%s_w" % WEIGHTS_NAME, shape=[input_depth, width],
                                         initializer=self._kernel_initializer)
        self._kernel_u = self.add_weight("%s_u" % WEIGHTS_NAME, shape=[1, width],
                                         initializer=_recurrent_initializer(self.dtype))
        self._bias = self.add_weight(BIAS_NAME, shape=[width],
                                     initializer=(self._bias_initializer if self._bias_initializer is not None
                                                  else tf.zeros_initializer(dtype=self.dtype)))
        self.built = True

    def call(self, inputs, state):
        one = tf.constant(1, dtype=tf.int32)
        c, h = state
        gate_inputs = tf.matmul(inputs, self._kernel_w)
        gate_inputs += tf.tile(h, [1, 4]) * self._kernel_u
        gate_inputs = tf.nn.bias_add(gate_inputs, self._bias)
        i, j, f, o = tf.split(value=gate_inputs, num_or_size_splits=4, axis=one)
        forget_bias = tf.constant(self._forget_bias, dtype=f.dtype)
        new_c = tf.add(tf.multiply(c, tf.sigmoid(tf.add(f, forget_bias))),
                       tf.multiply(tf.sigmoid(i), self._activation(j)))
        new_h = tf.multiply(self._activation(new_c), tf.sigmoid(o))
        return new_h, LSTMStateTuple(new_c, new_h)
