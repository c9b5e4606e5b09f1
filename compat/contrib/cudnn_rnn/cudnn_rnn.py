"""tf.contrib.cudnn_rnn's layers CudnnLSTM, CudnnGRU, CudnnRNNTanh, CudnnRNNRelu (TF 1.15:
contrib/cudnn_rnn/python/layers/cudnn_rnn.py).

cuDNN runs only on an NVIDIA GPU. On a CPU, TF 1.15 built these layers (variable
`<name>/opaque_kernel`, outputs of the documented shapes) and failed when the graph ran: the
variable's initializer and the forward op have no CPU kernel. compat builds the same graph
shape, and the initializer and outputs fail at run with one line naming the GPU requirement
and the CPU cell that takes the same weights (cudnn_rnn_ops.gpu_required). compat does not
drive cuDNN itself, on a GPU either.
"""

from tensorflow.compat import v1 as tf

from compat._moved import MOVES
from compat._namespace import resolve_target
from compat.contrib.cudnn_rnn import cudnn_rnn_ops as ops
from compat.contrib.cudnn_rnn.cudnn_rnn_ops import gpu_required

__all__ = ["CudnnGRU", "CudnnLSTM", "CudnnRNNRelu", "CudnnRNNTanh"]

tf_layers = resolve_target(next(m.target for m in MOVES if m.name == "layers"))  # tf_keras's TF 1.x tf.layers

_PARAMS_PER_LAYER = {ops.CUDNN_LSTM: 8, ops.CUDNN_GRU: 6, ops.CUDNN_RNN_TANH: 2, ops.CUDNN_RNN_RELU: 2}


class _CudnnRNN(tf_layers.Layer):
    _rnn_mode = None

    def __init__(self, num_layers, num_units, input_mode=ops.CUDNN_INPUT_LINEAR_MODE,
                 direction=ops.CUDNN_RNN_UNIDIRECTION, dropout=0., seed=None, dtype=tf.float32,
                 kernel_initializer=None, bias_initializer=None, name=None):
        super(_CudnnRNN, self).__init__(dtype=dtype, name=name)
        if direction not in (ops.CUDNN_RNN_UNIDIRECTION, ops.CUDNN_RNN_BIDIRECTION):
            raise ValueError("Invalid direction: %s, expecting %s or %s"
                             % (direction, ops.CUDNN_RNN_UNIDIRECTION, ops.CUDNN_RNN_BIDIRECTION))
        if input_mode not in (ops.CUDNN_INPUT_LINEAR_MODE, ops.CUDNN_INPUT_SKIP_MODE, ops.CUDNN_INPUT_AUTO_MODE):
            raise ValueError("Invalid input_mode: %s" % input_mode)
        self._num_layers, self._num_units = num_layers, num_units
        self._input_mode, self._direction, self._dropout, self._seed = input_mode, direction, dropout, seed
        self._kernel_initializer, self._bias_initializer = kernel_initializer, bias_initializer
        self._input_size = None

    num_layers = property(lambda self: self._num_layers)
    num_units = property(lambda self: self._num_units)
    input_mode = property(lambda self: self._input_mode)
    input_size = property(lambda self: self._input_size)
    rnn_mode = property(lambda self: self._rnn_mode)
    direction = property(lambda self: self._direction)
    num_dirs = property(lambda self: 2 if self._direction == ops.CUDNN_RNN_BIDIRECTION else 1)

    def _num_params(self):
        """How many floats cuDNN's buffer holds: every layer's input and recurrent matrices and biases."""
        gates = _PARAMS_PER_LAYER[self._rnn_mode] // 2
        total = 0
        for layer in range(self._num_layers):
            input_size = self._input_size if layer == 0 else self._num_units * self.num_dirs
            total += self.num_dirs * gates * (self._num_units * (input_size + self._num_units) + 2 * self._num_units)
        return total

    def build(self, input_shape):
        if self.built:
            return
        input_shape = tf.TensorShape(input_shape)
        if input_shape.ndims != 3:
            raise ValueError("Expecting input_shape with 3 dims, got %d" % input_shape.ndims)
        if tf.dimension_value(input_shape[-1]) is None:
            raise ValueError("The last dimension of the inputs to `CudnnRNN` should be defined. Found `None`.")
        self._input_size = tf.dimension_value(input_shape[-1])
        what = type(self).__name__
        mode = self._rnn_mode

        def opaque_initializer(shape, dtype=tf.float32, partition_info=None):
            return gpu_required(what, mode, tf.zeros(shape, dtype))

        self.kernel = self.add_weight("opaque_kernel", shape=[self._num_params()], dtype=self.dtype,
                                      initializer=opaque_initializer)
        self.built = True

    def state_shape(self, batch_size):
        shape = [self._num_layers * self.num_dirs, batch_size, self._num_units]
        return (shape, shape) if self._rnn_mode == ops.CUDNN_LSTM else (shape,)

    def call(self, inputs, initial_state=None, sequence_lengths=None, time_major=True, training=True):
        if initial_state is not None and not isinstance(initial_state, tuple):
            raise TypeError("Invalid initial_state type: %s, expecting tuple." % initial_state)
        inputs = tf.convert_to_tensor(inputs, dtype=self.dtype)
        batch_axis = 1 if time_major else 0
        batch_size = tf.shape(inputs)[batch_axis]
        if initial_state is None:
            initial_state = tuple(tf.zeros(shape, dtype=self.dtype) for shape in self.state_shape(batch_size))
        output_shape = tf.concat([tf.shape(inputs)[:2], [self.num_dirs * self._num_units]], 0)
        what = type(self).__name__
        outputs = gpu_required(what, self._rnn_mode, tf.zeros(output_shape, self.dtype) + tf.reduce_sum(self.kernel) * 0)
        outputs.set_shape(inputs.shape[:2].concatenate([self.num_dirs * self._num_units]))
        states = tuple(gpu_required(what, self._rnn_mode, tf.convert_to_tensor(s, dtype=self.dtype))
                       for s in initial_state)
        return outputs, states


class CudnnLSTM(_CudnnRNN):
    """cuDNN's LSTM over a time-major sequence: (outputs, (h, c)). GPU only."""
    _rnn_mode = ops.CUDNN_LSTM


class CudnnGRU(_CudnnRNN):
    """cuDNN's GRU: (outputs, (h,)). GPU only."""
    _rnn_mode = ops.CUDNN_GRU


class CudnnRNNTanh(_CudnnRNN):
    """cuDNN's tanh RNN: (outputs, (h,)). GPU only."""
    _rnn_mode = ops.CUDNN_RNN_TANH


class CudnnRNNRelu(_CudnnRNN):
    """cuDNN's relu RNN: (outputs, (h,)). GPU only."""
    _rnn_mode = ops.CUDNN_RNN_RELU
