"""tf.contrib.layers' initializers: TF 1.15 contrib's variance scaling and Xavier, on core's.

TF 1.15: contrib/layers/python/layers/initializers.py. The random ops are core
tf.variance_scaling_initializer's (same values for the same seed); only the truncated-normal
scale differs, and is adjusted here.
"""

from tensorflow.compat import v1 as tf

__all__ = ["variance_scaling_initializer", "xavier_initializer", "xavier_initializer_conv2d"]

# Core truncated-normal variance scaling divides its stddev by this (the stddev of a unit normal
# truncated at +-2); TF 1.15 contrib instead used stddev sqrt(1.3 * factor / n).
_TRUNCATED_NORMAL_STDDEV = .87962566103423978


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None, dtype=tf.float32):
    """TF 1.15 contrib's variance scaling: uniform limit sqrt(3*factor/n), or truncated normal
    with stddev sqrt(1.3*factor/n), n = fan_in, fan_out or their mean.

    Expressed through core tf.variance_scaling_initializer, which draws the same random ops
    (same values for the same seed); only the normal case needs its scale adjusted.
    """
    dtype = tf.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError("Cannot create initializer for non-floating point type.")
    if mode not in ["FAN_IN", "FAN_OUT", "FAN_AVG"]:
        raise TypeError("Unknown mode %s [FAN_IN, FAN_OUT, FAN_AVG]" % (mode,))
    if uniform:
        scale, distribution = factor, "uniform"
    else:
        scale, distribution = 1.3 * factor * _TRUNCATED_NORMAL_STDDEV ** 2, "truncated_normal"
    # Core logs a deprecation notice when given a dtype; float32 is its default anyway.
    dtype_arg = {} if dtype == tf.float32 else {"dtype": dtype}
    return tf.variance_scaling_initializer(scale=scale, mode=mode.lower(), distribution=distribution,
                                           seed=seed, **dtype_arg)


def xavier_initializer(uniform=True, seed=None, dtype=tf.float32):
    """Glorot/Xavier: uniform in +-sqrt(6 / (fan_in + fan_out)) by default."""
    return variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform, seed=seed, dtype=dtype)


xavier_initializer_conv2d = xavier_initializer
