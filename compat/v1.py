"""`import compat.v1 as tf`: TensorFlow 1.15's top-level API in graph mode, on any TensorFlow.

On TF 1.x this module *is* `tensorflow` (pure pass-through). On TF 2.x it is compat's
TF1-shaped namespace: `tf.compat.v1` with v2 behaviour disabled, plus what compat/_moved.py
lists (tf.contrib, tf.nn.rnn_cell, tf.layers, pre-1.0 names).
"""

import sys

from compat import _runtime

sys.modules[__name__] = _runtime.v1_module()
