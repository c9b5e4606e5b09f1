"""Checks on SequenceQueueingStateSaver's inputs: static ones that raise at graph build, and
run-time ones built into the graph (an identity of the value behind an Assert), with TF 1.15's op
names, so the saver's graph and the op-count seeds after it stay TF 1.15's."""

import collections

from tensorflow.compat import v1 as tf
from tensorflow.python.framework import tensor_util

__all__ = ["asserted", "with_rank", "with_shape", "with_dimensions", "multiple_of_unroll_condition", "check_names",
           "sorted_by_name", "reject_sparse"]


def asserted(value, condition, message, name):
    """identity(value) that first checks `condition`, reporting `message` (a list of tensors)."""
    with tf.control_dependencies([tf.Assert(condition, message)]):
        return tf.identity(value, name=name)


def with_rank(value, rank):
    """value, checked at run time to have rank `rank`; its static rank set when `rank` is known."""
    condition = tf.equal(rank, tf.rank(value))
    message = [tf.string_join(["Rank of tensor %s should be: " % value.name, tf.as_string(rank),
                               ", shape received:"]), tf.shape(value)]
    checked = asserted(value, condition, message, "rank_checked")
    if isinstance(rank, tf.Tensor):
        known = tensor_util.constant_value(rank)
        rank = int(known) if known is not None else rank
    if not isinstance(rank, tf.Tensor):
        try:
            checked.set_shape(checked.get_shape().with_rank(rank))
        except ValueError as e:
            raise ValueError("Rank check failed for %s: %s" % (value.name, e))
    return checked


def with_shape(value, shape):
    """value, checked at run time to have shape `shape` (a vector Tensor here)."""
    known = tensor_util.constant_value(shape)
    if known is not None:
        shape = [int(d) for d in known]
    value = with_rank(value, tf.size(shape) if isinstance(shape, tf.Tensor) else len(shape))
    condition = tf.reduce_all(tf.equal(shape, tf.shape(value)))
    message = [tf.string_join(["Shape of tensor %s should be: " % value.name, tf.as_string(shape),
                               ", shape received: ", tf.as_string(tf.shape(value))])]
    checked = asserted(value, condition, message, "shape_checked")
    if not isinstance(shape, tf.Tensor):
        checked.set_shape(checked.get_shape().merge_with(shape))
    return checked


def with_dimensions(value, dimensions, sizes, label):
    """value, each dimensions[i] checked at run time to be sizes[i]; static sizes merged in."""
    if value.get_shape().ndims is not None:
        if value.get_shape().ndims <= max(dimensions):
            raise ValueError("%s: rank of input is not greater than max(dimensions): %d vs. %d"
                             % (label, value.get_shape().ndims, max(dimensions)))
        merged = value.get_shape().as_list()
        for dimension, size in zip(dimensions, sizes):
            if not isinstance(size, tf.Tensor):
                merged[dimension] = size
        try:
            value.set_shape(value.get_shape().merge_with(merged))
        except ValueError as e:
            raise ValueError("Dimensions check failed for %s: %s" % (label, e))
    checks = [tf.Assert(tf.equal(size, tf.shape(value)[dimension]),
                        [tf.string_join(["Dimension %d of tensor labeled %s should be: " % (dimension, label),
                                         tf.as_string(size), ", shape received: ", tf.as_string(tf.shape(value))])])
              for dimension, size in zip(dimensions, sizes)]
    with tf.control_dependencies(checks):
        return tf.identity(value, name="dims_checked_%s" % label)


def multiple_of_unroll_condition(value, num_unroll, what, remainder=None):
    """(condition, message): value (a first dimension) is a non-zero multiple of num_unroll.
    `remainder`, value mod num_unroll, if the caller built it (TF 1.15 names that op differently)."""
    remainder = tf.mod(value, num_unroll) if remainder is None else remainder
    condition = tf.logical_and(tf.equal(remainder, 0), tf.not_equal(value, 0))
    message = [tf.string_join(["%s should be a multiple of: " % what, tf.as_string(num_unroll), ", but saw value: ",
                               tf.as_string(value), ". Consider setting pad=True."])]
    return condition, message


def check_names(kind, names):
    """Raises unless every name is a string without a colon (barrier keys use the colon)."""
    for name in names:
        if not isinstance(name, str):
            raise TypeError("%s must be a string: %s" % (kind, name))
        if ":" in name:
            raise ValueError("%s may not have a colon: '%s'" % (kind, name))


def sorted_by_name(mapping):
    """mapping as an OrderedDict sorted by key: the barrier's component order."""
    return collections.OrderedDict(sorted(mapping.items(), key=lambda item: item[0]))


def reject_sparse(label, mapping):
    """Raises on a SparseTensor value, which compat's saver does not take."""
    for key, value in mapping.items():
        if isinstance(value, (tf.SparseTensor, tf.SparseTensorValue)):
            raise TypeError("%s %r is a SparseTensor, which compat's batch_sequences_with_states does not take; "
                            "pass tf.sparse.to_dense(%s) instead" % (label, key, key))
