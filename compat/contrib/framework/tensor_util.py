"""tf.contrib.framework's tensor checks TF 2.x no longer has under a public name (TF 1.15:
contrib/framework/python/framework/tensor_util.py), written on tf.compat.v1."""

import numpy as np
from tensorflow.compat import v1 as tf

__all__ = ["assert_scalar_int", "reduce_sum_n", "remove_squeezable_dimensions", "with_same_shape", "with_shape"]


def reduce_sum_n(tensors, name=None):
    """The sum of all elements of all `tensors` (a scalar)."""
    if not tensors:
        raise ValueError("No tensors provided.")
    with tf.name_scope(name, "reduce_sum_n", tensors) as name_scope:
        sums = [tf.reduce_sum(t, name="%s/sum" % t.op.name) for t in tensors]
        return sums[0] if len(sums) == 1 else tf.add_n(sums, name=name_scope)


def remove_squeezable_dimensions(predictions, labels, name=None):
    """(predictions, labels) with a trailing size-1 dimension squeezed off whichever has rank one
    more than the other (statically when both ranks are known, else at run time)."""
    with tf.name_scope(name, "remove_squeezable_dimensions", [predictions, labels]):
        predictions = tf.convert_to_tensor(predictions)
        labels = tf.convert_to_tensor(labels)
        p_shape, l_shape = predictions.get_shape(), labels.get_shape()
        if p_shape.ndims is not None and l_shape.ndims is not None:
            rank_diff = p_shape.ndims - l_shape.ndims
            if rank_diff == -1:
                labels = tf.squeeze(labels, [-1])
            elif rank_diff == 1:
                predictions = tf.squeeze(predictions, [-1])
            return predictions, labels
        rank_diff = tf.rank(predictions) - tf.rank(labels)
        if p_shape.ndims is None or p_shape.dims[-1].is_compatible_with(1):
            predictions = tf.cond(tf.equal(1, rank_diff), lambda: tf.squeeze(predictions, [-1]),
                                  lambda: predictions)
        if l_shape.ndims is None or l_shape.dims[-1].is_compatible_with(1):
            labels = tf.cond(tf.equal(-1, rank_diff), lambda: tf.squeeze(labels, [-1]), lambda: labels)
        return predictions, labels


def _assert_shape_op(expected_shape, tensor):
    """An Assert that `tensor` has rank len(expected_shape) and that shape (-1: any size)."""
    with tf.name_scope("assert_shape", values=[tensor]) as scope:
        actual_shape = tf.shape(tensor, name="actual")
        if isinstance(expected_shape, tf.TensorShape) and not expected_shape.is_fully_defined():
            expected_shape = [d if d else -1 for d in expected_shape.as_list()]
        with tf.name_scope("is_shape", values=[tensor]) as is_shape_scope:
            with tf.name_scope("is_rank", values=[tensor]) as is_rank_scope:
                is_rank = tf.equal(tf.convert_to_tensor(tf.size(expected_shape), name="expected"),
                                   tf.rank(tensor, name="actual"), name=is_rank_scope)
            with tf.name_scope("shape_tensor_equal", values=[expected_shape, actual_shape]) as equal_scope:
                same = tf.reduce_all(tf.logical_or(tf.equal(expected_shape, -1),
                                                   tf.equal(expected_shape, actual_shape, "equal"),
                                                   name="exclude_partial_shape"), name=equal_scope)
            is_shape = tf.logical_and(is_rank, same, name=is_shape_scope)
        return tf.Assert(is_shape, ["Wrong shape for %s [expected] [actual]." % tensor.name,
                                    expected_shape, actual_shape], name=scope)


def _as_shape_array(expected_shape, tensor):
    if tf.is_tensor(expected_shape):
        if expected_shape.dtype.base_dtype != tf.int32:
            raise ValueError("Invalid dtype %s for shape %s expected of tensor %s."
                             % (expected_shape.dtype, expected_shape, tensor.name))
        return expected_shape
    if isinstance(expected_shape, (list, tuple)):
        as_array = np.asarray(expected_shape)
        expected_shape = (np.asarray([], dtype=np.int32) if not expected_shape else
                          as_array.astype(np.int32) if as_array.dtype == np.int64 else as_array)
    if isinstance(expected_shape, np.ndarray):
        if expected_shape.ndim > 1:
            raise ValueError("Invalid rank %s for shape %s expected of tensor %s."
                             % (expected_shape.ndim, expected_shape, tensor.name))
        if expected_shape.dtype != np.int32:
            raise ValueError("Invalid dtype %s for shape %s expected of tensor %s."
                             % (expected_shape.dtype, expected_shape, tensor.name))
    return expected_shape


def with_shape(expected_shape, tensor):
    """`tensor`, checked to have `expected_shape`: statically when its shape is fully known
    (ValueError), else by an Assert it then depends on (and with the static shape set)."""
    if isinstance(tensor, tf.SparseTensor):
        raise ValueError("SparseTensor not supported.")
    expected_shape = _as_shape_array(expected_shape, tensor)
    dynamic = tf.is_tensor(expected_shape)
    actual_shape = tensor.get_shape()
    if not actual_shape.is_fully_defined() or dynamic:
        with tf.name_scope("%s/" % tensor.op.name, values=[tensor]):
            if not dynamic and len(expected_shape) < 1:
                return tf.reshape(tensor, [])
            with tf.control_dependencies([_assert_shape_op(expected_shape, tensor)]):
                result = tf.identity(tensor)
            if not dynamic:
                result.set_shape(expected_shape)
            return result
    if not actual_shape.is_compatible_with(expected_shape):
        if len(expected_shape) < 1 and actual_shape.is_compatible_with([1]):
            with tf.name_scope("%s/" % tensor.op.name, values=[tensor]):
                return tf.reshape(tensor, [])
        raise ValueError("Invalid shape for tensor %s, expected %s, got %s." % (tensor.name, expected_shape, actual_shape))
    return tensor


def with_same_shape(expected_tensor, tensor):
    """`tensor`, checked to have the shape of `expected_tensor`."""
    with tf.name_scope("%s/" % tensor.op.name, values=[expected_tensor, tensor]):
        shape = expected_tensor.get_shape()
        expected = shape.as_list() if shape.is_fully_defined() else tf.shape(expected_tensor, name="expected_shape")
        return with_shape(expected, tensor)


def assert_scalar_int(tensor, name=None):
    """`tensor` if it is an integer scalar; ValueError for another dtype or a known other rank."""
    with tf.name_scope(name, "assert_scalar_int", [tensor]) as name_scope:
        tensor = tf.convert_to_tensor(tensor)
        if not tensor.dtype.base_dtype.is_integer:
            raise ValueError("Expected integer type for %s, received type: %s." % (tensor.name, tensor.dtype))
        return tf.assert_scalar(tensor, name=name_scope)
