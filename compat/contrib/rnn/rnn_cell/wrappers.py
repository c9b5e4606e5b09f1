"""contrib's cell wrappers: HighwayWrapper, AttentionCellWrapper, CompiledWrapper.

TF 1.15's signatures, variable names (`carry_w`, `attention/attn_w`, `attn_output_projection/kernel`,
...) and math. CompiledWrapper marks the wrapped step's ops for XLA with
tf.xla.experimental.jit_scope, the successor of the contrib jit scope TF 1.15 used.
"""

from tensorflow.compat import v1 as tf
from tensorflow.python.framework import op_def_registry  # an op's statefulness: no public API has it

from compat.contrib.rnn.core_rnn_cell import WrapperCell
from compat.contrib.rnn.rnn_cell.building_blocks import Linear, RNNCell, assert_like_rnncell

__all__ = ["AttentionCellWrapper", "CompiledWrapper", "HighwayWrapper"]


class HighwayWrapper(WrapperCell):
    """Highway connection (Srivastava et al. 2015) from the cell's inputs to its outputs:
    out' = in * carry + out * transform, carry = sigmoid(in @ carry_w + carry_b) and
    transform = 1 - carry unless uncoupled (its own `transform_w`/`transform_b`). The weights live in
    the scope the wrapper is called in (e.g. `rnn/carry_w`), not in the cell's."""

    def __init__(self, cell, couple_carry_transform_gates=True, carry_bias_init=1.0):
        super(HighwayWrapper, self).__init__(cell, check_cell=False)
        self._couple_carry_transform_gates = couple_carry_transform_gates
        self._carry_bias_init = carry_bias_init

    def _highway(self, inp, out):
        input_size = tf.dimension_value(inp.get_shape().with_rank(2)[1])
        carry_weight = tf.get_variable("carry_w", [input_size, input_size])
        carry_bias = tf.get_variable("carry_b", [input_size],
                                     initializer=tf.constant_initializer(self._carry_bias_init))
        carry = tf.sigmoid(tf.nn.xw_plus_b(inp, carry_weight, carry_bias))
        if self._couple_carry_transform_gates:
            transform = 1 - carry
        else:
            transform_weight = tf.get_variable("transform_w", [input_size, input_size])
            transform_bias = tf.get_variable("transform_b", [input_size],
                                             initializer=tf.constant_initializer(-self._carry_bias_init))
            transform = tf.sigmoid(tf.nn.xw_plus_b(inp, transform_weight, transform_bias))
        return inp * carry + out * transform

    def __call__(self, inputs, state, scope=None):
        outputs, new_state = self._cell(inputs, state, scope=scope)
        tf.nest.assert_same_structure(inputs, outputs)

        def assert_shape_match(inp, out):
            inp.get_shape().assert_is_compatible_with(out.get_shape())

        tf.nest.map_structure(assert_shape_match, inputs, outputs)
        return tf.nest.map_structure(self._highway, inputs, outputs), new_state


class AttentionCellWrapper(RNNCell):
    """Attention over the cell's last `attn_length` outputs (Cheng et al. 2016). State:
    (cell state, attention vector, attention window flattened)."""

    def __init__(self, cell, attn_length, attn_size=None, attn_vec_size=None, input_size=None,
                 state_is_tuple=True, reuse=None):
        super(AttentionCellWrapper, self).__init__(_reuse=reuse)
        assert_like_rnncell("cell", cell)
        if tf.nest.is_nested(cell.state_size) and not state_is_tuple:
            raise ValueError("Cell returns tuple of states, but the flag state_is_tuple is not set. "
                             "State size is: %s" % str(cell.state_size))
        if attn_length <= 0:
            raise ValueError("attn_length should be greater than zero, got %s" % str(attn_length))
        if not state_is_tuple:
            tf.logging.warn("%s: Using a concatenated state is slower and will soon be deprecated.  "
                            "Use state_is_tuple=True.", self)
        if attn_size is None:
            attn_size = cell.output_size
        if attn_vec_size is None:
            attn_vec_size = attn_size
        self._state_is_tuple = state_is_tuple
        self._cell = cell
        self._attn_vec_size = attn_vec_size
        self._input_size = input_size
        self._attn_size = attn_size
        self._attn_length = attn_length
        self._reuse = reuse
        self._linear1 = None
        self._linear2 = None
        self._linear3 = None

    @property
    def state_size(self):
        size = (self._cell.state_size, self._attn_size, self._attn_size * self._attn_length)
        return size if self._state_is_tuple else sum(list(size))

    @property
    def output_size(self):
        return self._attn_size

    def call(self, inputs, state):
        if self._state_is_tuple:
            state, attns, attn_states = state
        else:
            states = state
            cell_size = self._cell.state_size
            state = tf.slice(states, [0, 0], [-1, cell_size])
            attns = tf.slice(states, [0, cell_size], [-1, self._attn_size])
            attn_states = tf.slice(states, [0, cell_size + self._attn_size],
                                   [-1, self._attn_size * self._attn_length])
        attn_states = tf.reshape(attn_states, [-1, self._attn_length, self._attn_size])
        input_size = self._input_size
        if input_size is None:
            input_size = inputs.get_shape().as_list()[1]
        if self._linear1 is None:
            self._linear1 = Linear([inputs, attns], input_size, True)
        inputs = self._linear1([inputs, attns])
        cell_output, new_state = self._cell(inputs, state)
        new_state_cat = tf.concat(tf.nest.flatten(new_state), 1) if self._state_is_tuple else new_state
        new_attns, new_attn_states = self._attention(new_state_cat, attn_states)
        with tf.variable_scope("attn_output_projection"):
            if self._linear2 is None:
                self._linear2 = Linear([cell_output, new_attns], self._attn_size, True)
            output = self._linear2([cell_output, new_attns])
        new_attn_states = tf.concat([new_attn_states, tf.expand_dims(output, 1)], 1)
        new_attn_states = tf.reshape(new_attn_states, [-1, self._attn_length * self._attn_size])
        new_state = (new_state, new_attns, new_attn_states)
        if not self._state_is_tuple:
            new_state = tf.concat(list(new_state), 1)
        return output, new_state

    def _attention(self, query, attn_states):
        with tf.variable_scope("attention"):
            k = tf.get_variable("attn_w", [1, 1, self._attn_size, self._attn_vec_size])
            v = tf.get_variable("attn_v", [self._attn_vec_size])
            hidden = tf.reshape(attn_states, [-1, self._attn_length, 1, self._attn_size])
            hidden_features = tf.nn.conv2d(hidden, k, [1, 1, 1, 1], "SAME")
            if self._linear3 is None:
                self._linear3 = Linear(query, self._attn_vec_size, True)
            y = tf.reshape(self._linear3(query), [-1, 1, 1, self._attn_vec_size])
            s = tf.reduce_sum(v * tf.tanh(hidden_features + y), [2, 3])
            a = tf.nn.softmax(s)
            d = tf.reduce_sum(tf.reshape(a, [-1, self._attn_length, 1, 1]) * hidden, [1, 2])
            new_attns = tf.reshape(d, [-1, self._attn_size])
            new_attn_states = tf.slice(attn_states, [0, 1, 0], [-1, -1, -1])
            return new_attns, new_attn_states


def _is_stateless(node_def):
    return not op_def_registry.get(node_def.op).is_stateful


class CompiledWrapper(WrapperCell):
    """Runs the wrapped cell's step inside an XLA jit scope: its ops are marked for compilation
    (stateful ones, such as initializers and random ops, only if `compile_stateful`)."""

    def __init__(self, cell, compile_stateful=False):
        super(CompiledWrapper, self).__init__(cell, check_cell=False)
        self._compile_stateful = compile_stateful

    def __call__(self, inputs, state, scope=None):
        compile_ops = True if self._compile_stateful else _is_stateless
        with tf.xla.experimental.jit_scope(compile_ops=compile_ops):
            return self._cell(inputs, state, scope=scope)
