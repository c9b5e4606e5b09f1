"""tf.contrib.layers' regularizers (TF 1.15: contrib/layers/python/layers/regularizers.py).

Not Keras's: contrib's L2 is scale * sum(w**2) / 2 (tf.nn.l2_loss), Keras's has no 1/2. Op names
are TF 1.15's (`l2_regularizer`, `l1_l2_regularizer/...`, `get_regularization_penalty`).
"""

import numbers

from tensorflow.compat import v1 as tf

__all__ = ["apply_regularization", "l1_l2_regularizer", "l1_regularizer", "l2_regularizer", "sum_regularizer"]


def _checked_scale(scale):
    """TF 1.15's rules: integers and negative scales are errors; False means "disabled"."""
    if isinstance(scale, numbers.Integral):
        raise ValueError("scale cannot be an integer: %s" % (scale,))
    if isinstance(scale, numbers.Real):
        if scale < 0.:
            raise ValueError("Setting a scale less than 0 on a regularizer: %g." % scale)
        if scale == 0.:
            tf.logging.info("Scale of 0 disables regularizer.")
            return False
    return True


def _regularizer(scale, scope, default_name, penalty):
    """A function weights -> scale * penalty(weights), named like TF 1.15's (`l2_regularizer`)."""
    if not _checked_scale(scale):
        return lambda _: None

    def regularize(weights):
        with tf.name_scope(scope, default_name, [weights]) as name:
            my_scale = tf.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return tf.multiply(my_scale, penalty(weights), name=name)

    return regularize


def l1_regularizer(scale, scope=None):
    """weights -> scale * sum(|weights|); None when scale is 0."""
    return _regularizer(scale, scope, "l1_regularizer", lambda w: tf.reduce_sum(tf.abs(w)))


def l2_regularizer(scale, scope=None):
    """weights -> scale * sum(weights**2) / 2; None when scale is 0."""
    return _regularizer(scale, scope, "l2_regularizer", tf.nn.l2_loss)


def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
    """weights -> l1 + l2 penalty (their sum, named `l1_l2_regularizer`); a zero scale leaves
    that term out."""
    for scale, name in ((scale_l1, "scale_l1"), (scale_l2, "scale_l2")):
        if isinstance(scale, numbers.Integral):
            raise ValueError("%s cannot be an integer: %s" % (name, scale))
    scope = scope or "l1_l2_regularizer"
    if scale_l1 == 0.:
        return l2_regularizer(scale_l2, scope)
    if scale_l2 == 0.:
        return l1_regularizer(scale_l1, scope)
    return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope=scope)


def sum_regularizer(regularizer_list, scope=None):
    """weights -> the sum of the regularizers' penalties (None entries and results skipped);
    None when the list has no regularizer."""
    regularizer_list = [reg for reg in regularizer_list if reg is not None]
    if not regularizer_list:
        return None

    def sum_reg(weights):
        with tf.name_scope(scope, "sum_regularizer", [weights]) as name:
            penalties = [p for p in (reg(weights) for reg in regularizer_list) if p is not None]
            return tf.add_n(penalties, name=name) if penalties else None

    return sum_reg


def apply_regularization(regularizer, weights_list=None):
    """Sum `regularizer` over the weights (default: the WEIGHTS collection); also recorded in
    REGULARIZATION_LOSSES, as TF 1.15 did."""
    if not weights_list:
        weights_list = tf.get_collection(tf.GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize.")
    with tf.name_scope("get_regularization_penalty", values=weights_list) as scope:
        penalties = [regularizer(w) for w in weights_list]
        penalties = [p if p is not None else tf.constant(0.0) for p in penalties]
        for p in penalties:
            if p.get_shape().ndims != 0:
                raise ValueError("regularizer must return a scalar Tensor instead of a "
                                 "Tensor with rank %d." % p.get_shape().ndims)
        summed_penalty = tf.add_n(penalties, name=scope)
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, summed_penalty)
    return summed_penalty
