"""Monotonic attention (Raffel et al. 2017, "Online and Linear-Time Attention by Enforcing
Monotonic Alignments"): the distribution, and the Bahdanau- and Luong-scored mechanisms."""

import functools

import numpy as np

from compat._runtime import v1_module
from compat.contrib.seq2seq.attention_wrapper.mechanisms import (
    BaseAttentionMechanism, bahdanau_score, bahdanau_variables, dense, leading_dim, luong_scale, luong_score)

tf = v1_module()

__all__ = ["BahdanauMonotonicAttention", "LuongMonotonicAttention", "monotonic_attention", "safe_cumprod"]


def safe_cumprod(x, *args, **kwargs):
    """cumprod as exp(cumsum(log(x))), x clipped to [tiny, 1] (no underflow in it or its gradient);
    further arguments as tf.cumprod's."""
    with tf.name_scope(None, "SafeCumprod", [x]):
        x = tf.convert_to_tensor(x, name="x")
        tiny = np.finfo(x.dtype.as_numpy_dtype).tiny
        return tf.exp(tf.cumsum(tf.log(tf.clip_by_value(x, tiny, 1)), *args, **kwargs))


def monotonic_attention(p_choose_i, previous_attention, mode):
    """The attention over memory [batch, memory_time] given the probabilities of choosing each
    entry and the previous step's attention. mode: "recursive" (tf.scan, exact), "parallel"
    (closed form with cumsum/cumprod, approximate near 0 and 1) or "hard" (p_choose_i all 0 or 1)."""
    p_choose_i = tf.convert_to_tensor(p_choose_i, name="p_choose_i")
    previous_attention = tf.convert_to_tensor(previous_attention, name="previous_attention")
    if mode == "recursive":
        batch_size = leading_dim(p_choose_i, 0)
        # q[i] = (1 - p[i-1]) q[i-1] + previous[i], attention[i] = p[i] q[i]
        one_minus_p_before = tf.concat([tf.ones((batch_size, 1)), 1 - p_choose_i[:, :-1]], 1)
        q = tf.scan(lambda x, yz: tf.reshape(yz[0] * x + yz[1], (batch_size,)),  # reshape: keeps the loop's shape
                    [tf.transpose(one_minus_p_before), tf.transpose(previous_attention)],
                    tf.zeros((batch_size,)))
        return p_choose_i * tf.transpose(q)
    if mode == "parallel":
        cumprod_1mp = safe_cumprod(1 - p_choose_i, axis=1, exclusive=True)
        # the clip keeps the division finite where the product underflows
        return p_choose_i * cumprod_1mp * tf.cumsum(
            previous_attention / tf.clip_by_value(cumprod_1mp, 1e-10, 1.), axis=1)
    if mode == "hard":
        p_choose_i *= tf.cumsum(previous_attention, axis=1)  # nothing before last step's choice
        return p_choose_i * tf.cumprod(1 - p_choose_i, axis=1, exclusive=True)  # only the first choice
    raise ValueError("mode must be 'recursive', 'parallel', or 'hard'.")


def _monotonic_probability_fn(score, previous_alignments, sigmoid_noise, mode, seed=None):
    """Pre-sigmoid noise (when sigmoid_noise > 0), a sigmoid (a step for "hard"), monotonic_attention."""
    if sigmoid_noise > 0:
        score += sigmoid_noise * tf.random_normal(tf.shape(score), dtype=score.dtype, seed=seed)
    if mode == "hard":
        p_choose_i = tf.cast(score > 0, score.dtype)
    else:
        p_choose_i = tf.sigmoid(score)
    return monotonic_attention(p_choose_i, previous_alignments, mode)


class _MonotonicMechanism(BaseAttentionMechanism):
    """A monotonic mechanism: starts with all attention on memory entry 0, adds a learned scalar
    bias (attention_score_bias) to its scores."""

    def __init__(self, with_query_layer, num_units, memory, memory_sequence_length, score_mask_value,
                 sigmoid_noise, sigmoid_noise_seed, score_bias_init, mode, dtype, name):
        dtype = tf.float32 if dtype is None else dtype
        probability_fn = functools.partial(_monotonic_probability_fn, sigmoid_noise=sigmoid_noise, mode=mode,
                                           seed=sigmoid_noise_seed)
        super(_MonotonicMechanism, self).__init__(
            query_layer=dense(num_units, "query_layer", dtype) if with_query_layer else None,
            memory_layer=dense(num_units, "memory_layer", dtype), memory=memory,
            probability_fn=probability_fn, memory_sequence_length=memory_sequence_length,
            score_mask_value=score_mask_value, name=name)
        self._num_units = num_units
        self._score_bias_init = score_bias_init
        self._name = name

    def initial_alignments(self, batch_size, dtype):
        """One-hot on memory entry 0: [batch_size, alignments_size]."""
        return tf.one_hot(tf.zeros((batch_size,), dtype=tf.int32), self._alignments_size, dtype=dtype)

    def _biased(self, score, dtype):
        return score + tf.get_variable("attention_score_bias", dtype=dtype, initializer=self._score_bias_init)


class BahdanauMonotonicAttention(_MonotonicMechanism):
    """Bahdanau scores (optionally normalized), plus a learned bias, then monotonic attention."""

    def __init__(self, num_units, memory, memory_sequence_length=None, normalize=False, score_mask_value=None,
                 sigmoid_noise=0., sigmoid_noise_seed=None, score_bias_init=0., mode="parallel", dtype=None,
                 name="BahdanauMonotonicAttention"):
        super(BahdanauMonotonicAttention, self).__init__(
            True, num_units, memory, memory_sequence_length, score_mask_value, sigmoid_noise,
            sigmoid_noise_seed, score_bias_init, mode, dtype, name)
        self._normalize = normalize

    def __call__(self, query, state):
        """(alignments, next_state) for a [batch_size, query_depth] query."""
        with tf.variable_scope(None, "bahdanau_monotonic_attention", [query]):
            processed_query = self.query_layer(query) if self.query_layer else query
            v, g, b = bahdanau_variables(self._num_units, self._normalize, query.dtype)
            score = bahdanau_score(processed_query, self._keys, v, attention_g=g, attention_b=b)
            score = self._biased(score, processed_query.dtype)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


class LuongMonotonicAttention(_MonotonicMechanism):
    """Luong scores (optionally scaled), plus a learned bias, then monotonic attention."""

    def __init__(self, num_units, memory, memory_sequence_length=None, scale=False, score_mask_value=None,
                 sigmoid_noise=0., sigmoid_noise_seed=None, score_bias_init=0., mode="parallel", dtype=None,
                 name="LuongMonotonicAttention"):
        super(LuongMonotonicAttention, self).__init__(
            False, num_units, memory, memory_sequence_length, score_mask_value, sigmoid_noise,
            sigmoid_noise_seed, score_bias_init, mode, dtype, name)
        self._scale = scale

    def __call__(self, query, state):
        """(alignments, next_state) for a [batch_size, query_depth] query."""
        with tf.variable_scope(None, "luong_monotonic_attention", [query]):
            score = luong_score(query, self._keys, luong_scale(self._scale, query.dtype))
            score = self._biased(score, query.dtype)
        alignments = self._probability_fn(score, state)
        return alignments, alignments
