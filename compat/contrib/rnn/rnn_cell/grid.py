"""tf.contrib.rnn's time-frequency and grid LSTM cells, on TF 2.x.

TimeFreqLSTMCell, GridLSTMCell and BidirectionalGridLSTMCell as TF 1.15 defined them
(tensorflow/contrib/rnn/python/ops/rnn_cell.py): same arguments and defaults, variables (`W_0`,
`B`, `W_f_0_0`, `B_t_0`, `W_I_diag_freqf_0`, ...) in the same scopes and order, same maths and
op order. The input is cut into frequency windows of `feature_size` columns, `frequency_skip`
apart; an LSTM runs along those windows (frequency) as well as across steps (time).

TF 1.15 quirks kept on purpose, so its checkpoints and graphs carry over:
- TimeFreqLSTMCell says state_size = 2 * num_units and output_size = num_units whatever the
  number of windows, while it reads and returns 2 * num_units (state) and num_units (output)
  per window: with more than one window, pass an initial state of the full width yourself.
- `initializer` is accepted and unused (the variables take the scope's initializer).
- GridLSTMCell with state_is_tuple=False reads each block's state from the same columns.
One deliberate difference: TimeFreqLSTMCell accepts inputs whose batch size is known only at run
time (TF 1.15 raised a TypeError building its zero frequency state from the unknown dimension).
"""

import collections

from tensorflow.compat import v1 as tf

from compat.contrib.rnn.rnn_cell.building_blocks import RNNCell, concat_variable

__all__ = ["TimeFreqLSTMCell", "GridLSTMCell", "BidirectionalGridLSTMCell"]


def frequency_windows(inputs, start, count, feature_size, frequency_skip):
    """`count` column slices of `feature_size`, the first at `start`, `frequency_skip` apart."""
    return [tf.slice(inputs, [0, start + k * frequency_skip], [-1, feature_size]) for k in range(count)]


def static_input_size(inputs):
    size = tf.dimension_value(inputs.get_shape().with_rank(2)[-1])
    if size is None:
        raise ValueError("Cannot infer input_size from static shape inference.")
    return size


def gate(preactivation, peepholes=(), bias=None):
    """sigmoid(preactivation [+ bias] + w1 * c1 + w2 * c2 ...), in TF 1.15's op order."""
    value = preactivation if bias is None else preactivation + bias
    for weight, cell_state in peepholes:
        value = value + weight * cell_state
    return tf.sigmoid(value)


class TimeFreqLSTMCell(RNNCell):
    """Time-frequency LSTM (Sainath & Li, 2016), with optional peepholes and cell clipping."""

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_unit_shards=1, forget_bias=1.0, feature_size=None, frequency_skip=1, reuse=None):
        super(TimeFreqLSTMCell, self).__init__(_reuse=reuse)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_unit_shards = num_unit_shards
        self._forget_bias = forget_bias
        self._feature_size = feature_size
        self._frequency_skip = frequency_skip
        self._state_size = 2 * num_units
        self._output_size = num_units
        self._reuse = reuse

    @property
    def output_size(self):
        return self._output_size

    @property
    def state_size(self):
        return self._state_size

    def call(self, inputs, state):
        units = self._num_units
        windows = self._make_tf_features(inputs)
        dtype = inputs.dtype
        window_size = windows[0].get_shape().as_list()[1]
        weights = concat_variable("W", [window_size + 2 * units, 4 * units], dtype,
                                                self._num_unit_shards)
        bias = tf.get_variable("B", shape=[4 * units], initializer=tf.zeros_initializer(), dtype=dtype)
        if self._use_peepholes:
            w_f, w_i, w_o = [tf.get_variable("W_%s_diag" % g, shape=[units], dtype=dtype) for g in "FIO"]
        batch = tf.dimension_value(inputs.shape[0])
        m_prev_freq = tf.zeros([batch if batch is not None else tf.shape(inputs)[0], units], dtype)
        for index, window in enumerate(windows):
            c_prev = tf.slice(state, [0, 2 * index * units], [-1, units])
            m_prev = tf.slice(state, [0, (2 * index + 1) * units], [-1, units])
            # i = input gate, j = new input, f = forget gate, o = output gate
            lstm_matrix = tf.nn.bias_add(tf.matmul(tf.concat([window, m_prev, m_prev_freq], 1), weights), bias)
            i, j, f, o = tf.split(value=lstm_matrix, num_or_size_splits=4, axis=1)
            if self._use_peepholes:
                c = (gate(f, [(w_f, c_prev)], self._forget_bias) * c_prev
                     + gate(i, [(w_i, c_prev)]) * tf.tanh(j))
            else:
                c = gate(f, bias=self._forget_bias) * c_prev + gate(i) * tf.tanh(j)
            if self._cell_clip is not None:
                c = tf.clip_by_value(c, -self._cell_clip, self._cell_clip)
            m = gate(o, [(w_o, c)] if self._use_peepholes else ()) * tf.tanh(c)
            m_prev_freq = m
            if index == 0:
                state_out, m_out = tf.concat([c, m], 1), m
            else:
                state_out = tf.concat([state_out, c, m], 1)
                m_out = tf.concat([m_out, m], 1)
        return m_out, state_out

    def _make_tf_features(self, input_feat):
        count = int((static_input_size(input_feat) - self._feature_size) / self._frequency_skip) + 1
        return frequency_windows(input_feat, 0, count, self._feature_size, self._frequency_skip)


class GridLSTMCell(RNNCell):
    """Grid LSTM (Kalchbrenner et al., 2016; with peepholes, Sainath & Li, 2016): a time LSTM and
    a frequency LSTM per window, optionally sharing weights or coupling input and forget gates.

    `num_frequency_blocks` (required) lists the windows per block; blocks are given by
    `start_freqindex_list`/`end_freqindex_list`, or the whole input is one block."""

    def __init__(self, num_units, use_peepholes=False, share_time_frequency_weights=False,
                 cell_clip=None, initializer=None, num_unit_shards=1, forget_bias=1.0,
                 feature_size=None, frequency_skip=None, num_frequency_blocks=None,
                 start_freqindex_list=None, end_freqindex_list=None,
                 couple_input_forget_gates=False, state_is_tuple=True, reuse=None):
        super(GridLSTMCell, self).__init__(_reuse=reuse)
        if not state_is_tuple:
            tf.logging.warn("%s: Using a concatenated state is slower and will soon be deprecated."
                            "  Use state_is_tuple=True.", self)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._share_time_frequency_weights = share_time_frequency_weights
        self._couple_input_forget_gates = couple_input_forget_gates
        self._state_is_tuple = state_is_tuple
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_unit_shards = num_unit_shards
        self._forget_bias = forget_bias
        self._feature_size = feature_size
        self._frequency_skip = frequency_skip
        self._start_freqindex_list = start_freqindex_list
        self._end_freqindex_list = end_freqindex_list
        self._num_frequency_blocks = num_frequency_blocks
        self._reuse = reuse
        if num_frequency_blocks is None:
            raise ValueError("Must specify num_frequency_blocks")
        self._total_blocks = sum(int(n) for n in num_frequency_blocks)
        if state_is_tuple:
            self._state_tuple_type = self._make_state_tuple_type("GridLSTMStateTuple", ["state"])
            self._state_size = self._state_tuple_type(*([num_units, num_units] * self._total_blocks))
        else:
            self._state_tuple_type = None
            self._state_size = num_units * self._total_blocks * 2
        self._output_size = num_units * self._total_blocks * 2

    def _make_state_tuple_type(self, type_name, prefixes):
        """namedtuple of `<prefix>_fFF_bBB_c`, `..._m` per window FF of each block BB."""
        fields = []
        for prefix in prefixes:
            for block, count in enumerate(self._num_frequency_blocks):
                for index in range(count):
                    name = "%s_f%02d_b%02d" % (prefix, index, block)
                    fields += [name + "_c", name + "_m"]
        return collections.namedtuple(type_name, fields)

    @property
    def output_size(self):
        return self._output_size

    @property
    def state_size(self):
        return self._state_size

    @property
    def state_tuple_type(self):
        return self._state_tuple_type

    def call(self, inputs, state):
        batch_size = tf.dimension_value(inputs.shape[0]) or tf.shape(inputs)[0]
        m_out, state_out = [], []
        for block, windows in enumerate(self._make_tf_features(inputs)):
            block_m, block_state = self._compute(windows, block, state, batch_size,
                                                 state_is_tuple=self._state_is_tuple)
            m_out.extend(block_m)
            state_out.extend(block_state)
        if self._state_is_tuple:
            state_out = self._state_tuple_type(*state_out)
        else:
            state_out = tf.concat(state_out, 1)
        return tf.concat(m_out, 1), state_out

    def _peepholes(self, kind, block, dtype):
        """{gate: (weight on the frequency cell, weight on the time cell)} for one LSTM kind."""
        gates = "IO" if self._couple_input_forget_gates else "FIO"
        return {g: tuple(tf.get_variable("W_%s_diag_%s%s_%d" % (g, kind, source, block),
                                         shape=[self._num_units], dtype=dtype) for source in "ft")
                for g in gates}

    def _lstm_weights(self, kind, block, input_size, dtype, num_gates):
        units = self._num_units
        weights = concat_variable("W_%s_%d" % (kind, block),
                                                [input_size + 2 * units, num_gates * units], dtype,
                                                self._num_unit_shards)
        bias = tf.get_variable("B_%s_%d" % (kind, block), shape=[num_gates * units],
                               initializer=tf.zeros_initializer(), dtype=dtype)
        return weights, bias

    def _split_gates(self, cell_inputs, weights, bias, num_gates):
        """(i, j, f, o); f is None when the input and forget gates are coupled."""
        gates = tf.split(value=tf.nn.bias_add(tf.matmul(cell_inputs, weights), bias),
                         num_or_size_splits=num_gates, axis=1)
        if self._couple_input_forget_gates:
            return gates[0], gates[1], None, gates[2]
        return tuple(gates)

    def _new_cell(self, gates, peepholes, c_prev, c_prev_freq, c_prev_time):
        """One LSTM's cell state; peephole gates look at both previous cells (frequency, time)."""
        i, j, f, _ = gates

        def seen(g):
            return list(zip(peepholes[g], (c_prev_freq, c_prev_time))) if peepholes else ()

        input_gate = gate(i, seen("I"))
        if self._couple_input_forget_gates:
            forget_gate = 1.0 - input_gate
        else:
            forget_gate = gate(f, seen("F"), self._forget_bias)
        c = forget_gate * c_prev + input_gate * tf.tanh(j)
        if self._cell_clip is not None:
            c = tf.clip_by_value(c, -self._cell_clip, self._cell_clip)
        return c

    def _compute(self, freq_inputs, block, state, batch_size, state_prefix="state", state_is_tuple=True):
        """One step of block `block` over its windows: ([m_time, m_freq] per window, [c_time,
        m_time] per window)."""
        units = self._num_units
        shared = self._share_time_frequency_weights
        num_gates = 3 if self._couple_input_forget_gates else 4
        dtype = freq_inputs[0].dtype
        input_size = freq_inputs[0].get_shape().as_list()[1]
        w_freq, b_freq = self._lstm_weights("f", block, input_size, dtype, num_gates)
        if not shared:
            w_time, b_time = self._lstm_weights("t", block, input_size, dtype, num_gates)
        peep_freq = peep_time = None
        if self._use_peepholes:
            peep_freq = self._peepholes("freq", block, dtype)
            peep_time = peep_freq if shared else self._peepholes("time", block, dtype)

        m_prev_freq = tf.zeros([batch_size, units], dtype)
        c_prev_freq = tf.zeros([batch_size, units], dtype)
        m_out, state_out = [], []
        for index, window in enumerate(freq_inputs):
            if state_is_tuple:
                name = "%s_f%02d_b%02d" % (state_prefix, index, block)
                c_prev_time, m_prev_time = getattr(state, name + "_c"), getattr(state, name + "_m")
            else:
                c_prev_time = tf.slice(state, [0, 2 * index * units], [-1, units])
                m_prev_time = tf.slice(state, [0, (2 * index + 1) * units], [-1, units])
            cell_inputs = tf.concat([window, m_prev_time, m_prev_freq], 1)
            gates_freq = self._split_gates(cell_inputs, w_freq, b_freq, num_gates)
            gates_time = gates_freq if shared else self._split_gates(cell_inputs, w_time, b_time, num_gates)

            c_freq = self._new_cell(gates_freq, peep_freq, c_prev_freq, c_prev_freq, c_prev_time)
            c_time = self._new_cell(gates_time, peep_time, c_prev_time, c_prev_freq, c_prev_time)
            m_freq = gate(gates_freq[3], zip(peep_freq["O"], (c_freq, c_time)) if peep_freq else ()) * tf.tanh(c_freq)
            m_time = gate(gates_time[3], zip(peep_time["O"], (c_freq, c_time)) if peep_time else ()) * tf.tanh(c_time)

            m_prev_freq, c_prev_freq = m_freq, c_freq
            state_out += [c_time, m_time]
            m_out += [m_time, m_freq]
        return m_out, state_out

    def _make_tf_features(self, input_feat, slice_offset=0):
        """[[window, ...] per block]; a nonzero `slice_offset` (the bidirectional cell's backward
        pass) zero-pads the input at the end (> 0) or the front (< 0) and shifts the windows."""
        input_size = static_input_size(input_feat)
        if slice_offset > 0:
            inputs = tf.pad(input_feat, tf.constant([0, 0, 0, slice_offset], shape=[2, 2], dtype=tf.int32),
                            "CONSTANT")
        elif slice_offset < 0:
            inputs = tf.pad(input_feat, tf.constant([0, 0, -slice_offset, 0], shape=[2, 2], dtype=tf.int32),
                            "CONSTANT")
            slice_offset = 0
        else:
            inputs = input_feat
        blocks = self._num_frequency_blocks
        if not self._start_freqindex_list:
            if len(blocks) != 1:
                raise ValueError("Length of num_frequency_blocks is not 1, but instead is %d" % len(blocks))
            spans = [(0, input_size)]
        else:
            starts, ends = self._start_freqindex_list, self._end_freqindex_list
            if len(starts) != len(ends):
                raise ValueError("Length of start and end freqindex_list does not match %d %d"
                                 % (len(starts), len(ends)))
            if len(blocks) != len(starts):
                raise ValueError("Length of num_frequency_blocks is not equal to start_freqindex_list %d %d"
                                 % (len(blocks), len(starts)))
            spans = list(zip(starts, ends))
        windows = []
        for block, (start, end) in enumerate(spans):
            count = int((end - start - self._feature_size) / self._frequency_skip) + 1
            if count != blocks[block]:
                raise ValueError("Invalid num_frequency_blocks, requires %d but gets %d, please check "
                                 "the input size and filter config are correct." % (blocks[block], count))
            windows.append(frequency_windows(inputs, start + slice_offset, count, self._feature_size,
                                             self._frequency_skip))
        return windows


class BidirectionalGridLSTMCell(GridLSTMCell):
    """GridLSTMCell run over the windows in both directions (scopes `fwd` and `bwd`, separate
    weights); time stays one-directional. Outputs of both directions are concatenated."""

    def __init__(self, num_units, use_peepholes=False, share_time_frequency_weights=False,
                 cell_clip=None, initializer=None, num_unit_shards=1, forget_bias=1.0,
                 feature_size=None, frequency_skip=None, num_frequency_blocks=None,
                 start_freqindex_list=None, end_freqindex_list=None,
                 couple_input_forget_gates=False, backward_slice_offset=0, reuse=None):
        super(BidirectionalGridLSTMCell, self).__init__(
            num_units, use_peepholes, share_time_frequency_weights, cell_clip, initializer,
            num_unit_shards, forget_bias, feature_size, frequency_skip, num_frequency_blocks,
            start_freqindex_list, end_freqindex_list, couple_input_forget_gates, True, reuse)
        self._backward_slice_offset = int(backward_slice_offset)
        self._state_tuple_type = self._make_state_tuple_type(
            "BidirectionalGridLSTMStateTuple", ["fwd_state", "bwd_state"])
        self._state_size = self._state_tuple_type(*([num_units, num_units] * self._total_blocks * 2))
        self._output_size = 2 * num_units * self._total_blocks * 2

    def call(self, inputs, state):
        batch_size = tf.dimension_value(inputs.shape[0]) or tf.shape(inputs)[0]
        fwd_inputs = self._make_tf_features(inputs)
        if self._backward_slice_offset:
            bwd_inputs = self._make_tf_features(inputs, self._backward_slice_offset)
        else:
            bwd_inputs = fwd_inputs
        m_out, state_out = [], []
        for direction, blocks in (("fwd", fwd_inputs), ("bwd", [b[::-1] for b in bwd_inputs])):
            with tf.variable_scope(direction):
                for block, windows in enumerate(blocks):
                    block_m, block_state = self._compute(windows, block, state, batch_size,
                                                         state_prefix=direction + "_state", state_is_tuple=True)
                    m_out.extend(block_m)
                    state_out.extend(block_state)
        return tf.concat(m_out, 1), self._state_tuple_type(*state_out)
