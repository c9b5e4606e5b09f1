"""contrib's LSTM variants: CoupledInputForgetGateLSTMCell, LayerNormBasicLSTMCell, GLSTMCell, NASCell.

TF 1.15's signatures, defaults, variable names (e.g. `coupled_input_forget_gate_lstm_cell/W_0`,
`layer_norm_basic_lstm_cell/input/gamma`, `glstm_cell/group0/kernel`, `nas_cell/recurrent_kernel`)
and math, on tf.compat.v1 and tf_keras's TF 1.x cell base classes.
"""

from tensorflow.compat import v1 as tf

from compat.contrib.rnn.rnn_cell.building_blocks import (
    LayerRNNCell, Linear, LSTMStateTuple, RNNCell, concat_variable, layer_norm)

__all__ = ["CoupledInputForgetGateLSTMCell", "GLSTMCell", "LayerNormBasicLSTMCell", "NASCell"]

_CONCAT_STATE_WARNING = "%s: Using a concatenated state is slower and will soon be deprecated.  " \
                        "Use state_is_tuple=True."


def _lstm_sizes(num_units, num_proj, state_is_tuple=True):
    """(state_size, output_size) of an LSTM with an optional projection."""
    output_size = num_proj if num_proj else num_units
    if state_is_tuple:
        return LSTMStateTuple(num_units, output_size), output_size
    return num_units + output_size, output_size


class CoupledInputForgetGateLSTMCell(RNNCell):
    """LSTM whose input gate is 1 - forget gate (Greff et al. 2015), with optional peepholes,
    projection, sharded weights and layer normalisation of the gates and the cell state."""

    def __init__(self, num_units, use_peepholes=False, initializer=None, num_proj=None, proj_clip=None,
                 num_unit_shards=1, num_proj_shards=1, forget_bias=1.0, state_is_tuple=True,
                 activation=tf.tanh, reuse=None, layer_norm=False, norm_gain=1.0, norm_shift=0.0):
        super(CoupledInputForgetGateLSTMCell, self).__init__(_reuse=reuse)
        if not state_is_tuple:
            tf.logging.warn(_CONCAT_STATE_WARNING, self)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._initializer = initializer  # accepted and, as in TF 1.15, not used
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._num_unit_shards = num_unit_shards
        self._num_proj_shards = num_proj_shards
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation
        self._reuse = reuse
        self._layer_norm = layer_norm
        self._norm_gain = norm_gain
        self._norm_shift = norm_shift
        self._state_size, self._output_size = _lstm_sizes(num_units, num_proj, state_is_tuple)

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def _norm(self, inputs, scope):
        return layer_norm(inputs, scope, self._norm_gain, self._norm_shift)

    def call(self, inputs, state):
        num_proj = self._num_units if self._num_proj is None else self._num_proj
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev = tf.slice(state, [0, 0], [-1, self._num_units])
            m_prev = tf.slice(state, [0, self._num_units], [-1, num_proj])

        dtype = inputs.dtype
        input_size = tf.dimension_value(inputs.get_shape().with_rank(2)[1])
        if input_size is None:
            raise ValueError("Could not infer input size from inputs.get_shape()[-1]")
        weights = concat_variable("W", [input_size + num_proj, 3 * self._num_units], dtype,
                                  self._num_unit_shards)
        bias = tf.get_variable("B", shape=[3 * self._num_units], initializer=tf.zeros_initializer(),
                               dtype=dtype)

        # j = new input, f = forget gate, o = output gate; layer norm replaces the bias
        lstm_matrix = tf.matmul(tf.concat([inputs, m_prev], 1), weights)
        if not self._layer_norm:
            lstm_matrix = tf.nn.bias_add(lstm_matrix, bias)
        j, f, o = tf.split(value=lstm_matrix, num_or_size_splits=3, axis=1)
        if self._layer_norm:
            j = self._norm(j, "transform")
            f = self._norm(f, "forget")
            o = self._norm(o, "output")

        if self._use_peepholes:
            w_f_diag = tf.get_variable("W_F_diag", shape=[self._num_units], dtype=dtype)
            w_o_diag = tf.get_variable("W_O_diag", shape=[self._num_units], dtype=dtype)
            f_act = tf.sigmoid(f + self._forget_bias + w_f_diag * c_prev)
        else:
            f_act = tf.sigmoid(f + self._forget_bias)
        c = f_act * c_prev + (1 - f_act) * self._activation(j)
        if self._layer_norm:
            c = self._norm(c, "state")
        if self._use_peepholes:
            m = tf.sigmoid(o + w_o_diag * c) * self._activation(c)
        else:
            m = tf.sigmoid(o) * self._activation(c)

        if self._num_proj is not None:
            projection = concat_variable("W_P", [self._num_units, self._num_proj], dtype,
                                         self._num_proj_shards)
            m = tf.matmul(m, projection)
            if self._proj_clip is not None:
                m = tf.clip_by_value(m, -self._proj_clip, self._proj_clip)

        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else tf.concat([c, m], 1)
        return m, new_state


class LayerNormBasicLSTMCell(RNNCell):
    """Basic LSTM with layer normalisation of each gate and of the new cell state (Ba et al.
    2016), and recurrent dropout on the candidate (Semeniuta et al. 2016)."""

    def __init__(self, num_units, forget_bias=1.0, input_size=None, activation=tf.tanh, layer_norm=True,
                 norm_gain=1.0, norm_shift=0.0, dropout_keep_prob=1.0, dropout_prob_seed=None, reuse=None):
        super(LayerNormBasicLSTMCell, self).__init__(_reuse=reuse)
        if input_size is not None:
            tf.logging.warn("%s: The input_size parameter is deprecated.", self)
        self._num_units = num_units
        self._activation = activation
        self._forget_bias = forget_bias
        self._keep_prob = dropout_keep_prob
        self._seed = dropout_prob_seed
        self._layer_norm = layer_norm
        self._norm_gain = norm_gain
        self._norm_shift = norm_shift
        self._reuse = reuse

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self):
        return self._num_units

    def _norm(self, inputs, scope, dtype):
        return layer_norm(inputs, scope, self._norm_gain, self._norm_shift, dtype=dtype)

    def _linear(self, args):
        out_size = 4 * self._num_units
        weights = tf.get_variable("kernel", [args.get_shape()[-1], out_size], dtype=args.dtype)
        out = tf.matmul(args, weights)
        if not self._layer_norm:
            bias = tf.get_variable("bias", [out_size], dtype=args.dtype)
            out = tf.nn.bias_add(out, bias)
        return out

    def call(self, inputs, state):
        c, h = state
        args = tf.concat([inputs, h], 1)
        concat = self._linear(args)
        dtype = args.dtype
        i, j, f, o = tf.split(value=concat, num_or_size_splits=4, axis=1)
        if self._layer_norm:
            i = self._norm(i, "input", dtype)
            j = self._norm(j, "transform", dtype)
            f = self._norm(f, "forget", dtype)
            o = self._norm(o, "output", dtype)
        g = self._activation(j)
        # TF 1.15 drops out unless keep_prob is the float 1.0 (a tensor or an int 1 always adds it).
        if not isinstance(self._keep_prob, float) or self._keep_prob < 1:
            g = tf.nn.dropout(g, self._keep_prob, seed=self._seed)
        new_c = c * tf.sigmoid(f + self._forget_bias) + tf.sigmoid(i) * g
        if self._layer_norm:
            new_c = self._norm(new_c, "state", dtype)
        new_h = self._activation(new_c) * tf.sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)


class GLSTMCell(RNNCell):
    """Group LSTM (Kuchaiev & Ginsburg 2017): `number_of_groups` independent LSTM sub-cells, each
    on an even slice of the input and of the previous output, with an optional projection."""

    def __init__(self, num_units, initializer=None, num_proj=None, number_of_groups=1, forget_bias=1.0,
                 activation=tf.tanh, reuse=None):
        super(GLSTMCell, self).__init__(_reuse=reuse)
        self._num_units = num_units
        self._initializer = initializer
        self._num_proj = num_proj
        self._forget_bias = forget_bias
        self._activation = activation
        self._number_of_groups = number_of_groups
        if num_units % number_of_groups != 0:
            raise ValueError("num_units must be divisible by number_of_groups")
        if num_proj and num_proj % number_of_groups != 0:
            raise ValueError("num_proj must be divisible by number_of_groups")
        # [width of a group's slice of the previous output, units per group]
        self._group_shape = [int((num_proj or num_units) / number_of_groups), int(num_units / number_of_groups)]
        self._state_size, self._output_size = _lstm_sizes(num_units, num_proj)
        self._linear1 = [None] * number_of_groups
        self._linear2 = None

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def _get_input_for_group(self, inputs, group_id, group_size):
        return tf.slice(inputs, [0, group_id * group_size], [self._batch_size, group_size],
                        name="GLSTM_group%d_input_generation" % group_id)

    def call(self, inputs, state):
        c_prev, m_prev = state
        self._batch_size = tf.dimension_value(inputs.shape[0]) or tf.shape(inputs)[0]
        input_size = tf.dimension_value(inputs.shape[1])
        if input_size is None:
            raise ValueError("input size must be statically known")
        if input_size % self._number_of_groups != 0:
            raise ValueError("input size (%d) must be divisible by number_of_groups (%d)"
                             % (input_size, self._number_of_groups))
        input_group_size = int(input_size / self._number_of_groups)
        dtype = inputs.dtype
        with tf.variable_scope(tf.get_variable_scope(), initializer=self._initializer):
            gate_parts = ([], [], [], [])  # i, j, f, o of every group
            for group_id in range(self._number_of_groups):
                with tf.variable_scope("group%d" % group_id):
                    group_inputs = tf.concat(
                        [self._get_input_for_group(inputs, group_id, input_group_size),
                         self._get_input_for_group(m_prev, group_id, self._group_shape[0])], axis=1)
                    if self._linear1[group_id] is None:
                        self._linear1[group_id] = Linear(group_inputs, 4 * self._group_shape[1], False)
                    gates = tf.split(self._linear1[group_id](group_inputs), 4, 1)
                for parts, gate in zip(gate_parts, gates):
                    parts.append(gate)
            biases = [tf.get_variable(name="bias_" + gate, shape=[self._num_units], dtype=dtype,
                                      initializer=tf.constant_initializer(0.0, dtype=dtype))
                      for gate in "ijfo"]
            i, j, f, o = [tf.nn.bias_add(tf.concat(parts, axis=1), bias)
                          for parts, bias in zip(gate_parts, biases)]
        c = tf.sigmoid(f + self._forget_bias) * c_prev + tf.sigmoid(i) * tf.tanh(j)
        m = tf.sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            with tf.variable_scope("projection"):
                if self._linear2 is None:
                    self._linear2 = Linear(m, self._num_proj, False)
                m = self._linear2(m)
        return m, LSTMStateTuple(c, m)


class NASCell(LayerRNNCell):
    """The recurrent cell found by Neural Architecture Search (Zoph & Le 2017), with an optional
    projection: 8 input and 8 recurrent branches combined in a fixed tree."""

    _NAS_BASE = 8

    def __init__(self, num_units, num_proj=None, use_bias=False, reuse=None, **kwargs):
        super(NASCell, self).__init__(_reuse=reuse, **kwargs)
        self._num_units = num_units
        self._num_proj = num_proj
        self._use_bias = use_bias
        self._reuse = reuse
        self._state_size, self._output_size = _lstm_sizes(num_units, num_proj)

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def build(self, inputs_shape):
        input_size = tf.dimension_value(tf.TensorShape(inputs_shape).with_rank(2)[1])
        if input_size is None:
            raise ValueError("Could not infer input size from inputs.get_shape()[-1]")
        num_proj = self._num_units if self._num_proj is None else self._num_proj
        width = self._NAS_BASE * self._num_units
        # `recurrent_kernel` multiplies the previous output, `kernel` the inputs.
        self.recurrent_kernel = self.add_weight("recurrent_kernel", [num_proj, width])
        self.kernel = self.add_weight("kernel", [input_size, width])
        if self._use_bias:
            self.bias = self.add_weight("bias", shape=[width], initializer=tf.zeros_initializer)
        if self._num_proj is not None:
            self.projection_weights = self.add_weight("projection_weights", [self._num_units, self._num_proj])
        self.built = True

    def call(self, inputs, state):
        sigmoid, tanh, relu = tf.sigmoid, tf.tanh, tf.nn.relu
        c_prev, m_prev = state
        m_matrix = tf.matmul(m_prev, self.recurrent_kernel)
        inputs_matrix = tf.matmul(inputs, self.kernel)
        if self._use_bias:
            m_matrix = tf.nn.bias_add(m_matrix, self.bias)
        m = tf.split(axis=1, num_or_size_splits=self._NAS_BASE, value=m_matrix)
        x = tf.split(axis=1, num_or_size_splits=self._NAS_BASE, value=inputs_matrix)

        layer1 = [sigmoid(x[0] + m[0]), relu(x[1] + m[1]), sigmoid(x[2] + m[2]), relu(x[3] * m[3]),
                  tanh(x[4] + m[4]), sigmoid(x[5] + m[5]), tanh(x[6] + m[6]), sigmoid(x[7] + m[7])]
        l2_0 = tanh(layer1[0] * layer1[1])
        l2_1 = tanh(layer1[2] + layer1[3])
        l2_2 = tanh(layer1[4] * layer1[5])
        l2_3 = sigmoid(layer1[6] + layer1[7])
        l2_0 = tanh(l2_0 + c_prev)  # the cell state enters here
        new_c = l2_0 * l2_1
        l3_1 = tanh(l2_2 + l2_3)
        new_m = tanh(new_c * l3_1)
        if self._num_proj is not None:
            new_m = tf.matmul(new_m, self.projection_weights)
        return new_m, LSTMStateTuple(new_c, new_m)
