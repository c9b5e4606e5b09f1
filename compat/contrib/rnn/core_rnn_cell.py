"""tf.contrib.rnn's projection and embedding wrappers (TF 1.15: contrib/rnn/python/ops/core_rnn_cell.py).

TF 2.x dropped them with tf.contrib; they are written here on tf_keras's legacy RNNCell (the base
of the cells compat maps), with TF 1.15's variable names: `embedding_wrapper/embedding`,
`output_projection_wrapper/kernel` and `bias`, the wrapped cell's variables below the wrapper's
scope. `Linear` is TF 1.15's private `_Linear`, which tf.contrib.legacy_seq2seq builds on.
"""

import math

from tensorflow.compat import v1 as tf

from compat._moved import MOVES
from compat._namespace import resolve_target
from tf_keras.src.layers.rnn.legacy_cell_wrappers import assert_like_rnncell  # TF 1.15's check of a cell

__all__ = ["EmbeddingWrapper", "InputProjectionWrapper", "OutputProjectionWrapper"]

_LEGACY_CELLS = resolve_target(next(m.target for m in MOVES if m.name == "nn.rnn_cell"))
RNNCell = _LEGACY_CELLS.RNNCell


class Linear(object):
    """args (a 2-D tensor or a list of them) concatenated, times `kernel`, plus `bias`.

    Constructing it creates the variables `kernel` [sum of input sizes, output_size] and `bias`
    [output_size] (zeros by default, never partitioned) in the current variable scope; calling it
    applies them."""

    def __init__(self, args, output_size, build_bias, bias_initializer=None, kernel_initializer=None):
        self._build_bias = build_bias
        self._is_sequence = tf.nest.is_nested(args)
        if args is None or (self._is_sequence and not args):
            raise ValueError("`args` must be specified")
        args = list(args) if self._is_sequence else [args]
        total_arg_size = 0
        shapes = [a.get_shape() for a in args]
        for shape in shapes:
            if shape.ndims != 2:
                raise ValueError("linear is expecting 2D arguments: %s" % shapes)
            width = tf.dimension_value(shape[1])
            if width is None:
                raise ValueError("linear expects shape[1] to be provided for shape %s, but saw %s"
                                 % (shape, shape[1]))
            total_arg_size += width
        dtype = args[0].dtype
        with tf.variable_scope(tf.get_variable_scope()) as outer_scope:
            self._weights = tf.get_variable("kernel", [total_arg_size, output_size], dtype=dtype,
                                            initializer=kernel_initializer)
            if build_bias:
                with tf.variable_scope(outer_scope) as inner_scope:
                    inner_scope.set_partitioner(None)  # a partitioned kernel still gets a whole bias
                    if bias_initializer is None:
                        bias_initializer = tf.constant_initializer(0.0, dtype=dtype)
                    self._biases = tf.get_variable("bias", [output_size], dtype=dtype,
                                                   initializer=bias_initializer)

    def __call__(self, args):
        args = list(args) if self._is_sequence else [args]
        if len(args) == 1:
            result = tf.matmul(args[0], self._weights)
        else:
            # An explicit int32 axis constant, as TF 1.15 built it (the same ops, in the same order).
            result = tf.matmul(tf.concat(args, tf.constant(1, dtype=tf.int32)), self._weights)
        if self._build_bias:
            result = tf.nn.bias_add(result, self._biases)
        return result


class WrapperCell(RNNCell):
    """A cell around another cell: same state; zero_state in a `<Class>ZeroState` name scope.
    TF 1.15 checked the wrapped cell at construction in these wrappers (check_cell), not in
    rnn_cell.py's HighwayWrapper and CompiledWrapper."""

    def __init__(self, cell, reuse=None, check_cell=True):
        super(WrapperCell, self).__init__(_reuse=reuse)
        if check_cell:
            assert_like_rnncell("cell", cell)
        self._cell = cell

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    def zero_state(self, batch_size, dtype):
        with tf.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return self._cell.zero_state(batch_size, dtype)


class EmbeddingWrapper(WrapperCell):
    """Embeds integer inputs (variable `embedding` [embedding_classes, embedding_size], on the
    CPU) before the wrapped cell. Default initializer: the scope's, else uniform +-sqrt(3)."""

    def __init__(self, cell, embedding_classes, embedding_size, initializer=None, reuse=None):
        super(EmbeddingWrapper, self).__init__(cell, reuse=reuse)
        if embedding_classes <= 0 or embedding_size <= 0:
            raise ValueError("Both embedding_classes and embedding_size must be > 0: %d, %d."
                             % (embedding_classes, embedding_size))
        self._embedding_classes = embedding_classes
        self._embedding_size = embedding_size
        self._initializer = initializer

    def call(self, inputs, state):
        with tf.device("/cpu:0"):
            initializer = self._initializer or tf.get_variable_scope().initializer
            if not initializer:
                limit = math.sqrt(3)  # uniform on +-sqrt(3) has variance 1
                initializer = tf.random_uniform_initializer(-limit, limit)
            data_type = state[0].dtype if isinstance(state, tuple) else state.dtype
            embedding = tf.get_variable("embedding", [self._embedding_classes, self._embedding_size],
                                        initializer=initializer, dtype=data_type)
            embedded = tf.nn.embedding_lookup(embedding, tf.reshape(inputs, [-1]))
            return self._cell(embedded, state)


class InputProjectionWrapper(WrapperCell):
    """Projects the inputs to `num_proj` (variables `kernel`, `bias`), then runs the cell."""

    def __init__(self, cell, num_proj, activation=None, input_size=None, reuse=None):
        super(InputProjectionWrapper, self).__init__(cell, reuse=reuse)
        if input_size is not None:
            tf.logging.warn("%s: The input_size parameter is deprecated.", self)
        self._num_proj = num_proj
        self._activation = activation
        self._linear = None

    def call(self, inputs, state):
        if self._linear is None:
            self._linear = Linear(inputs, self._num_proj, True)
        projected = self._linear(inputs)
        if self._activation:
            projected = self._activation(projected)
        return self._cell(projected, state)


class OutputProjectionWrapper(WrapperCell):
    """Runs the cell, then projects its output to `output_size` (variables `kernel`, `bias`)."""

    def __init__(self, cell, output_size, activation=None, reuse=None):
        super(OutputProjectionWrapper, self).__init__(cell, reuse=reuse)
        if output_size < 1:
            raise ValueError("Parameter output_size must be > 0: %d." % output_size)
        self._output_size = output_size
        self._activation = activation
        self._linear = None

    @property
    def output_size(self):
        return self._output_size

    def call(self, inputs, state):
        output, new_state = self._cell(inputs, state)
        if self._linear is None:
            self._linear = Linear(output, self._output_size, True)
        projected = self._linear(output)
        if self._activation:
            projected = self._activation(projected)
        return projected, new_state
