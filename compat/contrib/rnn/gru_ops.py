"""tf.contrib.rnn's GRU block cells (TF 1.15: contrib/rnn/python/ops/gru_ops.py) on TF 2.x.

Each step is TF 1.x's fused GRUBlockCell kernel, still in TF 2.x as a raw op; its gradient lived
in contrib, so it is registered here on import (from the GRUBlockCellGrad kernel). The two cells
differ only in variable names: GRUBlockCell's `w_ru`, `b_ru`, `w_c`, `b_c`, GRUBlockCellV2's
`gates/kernel`, `gates/bias`, `candidate/kernel`, `candidate/bias` (GRUCell's names).
"""

from tensorflow.compat import v1 as tf

from compat._moved import MOVES
from compat._namespace import contrib_attribute, resolve_target
from compat.contrib.rnn.lstm_ops import register_gradient, static_dim

__all__ = ["GRUBlockCell", "GRUBlockCellV2"]

LayerRNNCell = contrib_attribute("rnn", "LayerRNNCell")
_TF_LAYERS = resolve_target(next(m.target for m in MOVES if m.name == "layers"))


def gru_block_cell_gradient(op, *grads):
    """Backprop through one GRUBlockCell step: the kernel gives the input, previous-state and
    pre-activation gradients; the weight and bias gradients follow by matrix products, in
    TF 1.15's op order."""
    x, h_prev, w_ru, w_c, b_ru, b_c = op.inputs
    r, u, c, _ = op.outputs
    h_grad = grads[3]
    x_grad, h_prev_grad, c_bar_grad, ru_bar_grad = tf.raw_ops.GRUBlockCellGrad(
        x=x, h_prev=h_prev, w_ru=w_ru, w_c=w_c, b_ru=b_ru, b_c=b_c, r=r, u=u, c=c, d_h=h_grad)
    # The gates saw [x, h_prev]; the candidate saw [x, r * h_prev].
    w_ru_grad = tf.matmul(tf.concat([x, h_prev], 1), ru_bar_grad, transpose_a=True)
    b_ru_grad = tf.raw_ops.BiasAddGrad(out_backprop=ru_bar_grad)
    w_c_grad = tf.matmul(tf.concat([x, h_prev * r], 1), c_bar_grad, transpose_a=True)
    b_c_grad = tf.raw_ops.BiasAddGrad(out_backprop=c_bar_grad)
    return x_grad, h_prev_grad, w_ru_grad, w_c_grad, b_ru_grad, b_c_grad


register_gradient("GRUBlockCell", gru_block_cell_gradient)


class GRUBlockCell(LayerRNNCell):
    """GRU cell computed by one fused GRUBlockCell op per step (GRUCell's math: gates r, u from
    [x, h] with bias initialised to 1, candidate from [x, r * h], h' = u * h + (1 - u) * c).
    Deprecated in TF 1.15 in favour of GRUBlockCellV2, which names its variables like GRUCell."""

    def __init__(self, num_units=None, cell_size=None, reuse=None, name="gru_cell"):
        super(GRUBlockCell, self).__init__(_reuse=reuse, name=name)
        if (cell_size is None) == (num_units is None):
            raise ValueError("Exactly one of num_units or cell_size must be provided.")
        if num_units is None:
            tf.logging.warning("GRUBlockCell: cell_size is deprecated, use num_units instead")
            num_units = cell_size
        self._cell_size = num_units
        self.input_spec = _TF_LAYERS.InputSpec(ndim=2)

    # Variable names: gate kernel, gate bias, candidate kernel, candidate bias.
    _variable_names = ("w_ru", "b_ru", "w_c", "b_c")

    @property
    def state_size(self):
        return self._cell_size

    @property
    def output_size(self):
        return self._cell_size

    def build(self, input_shape):
        input_size = static_dim(input_shape, 1)
        if input_size is None:
            raise ValueError("Expecting input_size to be set.")
        units = self._cell_size
        gate_kernel, gate_bias, candidate_kernel, candidate_bias = self._variable_names
        self._gate_kernel = self.add_weight(gate_kernel, [input_size + units, units * 2])
        self._gate_bias = self.add_weight(gate_bias, [units * 2],
                                          initializer=tf.constant_initializer(1.0))
        self._candidate_kernel = self.add_weight(candidate_kernel, [input_size + units, units])
        self._candidate_bias = self.add_weight(candidate_bias, [units],
                                               initializer=tf.constant_initializer(0.0))
        self.built = True

    def call(self, inputs, h_prev):
        cell_size = h_prev.get_shape().with_rank(2)[1]
        if cell_size != self._cell_size:
            raise ValueError("Shape of h_prev[1] incorrect: cell_size %i vs %s" % (self._cell_size, cell_size))
        _, _, _, new_h = tf.raw_ops.GRUBlockCell(
            x=inputs, h_prev=h_prev, w_ru=self._gate_kernel, w_c=self._candidate_kernel,
            b_ru=self._gate_bias, b_c=self._candidate_bias)
        return new_h, new_h


class GRUBlockCellV2(GRUBlockCell):
    """GRUBlockCell with GRUCell's variable names (`gates/kernel` ... `candidate/bias`)."""

    _variable_names = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")
