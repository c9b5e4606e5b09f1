"""tf.contrib.crf (TF 1.15: contrib/crf/python/ops/crf.py) on TF 2.x: a linear-chain CRF.

Scores, the forward algorithm's log-normaliser and Viterbi decoding, written on tf.compat.v1 with
TF 1.15's ops in TF 1.15's order: `crf_log_likelihood` creates the `transitions` variable with
get_variable's default initializer, so TF 1.15 checkpoints load. A sequence of one step (static or
dynamic) takes the short path TF 1.15 took: no recurrence, no transitions.
"""

import numpy as np
from tensorflow.compat import v1 as tf
from tensorflow.python.framework import smart_cond

from compat._namespace import contrib_attribute

__all__ = ["crf_sequence_score", "crf_log_norm", "crf_log_likelihood", "crf_unary_score",
           "crf_binary_score", "CrfForwardRnnCell", "viterbi_decode", "crf_decode",
           "CrfDecodeForwardRnnCell", "CrfDecodeBackwardRnnCell", "crf_multitag_sequence_score"]

RNNCell = contrib_attribute("rnn", "RNNCell")


def _static_dim(tensor, axis):
    return tf.dimension_value(tensor.shape[axis])


def _if_one_step(inputs, one_step_fn, many_steps_fn):
    """one_step_fn() when inputs (a [batch, time, ...] tensor) has a single step, else many_steps_fn();
    decided in Python when the length is static (the Equal op is made either way, as in TF 1.15)."""
    steps = _static_dim(inputs, 1) or tf.shape(inputs)[1]
    return smart_cond.smart_cond(tf.equal(steps, 1), one_step_fn, many_steps_fn)


def _zero_where_empty(values, sequence_lengths):
    return tf.where(tf.less_equal(sequence_lengths, 0), tf.zeros_like(values), values)


def crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params):
    """[batch] unnormalised scores of the tag sequences `tag_indices` ([batch, time])."""

    def one_step():
        batch = tf.shape(inputs, out_type=tag_indices.dtype)[0]
        rows = tf.reshape(tf.range(batch, dtype=tag_indices.dtype), [-1, 1])
        scores = tf.gather_nd(tf.squeeze(inputs, [1]), tf.concat([rows, tag_indices], axis=1))
        return _zero_where_empty(scores, sequence_lengths)

    def many_steps():
        unary = crf_unary_score(tag_indices, sequence_lengths, inputs)
        binary = crf_binary_score(tag_indices, sequence_lengths, transition_params)
        return unary + binary

    return _if_one_step(inputs, one_step, many_steps)


def crf_multitag_sequence_score(inputs, tag_bitmap, sequence_lengths, transition_params):
    """[batch] log of the summed scores of every tag sequence allowed by `tag_bitmap`
    ([batch, time, num_tags] bool); one-hot bitmaps give crf_sequence_score."""

    def allowed_only():
        return tf.where(tag_bitmap, inputs, tf.fill(tf.shape(inputs), float("-inf")))

    def one_step():
        return tf.reduce_logsumexp(allowed_only(), axis=[1, 2], keepdims=False)

    def many_steps():
        return crf_log_norm(inputs=allowed_only(), sequence_lengths=sequence_lengths,
                            transition_params=transition_params)

    return _if_one_step(inputs, one_step, many_steps)


def crf_log_norm(inputs, sequence_lengths, transition_params):
    """[batch] log partition function: logsumexp over all tag sequences (forward algorithm)."""
    first_step = tf.squeeze(tf.slice(inputs, [0, 0, 0], [-1, 1, -1]), [1])

    def one_step():
        return _zero_where_empty(tf.reduce_logsumexp(first_step, [1]), sequence_lengths)

    def many_steps():
        later_steps = tf.slice(inputs, [0, 1, 0], [-1, -1, -1])
        cell = CrfForwardRnnCell(transition_params)
        transitions_taken = tf.maximum(tf.constant(0, dtype=sequence_lengths.dtype), sequence_lengths - 1)
        _, alphas = tf.nn.dynamic_rnn(cell=cell, inputs=later_steps, sequence_length=transitions_taken,
                                      initial_state=first_step, dtype=tf.float32)
        return _zero_where_empty(tf.reduce_logsumexp(alphas, [1]), sequence_lengths)

    return _if_one_step(inputs, one_step, many_steps)


def crf_log_likelihood(inputs, tag_indices, sequence_lengths, transition_params=None):
    """(log_likelihood [batch], transition_params): creates the [num_tags, num_tags] variable
    `transitions` in the current variable scope when transition_params is None."""
    num_tags = _static_dim(inputs, 2)
    if transition_params is None:
        transition_params = tf.get_variable("transitions", [num_tags, num_tags])
    sequence_scores = crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params)
    log_norm = crf_log_norm(inputs, sequence_lengths, transition_params)
    return sequence_scores - log_norm, transition_params


def crf_unary_score(tag_indices, sequence_lengths, inputs):
    """[batch] sum over the first sequence_lengths steps of inputs[b, t, tag_indices[b, t]]."""
    batch = tf.shape(inputs)[0]
    steps = tf.shape(inputs)[1]
    num_tags = tf.shape(inputs)[2]
    flat_inputs = tf.reshape(inputs, [-1])
    # Position of inputs[b, t, 0] in flat_inputs, for every (b, t).
    starts = tf.expand_dims(tf.range(batch) * steps * num_tags, 1)
    starts += tf.expand_dims(tf.range(steps) * num_tags, 0)
    if tag_indices.dtype == tf.int64:
        starts = tf.cast(starts, tf.int64)
    picked = tf.gather(flat_inputs, tf.reshape(starts + tag_indices, [-1]))
    unary = tf.reshape(picked, [batch, steps])
    mask = tf.sequence_mask(sequence_lengths, maxlen=tf.shape(tag_indices)[1], dtype=tf.float32)
    return tf.reduce_sum(unary * mask, 1)


def crf_binary_score(tag_indices, sequence_lengths, transition_params):
    """[batch] sum of transition_params[tag t-1, tag t] over each sequence's transitions."""
    num_tags = transition_params.get_shape()[0]
    transitions = tf.shape(tag_indices)[1] - 1
    from_tags = tf.slice(tag_indices, [0, 0], [-1, transitions])
    to_tags = tf.slice(tag_indices, [0, 1], [-1, transitions])
    flat_index = from_tags * num_tags + to_tags
    binary = tf.gather(tf.reshape(transition_params, [-1]), flat_index)
    mask = tf.sequence_mask(sequence_lengths, maxlen=tf.shape(tag_indices)[1], dtype=tf.float32)
    return tf.reduce_sum(binary * tf.slice(mask, [0, 1], [-1, -1]), 1)


class _TransitionCell(RNNCell):
    """A weightless cell over [batch, num_tags] states that broadcasts the transition matrix.
    Like TF 1.15's, it skips the base class's constructor and call machinery (no variables)."""

    def __init__(self, transition_params):  # pylint: disable=super-init-not-called
        self._transition_params = tf.expand_dims(transition_params, 0)  # [1, from, to]
        self._num_tags = _static_dim(transition_params, 0)

    @property
    def state_size(self):
        return self._num_tags

    @property
    def output_size(self):
        return self._num_tags

    def _scores(self, state):
        return tf.expand_dims(state, 2) + self._transition_params  # [batch, from, to]


class CrfForwardRnnCell(_TransitionCell):
    """One step of the forward algorithm: new alphas = inputs + logsumexp over the previous tag."""

    def __call__(self, inputs, state, scope=None):
        alphas = inputs + tf.reduce_logsumexp(self._scores(state), [1])
        return alphas, alphas


class CrfDecodeForwardRnnCell(_TransitionCell):
    """One Viterbi step: (backpointers [batch, num_tags] int32, new best scores)."""

    def __call__(self, inputs, state, scope=None):
        scores = self._scores(state)
        best = inputs + tf.reduce_max(scores, [1])
        backpointers = tf.cast(tf.argmax(scores, 1), dtype=tf.int32)
        return backpointers, best


class CrfDecodeBackwardRnnCell(RNNCell):
    """Follows the backpointers one step back: state and output are the [batch, 1] tag."""

    def __init__(self, num_tags):  # pylint: disable=super-init-not-called
        self._num_tags = num_tags

    @property
    def state_size(self):
        return 1

    @property
    def output_size(self):
        return 1

    def __call__(self, inputs, state, scope=None):
        tags = tf.squeeze(state, axis=[1])
        rows = tf.range(tf.shape(inputs)[0])
        previous = tf.expand_dims(tf.gather_nd(inputs, tf.stack([rows, tags], axis=1)), axis=-1)
        return previous, previous


def viterbi_decode(score, transition_params):
    """Numpy Viterbi (outside the graph): (best tag list of len seq_len, its score)."""
    best = np.zeros_like(score)
    backpointers = np.zeros_like(score, dtype=np.int32)
    best[0] = score[0]
    for t in range(1, score.shape[0]):
        through = np.expand_dims(best[t - 1], 1) + transition_params  # [from, to]
        best[t] = score[t] + np.max(through, 0)
        backpointers[t] = np.argmax(through, 0)
    tags = [np.argmax(best[-1])]
    for pointers in backpointers[:0:-1]:
        tags.append(pointers[tags[-1]])
    tags.reverse()
    return tags, np.max(best[-1])


def crf_decode(potentials, transition_params, sequence_length):
    """Viterbi in the graph: (decode_tags [batch, time] int32, best_score [batch])."""

    def one_step():
        squeezed = tf.squeeze(potentials, [1])
        tags = tf.expand_dims(tf.argmax(squeezed, axis=1), 1)
        return tf.cast(tags, dtype=tf.int32), tf.reduce_max(squeezed, axis=1)

    def many_steps():
        num_tags = _static_dim(potentials, 2)
        forward = CrfDecodeForwardRnnCell(transition_params)
        first = tf.squeeze(tf.slice(potentials, [0, 0, 0], [-1, 1, -1]), axis=[1])
        later = tf.slice(potentials, [0, 1, 0], [-1, -1, -1])
        transitions_taken = tf.maximum(tf.constant(0, dtype=sequence_length.dtype), sequence_length - 1)
        backpointers, last_best = tf.nn.dynamic_rnn(forward, inputs=later, sequence_length=transitions_taken,
                                                    initial_state=first, time_major=False, dtype=tf.int32)
        backpointers = tf.reverse_sequence(backpointers, transitions_taken, seq_axis=1)
        last_tag = tf.expand_dims(tf.cast(tf.argmax(last_best, axis=1), dtype=tf.int32), axis=-1)
        earlier_tags, _ = tf.nn.dynamic_rnn(CrfDecodeBackwardRnnCell(num_tags), inputs=backpointers,
                                            sequence_length=transitions_taken, initial_state=last_tag,
                                            time_major=False, dtype=tf.int32)
        tags = tf.concat([last_tag, tf.squeeze(earlier_tags, axis=[2])], axis=1)
        tags = tf.reverse_sequence(tags, sequence_length, seq_axis=1)
        return tags, tf.reduce_max(last_best, axis=1)

    return _if_one_step(potentials, one_step, many_steps)
