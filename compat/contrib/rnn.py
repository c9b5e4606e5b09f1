"""tf.contrib.rnn for TensorFlow 2.x.

The cells are tf_keras's legacy TF 1.x cells (Keras 3 removed them from TensorFlow): same math
and variable names as TF 1.15, e.g. `rnn/basic_lstm_cell/kernel`, so TF 1.15 checkpoints load.
static_rnn and static_bidirectional_rnn are TensorFlow's own v1 functions.
"""

from tensorflow.compat import v1 as _tf

from compat._moved import MOVES as _MOVES
from compat._namespace import resolve_target as _resolve
from compat.errors import NotProvidedError as _NotProvidedError

__all__ = ["RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell", "DropoutWrapper",
           "ResidualWrapper", "DeviceWrapper", "LSTMStateTuple", "static_rnn", "static_bidirectional_rnn",
           "static_state_saving_rnn"]

_cells = _resolve(next(m.target for m in _MOVES if m.name == "nn.rnn_cell"))

RNNCell = _cells.RNNCell
BasicRNNCell = _cells.BasicRNNCell
BasicLSTMCell = _cells.BasicLSTMCell
LSTMCell = _cells.LSTMCell
GRUCell = _cells.GRUCell
MultiRNNCell = _cells.MultiRNNCell
DropoutWrapper = _cells.DropoutWrapper
ResidualWrapper = _cells.ResidualWrapper
DeviceWrapper = _cells.DeviceWrapper
LSTMStateTuple = _cells.LSTMStateTuple

static_rnn = _tf.nn.static_rnn
static_bidirectional_rnn = _tf.nn.static_bidirectional_rnn
static_state_saving_rnn = _tf.nn.static_state_saving_rnn


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise _NotProvidedError("tf.contrib.rnn." + name)
