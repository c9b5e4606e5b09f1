"""The attention mechanisms that score with a softmax: LuongAttention, BahdanauAttention, and
what every mechanism shares (memory masking and projection, score masking), plus hardmax."""

import math

import numpy as np

from compat._runtime import v1_module

tf = v1_module()

__all__ = ["AttentionMechanism", "BahdanauAttention", "LuongAttention", "hardmax"]


def zeros(size, batch_size, dtype):
    """[batch_size, size] zeros built with the ops of TF 1.15's RNN zero states (each of size and
    batch_size a Python int or a scalar tensor), static shape kept where known."""

    def shape_parts():
        return [tf.expand_dims(d, 0) if tf.is_tensor(d) else tf.constant([d], dtype=tf.int32)
                for d in (batch_size, size)]

    result = tf.zeros(tf.concat(shape_parts(), 0), dtype=dtype)
    shape_parts()  # TF 1.15 builds the parts again for the static shape (unused ops; op counts match)
    static = [tf.get_static_value(d) if tf.is_tensor(d) else d for d in (batch_size, size)]
    if all(d is not None for d in static):
        result.set_shape(static)
    return result


def leading_dim(tensor, axis):
    """The static size of `axis`, else its size as a tensor."""
    return tf.dimension_value(tensor.shape[axis]) or tf.shape(tensor)[axis]


def dense(num_units, name, dtype):
    """The bias-free tf.layers.Dense TF 1.15's mechanisms and wrapper project with."""
    return tf.layers.Dense(num_units, name=name, use_bias=False, dtype=dtype)


class AttentionMechanism(object):
    """What AttentionWrapper accepts: sizes of the alignments and of the mechanism's state."""

    @property
    def alignments_size(self):
        raise NotImplementedError

    @property
    def state_size(self):
        raise NotImplementedError


def prepare_memory(memory, memory_sequence_length, check_inner_dims_defined):
    """The memory as tensors, rows past memory_sequence_length zeroed."""
    memory = tf.nest.map_structure(lambda m: tf.convert_to_tensor(m, name="memory"), memory)
    if memory_sequence_length is not None:
        memory_sequence_length = tf.convert_to_tensor(memory_sequence_length, name="memory_sequence_length")
    if check_inner_dims_defined:
        for m in tf.nest.flatten(memory):
            if not m.get_shape()[2:].is_fully_defined():
                raise ValueError("Expected memory %s to have fully defined inner dims, but saw shape: %s"
                                 % (m.name, m.get_shape()))
    if memory_sequence_length is None:
        return memory
    first = tf.nest.flatten(memory)[0]
    mask = tf.sequence_mask(memory_sequence_length, maxlen=tf.shape(first)[1], dtype=first.dtype)

    def masked(m):
        rank = m.get_shape().ndims
        rank = rank if rank is not None else tf.rank(m)
        trailing_ones = tf.ones(rank - 2, dtype=tf.int32)
        return m * tf.reshape(mask, tf.concat((tf.shape(mask), trailing_ones), 0))

    return tf.nest.map_structure(masked, memory)


def mask_score(score, memory_sequence_length, score_mask_value):
    """The score, score_mask_value past each row's memory_sequence_length."""
    if memory_sequence_length is None:
        return score
    message = "All values in memory_sequence_length must be greater than zero."
    with tf.control_dependencies([tf.assert_positive(memory_sequence_length, message=message)]):
        mask = tf.sequence_mask(memory_sequence_length, maxlen=tf.shape(score)[1])
    return tf.where(mask, score, score_mask_value * tf.ones_like(score))


class BaseAttentionMechanism(AttentionMechanism):
    """Keeps the query and memory layers, the masked memory (values) and its projection (keys).
    `probability_fn(score, previous_alignments)` is applied to masked scores."""

    def __init__(self, query_layer, memory, probability_fn, memory_sequence_length=None,
                 memory_layer=None, check_inner_dims_defined=True, score_mask_value=None,
                 custom_key_value_fn=None, name=None):
        for label, layer in (("query_layer", query_layer), ("memory_layer", memory_layer)):
            if layer is not None and not isinstance(layer, tf.layers.Layer):
                raise TypeError("%s is not a Layer: %s" % (label, type(layer).__name__))
        self._query_layer = query_layer
        self._memory_layer = memory_layer
        self.dtype = memory_layer.dtype
        if not callable(probability_fn):
            raise TypeError("probability_fn must be callable, saw type: %s" % type(probability_fn).__name__)
        if score_mask_value is None:
            score_mask_value = tf.as_dtype(self._memory_layer.dtype).as_numpy_dtype(-np.inf)
        self._probability_fn = lambda score, previous: probability_fn(
            mask_score(score, memory_sequence_length, score_mask_value), previous)
        with tf.name_scope(name, "BaseAttentionMechanismInit", tf.nest.flatten(memory)):
            self._values = prepare_memory(memory, memory_sequence_length, check_inner_dims_defined)
            self._keys = self.memory_layer(self._values) if self.memory_layer else self._values
            if custom_key_value_fn is not None:
                self._keys, self._values = custom_key_value_fn(self._keys, self._values)
            self._batch_size = leading_dim(self._keys, 0)
            self._alignments_size = leading_dim(self._keys, 1)

    memory_layer = property(lambda self: self._memory_layer)
    query_layer = property(lambda self: self._query_layer)
    values = property(lambda self: self._values)
    keys = property(lambda self: self._keys)
    batch_size = property(lambda self: self._batch_size)
    alignments_size = property(lambda self: self._alignments_size)
    state_size = property(lambda self: self._alignments_size)

    def initial_alignments(self, batch_size, dtype):
        """Zeros of [batch_size, alignments_size]."""
        return zeros(self._alignments_size, batch_size, dtype)

    def initial_state(self, batch_size, dtype):
        return self.initial_alignments(batch_size, dtype)


def luong_score(query, keys, scale):
    """query . keys over the units, times `scale` when given: [batch_size, max_time]."""
    depth = query.get_shape()[-1]
    key_units = keys.get_shape()[-1]
    if depth != key_units:
        raise ValueError(
            "Incompatible or unknown inner dimensions between query and keys.  "
            "Query (%s) has units: %s.  Keys (%s) have units: %s.  "
            "Perhaps you need to set num_units to the keys' dimension (%s)?"
            % (query, depth, keys, key_units, key_units))
    score = tf.squeeze(tf.matmul(tf.expand_dims(query, 1), keys, transpose_b=True), [1])
    return score if scale is None else scale * score


def luong_scale(scale, dtype):
    """The learned scalar gain `attention_g` (starts at 1) when `scale`, else None."""
    if not scale:
        return None
    return tf.get_variable("attention_g", dtype=dtype, initializer=tf.ones_initializer, shape=())


def bahdanau_score(processed_query, keys, attention_v, attention_g=None, attention_b=None):
    """sum over units of v * tanh(keys + query); with g and b, v is weight-normalised and b added."""
    processed_query = tf.expand_dims(processed_query, 1)
    if attention_g is not None and attention_b is not None:
        normed_v = attention_g * attention_v * tf.rsqrt(tf.reduce_sum(tf.square(attention_v)))
        return tf.reduce_sum(normed_v * tf.tanh(keys + processed_query + attention_b), [2])
    return tf.reduce_sum(attention_v * tf.tanh(keys + processed_query), [2])


def bahdanau_variables(num_units, normalize, dtype):
    """attention_v, and attention_g, attention_b when `normalize` (else None, None)."""
    attention_v = tf.get_variable("attention_v", [num_units], dtype=dtype)
    if not normalize:
        return attention_v, None, None
    attention_g = tf.get_variable("attention_g", dtype=dtype, shape=(),
                                  initializer=tf.constant_initializer(math.sqrt(1. / num_units)))
    attention_b = tf.get_variable("attention_b", [num_units], dtype=dtype, initializer=tf.zeros_initializer())
    return attention_v, attention_g, attention_b


def _ignoring_previous(probability_fn):
    probability_fn = tf.nn.softmax if probability_fn is None else probability_fn
    return lambda score, _: probability_fn(score)


class LuongAttention(BaseAttentionMechanism):
    """Multiplicative attention (Luong et al. 2015); `scale=True` learns a scalar gain. Only the
    memory is projected, so num_units must equal the query's depth."""

    def __init__(self, num_units, memory, memory_sequence_length=None, scale=False, probability_fn=None,
                 score_mask_value=None, dtype=None, custom_key_value_fn=None, name="LuongAttention"):
        dtype = tf.float32 if dtype is None else dtype
        super(LuongAttention, self).__init__(
            query_layer=None, memory_layer=dense(num_units, "memory_layer", dtype), memory=memory,
            probability_fn=_ignoring_previous(probability_fn), memory_sequence_length=memory_sequence_length,
            score_mask_value=score_mask_value, custom_key_value_fn=custom_key_value_fn, name=name)
        self._num_units = num_units
        self._scale = scale
        self._name = name

    def __call__(self, query, state):
        """(alignments, next_state) for a [batch_size, query_depth] query."""
        with tf.variable_scope(None, "luong_attention", [query]):
            score = luong_score(query, self._keys, luong_scale(self._scale, query.dtype))
        alignments = self._probability_fn(score, state)
        return alignments, alignments


class BahdanauAttention(BaseAttentionMechanism):
    """Additive attention (Bahdanau et al. 2015); `normalize=True` weight-normalises it."""

    def __init__(self, num_units, memory, memory_sequence_length=None, normalize=False, probability_fn=None,
                 score_mask_value=None, dtype=None, custom_key_value_fn=None, name="BahdanauAttention"):
        dtype = tf.float32 if dtype is None else dtype
        super(BahdanauAttention, self).__init__(
            query_layer=dense(num_units, "query_layer", dtype), memory_layer=dense(num_units, "memory_layer", dtype),
            memory=memory, probability_fn=_ignoring_previous(probability_fn),
            custom_key_value_fn=custom_key_value_fn, memory_sequence_length=memory_sequence_length,
            score_mask_value=score_mask_value, name=name)
        self._num_units = num_units
        self._normalize = normalize
        self._name = name

    def __call__(self, query, state):
        """(alignments, next_state) for a [batch_size, query_depth] query."""
        with tf.variable_scope(None, "bahdanau_attention", [query]):
            processed_query = self.query_layer(query) if self.query_layer else query
            v, g, b = bahdanau_variables(self._num_units, self._normalize, query.dtype)
            score = bahdanau_score(processed_query, self._keys, v, attention_g=g, attention_b=b)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def hardmax(logits, name=None):
    """One-hot of the largest logit along the last axis (the first, on ties), logits' dtype."""
    with tf.name_scope(name, "Hardmax", [logits]):
        logits = tf.convert_to_tensor(logits, name="logits")
        depth = tf.dimension_value(logits.get_shape()[-1])
        if depth is None:
            depth = tf.shape(logits)[-1]
        return tf.one_hot(tf.argmax(logits, -1), depth, dtype=logits.dtype)
