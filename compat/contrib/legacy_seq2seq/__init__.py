"""tf.contrib.legacy_seq2seq for TensorFlow 2.x: TF 1.15's 13 functions, one module per job.

TF 2.0 removed tf.contrib with no core replacement, so they are written here on tf.compat.v1 and
tf.contrib.rnn's wrappers (compat/contrib/rnn/core_rnn_cell.py), with TF 1.15's signatures,
variable scopes and names (TF 1.15 checkpoints restore) and ops in TF 1.15's order:
losses.py (sequence_loss, sequence_loss_by_example), decoders.py (rnn_decoder, attention_decoder
and their embedding variants), models.py (the *_seq2seq models), buckets.py (model_with_buckets).
seq2seq.py answers TF 1.15's module path `...legacy_seq2seq.python.ops.seq2seq`.
"""

from compat.contrib.legacy_seq2seq.buckets import model_with_buckets
from compat.contrib.legacy_seq2seq.decoders import (attention_decoder, embedding_attention_decoder,
                                                    embedding_rnn_decoder, rnn_decoder)
from compat.contrib.legacy_seq2seq.losses import sequence_loss, sequence_loss_by_example
from compat.contrib.legacy_seq2seq.models import (basic_rnn_seq2seq, embedding_attention_seq2seq,
                                                  embedding_rnn_seq2seq, embedding_tied_rnn_seq2seq,
                                                  one2many_rnn_seq2seq, tied_rnn_seq2seq)
from compat.errors import NotProvidedError

__all__ = ["attention_decoder", "basic_rnn_seq2seq", "embedding_attention_decoder", "embedding_attention_seq2seq",
           "embedding_rnn_decoder", "embedding_rnn_seq2seq", "embedding_tied_rnn_seq2seq", "model_with_buckets",
           "one2many_rnn_seq2seq", "rnn_decoder", "sequence_loss", "sequence_loss_by_example", "tied_rnn_seq2seq"]


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotProvidedError("tf.contrib.legacy_seq2seq." + name)
