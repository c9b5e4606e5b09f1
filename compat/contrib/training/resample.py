"""tf.contrib.training's stochastic resampling (TF 1.15: contrib/training/python/training/resample.py):
each row is repeated Poisson(rate) times; weighted_resample picks rates from weights and a running
mean (a local variable `estimate_mean/estimated_mean`)."""

from tensorflow.compat import v1 as tf
from tensorflow.python.training import moving_averages

__all__ = ["resample_at_rate", "weighted_resample"]


def _repeat_range(counts, name=None):
    """[0]*counts[0] + [1]*counts[1] + ...: int32, built in a while loop as TF 1.15 did."""
    with tf.name_scope(name, "repeat_range", [counts]) as scope:
        counts = tf.convert_to_tensor(counts, name="counts")
        size = tf.shape(counts)[0]
        pieces = tf.TensorArray(dtype=tf.int32, size=size, infer_shape=False)

        def body(pieces, i):
            return pieces.write(i, tf.fill(counts[i:i + 1], i)), i + 1

        pieces, written = tf.while_loop(lambda _, i: i < size, body, loop_vars=[pieces, 0])
        return tf.cond(written > 0, pieces.concat, lambda: tf.zeros(shape=[0], dtype=tf.int32), name=scope)


def resample_at_rate(inputs, rates, scope=None, seed=None, back_prop=False):
    """Each row i of every tensor in `inputs` repeated Poisson(rates[i]) times (rows in order)."""
    with tf.name_scope(scope, default_name="resample_at_rate", values=list(inputs) + [rates]):
        rates = tf.convert_to_tensor(rates, name="rates")
        counts = tf.cast(tf.random_poisson(rates, (), rates.dtype, seed=seed), tf.int32)
        indices = _repeat_range(counts)
        if not back_prop:
            indices = tf.stop_gradient(indices)
        return [tf.gather(x, indices) for x in inputs]


def weighted_resample(inputs, weights, overall_rate, scope=None, mean_decay=0.999, seed=None):
    """(resampled inputs, their rates): rates = weights * overall_rate / running mean of weights."""
    with tf.name_scope(scope, "weighted_resample", inputs) as op_scope:
        with tf.variable_scope(scope, "estimate_mean", inputs):
            estimated_mean = tf.get_local_variable("estimated_mean", initializer=tf.cast(0, weights.dtype),
                                                   dtype=weights.dtype)
            mean = moving_averages.assign_moving_average(estimated_mean, tf.reduce_mean(weights), mean_decay)
        rates = weights * overall_rate / mean
        results = resample_at_rate([rates] + inputs, rates, scope=op_scope, seed=seed, back_prop=False)
        return results[1:], results[0]
