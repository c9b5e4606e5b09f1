"""AttentionWrapper (an RNNCell: tf_keras's legacy base, as TF 1.15's) and its state."""

import collections

import numpy as np
from tf_keras.src.layers.rnn.legacy_cell_wrappers import assert_like_rnncell

from compat._runtime import v1_module
from compat.contrib.seq2seq.attention_wrapper.mechanisms import AttentionMechanism, dense, leading_dim, zeros

tf = v1_module()

__all__ = ["AttentionWrapper", "AttentionWrapperState"]


def _assert_shape(expected_shape, tensor):
    """An Assert that `tensor` has expected_shape (a list or a shape tensor), as contrib's
    tensor_util built it."""
    with tf.name_scope("assert_shape", values=[tensor]) as scope:
        actual_shape = tf.shape(tensor, name="actual")
        with tf.name_scope("is_shape", values=[tensor]) as is_shape_scope:
            with tf.name_scope("is_rank", values=[tensor]) as is_rank_scope:
                expected_rank = tf.convert_to_tensor(tf.size(expected_shape), name="expected")
                is_rank = tf.equal(expected_rank, tf.rank(tensor, name="actual"), name=is_rank_scope)
            with tf.name_scope("shape_tensor_equal", values=[expected_shape, actual_shape]) as equal_scope:
                same = tf.reduce_all(tf.logical_or(tf.equal(expected_shape, -1),
                                                   tf.equal(expected_shape, actual_shape, "equal"),
                                                   name="exclude_partial_shape"), name=equal_scope)
            is_shape = tf.logical_and(is_rank, same, name=is_shape_scope)
        return tf.Assert(is_shape, ["Wrong shape for %s [expected] [actual]." % tensor.name, expected_shape,
                                    actual_shape], name=scope)


def _with_same_shape(expected, tensor):
    """`tensor`, checked (statically, else by an Assert it depends on) to have `expected`'s shape."""
    with tf.name_scope("%s/" % tensor.op.name, values=[expected, tensor]):
        known = expected.get_shape()
        if known.is_fully_defined():
            expected_shape = np.asarray(known.as_list(), dtype=np.int32)
        else:
            expected_shape = tf.shape(expected, name="expected_shape")
        actual = tensor.get_shape()
        if actual.is_fully_defined() and not tf.is_tensor(expected_shape):
            if not actual.is_compatible_with(expected_shape):
                raise ValueError("Invalid shape for tensor %s, expected %s, got %s."
                                 % (tensor.name, expected_shape, actual))
            return tensor
        with tf.name_scope("%s/" % tensor.op.name, values=[tensor]):
            if not tf.is_tensor(expected_shape) and len(expected_shape) < 1:
                return tf.reshape(tensor, [])
            with tf.control_dependencies([_assert_shape(expected_shape, tensor)]):
                result = tf.identity(tensor)
            if not tf.is_tensor(expected_shape):
                result.set_shape(expected_shape)
            return result


class AttentionWrapperState(collections.namedtuple(
        "AttentionWrapperState",
        ("cell_state", "attention", "time", "alignments", "alignment_history", "attention_state"))):
    """The state of an AttentionWrapper: the wrapped cell's state, the last attention, the step,
    the alignments (one per mechanism), their TensorArray history (when enabled), and each
    mechanism's own state."""

    def clone(self, **kwargs):
        """This state with the fields in kwargs replaced; each new tensor must have the old one's
        shape (checked, and the old static shape given to it)."""

        def same_shape(old, new):
            if isinstance(old, tf.Tensor) and isinstance(new, tf.Tensor):
                if tf.executing_eagerly():
                    if old.shape.as_list() != new.shape.as_list():
                        raise ValueError("The shape of the AttentionWrapperState is expected to be same as the "
                                         "one to clone. self.shape: %s, input.shape: %s" % (old.shape, new.shape))
                    return new
                return _with_same_shape(old, new)
            return new

        return tf.nest.map_structure(same_shape, self, super(AttentionWrapperState, self)._replace(**kwargs))


def compute_attention(attention_mechanism, cell_output, attention_state, attention_layer):
    """(attention, alignments, next_attention_state) of one mechanism for the cell's output: the
    context (alignments . values), through attention_layer with the cell output when given."""
    alignments, next_attention_state = attention_mechanism(cell_output, state=attention_state)
    context = tf.squeeze(tf.matmul(tf.expand_dims(alignments, 1), attention_mechanism.values), [1])
    if attention_layer is not None:
        attention = attention_layer(tf.concat([cell_output, context], 1))
    else:
        attention = context
    return attention, alignments, next_attention_state


_TILE_HINT = ("Are you using the BeamSearchDecoder?  You may need to tile your %s via the "
              "tf.contrib.seq2seq.tile_batch function with argument multiple=beam_width.")


class AttentionWrapper(tf.nn.rnn_cell.RNNCell):
    """Wraps an RNNCell with one or more attention mechanisms. Each step feeds
    cell_input_fn(inputs, previous attention) to the cell, scores the cell output against each
    memory, and emits the attention (the context, or attention_layer(cell output, context))."""

    def __init__(self, cell, attention_mechanism, attention_layer_size=None, alignment_history=False,
                 cell_input_fn=None, output_attention=True, initial_cell_state=None, name=None,
                 attention_layer=None, attention_fn=None, dtype=None):
        super(AttentionWrapper, self).__init__(name=name, dtype=dtype)
        assert_like_rnncell("cell", cell)
        self._is_multi = isinstance(attention_mechanism, (list, tuple))
        mechanisms = tuple(attention_mechanism) if self._is_multi else (attention_mechanism,)
        for mechanism in mechanisms:
            if not isinstance(mechanism, AttentionMechanism):
                raise TypeError(
                    ("attention_mechanism must contain only instances of AttentionMechanism, saw type: %s"
                     if self._is_multi else "attention_mechanism must be an AttentionMechanism or list of "
                     "multiple AttentionMechanism instances, saw type: %s") % type(mechanism).__name__)
        if cell_input_fn is None:
            cell_input_fn = lambda inputs, attention: tf.concat([inputs, attention], -1)  # noqa: E731
        elif not callable(cell_input_fn):
            raise TypeError("cell_input_fn must be callable, saw type: %s" % type(cell_input_fn).__name__)
        if attention_layer_size is not None and attention_layer is not None:
            raise ValueError("Only one of attention_layer_size and attention_layer should be set")

        if attention_layer_size is not None:
            sizes = tuple(attention_layer_size if isinstance(attention_layer_size, (list, tuple))
                          else (attention_layer_size,))
            if len(sizes) != len(mechanisms):
                raise ValueError("If provided, attention_layer_size must contain exactly one integer per "
                                 "attention_mechanism, saw: %d vs %d" % (len(sizes), len(mechanisms)))
            self._attention_layers = tuple(dense(size, "attention_layer", mechanisms[i].dtype)
                                           for i, size in enumerate(sizes))
            self._attention_layer_size = sum(sizes)
        elif attention_layer is not None:
            self._attention_layers = tuple(attention_layer if isinstance(attention_layer, (list, tuple))
                                           else (attention_layer,))
            if len(self._attention_layers) != len(mechanisms):
                raise ValueError("If provided, attention_layer must contain exactly one layer per "
                                 "attention_mechanism, saw: %d vs %d" % (len(self._attention_layers), len(mechanisms)))
            self._attention_layer_size = sum(
                tf.dimension_value(layer.compute_output_shape(
                    [None, cell.output_size + tf.dimension_value(mechanism.values.shape[-1])])[-1])
                for layer, mechanism in zip(self._attention_layers, mechanisms))
        else:
            self._attention_layers = None
            self._attention_layer_size = sum(tf.dimension_value(m.values.shape[-1]) for m in mechanisms)

        self._attention_fn = compute_attention if attention_fn is None else attention_fn
        self._cell = cell
        self._attention_mechanisms = mechanisms
        self._cell_input_fn = cell_input_fn
        self._output_attention = output_attention
        self._alignment_history = alignment_history
        with tf.name_scope(name, "AttentionWrapperInit"):
            if initial_cell_state is None:
                self._initial_cell_state = None
            else:
                last = tf.nest.flatten(initial_cell_state)[-1]
                message = ("When constructing AttentionWrapper %s: Non-matching batch sizes between the "
                           "memory (encoder output) and initial_cell_state.  " % self._base_name
                           + _TILE_HINT % "initial state")
                with tf.control_dependencies(self._batch_size_checks(leading_dim(last, 0), message)):
                    self._initial_cell_state = tf.nest.map_structure(
                        lambda s: tf.identity(s, name="check_initial_cell_state"), initial_cell_state)

    def _batch_size_checks(self, batch_size, error_message):
        return [tf.assert_equal(batch_size, mechanism.batch_size, message=error_message)
                for mechanism in self._attention_mechanisms]

    def _item_or_tuple(self, seq):
        """A tuple when the mechanisms were given as a list, else the one item."""
        items = tuple(seq)
        return items if self._is_multi else items[0]

    @property
    def output_size(self):
        return self._attention_layer_size if self._output_attention else self._cell.output_size

    @property
    def state_size(self):
        mechanisms = self._attention_mechanisms
        return AttentionWrapperState(
            cell_state=self._cell.state_size,
            time=tf.TensorShape([]),
            attention=self._attention_layer_size,
            alignments=self._item_or_tuple(m.alignments_size for m in mechanisms),
            attention_state=self._item_or_tuple(m.state_size for m in mechanisms),
            alignment_history=self._item_or_tuple(  # a TensorArray at run time
                m.alignments_size if self._alignment_history else () for m in mechanisms))

    def zero_state(self, batch_size, dtype):
        """The initial state: the cell's (or initial_cell_state), zero attention, the mechanisms'
        initial alignments, empty histories. batch_size must match the memory's (checked)."""
        with tf.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            if self._initial_cell_state is not None:
                cell_state = self._initial_cell_state
            else:
                cell_state = self._cell.get_initial_state(batch_size=batch_size, dtype=dtype)
            message = ("When calling zero_state of AttentionWrapper %s: Non-matching batch sizes between the "
                       "memory (encoder output) and the requested batch size.  Are you using the "
                       "BeamSearchDecoder?  If so, make sure your encoder output has been tiled to beam_width "
                       "via tf.contrib.seq2seq.tile_batch, and the batch_size= argument passed to zero_state "
                       "is batch_size * beam_width." % self._base_name)
            with tf.control_dependencies(self._batch_size_checks(batch_size, message)):
                cell_state = tf.nest.map_structure(lambda s: tf.identity(s, name="checked_cell_state"), cell_state)
            initial_alignments = [m.initial_alignments(batch_size, dtype) for m in self._attention_mechanisms]
            return AttentionWrapperState(
                cell_state=cell_state,
                time=tf.zeros([], dtype=tf.int32),
                attention=zeros(self._attention_layer_size, batch_size, dtype),
                alignments=self._item_or_tuple(initial_alignments),
                attention_state=self._item_or_tuple(
                    m.initial_state(batch_size, dtype) for m in self._attention_mechanisms),
                alignment_history=self._item_or_tuple(
                    tf.TensorArray(dtype, size=0, dynamic_size=True, element_shape=alignment.shape)
                    if self._alignment_history else () for alignment in initial_alignments))

    def call(self, inputs, state):
        """One step: (attention, or the cell output without output_attention; next state)."""
        if not isinstance(state, AttentionWrapperState):
            raise TypeError("Expected state to be instance of AttentionWrapperState. "
                            "Received type %s instead." % type(state))
        cell_inputs = self._cell_input_fn(inputs, state.attention)
        cell_output, next_cell_state = self._cell(cell_inputs, state.cell_state)
        message = ("When applying AttentionWrapper %s: Non-matching batch sizes between the memory "
                   "(encoder output) and the query (decoder output).  " % self.name + _TILE_HINT % "memory input")
        with tf.control_dependencies(self._batch_size_checks(leading_dim(cell_output, 0), message)):
            cell_output = tf.identity(cell_output, name="checked_cell_output")

        if self._is_multi:
            previous_states, previous_histories = state.attention_state, state.alignment_history
        else:
            previous_states, previous_histories = [state.attention_state], [state.alignment_history]
        alignments, attentions, attention_states, histories = [], [], [], []
        for i, mechanism in enumerate(self._attention_mechanisms):
            attention, alignment, attention_state = self._attention_fn(
                mechanism, cell_output, previous_states[i],
                self._attention_layers[i] if self._attention_layers else None)
            histories.append(previous_histories[i].write(state.time, alignment)
                             if self._alignment_history else ())
            attention_states.append(attention_state)
            alignments.append(alignment)
            attentions.append(attention)

        attention = tf.concat(attentions, 1)
        next_state = AttentionWrapperState(
            time=state.time + 1,
            cell_state=next_cell_state,
            attention=attention,
            attention_state=self._item_or_tuple(attention_states),
            alignments=self._item_or_tuple(alignments),
            alignment_history=self._item_or_tuple(histories))
        return (attention if self._output_attention else cell_output), next_state
