"""tf.contrib.layers' summary helpers (TF 1.15: contrib/layers/python/layers/summaries.py).

Scalars for 0-d tensors, histograms otherwise, tagged `<op name>_summary` unless given a tag;
activations also get the fraction of zeros (relu, softplus, relu6) and of sixes (relu6).
"""

import re

from tensorflow.compat import v1 as tf

__all__ = ["summarize_activation", "summarize_activations", "summarize_biases", "summarize_collection",
           "summarize_tensor", "summarize_tensors", "summarize_variables", "summarize_weights"]


def _scalar_summary(tensor, tag=None):
    tensor.get_shape().assert_has_rank(0)
    return tf.summary.scalar(tag or "%s_summary" % tensor.op.name, tensor)


def _histogram_summary(tensor, tag=None):
    return tf.summary.histogram(tag or "%s_summary" % tensor.op.name, tensor)


def _fraction(condition):
    return tf.reduce_mean(tf.cast(condition, tf.float32))


def summarize_activation(op):
    """Histogram `<op>/activation`, plus `<op>/zeros` (and `<op>/sixes` for relu6)."""
    pre_activation = op.op.inputs[0] if op.op.inputs else None
    if op.op.type in ("Relu", "Softplus", "Relu6"):
        _scalar_summary(_fraction(tf.less(pre_activation, tf.cast(0.0, pre_activation.dtype))),
                        "%s/zeros" % op.op.name)
    if op.op.type == "Relu6":
        _scalar_summary(_fraction(tf.greater(pre_activation, tf.cast(6.0, pre_activation.dtype))),
                        "%s/sixes" % op.op.name)
    return _histogram_summary(op, "%s/activation" % op.op.name)


def summarize_tensor(tensor, tag=None):
    """A scalar summary for a 0-d tensor, a histogram otherwise; None for strings and bools."""
    if tensor.dtype.is_compatible_with(tf.string) or tensor.dtype.base_dtype == tf.bool:
        return None
    if tensor.get_shape().ndims == 0:
        return _scalar_summary(tensor, tag)
    return _histogram_summary(tensor, tag)


def summarize_tensors(tensors, summarizer=summarize_tensor):
    return [summarizer(tensor) for tensor in tensors]


def summarize_collection(collection, name_filter=None, summarizer=summarize_tensor):
    """Summarize the tensors of `collection` whose op name matches the regex name_filter."""
    tensors = [t for t in tf.get_collection(collection) if name_filter is None or re.match(name_filter, t.op.name)]
    return summarize_tensors(tensors, summarizer)


def summarize_activations(name_filter=None, summarizer=summarize_activation):
    """Summarize the ACTIVATIONS collection."""
    return summarize_collection(tf.GraphKeys.ACTIVATIONS, name_filter, summarizer)


def summarize_variables(name_filter=None):
    return summarize_collection(tf.GraphKeys.GLOBAL_VARIABLES, name_filter)


def summarize_weights(name_filter=None):
    return summarize_collection(tf.GraphKeys.WEIGHTS, name_filter)


def summarize_biases(name_filter=None):
    return summarize_collection(tf.GraphKeys.BIASES, name_filter)
