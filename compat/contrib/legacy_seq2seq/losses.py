"""The sequence losses of tf.contrib.legacy_seq2seq, with TF 1.15's math and op names.

`sequence_loss_by_example/truediv`, the 1e-12 guard against all-zero weights, sparse softmax
cross-entropy by default. TF 1.x calls a custom `softmax_loss_function(labels=..., logits=...)`
by keyword, while TF 0.x's `tf.nn.seq2seq` called it positionally as `(logits, targets)`;
scripts were written for one or the other (`msr_error(self, logits, labels)` vs
`ms_error(self, y_pre, y_target)`). One implementation serves both: `weighted_loss_by_example`
and `weighted_loss` take the calling convention (`call_by_keyword` or compat/_pre1_seq2seq.py's).
"""

from tensorflow.compat import v1 as tf

__all__ = ["sequence_loss", "sequence_loss_by_example"]


def call_by_keyword(loss_function, logit, target):
    """TF 1.x convention: the function must accept `labels=` and `logits=`."""
    return loss_function(labels=target, logits=logit)


def weighted_loss_by_example(logits, targets, weights, average_across_timesteps,
                             softmax_loss_function, name, call_loss):
    """The per-example loss; `call_loss(fn, logit, target)` applies a custom loss function."""
    logits, targets, weights = list(logits), list(targets), list(weights)
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError("Lengths of logits, weights, and targets must be the same "
                         "%d, %d, %d." % (len(logits), len(weights), len(targets)))
    with tf.name_scope(name, "sequence_loss_by_example", logits + targets + weights):
        per_step = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                # Scalar targets are accepted, as in TF 1.x: flatten them to a batch.
                crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=tf.reshape(target, [-1]), logits=logit)
            else:
                crossent = call_loss(softmax_loss_function, logit, target)
            per_step.append(crossent * weight)
        log_perps = tf.add_n(per_step)
        if average_across_timesteps:
            total_size = tf.add_n(weights)
            total_size += 1e-12  # all-zero weights give 0, not NaN
            log_perps /= total_size
    return log_perps


def weighted_loss(logits, targets, weights, average_across_timesteps, average_across_batch,
                  softmax_loss_function, name, call_loss):
    """The batch-collapsed loss: sum of the per-example losses, optionally / batch size."""
    logits, targets, weights = list(logits), list(targets), list(weights)
    with tf.name_scope(name, "sequence_loss", logits + targets + weights):
        cost = tf.reduce_sum(weighted_loss_by_example(
            logits, targets, weights, average_across_timesteps, softmax_loss_function, None, call_loss))
        if not average_across_batch:
            return cost
        batch_size = tf.shape(targets[0])[0]
        return cost / tf.cast(batch_size, cost.dtype)


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True,
                             softmax_loss_function=None, name=None):
    """Weighted cross-entropy per example: a 1-D batch-sized Tensor, as in TF 1.15."""
    return weighted_loss_by_example(logits, targets, weights, average_across_timesteps,
                                    softmax_loss_function, name, call_by_keyword)


def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                  softmax_loss_function=None, name=None):
    """Weighted cross-entropy over the whole batch: a scalar Tensor, as in TF 1.15."""
    return weighted_loss(logits, targets, weights, average_across_timesteps, average_across_batch,
                         softmax_loss_function, name, call_by_keyword)
