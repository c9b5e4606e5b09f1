"""tf.contrib.seq2seq's attention (TF 1.15: tensorflow/contrib/seq2seq/python/ops/attention_wrapper.py).

TF 1.15 kept it in one 2 500-line module; here it is one module per part, re-exported from this
package. Written on compat's TF 1.x namespace: tf.compat.v1 ops, and the tf.layers.Dense and
RNNCell base of tf_keras's legacy layers, the classes TF 1.15 used. Variables, scopes and op
order are TF 1.15's, so its checkpoints load: `memory_layer/kernel` (created with the mechanism,
in the variable scope then current), and, in the wrapper's scope (e.g. `decoder/attention_wrapper/`),
`bahdanau_attention/{query_layer/kernel,attention_v}`, `luong_attention/attention_g` (scale=True),
`attention_layer/kernel`. TF 1.15's Keras-style *V2 mechanisms, which tf.contrib.seq2seq never
exported, are not provided.
"""

from compat.contrib.seq2seq.attention_wrapper.mechanisms import (
    AttentionMechanism, BahdanauAttention, LuongAttention, hardmax)
from compat.contrib.seq2seq.attention_wrapper.monotonic import (
    BahdanauMonotonicAttention, LuongMonotonicAttention, monotonic_attention, safe_cumprod)
from compat.contrib.seq2seq.attention_wrapper.wrapper import AttentionWrapper, AttentionWrapperState

__all__ = [
    "AttentionMechanism", "AttentionWrapper", "AttentionWrapperState", "BahdanauAttention",
    "BahdanauMonotonicAttention", "LuongAttention", "LuongMonotonicAttention", "hardmax",
    "monotonic_attention", "safe_cumprod",
]
