"""tf.contrib.rnn for TensorFlow 2.x.

The core cells (BasicLSTMCell, GRUCell, MultiRNNCell, ...) and static_rnn are still in TF 2.x,
in tf_keras's legacy cells and tf.compat.v1: compat/_moved.py (CONTRIB_MOVES) maps them, same
objects, TF 1.15's math and variable names (e.g. `rnn/basic_lstm_cell/kernel`), so TF 1.15
checkpoints load. What TF 2.x dropped is written here on tf.compat.v1, one module per TF 1.15
source module under its name (tensorflow/contrib/rnn/python/ops/<module>.py), each imported
below. A name compat leaves out raises NotProvidedError saying why (compat/_moved.py).
"""

from compat._namespace import contrib_attribute, contrib_moved_names

_OWN = []  # names defined by the modules imported below: each block adds its module's __all__

# --- one block per module (keep this order; each: import its names, then extend _OWN) ---------

__all__ = sorted(_OWN + contrib_moved_names("rnn"))


def __getattr__(name):
    value = contrib_attribute("rnn", name)
    globals()[name] = value  # later lookups never reach __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
