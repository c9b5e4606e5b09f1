"""tf.contrib.cudnn_rnn's cells and GPU-only helpers (TF 1.15: contrib/cudnn_rnn/python/ops/
cudnn_rnn_ops.py).

CudnnCompatibleLSTMCell and CudnnCompatibleGRUCell run anywhere: the cuDNN math with TF 1.15's
variable names, so weights trained by CudnnLSTM/CudnnGRU on a GPU load into them. Everything
else in the package drives NVIDIA's cuDNN kernels, which exist only on a GPU; TF 1.15 built
those graphs on a CPU and failed when they ran. compat does the same, and the failing op says
why (`gpu_required`).
"""

from tensorflow.compat import v1 as tf
from tensorflow.python.training.saving import saveable_object

from compat._namespace import contrib_attribute
from compat.contrib.rnn.lstm_ops import LSTMBlockCell

__all__ = ["CudnnCompatibleGRUCell", "CudnnCompatibleLSTMCell", "CudnnGRUSaveable", "CudnnLSTMSaveable",
           "CudnnParamsFormatConverterGRU", "CudnnParamsFormatConverterLSTM", "CudnnParamsFormatConverterRelu",
           "CudnnParamsFormatConverterTanh", "CudnnRNNReluSaveable", "CudnnRNNTanhSaveable", "gpu_required"]

CUDNN_RNN_UNIDIRECTION, CUDNN_RNN_BIDIRECTION = "unidirectional", "bidirectional"
CUDNN_LSTM, CUDNN_GRU, CUDNN_RNN_RELU, CUDNN_RNN_TANH = "lstm", "gru", "rnn_relu", "rnn_tanh"
CUDNN_INPUT_LINEAR_MODE, CUDNN_INPUT_SKIP_MODE, CUDNN_INPUT_AUTO_MODE = "linear_input", "skip_input", "auto_select"

_CPU_CELLS = {CUDNN_LSTM: "CudnnCompatibleLSTMCell", CUDNN_GRU: "CudnnCompatibleGRUCell",
              CUDNN_RNN_TANH: "BasicRNNCell", CUDNN_RNN_RELU: "BasicRNNCell(activation=tf.nn.relu)"}


def gpu_required(what, rnn_mode, like, name="gpu_required"):
    """A tensor shaped like `like` whose evaluation fails (InvalidArgumentError) with one line
    saying `what` needs cuDNN on a GPU and which CPU cell takes the same weights."""
    message = ("%s needs an NVIDIA GPU with cuDNN (TensorFlow has no CPU kernel for it); on a CPU use "
               "tf.contrib.cudnn_rnn.%s with the same weights" % (what, _CPU_CELLS[rnn_mode]))
    with tf.name_scope(name):
        with tf.control_dependencies([tf.Assert(tf.constant(False), [message], name="cudnn_on_gpu_only")]):
            return tf.identity(like)


class CudnnCompatibleLSTMCell(LSTMBlockCell):
    """LSTMBlockCell with forget_bias 0, no clipping, no peepholes, scope
    `cudnn_compatible_lstm_cell`: the LSTM cuDNN computes, in TF 1.15's variables."""

    def __init__(self, num_units, reuse=None):
        super(CudnnCompatibleLSTMCell, self).__init__(num_units, forget_bias=0, cell_clip=None, use_peephole=False,
                                                      reuse=reuse, name="cudnn_compatible_lstm_cell")


_GRUCell = contrib_attribute("rnn", "GRUCell")  # tf_keras's legacy GRUCell (TF 1.15's rnn_cell_impl.GRUCell)


class CudnnCompatibleGRUCell(_GRUCell):
    """cuDNN's GRU: the reset gate multiplies the hidden projection after the matmul,
    h' = tanh(x W_h + b_Wh + r * (h R_h + b_Rh)). Variables `gates/{kernel,bias}` and
    `candidate/{input,hidden}_projection/{kernel,bias}`."""

    def __init__(self, num_units, reuse=None, kernel_initializer=None):
        super(CudnnCompatibleGRUCell, self).__init__(num_units, activation=None, reuse=reuse,
                                                     kernel_initializer=kernel_initializer)

    def build(self, inputs_shape):
        input_depth = tf.dimension_value(tf.TensorShape(inputs_shape)[1])
        if input_depth is None:
            raise ValueError("Expected inputs.shape[-1] to be known, saw shape: %s" % inputs_shape)
        units, kernel_init = self._num_units, self._kernel_initializer

        def bias_init(default):
            return self._bias_initializer if self._bias_initializer is not None else default

        self._gate_kernel = self.add_weight("gates/kernel", shape=[input_depth + units, 2 * units],
                                            initializer=kernel_init)
        self._gate_bias = self.add_weight("gates/bias", shape=[2 * units],
                                          initializer=bias_init(tf.constant_initializer(1.0, dtype=self.dtype)))
        self._candidate_input_kernel = self.add_weight("candidate/input_projection/kernel",
                                                       shape=[input_depth, units], initializer=kernel_init)
        self._candidate_hidden_kernel = self.add_weight("candidate/hidden_projection/kernel",
                                                        shape=[units, units], initializer=kernel_init)
        self._candidate_input_bias = self.add_weight("candidate/input_projection/bias", shape=[units],
                                                     initializer=bias_init(tf.zeros_initializer(dtype=self.dtype)))
        self._candidate_hidden_bias = self.add_weight("candidate/hidden_projection/bias", shape=[units],
                                                      initializer=bias_init(tf.zeros_initializer(dtype=self.dtype)))
        self.built = True

    def call(self, inputs, state):
        gates = tf.sigmoid(tf.nn.bias_add(tf.matmul(tf.concat([inputs, state], 1), self._gate_kernel),
                                          self._gate_bias))
        r, u = tf.split(value=gates, num_or_size_splits=2, axis=1)
        candidate = tf.nn.bias_add(tf.matmul(inputs, self._candidate_input_kernel), self._candidate_input_bias)
        candidate += r * tf.nn.bias_add(tf.matmul(state, self._candidate_hidden_kernel), self._candidate_hidden_bias)
        candidate = self._activation(candidate)
        new_h = (1 - u) * candidate + u * state
        return new_h, new_h


class _CudnnParamsFormatConverter(object):
    """Converts between cuDNN's opaque parameter buffer and TF's canonical weights: both ways
    run cuDNN's kernels, so on a CPU the results fail when evaluated, as in TF 1.15."""

    _rnn_mode = None

    def __init__(self, num_layers, num_units, input_size, num_proj=None, input_mode=CUDNN_INPUT_LINEAR_MODE,
                 direction=CUDNN_RNN_UNIDIRECTION, dtype=tf.float32):
        self._num_layers, self._num_units, self._input_size = num_layers, num_units, input_size
        self._num_proj, self._input_mode, self._direction, self._dtype = num_proj, input_mode, direction, dtype

    def tf_canonical_to_opaque(self, tf_canonicals, weights_proj=None):
        flat = tf.concat([tf.reshape(t, [-1]) for t in tf_canonicals], 0)
        return gpu_required(type(self).__name__, self._rnn_mode, flat)

    def opaque_to_tf_canonical(self, opaque_param):
        return gpu_required(type(self).__name__, self._rnn_mode, opaque_param)


class CudnnParamsFormatConverterLSTM(_CudnnParamsFormatConverter):
    _rnn_mode = CUDNN_LSTM


class CudnnParamsFormatConverterGRU(_CudnnParamsFormatConverter):
    _rnn_mode = CUDNN_GRU


class CudnnParamsFormatConverterTanh(_CudnnParamsFormatConverter):
    _rnn_mode = CUDNN_RNN_TANH


class CudnnParamsFormatConverterRelu(_CudnnParamsFormatConverter):
    _rnn_mode = CUDNN_RNN_RELU


class _CudnnOpaqueParamsSaveable(saveable_object.SaveableObject):
    """Saves a cuDNN layer's opaque buffer as canonical weights: the conversion needs cuDNN, so
    on a CPU saving fails when it runs, as in TF 1.15."""

    _rnn_mode = None

    def __init__(self, opaque_params, num_layers, num_units, input_size, input_mode=CUDNN_INPUT_LINEAR_MODE,
                 direction=CUDNN_RNN_UNIDIRECTION, scope=None, name="cudnn_rnn_saveable"):
        self._opaque_params = opaque_params
        self._num_layers, self._num_units, self._input_size = num_layers, num_units, input_size
        self._input_mode, self._direction, self._scope = input_mode, direction, scope
        tensor = gpu_required(type(self).__name__, self._rnn_mode, opaque_params)
        spec = saveable_object.SaveSpec(tensor, "", (scope + "/" if scope else "") + "opaque_kernel")
        super(_CudnnOpaqueParamsSaveable, self).__init__(opaque_params, [spec], name)

    def restore(self, restored_tensors, restored_shapes):
        return tf.assign(self._opaque_params, gpu_required(type(self).__name__, self._rnn_mode,
                                                           restored_tensors[0]), validate_shape=False)


class CudnnLSTMSaveable(_CudnnOpaqueParamsSaveable):
    _rnn_mode = CUDNN_LSTM


class CudnnGRUSaveable(_CudnnOpaqueParamsSaveable):
    _rnn_mode = CUDNN_GRU


class CudnnRNNTanhSaveable(_CudnnOpaqueParamsSaveable):
    _rnn_mode = CUDNN_RNN_TANH


class CudnnRNNReluSaveable(_CudnnOpaqueParamsSaveable):
    _rnn_mode = CUDNN_RNN_RELU
