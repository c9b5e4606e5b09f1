"""tf.contrib.rnn's own cells (TF 1.15: tensorflow/contrib/rnn/python/ops/rnn_cell.py), on TF 2.x.

TF 1.15 kept them in one 3 000-line module; here they are grouped by family, one module each,
and re-exported from this package so `tensorflow.contrib.rnn.python.ops.rnn_cell` still imports.
"""

__all__ = []
