"""tf.nn.seq2seq, the TF 0.x name of tf.contrib.legacy_seq2seq: its sequence losses.

Same math and op names as compat.contrib.legacy_seq2seq (it is the same implementation), but a
custom `softmax_loss_function` is called positionally as `(logits, targets)`, the way TF 0.x
called it: pre-1.0 scripts define e.g. `ms_error(self, y_pre, y_target)`, which TF 1.x's
keyword call `(labels=..., logits=...)` would reject.
"""

from compat.contrib.legacy_seq2seq.losses import weighted_loss, weighted_loss_by_example
from compat.errors import NotProvidedError

__all__ = ["sequence_loss", "sequence_loss_by_example"]


def _call_positionally(loss_function, logit, target):
    """TF 0.x convention: `loss_function(logits, targets)`, whatever its parameters are named."""
    return loss_function(logit, target)


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True,
                             softmax_loss_function=None, name=None):
    """Weighted cross-entropy per example: a 1-D batch-sized Tensor."""
    return weighted_loss_by_example(logits, targets, weights, average_across_timesteps,
                                    softmax_loss_function, name, _call_positionally)


def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                  softmax_loss_function=None, name=None):
    """Weighted cross-entropy over the whole batch: a scalar Tensor."""
    return weighted_loss(logits, targets, weights, average_across_timesteps, average_across_batch,
                         softmax_loss_function, name, _call_positionally)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotProvidedError("tf.nn.seq2seq." + name)
