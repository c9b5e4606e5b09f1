"""tf.contrib.seq2seq.BasicDecoder on TensorFlow 2.x (TF 1.15: .../seq2seq/python/ops/basic_decoder.py).

One step: run the cell, apply the optional output layer (a `tf.layers` layer, under compat
tf_keras's TF 1.x layers, so `decoder/dense/kernel` keeps its name), let the Helper sample and
choose the next inputs.
"""

import collections

from tensorflow.compat import v1 as tf
from tensorflow.python.ops.rnn_cell_impl import assert_like_rnncell  # TF's own duck-type check of a cell

from compat._moved import MOVES
from compat._namespace import resolve_target
from compat.contrib.seq2seq import decoder
from compat.contrib.seq2seq.helper import Helper

__all__ = ["BasicDecoderOutput", "BasicDecoder"]

_TF_LAYERS = resolve_target(next(m.target for m in MOVES if m.name == "layers"))


class BasicDecoderOutput(collections.namedtuple("BasicDecoderOutput", ("rnn_output", "sample_id"))):
    pass


def output_size_after(layer, cell_output_size):
    """The cell's output size (nested) as `layer` transforms it; the cell's own without a layer."""
    if layer is None:
        return cell_output_size
    with_batch = tf.nest.map_structure(lambda s: tf.TensorShape([None]).concatenate(s), cell_output_size)
    return tf.nest.map_structure(lambda s: s[1:], layer.compute_output_shape(with_batch))


class BasicDecoder(decoder.Decoder):
    """Basic sampling decoder: a cell, a Helper, an initial state and an optional output layer."""

    def __init__(self, cell, helper, initial_state, output_layer=None):
        assert_like_rnncell("cell", cell)
        if not isinstance(helper, Helper):
            raise TypeError("helper must be a Helper, received: %s" % type(helper))
        if output_layer is not None and not isinstance(output_layer, _TF_LAYERS.Layer):
            raise TypeError("output_layer must be a Layer, received: %s" % type(output_layer))
        self._cell = cell
        self._helper = helper
        self._initial_state = initial_state
        self._output_layer = output_layer

    @property
    def batch_size(self):
        return self._helper.batch_size

    def _rnn_output_size(self):
        return output_size_after(self._output_layer, self._cell.output_size)

    @property
    def output_size(self):
        return BasicDecoderOutput(rnn_output=self._rnn_output_size(), sample_id=self._helper.sample_ids_shape)

    @property
    def output_dtype(self):
        # The outputs take the dtype of the initial state's first tensor.
        dtype = tf.nest.flatten(self._initial_state)[0].dtype
        return BasicDecoderOutput(tf.nest.map_structure(lambda _: dtype, self._rnn_output_size()),
                                  self._helper.sample_ids_dtype)

    def initialize(self, name=None):
        """Returns `(finished, first_inputs, initial_state)`."""
        return self._helper.initialize() + (self._initial_state,)

    def step(self, time, inputs, state, name=None):
        """Returns `(outputs, next_state, next_inputs, finished)`."""
        with tf.name_scope(name, "BasicDecoderStep", (time, inputs, state)):
            cell_outputs, cell_state = self._cell(inputs, state)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            sample_ids = self._helper.sample(time=time, outputs=cell_outputs, state=cell_state)
            finished, next_inputs, next_state = self._helper.next_inputs(
                time=time, outputs=cell_outputs, state=cell_state, sample_ids=sample_ids)
        return BasicDecoderOutput(cell_outputs, sample_ids), next_state, next_inputs, finished
