"""tf.contrib.rnn for TensorFlow 2.x.

The core cells (BasicLSTMCell, GRUCell, MultiRNNCell, ...) and static_rnn are still in TF 2.x,
in tf_keras's legacy cells and tf.compat.v1: compat/_moved.py (CONTRIB_MOVES) maps them, same
objects, TF 1.15's math and variable names (e.g. `rnn/basic_lstm_cell/kernel`), so TF 1.15
checkpoints load. What TF 2.x dropped is written here on tf.compat.v1, one module per TF 1.15
source module under its name (tensorflow/contrib/rnn/python/ops/<module>.py), each imported
below. A name compat leaves out raises NotProvidedError saying why (compat/_moved.py).
"""

from compat._namespace import contrib_moved_names, contrib_package_hooks

_OWN = []  # names defined by the modules imported below: each block adds its module's __all__

# --- one block per module (keep this order; each: import its names, then extend _OWN) ---------

from compat.contrib.rnn.core_rnn_cell import (EmbeddingWrapper, InputProjectionWrapper,  # noqa: E402
                                             OutputProjectionWrapper)
_OWN += ["EmbeddingWrapper", "InputProjectionWrapper", "OutputProjectionWrapper"]

from compat.contrib.rnn.fused_rnn_cell import (FusedRNNCell, FusedRNNCellAdaptor,  # noqa: E402
                                              TimeReversedFusedRNN)
_OWN += ["FusedRNNCell", "FusedRNNCellAdaptor", "TimeReversedFusedRNN"]

from compat.contrib.rnn.gru_ops import GRUBlockCell, GRUBlockCellV2  # noqa: E402
_OWN += ["GRUBlockCell", "GRUBlockCellV2"]

from compat.contrib.rnn.lstm_ops import LSTMBlockCell, LSTMBlockFusedCell, LSTMBlockWrapper  # noqa: E402
_OWN += ["LSTMBlockCell", "LSTMBlockFusedCell", "LSTMBlockWrapper"]

from compat.contrib.rnn.rnn import stack_bidirectional_dynamic_rnn, stack_bidirectional_rnn  # noqa: E402
_OWN += ["stack_bidirectional_dynamic_rnn", "stack_bidirectional_rnn"]

from compat.contrib.rnn.rnn_cell.grid import BidirectionalGridLSTMCell, GridLSTMCell, TimeFreqLSTMCell  # noqa: E402
_OWN += ["BidirectionalGridLSTMCell", "GridLSTMCell", "TimeFreqLSTMCell"]

from compat.contrib.rnn.rnn_cell.convolutional import (Conv1DLSTMCell, Conv2DLSTMCell,  # noqa: E402
                                                       Conv3DLSTMCell, ConvLSTMCell)
_OWN += ["Conv1DLSTMCell", "Conv2DLSTMCell", "Conv3DLSTMCell", "ConvLSTMCell"]

from compat.contrib.rnn.rnn_cell.phased import PhasedLSTMCell  # noqa: E402
_OWN += ["PhasedLSTMCell"]

from compat.contrib.rnn.rnn_cell.lstm_variants import (CoupledInputForgetGateLSTMCell, GLSTMCell,  # noqa: E402
                                                       LayerNormBasicLSTMCell, NASCell)
_OWN += ["CoupledInputForgetGateLSTMCell", "GLSTMCell", "LayerNormBasicLSTMCell", "NASCell"]

from compat.contrib.rnn.rnn_cell.gated_rnn_variants import IntersectionRNNCell, SRUCell, UGRNNCell  # noqa: E402
_OWN += ["IntersectionRNNCell", "SRUCell", "UGRNNCell"]

from compat.contrib.rnn.rnn_cell.independent_recurrence import IndRNNCell, IndyGRUCell, IndyLSTMCell  # noqa: E402
_OWN += ["IndRNNCell", "IndyGRUCell", "IndyLSTMCell"]

from compat.contrib.rnn.rnn_cell.wrappers import AttentionCellWrapper, CompiledWrapper, HighwayWrapper  # noqa: E402
_OWN += ["AttentionCellWrapper", "CompiledWrapper", "HighwayWrapper"]

__all__ = sorted(_OWN + contrib_moved_names("rnn"))

__getattr__, __dir__ = contrib_package_hooks("rnn", globals())
