"""tf.contrib.seq2seq.sequence_loss on TensorFlow 2.x (TF 1.15: .../seq2seq/python/ops/loss.py).

Weighted cross-entropy of [batch, time, classes] logits against [batch, time] targets, reduced
over time and/or batch by weighted average (average_across_*) or by sum / count of non-zero
weights (sum_over_*), with TF 1.15's div_no_nan guards (all-zero weights give 0, not NaN).
"""

from tensorflow.compat import v1 as tf

__all__ = ["sequence_loss"]


def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                  sum_over_timesteps=False, sum_over_batch=False, softmax_loss_function=None, name=None):
    """Weighted cross-entropy: rank 0, 1 or 2 depending on which dimensions are reduced.

    softmax_loss_function, when given, is called as `f(labels=..., logits=...)` on the flattened
    [batch * time] targets and [batch * time, classes] logits."""
    if len(logits.shape) != 3:
        raise ValueError("Logits must be a [batch_size x sequence_length x logits] tensor")
    if len(targets.shape) != 2:
        raise ValueError("Targets must be a [batch_size x sequence_length] tensor")
    if len(weights.shape) != 2:
        raise ValueError("Weights must be a [batch_size x sequence_length] tensor")
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError("average_across_timesteps and sum_over_timesteps cannot be set to True at same time.")
    if average_across_batch and sum_over_batch:
        raise ValueError("average_across_batch and sum_over_batch cannot be set to True at same time.")
    with tf.name_scope(name, "sequence_loss", [logits, targets, weights]):
        num_classes = tf.shape(logits)[2]
        flat_logits = tf.reshape(logits, [-1, num_classes])
        flat_targets = tf.reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=flat_targets, logits=flat_logits)
        else:
            crossent = softmax_loss_function(labels=flat_targets, logits=flat_logits)
        crossent *= tf.reshape(weights, [-1])

        if average_across_timesteps and average_across_batch:
            return tf.div_no_nan(tf.reduce_sum(crossent), tf.reduce_sum(weights))
        if sum_over_timesteps and sum_over_batch:
            total = tf.reduce_sum(crossent)
            return tf.div_no_nan(total, tf.cast(tf.count_nonzero(weights), total.dtype))

        crossent = tf.reshape(crossent, tf.shape(logits)[0:2])
        # What is left reduces at most one axis: 0 (batch) or 1 (time).
        if average_across_timesteps or average_across_batch:
            axis = [0] if average_across_batch else [1]
            return tf.div_no_nan(tf.reduce_sum(crossent, axis=axis), tf.reduce_sum(weights, axis=axis))
        if sum_over_timesteps or sum_over_batch:
            axis = [0] if sum_over_batch else [1]
            total = tf.reduce_sum(crossent, axis=axis)
            return tf.div_no_nan(total, tf.cast(tf.count_nonzero(weights, axis=axis), dtype=total.dtype))
        return crossent
