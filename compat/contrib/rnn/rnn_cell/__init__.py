"""tf.contrib.rnn's own cells (TF 1.15: tensorflow/contrib/rnn/python/ops/rnn_cell.py), on TF 2.x.

TF 1.15 kept them in one 3 000-line module; here they are grouped by family, one module each,
and re-exported from this package so `tensorflow.contrib.rnn.python.ops.rnn_cell` still imports.
"""

__all__ = []

from compat.contrib.rnn.rnn_cell.grid import BidirectionalGridLSTMCell, GridLSTMCell, TimeFreqLSTMCell  # noqa: E402
__all__ += ["BidirectionalGridLSTMCell", "GridLSTMCell", "TimeFreqLSTMCell"]

from compat.contrib.rnn.rnn_cell.convolutional import (Conv1DLSTMCell, Conv2DLSTMCell,  # noqa: E402
                                                       Conv3DLSTMCell, ConvLSTMCell)
__all__ += ["Conv1DLSTMCell", "Conv2DLSTMCell", "Conv3DLSTMCell", "ConvLSTMCell"]

from compat.contrib.rnn.rnn_cell.phased import PhasedLSTMCell  # noqa: E402
__all__ += ["PhasedLSTMCell"]

from compat.contrib.rnn.rnn_cell.lstm_variants import (CoupledInputForgetGateLSTMCell, GLSTMCell,  # noqa: E402
                                                       LayerNormBasicLSTMCell, NASCell)
__all__ += ["CoupledInputForgetGateLSTMCell", "GLSTMCell", "LayerNormBasicLSTMCell", "NASCell"]

from compat.contrib.rnn.rnn_cell.gated_rnn_variants import IntersectionRNNCell, SRUCell, UGRNNCell  # noqa: E402
__all__ += ["IntersectionRNNCell", "SRUCell", "UGRNNCell"]

from compat.contrib.rnn.rnn_cell.independent_recurrence import IndRNNCell, IndyGRUCell, IndyLSTMCell  # noqa: E402
__all__ += ["IndRNNCell", "IndyGRUCell", "IndyLSTMCell"]

from compat.contrib.rnn.rnn_cell.wrappers import AttentionCellWrapper, CompiledWrapper, HighwayWrapper  # noqa: E402
__all__ += ["AttentionCellWrapper", "CompiledWrapper", "HighwayWrapper"]
