"""`tensorflow.contrib.legacy_seq2seq.python.ops.seq2seq`, the TF 1.15 module of every name here.

Scripts import it by that path; it offers the package's 13 functions and `Linear`, which TF 1.15's
module also exposed (its alias of core_rnn_cell's `_Linear`).
"""

from compat.contrib.legacy_seq2seq import (attention_decoder, basic_rnn_seq2seq,  # noqa: F401
                                           embedding_attention_decoder, embedding_attention_seq2seq,
                                           embedding_rnn_decoder, embedding_rnn_seq2seq,
                                           embedding_tied_rnn_seq2seq, model_with_buckets, one2many_rnn_seq2seq,
                                           rnn_decoder, sequence_loss, sequence_loss_by_example, tied_rnn_seq2seq)
from compat.contrib.rnn.core_rnn_cell import Linear  # noqa: F401

__all__ = ["Linear", "attention_decoder", "basic_rnn_seq2seq", "embedding_attention_decoder",
           "embedding_attention_seq2seq", "embedding_rnn_decoder", "embedding_rnn_seq2seq",
           "embedding_tied_rnn_seq2seq", "model_with_buckets", "one2many_rnn_seq2seq", "rnn_decoder",
           "sequence_loss", "sequence_loss_by_example", "tied_rnn_seq2seq"]
