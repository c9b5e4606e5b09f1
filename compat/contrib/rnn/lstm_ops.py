"""tf.contrib.rnn's LSTM block cells (TF 1.15: contrib/rnn/python/ops/lstm_ops.py) on TF 2.x.

TF 2.x still ships TF 1.x's fused kernels as raw ops: LSTMBlockCell (one step) and BlockLSTM (a
whole sequence in one op), so these cells run the same kernels as on TF 1.15, with its variable
names (`lstm_cell/kernel`, `lstm_fused_cell/bias`, `w_i_diag` ...), gate layout (i, ci, f, o)
and defaults. TF 2.x registers BlockLSTM's gradient itself; LSTMBlockCell's gradient lived in
contrib, so it is registered here on import (from the LSTMBlockCellGrad kernel).
"""

import abc

from tensorflow.compat import v1 as tf

from compat._moved import MOVES
from compat._namespace import contrib_attribute, resolve_target

__all__ = ["LSTMBlockCell", "LSTMBlockWrapper", "LSTMBlockFusedCell"]

LayerRNNCell = contrib_attribute("rnn", "LayerRNNCell")
LSTMStateTuple = contrib_attribute("rnn", "LSTMStateTuple")
# tf.layers (TF 1.x's variable-scoped Layer), where compat's tf.layers maps it.
_TF_LAYERS = resolve_target(next(m.target for m in MOVES if m.name == "layers"))


def static_dim(shape, index):
    """The static size of dimension `index` of a TensorShape, or None."""
    return tf.dimension_value(shape[index]) if shape.rank is not None else None


def register_gradient(op_type, gradient):
    """Register `gradient` for `op_type` unless TensorFlow already has one (a later TF may)."""
    try:
        tf.RegisterGradient(op_type)(gradient)
    except KeyError:
        pass


def lstm_block_cell_gradient(op, *grads):
    """Backprop through one LSTMBlockCell step: the kernel gives the gate gradients and the
    peephole and cell-state ones; the input, previous output, weight and bias gradients follow
    from the gates by matrix products, in TF 1.15's op order."""
    x, cs_prev, h_prev, w, wci, wcf, wco, b = op.inputs
    i, cs, f, o, ci, co, _ = op.outputs
    cs_grad, h_grad = grads[1], grads[6]
    batch_size = static_dim(x.shape, 0)
    input_size = static_dim(x.shape, 1)
    cell_size = static_dim(cs_prev.shape, 1)
    if input_size is None or cell_size is None:
        raise ValueError("LSTMBlockCell's gradient needs static input and cell sizes, got %s and %s"
                         % (x.shape, cs_prev.shape))
    batch_size = -1 if batch_size is None else batch_size
    cs_prev_grad, gates_grad, wci_grad, wcf_grad, wco_grad = tf.raw_ops.LSTMBlockCellGrad(
        x=x, cs_prev=cs_prev, h_prev=h_prev, w=w, wci=wci, wcf=wcf, wco=wco, b=b, i=i, cs=cs, f=f,
        o=o, ci=ci, co=co, cs_grad=cs_grad, h_grad=h_grad, use_peephole=op.get_attr("use_peephole"))
    # [x, h_prev] @ w produced the gates: split the gradient of [x, h_prev] back into its parts.
    xh_grad = tf.matmul(gates_grad, w, transpose_b=True)
    x_grad = tf.slice(xh_grad, (0, 0), (batch_size, input_size))
    h_prev_grad = tf.slice(xh_grad, (0, input_size), (batch_size, cell_size))
    w_grad = tf.matmul(tf.concat([x, h_prev], 1), gates_grad, transpose_a=True)
    b_grad = tf.raw_ops.BiasAddGrad(out_backprop=gates_grad)
    x_grad.set_shape(x.shape)
    h_prev_grad.set_shape(h_prev.shape)
    return x_grad, cs_prev_grad, h_prev_grad, w_grad, wci_grad, wcf_grad, wco_grad, b_grad


register_gradient("LSTMBlockCell", lstm_block_cell_gradient)


def _peepholes(layer, dtype):
    """(wci, wcf, wco): the peephole variables, or zeros when the layer has none."""
    if layer._use_peephole:
        return layer._w_i_diag, layer._w_f_diag, layer._w_o_diag
    zeros = tf.zeros([layer._num_units], dtype=dtype)
    return zeros, zeros, zeros


def _add_lstm_variables(layer, input_size):
    """kernel [input+units, 4*units] (i, ci, f, o), bias (zeros), peepholes: TF 1.15's order."""
    units = layer._num_units
    layer._kernel = layer.add_weight("kernel", [input_size + units, units * 4])
    layer._bias = layer.add_weight("bias", [units * 4], initializer=tf.constant_initializer(0.0))
    if layer._use_peephole:
        layer._w_i_diag = layer.add_weight("w_i_diag", [units])
        layer._w_f_diag = layer.add_weight("w_f_diag", [units])
        layer._w_o_diag = layer.add_weight("w_o_diag", [units])
    layer.built = True


class LSTMBlockCell(LayerRNNCell):
    """LSTM cell computed by one fused LSTMBlockCell op per step; `forget_bias` is added to the
    forget gate, `cell_clip` (None: no clipping) bounds the cell state. Variables `kernel` and
    `bias` (and `w_*_diag` with peepholes) under the scope `lstm_cell`, as LSTMCell's."""

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False, dtype=None,
                 reuse=None, name="lstm_cell"):
        super(LSTMBlockCell, self).__init__(_reuse=reuse, dtype=dtype, name=name)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._use_peephole = use_peephole
        self._cell_clip = cell_clip if cell_clip is not None else -1
        self.input_spec = _TF_LAYERS.InputSpec(ndim=2)

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        input_size = static_dim(inputs_shape, 1)
        if not input_size:
            raise ValueError("Expecting inputs_shape[1] to be set: %s" % str(inputs_shape))
        _add_lstm_variables(self, input_size)

    def call(self, inputs, state):
        if len(state) != 2:
            raise ValueError("Expecting state to be a tuple with length 2.")
        wci, wcf, wco = _peepholes(self, self.dtype)
        cs_prev, h_prev = state
        _, cs, _, _, _, _, h = tf.raw_ops.LSTMBlockCell(
            x=inputs, cs_prev=cs_prev, h_prev=h_prev, w=self._kernel, wci=wci, wcf=wcf, wco=wco,
            b=self._bias, forget_bias=self._forget_bias, cell_clip=self._cell_clip,
            use_peephole=self._use_peephole)
        return h, LSTMStateTuple(cs, h)


class LSTMBlockWrapper(_TF_LAYERS.Layer, metaclass=abc.ABCMeta):
    """Housekeeping for LSTMs that run a whole time-major sequence at once: default state,
    list or tensor inputs, `sequence_length` masking and the final state. Subclasses implement
    `num_units` and `_call_cell(inputs, initial_cell_state, initial_output, dtype,
    sequence_length)`, returning (cell states, outputs), each [time, batch, units]."""

    @property
    @abc.abstractmethod
    def num_units(self):
        """Number of units in this cell (output dimension)."""

    @abc.abstractmethod
    def _call_cell(self, inputs, initial_cell_state, initial_output, dtype, sequence_length):
        """Run the LSTM over all of `inputs` ([time, batch, input]): (cell states, outputs)."""

    def call(self, inputs, initial_state=None, dtype=None, sequence_length=None):
        """inputs: [time, batch, input] tensor or a list of [batch, input] tensors. Returns
        (outputs of the same kind, LSTMStateTuple(c, h) at each sequence's last valid step)."""
        is_list = isinstance(inputs, list)
        if is_list:
            inputs = tf.stack(inputs)
        inputs_shape = inputs.get_shape().with_rank(3)
        if not inputs_shape[2]:
            raise ValueError("Expecting inputs_shape[2] to be set: %s" % inputs_shape)
        batch_size = static_dim(inputs_shape, 1)
        if batch_size is None:
            batch_size = tf.shape(inputs)[1]
        time_len = static_dim(inputs_shape, 0)
        if time_len is None:
            time_len = tf.shape(inputs)[0]

        if initial_state is None:
            if dtype is None:
                raise ValueError("Either initial_state or dtype needs to be specified")
            zeros = tf.zeros(tf.stack([batch_size, self.num_units]), dtype=dtype)
            initial_state = zeros, zeros
        else:
            if len(initial_state) != 2:
                raise ValueError("Expecting initial_state to be a tuple with length 2 or None")
            if dtype is None:
                dtype = initial_state[0].dtype

        if sequence_length is not None:
            sequence_length = tf.convert_to_tensor(sequence_length)
        initial_cell_state, initial_output = initial_state
        cell_states, outputs = self._call_cell(inputs, initial_cell_state, initial_output, dtype,
                                               sequence_length)
        if sequence_length is None:
            final_cell_state, final_output = cell_states[-1], outputs[-1]
        else:
            # Zero the outputs past each sequence's end; the final state is the one at step
            # length - 1, which is the initial state (index 0 once it is prepended) for length 0.
            mask = tf.transpose(tf.sequence_mask(sequence_length, time_len, dtype=dtype), [1, 0])
            outputs *= tf.tile(tf.expand_dims(mask, [-1]), [1, 1, self.num_units])
            all_cell_states = tf.concat([tf.expand_dims(initial_cell_state, [0]), cell_states], 0)
            all_outputs = tf.concat([tf.expand_dims(initial_output, [0]), outputs], 0)
            final_cell_state = self._gather_states(all_cell_states, sequence_length, batch_size)
            final_output = self._gather_states(all_outputs, sequence_length, batch_size)
        if is_list:
            outputs = tf.unstack(outputs)
        return outputs, LSTMStateTuple(final_cell_state, final_output)

    def _gather_states(self, data, indices, batch_size):
        """out[i, j] = data[indices[i], i, j]."""
        return tf.gather_nd(data, tf.stack([indices, tf.range(batch_size)], axis=1))


class LSTMBlockFusedCell(LSTMBlockWrapper):
    """LSTM over a whole time-major sequence in one BlockLSTM op (the fastest LSTM on CPU in
    TF 1.x). Same math and variable names as LSTMBlockCell, under the scope `lstm_fused_cell`."""

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False, reuse=None,
                 dtype=None, name="lstm_fused_cell"):
        super(LSTMBlockFusedCell, self).__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._cell_clip = cell_clip if cell_clip is not None else -1
        self._use_peephole = use_peephole
        self.input_spec = _TF_LAYERS.InputSpec(ndim=3)

    @property
    def num_units(self):
        """Number of units in this cell (output dimension)."""
        return self._num_units

    def build(self, input_shape):
        _add_lstm_variables(self, static_dim(input_shape, 2))

    def _call_cell(self, inputs, initial_cell_state=None, initial_output=None, dtype=None,
                   sequence_length=None):
        time_len = static_dim(inputs.get_shape().with_rank(3), 0)
        if time_len is None:
            time_len = tf.shape(inputs)[0]
        wci, wcf, wco = _peepholes(self, dtype)
        if sequence_length is None:
            max_seq_len = tf.cast(time_len, tf.int64)
        else:
            max_seq_len = tf.cast(tf.reduce_max(sequence_length), tf.int64)
        _, cs, _, _, _, _, h = tf.raw_ops.BlockLSTM(
            seq_len_max=max_seq_len, x=inputs, cs_prev=initial_cell_state, h_prev=initial_output,
            w=self._kernel, wci=wci, wcf=wcf, wco=wco, b=self._bias, forget_bias=self._forget_bias,
            cell_clip=self._cell_clip, use_peephole=self._use_peephole)
        return cs, h
