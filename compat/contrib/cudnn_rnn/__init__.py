"""tf.contrib.cudnn_rnn for TensorFlow 2.x: its 14 names, one module per TF 1.15 source module.

CudnnCompatibleLSTMCell and CudnnCompatibleGRUCell compute on any device with TF 1.15's
variable names. The cuDNN layers, savers and format converters need an NVIDIA GPU: on a CPU
they build, and fail when run, as TF 1.15 did, with a message naming the requirement.
"""

from compat.contrib.cudnn_rnn.cudnn_rnn import CudnnGRU, CudnnLSTM, CudnnRNNRelu, CudnnRNNTanh  # noqa: F401
from compat.contrib.cudnn_rnn.cudnn_rnn_ops import (CudnnCompatibleGRUCell, CudnnCompatibleLSTMCell,  # noqa: F401
                                                   CudnnGRUSaveable, CudnnLSTMSaveable, CudnnParamsFormatConverterGRU,
                                                   CudnnParamsFormatConverterLSTM, CudnnParamsFormatConverterRelu,
                                                   CudnnParamsFormatConverterTanh, CudnnRNNReluSaveable,
                                                   CudnnRNNTanhSaveable)

__all__ = ["CudnnCompatibleGRUCell", "CudnnCompatibleLSTMCell", "CudnnGRU", "CudnnGRUSaveable", "CudnnLSTM",
           "CudnnLSTMSaveable", "CudnnParamsFormatConverterGRU", "CudnnParamsFormatConverterLSTM",
           "CudnnParamsFormatConverterRelu", "CudnnParamsFormatConverterTanh", "CudnnRNNRelu", "CudnnRNNReluSaveable",
           "CudnnRNNTanh", "CudnnRNNTanhSaveable"]
