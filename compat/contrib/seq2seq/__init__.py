"""tf.contrib.seq2seq for TensorFlow 2.x (graph mode): helpers, decoders, beam search, loss, attention.

TF 2.0 removed tf.contrib.seq2seq (TensorFlow Addons' tfa.seq2seq, its successor, is Keras-only
and itself retired), so it is written here on tf.compat.v1 with TF 1.15's signatures, defaults,
variable scopes and names (`decoder/basic_lstm_cell/kernel`, `decoder/dense/kernel`), one module
per TF 1.15 source module (tensorflow/contrib/seq2seq/python/ops/<module>.py), so
`tensorflow.contrib.seq2seq.python.ops.<module>` imports too. Exports TF 1.15's 29 public names.
"""

from compat.contrib.seq2seq.basic_decoder import BasicDecoder, BasicDecoderOutput
from compat.contrib.seq2seq.beam_search_decoder import (
    BeamSearchDecoder, BeamSearchDecoderOutput, BeamSearchDecoderState, FinalBeamSearchDecoderOutput, tile_batch)
from compat.contrib.seq2seq.beam_search_ops import gather_tree
from compat.contrib.seq2seq.decoder import Decoder, dynamic_decode
from compat.contrib.seq2seq.helper import (
    CustomHelper, GreedyEmbeddingHelper, Helper, InferenceHelper, SampleEmbeddingHelper,
    ScheduledEmbeddingTrainingHelper, ScheduledOutputTrainingHelper, TrainingHelper)
from compat.contrib.seq2seq.loss import sequence_loss
from compat.errors import NotProvidedError

_DECODING = [
    "BasicDecoder", "BasicDecoderOutput", "BeamSearchDecoder", "BeamSearchDecoderOutput", "BeamSearchDecoderState",
    "CustomHelper", "Decoder", "FinalBeamSearchDecoderOutput", "GreedyEmbeddingHelper", "Helper", "InferenceHelper",
    "SampleEmbeddingHelper", "ScheduledEmbeddingTrainingHelper", "ScheduledOutputTrainingHelper", "TrainingHelper",
    "dynamic_decode", "gather_tree", "sequence_loss", "tile_batch",
]

# --- attention_wrapper.py (written by seq2seq-attention): import its 10 public names here and ----
# --- list them in _ATTENTION; until then they raise NotProvidedError. ------------------------------
from compat.contrib.seq2seq.attention_wrapper import (  # noqa: E402  (a package: one module per part)
    AttentionMechanism, AttentionWrapper, AttentionWrapperState, BahdanauAttention, BahdanauMonotonicAttention,
    LuongAttention, LuongMonotonicAttention, hardmax, monotonic_attention, safe_cumprod)
_ATTENTION = [
    "AttentionMechanism", "AttentionWrapper", "AttentionWrapperState", "BahdanauAttention",
    "BahdanauMonotonicAttention", "LuongAttention", "LuongMonotonicAttention", "hardmax", "monotonic_attention",
    "safe_cumprod",
]
# --- end of the attention_wrapper block ---------------------------------------------------------

__all__ = sorted(_DECODING + _ATTENTION)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotProvidedError("tf.contrib.seq2seq." + name)


def __dir__():
    return sorted(set(globals()) | set(__all__))
