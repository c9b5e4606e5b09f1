"""contrib's lightly gated RNNs: UGRNNCell, IntersectionRNNCell (Collins et al. 2017) and SRUCell
(Lei et al. 2017), with TF 1.15's signatures, defaults, variable names and math."""

from tensorflow.compat import v1 as tf

from compat.contrib.rnn.rnn_cell.building_blocks import (
    BIAS_NAME, WEIGHTS_NAME, InputSpec, LayerRNNCell, Linear, RNNCell)

__all__ = ["IntersectionRNNCell", "SRUCell", "UGRNNCell"]


def _static_input_size(inputs):
    input_size = tf.dimension_value(inputs.get_shape().with_rank(2)[1])
    if input_size is None:
        raise ValueError("Could not infer input size from inputs.get_shape()[-1]")
    return input_size


class UGRNNCell(RNNCell):
    """Update-gate RNN: one gate g mixes the previous state with a new candidate,
    h' = g * h + (1 - g) * act(c), from one linear map `kernel`/`bias` of [inputs, h]."""

    def __init__(self, num_units, initializer=None, forget_bias=1.0, activation=tf.tanh, reuse=None):
        super(UGRNNCell, self).__init__(_reuse=reuse)
        self._num_units = num_units
        self._initializer = initializer
        self._forget_bias = forget_bias
        self._activation = activation
        self._reuse = reuse
        self._linear = None

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def call(self, inputs, state):
        _static_input_size(inputs)
        with tf.variable_scope(tf.get_variable_scope(), initializer=self._initializer):
            cell_inputs = tf.concat([inputs, state], 1)
            if self._linear is None:
                self._linear = Linear(cell_inputs, 2 * self._num_units, True)
            g_act, c_act = tf.split(axis=1, num_or_size_splits=2, value=self._linear(cell_inputs))
            c = self._activation(c_act)
            g = tf.sigmoid(g_act + self._forget_bias)
            new_state = g * state + (1.0 - g) * c
        return new_state, new_state


class IntersectionRNNCell(RNNCell):
    """+RNN: a gate through time (new state) and a gate through depth (output, mixed with the
    inputs, so inputs must have num_units columns: set num_in_proj for a first layer)."""

    def __init__(self, num_units, num_in_proj=None, initializer=None, forget_bias=1.0,
                 y_activation=tf.nn.relu, reuse=None):
        super(IntersectionRNNCell, self).__init__(_reuse=reuse)
        self._num_units = num_units
        self._initializer = initializer
        self._forget_bias = forget_bias
        self._num_input_proj = num_in_proj
        self._y_activation = y_activation
        self._reuse = reuse
        self._linear1 = None
        self._linear2 = None

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def call(self, inputs, state):
        input_size = _static_input_size(inputs)
        with tf.variable_scope(tf.get_variable_scope(), initializer=self._initializer):
            if input_size != self._num_units:
                if not self._num_input_proj:
                    raise ValueError("Must have input size == output size for Intersection RNN. To fix, "
                                     "num_in_proj should be set to num_units at cell init.")
                with tf.variable_scope("in_projection"):
                    if self._linear1 is None:
                        self._linear1 = Linear(inputs, self._num_units, True)
                    inputs = self._linear1(inputs)
            n = self._num_units
            cell_inputs = tf.concat([inputs, state], 1)
            if self._linear2 is None:
                self._linear2 = Linear(cell_inputs, 4 * n, True)
            rnn_matrix = self._linear2(cell_inputs)
            gh_act = rnn_matrix[:, :n]
            h_act = rnn_matrix[:, n:2 * n]
            gy_act = rnn_matrix[:, 2 * n:3 * n]
            y_act = rnn_matrix[:, 3 * n:4 * n]
            h = tf.tanh(h_act)
            y = self._y_activation(y_act)
            gh = tf.sigmoid(gh_act + self._forget_bias)
            gy = tf.sigmoid(gy_act + self._forget_bias)
            new_state = gh * state + (1.0 - gh) * h  # through time
            new_y = gy * inputs + (1.0 - gy) * y  # through depth
        return new_y, new_state


class SRUCell(LayerRNNCell):
    """Simple Recurrent Unit: no matrix on the state; c' = f * c + (1 - f) * x_bar,
    h' = r * act(c') + (1 - r) * x_tx, all four from one `kernel` on the inputs."""

    def __init__(self, num_units, activation=None, reuse=None, name=None, **kwargs):
        super(SRUCell, self).__init__(_reuse=reuse, name=name, **kwargs)
        self._num_units = num_units
        self._activation = activation or tf.tanh
        self.input_spec = InputSpec(ndim=2)

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        input_depth = tf.dimension_value(inputs_shape[1])
        if input_depth is None:
            raise ValueError("Expected inputs.shape[-1] to be known, saw shape: %s" % inputs_shape)
        self._kernel = self.add_weight(WEIGHTS_NAME, shape=[input_depth, 4 * self._num_units])
        self._bias = self.add_weight(BIAS_NAME, shape=[2 * self._num_units], initializer=tf.zeros_initializer)
        self.built = True

    def call(self, inputs, state):
        x_bar, f_intermediate, r_intermediate, x_tx = tf.split(
            value=tf.matmul(inputs, self._kernel), num_or_size_splits=4, axis=1)
        f_r = tf.sigmoid(tf.nn.bias_add(tf.concat([f_intermediate, r_intermediate], 1), self._bias))
        f, r = tf.split(value=f_r, num_or_size_splits=2, axis=1)
        c = f * state + (1.0 - f) * x_bar
        h = r * self._activation(c) + (1.0 - r) * x_tx
        return h, c
