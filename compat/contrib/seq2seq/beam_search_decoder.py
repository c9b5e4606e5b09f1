"""tf.contrib.seq2seq.BeamSearchDecoder on TensorFlow 2.x (TF 1.15: .../seq2seq/python/ops/beam_search_decoder.py).

Beam search over any RNN cell, with TF 1.15's scoring: log-probabilities divided by the GNMT length
penalty ((5 + length) / 6) ** length_penalty_weight, plus the coverage penalty when the cell is an
AttentionWrapper. The cell runs on [batch * beam_width, ...] tensors (tile the encoder state
with tile_batch); the search keeps them as [batch, beam_width, ...].
"""

import collections

from tensorflow.compat import v1 as tf
from tensorflow.python.ops.rnn_cell_impl import assert_like_rnncell  # TF's own duck-type check of a cell

from compat._moved import MOVES
from compat._namespace import resolve_target
from compat.contrib.seq2seq import decoder
from compat.contrib.seq2seq.basic_decoder import output_size_after
from compat.contrib.seq2seq.beam_search_ops import gather_tree, gather_tree_from_array
from compat.contrib.seq2seq.helper import embedding_fn_for

__all__ = ["BeamSearchDecoderOutput", "BeamSearchDecoderState", "BeamSearchDecoder",
           "FinalBeamSearchDecoderOutput", "tile_batch"]

_KERAS = resolve_target(next(m.target for m in MOVES if m.name == "keras"))


class BeamSearchDecoderState(collections.namedtuple(
        "BeamSearchDecoderState", ("cell_state", "log_probs", "finished", "lengths", "accumulated_attention_probs"))):
    pass


class BeamSearchDecoderOutput(collections.namedtuple("BeamSearchDecoderOutput",
                                                     ("scores", "predicted_ids", "parent_ids"))):
    pass


class FinalBeamSearchDecoderOutput(collections.namedtuple("FinalBeamDecoderOutput",
                                                          ["predicted_ids", "beam_search_decoder_output"])):
    """predicted_ids: [batch, time, beam_width] (best beam first); beam_search_decoder_output: the
    per-step BeamSearchDecoderOutput."""


def _tile_one(t, multiplier):
    t = tf.convert_to_tensor(t, name="t")
    shape = tf.shape(t)
    if t.shape.ndims is None or t.shape.ndims < 1:
        raise ValueError("t must have statically known rank")
    multiples = [1] * (t.shape.ndims + 1)
    multiples[1] = multiplier
    static_batch = t.shape.dims[0].value
    tiled = tf.tile(tf.expand_dims(t, 1), multiples)
    tiled = tf.reshape(tiled, tf.concat(([shape[0] * multiplier], shape[1:]), 0))
    tiled.set_shape(tf.TensorShape([None if static_batch is None else static_batch * multiplier])
                    .concatenate(t.shape[1:]))
    return tiled


def tile_batch(t, multiplier, name=None):
    """Repeat each batch entry `multiplier` times in a row: [b0, b0, b1, b1, ...] (nested OK)."""
    with tf.name_scope(name, "tile_batch", tf.nest.flatten(t) + [multiplier]):
        return tf.nest.map_structure(lambda one: _tile_one(one, multiplier), t)


def _check_ndims(t):
    if t.shape.ndims is None:
        raise ValueError("Expected tensor (%s) to have known rank, but ndims == None." % t)


def _fits_batch_beam(shape, batch_size, beam_width):
    """False (with TF 1.15's warning) when a static element shape cannot be [batch, beam, -1]."""
    if (batch_size is not None and shape.dims[0].value is not None
            and (shape[0] != batch_size * beam_width
                 or (shape.ndims >= 2 and shape.dims[1].value is not None
                     and (shape[0] != batch_size or shape[1] != beam_width)))):
        tf.logging.warn("TensorArray reordering expects elements to be reshapable to %s which is incompatible "
                        "with the current shape %s. Consider setting reorder_tensor_arrays to False to disable "
                        "TensorArray reordering during the beam search."
                        % (tf.TensorShape([batch_size, beam_width, None]), shape))
        return False
    return True


def _assert_batch_beam(t, batch_size, beam_width):
    message = ("TensorArray reordering expects elements to be reshapable to [batch_size, beam_size, -1] which is "
               "incompatible with the dynamic shape of %s elements. Consider setting reorder_tensor_arrays to "
               "False to disable TensorArray reordering during the beam search." % t.name)
    shape = tf.shape(t)
    if t.shape.ndims == 2:
        condition = tf.equal(shape[1], batch_size * beam_width)
    else:
        condition = tf.logical_or(tf.equal(shape[1], batch_size * beam_width),
                                  tf.logical_and(tf.equal(shape[1], batch_size), tf.equal(shape[2], beam_width)))
    return tf.Assert(condition, [message])


class BeamSearchDecoder(decoder.Decoder):
    """Beam search decoding. With an AttentionWrapper cell, tile the memory and the initial
    state with tile_batch and build the zero state with batch_size = batch * beam_width."""

    def __init__(self, cell, embedding, start_tokens, end_token, initial_state, beam_width, output_layer=None,
                 length_penalty_weight=0.0, coverage_penalty_weight=0.0, reorder_tensor_arrays=True):
        assert_like_rnncell("cell", cell)
        if output_layer is not None and not isinstance(output_layer, _KERAS.layers.Layer):
            raise TypeError("output_layer must be a Layer, received: %s" % type(output_layer))
        self._cell = cell
        self._output_layer = output_layer
        self._reorder_tensor_arrays = reorder_tensor_arrays
        self._beam_width = beam_width
        self._length_penalty_weight = length_penalty_weight
        self._coverage_penalty_weight = coverage_penalty_weight
        self._embedding_fn = embedding_fn_for(embedding)

        self._start_tokens = tf.convert_to_tensor(start_tokens, dtype=tf.int32, name="start_tokens")
        if self._start_tokens.shape.ndims != 1:
            raise ValueError("start_tokens must be a vector")
        self._end_token = tf.convert_to_tensor(end_token, dtype=tf.int32, name="end_token")
        if self._end_token.shape.ndims != 0:
            raise ValueError("end_token must be a scalar")

        self._batch_size = tf.size(start_tokens)
        self._initial_cell_state = tf.nest.map_structure(self._maybe_split_batch_beams, initial_state,
                                                         self._cell.state_size)
        self._start_tokens = tf.tile(tf.expand_dims(self._start_tokens, 1), [1, self._beam_width])
        self._start_inputs = self._embedding_fn(self._start_tokens)
        # Only beam 0 is live at the start: the others would repeat it.
        self._finished = tf.one_hot(tf.zeros([self._batch_size], dtype=tf.int32), depth=self._beam_width,
                                    on_value=False, off_value=True, dtype=tf.bool)

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def tracks_own_finished(self):
        """Beams are reordered every step, so dynamic_decode must not OR `finished` over time."""
        return True

    @property
    def output_size(self):
        beams = tf.TensorShape([self._beam_width])
        return BeamSearchDecoderOutput(scores=beams, predicted_ids=beams, parent_ids=beams)

    @property
    def output_dtype(self):
        dtype = tf.nest.flatten(self._initial_cell_state)[0].dtype
        return BeamSearchDecoderOutput(
            scores=tf.nest.map_structure(lambda _: dtype, output_size_after(self._output_layer, self._cell.output_size)),
            predicted_ids=tf.int32, parent_ids=tf.int32)

    def initialize(self, name=None):
        """Returns `(finished, start_inputs, initial_state)`."""
        dtype = tf.nest.flatten(self._initial_cell_state)[0].dtype
        log_probs = tf.one_hot(tf.zeros([self._batch_size], dtype=tf.int32), depth=self._beam_width,
                               on_value=tf.convert_to_tensor(0.0, dtype=dtype),
                               off_value=tf.convert_to_tensor(float("-inf"), dtype=dtype), dtype=dtype)
        attention_probs = attention_probs_of(self._initial_cell_state, self._coverage_penalty_weight)
        initial_state = BeamSearchDecoderState(
            cell_state=self._initial_cell_state, log_probs=log_probs, finished=self._finished,
            lengths=tf.zeros([self._batch_size, self._beam_width], dtype=tf.int64),
            accumulated_attention_probs=() if attention_probs is None else attention_probs)
        return self._finished, self._start_inputs, initial_state

    def finalize(self, outputs, final_state, sequence_lengths):
        """predicted_ids traced back with gather_tree (lengths from final_state, not `sequence_lengths`)."""
        del sequence_lengths
        max_lengths = tf.cast(tf.reduce_max(final_state.lengths, axis=1), tf.int32)
        predicted_ids = gather_tree(outputs.predicted_ids, outputs.parent_ids, max_sequence_lengths=max_lengths,
                                    end_token=self._end_token)
        if self._reorder_tensor_arrays:
            final_state = final_state._replace(cell_state=tf.nest.map_structure(
                lambda t: self._maybe_sort_array_beams(t, outputs.parent_ids, final_state.lengths),
                final_state.cell_state))
        return FinalBeamSearchDecoderOutput(beam_search_decoder_output=outputs, predicted_ids=predicted_ids), final_state

    # --- [batch * beam, ...] <-> [batch, beam, ...] ------------------------------------------------

    def _static_batch(self):
        return tf.get_static_value(self._batch_size)

    def _merge_batch_beams(self, t, s=None):
        s = tf.TensorShape(tf.get_static_value(s)) if isinstance(s, tf.Tensor) else tf.TensorShape(s)
        t_shape = tf.shape(t)
        static_batch = self._static_batch()
        merged = tf.reshape(t, tf.concat(([self._batch_size * self._beam_width], t_shape[2:]), 0))
        merged.set_shape(tf.TensorShape([None if static_batch is None else static_batch * self._beam_width])
                         .concatenate(s))
        return merged

    def _split_batch_beams(self, t, s=None):
        s = tf.TensorShape(tf.get_static_value(s)) if isinstance(s, tf.Tensor) else tf.TensorShape(s)
        t_shape = tf.shape(t)
        split = tf.reshape(t, tf.concat(([self._batch_size, self._beam_width], t_shape[1:]), 0))
        expected = tf.TensorShape([self._static_batch(), self._beam_width]).concatenate(s)
        if not split.shape.is_compatible_with(expected):
            raise ValueError("Unexpected behavior when reshaping between beam width and batch size.  The reshaped "
                             "tensor has shape: %s.  We expected it to have shape (batch_size, beam_width, depth) "
                             "== %s.  Perhaps you forgot to create a zero_state with batch_size=encoder_batch_size "
                             "* beam_width?" % (split.shape, expected))
        split.set_shape(expected)
        return split

    def _maybe_split_batch_beams(self, t, s):
        if isinstance(t, tf.TensorArray):
            return t
        _check_ndims(t)
        return self._split_batch_beams(t, s) if t.shape.ndims >= 1 else t

    def _maybe_merge_batch_beams(self, t, s):
        if isinstance(t, tf.TensorArray):
            return t
        _check_ndims(t)
        return self._merge_batch_beams(t, s) if t.shape.ndims >= 2 else t

    def _maybe_sort_array_beams(self, t, parent_ids, sequence_length):
        """A TensorArray of the cell state, stacked and put in beam order; anything else as is."""
        if not isinstance(t, tf.TensorArray):
            return t
        if t.element_shape.ndims is None or t.element_shape.ndims < 1:
            tf.logging.warn("The TensorArray %s in the cell state is not amenable to sorting based on the beam "
                            "search result. For a TensorArray to be sorted, its elements shape must be defined "
                            "and have at least a rank of 1, but saw shape: %s" % (t.handle.name, t.element_shape))
            return t
        if not _fits_batch_beam(t.element_shape, self._static_batch(), self._beam_width):
            return t
        t = t.stack()
        with tf.control_dependencies([_assert_batch_beam(t, self._batch_size, self._beam_width)]):
            return gather_tree_from_array(t, parent_ids, sequence_length)

    def step(self, time, inputs, state, name=None):
        """Returns `(outputs, next_state, next_inputs, finished)`."""
        with tf.name_scope(name, "BeamSearchDecoderStep", (time, inputs, state)):
            inputs = tf.nest.map_structure(lambda inp: self._merge_batch_beams(inp, s=inp.shape[2:]), inputs)
            cell_state = tf.nest.map_structure(self._maybe_merge_batch_beams, state.cell_state,
                                               self._cell.state_size)
            cell_outputs, next_cell_state = self._cell(inputs, cell_state)
            cell_outputs = tf.nest.map_structure(lambda out: self._split_batch_beams(out, out.shape[1:]),
                                                 cell_outputs)
            next_cell_state = tf.nest.map_structure(self._maybe_split_batch_beams, next_cell_state,
                                                    self._cell.state_size)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            output, next_state = _beam_search_step(
                time=time, logits=cell_outputs, next_cell_state=next_cell_state, beam_state=state,
                batch_size=self._batch_size, beam_width=self._beam_width, end_token=self._end_token,
                length_penalty_weight=self._length_penalty_weight,
                coverage_penalty_weight=self._coverage_penalty_weight)
            finished = next_state.finished
            next_inputs = tf.cond(tf.reduce_all(finished), lambda: self._start_inputs,
                                  lambda: self._embedding_fn(output.predicted_ids))
        return output, next_state, next_inputs, finished



# --- one step of the search ------------------------------------------------------------------------

def _beam_search_step(time, logits, next_cell_state, beam_state, batch_size, beam_width, end_token,
                      length_penalty_weight, coverage_penalty_weight):
    """Extend every live beam by every word, keep the beam_width best scores per batch entry."""
    static_batch = tf.get_static_value(batch_size)
    lengths = beam_state.lengths
    previously_finished = beam_state.finished
    not_finished = tf.logical_not(previously_finished)

    # Finished beams can only continue with end_token, at no cost.
    step_log_probs = _mask_finished(tf.nn.log_softmax(logits), end_token, previously_finished)
    total_probs = tf.expand_dims(beam_state.log_probs, 2) + step_log_probs  # [batch, beam, vocab]

    vocab_size = logits.shape.dims[-1].value or tf.shape(logits)[-1]
    # A continuation is one word longer unless it is end_token or the beam had finished.
    lengths_to_add = tf.one_hot(indices=tf.fill([batch_size, beam_width], end_token), depth=vocab_size,
                                on_value=tf.to_int64(0), off_value=tf.to_int64(1), dtype=tf.int64)
    lengths_to_add *= tf.expand_dims(tf.cast(not_finished, tf.int64), 2)
    candidate_lengths = lengths_to_add + tf.expand_dims(lengths, 2)

    accumulated_attention_probs = None
    attention_probs = attention_probs_of(next_cell_state, coverage_penalty_weight)
    if attention_probs is not None:
        attention_probs *= tf.expand_dims(tf.cast(not_finished, tf.float32), 2)
        accumulated_attention_probs = beam_state.accumulated_attention_probs + attention_probs

    scores = _scores(total_probs, candidate_lengths, length_penalty_weight, coverage_penalty_weight,
                     previously_finished, accumulated_attention_probs)
    scores_flat = tf.reshape(scores, [batch_size, -1])
    next_beam_scores, word_indices = tf.nn.top_k(
        scores_flat, k=tf.convert_to_tensor(beam_width, dtype=tf.int32, name="beam_width"))
    next_beam_scores.set_shape([static_batch, beam_width])
    word_indices.set_shape([static_batch, beam_width])

    next_beam_probs = _gather_beams(word_indices, total_probs, batch_size, beam_width * vocab_size, [-1],
                                    name="next_beam_probs")
    next_word_ids = tf.cast(tf.mod(word_indices, vocab_size, name="next_beam_word_ids"), tf.int32)
    next_beam_ids = tf.cast(word_indices / vocab_size, tf.int32, name="next_beam_parent_ids")

    previously_finished = _gather_beams(next_beam_ids, previously_finished, batch_size, beam_width, [-1])
    next_finished = tf.logical_or(previously_finished, tf.equal(next_word_ids, end_token),
                                  name="next_beam_finished")
    lengths_to_add = tf.cast(tf.logical_not(previously_finished), tf.int64)
    next_lengths = _gather_beams(next_beam_ids, lengths, batch_size, beam_width, [-1])
    next_lengths += lengths_to_add
    next_accumulated_attention_probs = ()
    if accumulated_attention_probs is not None:
        next_accumulated_attention_probs = _gather_beams(
            next_beam_ids, accumulated_attention_probs, batch_size, beam_width, [batch_size * beam_width, -1],
            name="next_accumulated_attention_probs")
    # Cell state tensors keep their depth dimensions: gather whole [batch * beam, -1] rows.
    next_cell_state = tf.nest.map_structure(
        lambda state: _maybe_gather_beams(next_beam_ids, state, batch_size, beam_width,
                                          [batch_size * beam_width, -1]),
        next_cell_state)

    next_state = BeamSearchDecoderState(cell_state=next_cell_state, log_probs=next_beam_probs,
                                        lengths=next_lengths, finished=next_finished,
                                        accumulated_attention_probs=next_accumulated_attention_probs)
    return BeamSearchDecoderOutput(scores=next_beam_scores, predicted_ids=next_word_ids,
                                   parent_ids=next_beam_ids), next_state


def attention_probs_of(cell_state, coverage_penalty_weight):
    """[batch, beam, memory_time] attention of the AttentionWrapperState(s) in `cell_state` (the
    mean over several), or None when the coverage penalty is off."""
    if coverage_penalty_weight == 0.0:
        return None
    from compat.contrib.seq2seq import attention_wrapper  # only the coverage penalty needs it

    states = cell_state if isinstance(cell_state, tuple) else ()
    if isinstance(cell_state, attention_wrapper.AttentionWrapperState):
        states = (cell_state,)
    per_layer = [_mean_alignments(s) for s in states if isinstance(s, attention_wrapper.AttentionWrapperState)]
    if not per_layer:
        raise ValueError("coverage_penalty_weight must be 0.0 if no cell is attentional.")
    return per_layer[0] if len(per_layer) == 1 else _mean_of(per_layer)


def _mean_of(tensors):
    return tf.reduce_mean(tf.concat([tf.expand_dims(t, -1) for t in tensors], -1), -1)


def _mean_alignments(attention_state):
    alignments = attention_state.alignments
    return _mean_of(alignments) if isinstance(alignments, tuple) else alignments


def _scores(log_probs, lengths, length_penalty_weight, coverage_penalty_weight, finished,
            accumulated_attention_probs):
    """log_probs / length penalty, plus the weighted coverage penalty of finished beams."""
    penalty = tf.cast(_length_penalty(lengths, length_penalty_weight), dtype=log_probs.dtype)
    scores = log_probs / penalty
    coverage_penalty_weight = tf.convert_to_tensor(coverage_penalty_weight, name="coverage_penalty_weight")
    if coverage_penalty_weight.shape.ndims != 0:
        raise ValueError("coverage_penalty_weight should be a scalar, but saw shape: %s"
                         % coverage_penalty_weight.shape)
    if tf.get_static_value(coverage_penalty_weight) == 0.0:
        return scores
    if accumulated_attention_probs is None:
        raise ValueError("accumulated_attention_probs can be None only if coverage penalty is disabled.")
    # Memory positions never attended (masked padding) count as fully covered.
    probs = tf.where(tf.equal(accumulated_attention_probs, 0.0), tf.ones_like(accumulated_attention_probs),
                     accumulated_attention_probs)
    coverage = tf.reduce_sum(tf.log(tf.minimum(probs, 1.0)), 2)
    coverage *= tf.cast(finished, tf.float32)
    return scores + tf.expand_dims(coverage * coverage_penalty_weight, 2)


def _length_penalty(lengths, penalty_factor):
    """((5 + lengths) / 6) ** penalty_factor (https://arxiv.org/abs/1609.08144); 1.0 when it is 0."""
    penalty_factor = tf.convert_to_tensor(penalty_factor, name="penalty_factor")
    penalty_factor.set_shape(())
    static = tf.get_static_value(penalty_factor)
    if static is not None and static == 0:
        return 1.0
    return tf.div((5. + tf.cast(lengths, tf.float32)) ** penalty_factor, (5. + 1.) ** penalty_factor)


def _mask_finished(log_probs, end_token, finished):
    """Rows of finished beams become 0 at end_token and the dtype's lowest value elsewhere."""
    vocab_size = tf.shape(log_probs)[2]
    end_row = tf.one_hot(end_token, vocab_size, dtype=log_probs.dtype,
                         on_value=tf.convert_to_tensor(0., dtype=log_probs.dtype), off_value=log_probs.dtype.min)
    end_rows = tf.tile(tf.reshape(end_row, [1, 1, -1]), tf.concat([tf.shape(finished), [1]], 0))
    finished_mask = tf.tile(tf.expand_dims(finished, 2), [1, 1, vocab_size])
    return tf.where(finished_mask, end_rows, log_probs)


def _maybe_gather_beams(indices, gather_from, batch_size, range_size, gather_shape):
    """_gather_beams for tensors of rank >= len(gather_shape); TensorArrays and scalars as is."""
    if isinstance(gather_from, tf.TensorArray):
        return gather_from
    _check_ndims(gather_from)
    if gather_from.shape.ndims < len(gather_shape):
        return gather_from
    return _gather_beams(indices, gather_from, batch_size, range_size, gather_shape)


def _gather_beams(indices, gather_from, batch_size, range_size, gather_shape, name=None):
    """For each batch entry b, rows `indices[b]` of gather_from[b] (flattened to gather_shape)."""
    with tf.name_scope(name, "tensor_gather_helper"):
        offsets = tf.expand_dims(tf.range(batch_size) * range_size, 1)
        flat_indices = tf.reshape(indices + offsets, [-1])
        output = tf.gather(tf.reshape(gather_from, gather_shape), flat_indices)
        final_shape = tf.shape(gather_from)[:1 + len(gather_shape)]
        static_shape = tf.TensorShape([tf.get_static_value(batch_size)]).concatenate(
            gather_from.shape[1:1 + len(gather_shape)])
        output = tf.reshape(output, final_shape, name="output")
        output.set_shape(static_shape)
        return output
