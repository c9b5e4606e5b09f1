"""tf.contrib.seq2seq.Decoder and dynamic_decode on TensorFlow 2.x (TF 1.15: .../seq2seq/python/ops/decoder.py).

dynamic_decode runs a `Decoder` in a v1 `tf.while_loop` inside a variable scope named "decoder",
so the cell and output layer created in the loop get TF 1.15's names (`decoder/basic_lstm_cell/kernel`,
`decoder/dense/kernel`). TF 1.15's Keras-layer BaseDecoder (an internal class) is not provided.
"""

import abc

from tensorflow.compat import v1 as tf
from tensorflow.python.ops import control_flow_util  # no public API says "am I inside a while/XLA context"

from compat.errors import NotProvidedError

__all__ = ["Decoder", "dynamic_decode"]


def transpose_batch_time(tensor):
    """Swap the first two dimensions of a tensor of rank >= 2 (batch-major <-> time-major)."""
    static_shape = tensor.shape
    if static_shape.ndims is not None and static_shape.ndims < 2:
        return tensor
    perm = tf.concat(([1, 0], tf.range(2, tf.rank(tensor))), axis=0)
    swapped = tf.transpose(tensor, perm)
    if static_shape.ndims is not None:
        swapped.set_shape([static_shape[1], static_shape[0]] + static_shape[2:].as_list())
    else:
        swapped.set_shape(tf.TensorShape(None))
    return swapped


def zeros_for(size, dtype, batch_size):
    """Zeros of shape [batch_size] + size for each (size, dtype) leaf of a nested structure."""
    static_batch = tf.get_static_value(batch_size) if isinstance(batch_size, tf.Tensor) else batch_size

    def shape_tensors(leaf_shape):
        if isinstance(batch_size, tf.Tensor):
            batch_dims = tf.expand_dims(batch_size, 0) if batch_size.shape.ndims == 0 else batch_size
        else:
            batch_dims = tf.constant([batch_size], dtype=tf.int32)
        return batch_dims, tf.constant(leaf_shape.as_list(), dtype=tf.int32)

    def one(leaf_size, leaf_dtype):
        shape = tf.TensorShape(leaf_size)
        if not shape.is_fully_defined():
            raise ValueError("Provided a prefix or suffix of None: %s and %s" % (batch_size, leaf_size))
        zeros = tf.zeros(tf.concat(shape_tensors(shape), 0), dtype=leaf_dtype)
        shape_tensors(shape)  # unused: TF 1.15 built these once more for the static shape (op counts)
        zeros.set_shape(tf.TensorShape([static_batch]).concatenate(shape))
        return zeros
    return tf.nest.map_structure(one, size, dtype)


class Decoder(abc.ABC):
    """The interface dynamic_decode drives: initialize() once, then step() until finished."""

    @property
    def batch_size(self):
        raise NotImplementedError

    @property
    def output_size(self):
        """A (nested) int or TensorShape per output, without the batch dimension."""
        raise NotImplementedError

    @property
    def output_dtype(self):
        raise NotImplementedError

    @abc.abstractmethod
    def initialize(self, name=None):
        """Returns `(finished, initial_inputs, initial_state)`."""
        raise NotImplementedError

    @abc.abstractmethod
    def step(self, time, inputs, state, name=None):
        """Returns `(outputs, next_state, next_inputs, finished)`."""
        raise NotImplementedError

    def finalize(self, outputs, final_state, sequence_lengths):
        """Optional: returns `(final_outputs, final_state)`."""
        raise NotImplementedError

    @property
    def tracks_own_finished(self):
        """True when the decoder reorders batch entries (beam search) and keeps `finished` itself."""
        return False


def _loop_context_flags():
    context = tf.get_default_graph()._get_control_flow_context()  # noqa: SLF001 (TF's own accessor)
    in_xla = control_flow_util.GetContainingXLAContext(context) is not None
    in_while = control_flow_util.GetContainingWhileContext(context) is not None
    return in_xla, in_while


def _element_shape(batch_size, size):
    """Static element shape of an output TensorArray: [batch] + size, or unknown for scalars."""
    if not isinstance(size, tf.TensorShape) or size.ndims == 0:
        return None
    static_batch = tf.get_static_value(tf.convert_to_tensor(batch_size, name="batch_size"))
    return tf.TensorShape([static_batch]).concatenate(size)


def dynamic_decode(decoder, output_time_major=False, impute_finished=False, maximum_iterations=None,
                   parallel_iterations=32, swap_memory=False, scope=None, **kwargs):
    """Run `decoder` to completion; returns `(final_outputs, final_state, final_sequence_lengths)`."""
    if not isinstance(decoder, Decoder):
        raise TypeError("Expected decoder to be type Decoder, but saw: %s" % type(decoder))
    if kwargs:
        raise NotProvidedError(
            "tf.contrib.seq2seq.dynamic_decode(%s=...)" % ", ".join(sorted(kwargs)),
            "TF 1.15 read these keywords only for its internal Keras BaseDecoder, which compat does not "
            "provide; call dynamic_decode(decoder, ...) without them")

    with tf.variable_scope(scope, "decoder") as varscope:
        in_xla, in_while = _loop_context_flags()
        # Cache variable reads once per step; not inside an outer while_loop, whose iterations
        # could update the weights between reads.
        if not in_while and varscope.caching_device is None:
            varscope.set_caching_device(lambda op: op.device)

        if maximum_iterations is not None:
            maximum_iterations = tf.convert_to_tensor(maximum_iterations, dtype=tf.int32,
                                                      name="maximum_iterations")
            if maximum_iterations.shape.ndims != 0:
                raise ValueError("maximum_iterations must be a scalar")

        initial_finished, initial_inputs, initial_state = decoder.initialize()
        zero_outputs = zeros_for(decoder.output_size, decoder.output_dtype, decoder.batch_size)

        if in_xla and maximum_iterations is None:
            raise ValueError("maximum_iterations is required for XLA compilation.")
        if maximum_iterations is not None:
            initial_finished = tf.logical_or(initial_finished, 0 >= maximum_iterations)
        initial_lengths = tf.zeros_like(initial_finished, dtype=tf.int32)
        initial_time = tf.constant(0, dtype=tf.int32)

        dynamic_size = maximum_iterations is None or not in_xla
        initial_outputs_ta = tf.nest.map_structure(
            lambda size, dtype: tf.TensorArray(
                dtype=dtype, size=0 if dynamic_size else maximum_iterations, dynamic_size=dynamic_size,
                element_shape=_element_shape(decoder.batch_size, size)),
            decoder.output_size, decoder.output_dtype)

        def not_all_finished(time, outputs_ta, state, inputs, finished, lengths):
            del time, outputs_ta, state, inputs, lengths
            return tf.logical_not(tf.reduce_all(finished))

        def one_step(time, outputs_ta, state, inputs, finished, lengths):
            outputs, decoder_state, next_inputs, decoder_finished = decoder.step(time, inputs, state)
            if decoder.tracks_own_finished:
                next_finished = decoder_finished
            else:
                next_finished = tf.logical_or(decoder_finished, finished)
            next_lengths = tf.where(tf.logical_not(finished), tf.fill(tf.shape(lengths), time + 1), lengths)

            tf.nest.assert_same_structure(state, decoder_state)
            tf.nest.assert_same_structure(outputs_ta, outputs)
            tf.nest.assert_same_structure(inputs, next_inputs)

            if impute_finished:  # finished entries emit zeros and keep their last state
                outputs = tf.nest.map_structure(lambda out, zero: tf.where(finished, zero, out),
                                                outputs, zero_outputs)
                decoder_state = tf.nest.map_structure(
                    lambda new, old: _keep_finished(finished, new, old), decoder_state, state)
            outputs_ta = tf.nest.map_structure(lambda ta, out: ta.write(time, out), outputs_ta, outputs)
            return time + 1, outputs_ta, decoder_state, next_inputs, next_finished, next_lengths

        loop_result = tf.while_loop(
            not_all_finished, one_step,
            loop_vars=(initial_time, initial_outputs_ta, initial_state, initial_inputs, initial_finished,
                       initial_lengths),
            parallel_iterations=parallel_iterations, maximum_iterations=maximum_iterations,
            swap_memory=swap_memory)

        final_state, final_lengths = loop_result[2], loop_result[5]
        final_outputs = tf.nest.map_structure(lambda ta: ta.stack(), loop_result[1])
        try:
            final_outputs, final_state = decoder.finalize(final_outputs, final_state, final_lengths)
        except NotImplementedError:
            pass
        if not output_time_major:
            final_outputs = tf.nest.map_structure(transpose_batch_time, final_outputs)
    return final_outputs, final_state, final_lengths


def _keep_finished(finished, new, old):
    """`old` where finished, `new` elsewhere; TensorArrays and scalars pass through as `new`."""
    if isinstance(old, tf.TensorArray):
        return new
    new.set_shape(old.shape)
    if new.shape.ndims == 0:
        return new
    return tf.where(finished, old, new)
