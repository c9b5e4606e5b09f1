"""tf.contrib.rnn's stacked bidirectional RNNs (TF 1.15: contrib/rnn/python/ops/rnn.py) on TF 2.x.

Layer i runs a forward and a backward cell (tf.nn's static or dynamic bidirectional RNN, still
in TF 2.x) under `<scope or "stack_bidirectional_rnn">/cell_<i>`, and feeds the next layer the
depth-concatenation of both directions' outputs, so variables are named as on TF 1.15, e.g.
`stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/lstm_cell/kernel`. The utilities
transpose_batch_time and best_effort_input_batch_size, which TF 1.15's contrib.rnn re-exported
from core, are mapped in compat/_moved.py.
"""

from tensorflow.compat import v1 as tf

__all__ = ["stack_bidirectional_rnn", "stack_bidirectional_dynamic_rnn"]


def _check_layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
    """TF 1.15's argument checks, with its messages."""
    if not cells_fw:
        raise ValueError("Must specify at least one fw cell for BidirectionalRNN.")
    if not cells_bw:
        raise ValueError("Must specify at least one bw cell for BidirectionalRNN.")
    if not isinstance(cells_fw, list):
        raise ValueError("cells_fw must be a list of RNNCells (one per layer).")
    if not isinstance(cells_bw, list):
        raise ValueError("cells_bw must be a list of RNNCells (one per layer).")
    if len(cells_fw) != len(cells_bw):
        raise ValueError("Forward and Backward cells must have the same depth.")
    for direction, states in (("fw", initial_states_fw), ("bw", initial_states_bw)):
        if states is not None and (not isinstance(states, list) or len(states) != len(cells_fw)):
            raise ValueError("initial_states_%s must be a list of state tensors (one per layer)." % direction)


def _layer_state(states, index):
    return states[index] if states else None


def stack_bidirectional_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None, initial_states_bw=None,
                            dtype=None, sequence_length=None, scope=None):
    """Stacked bidirectional static RNN over a list of [batch, depth] inputs. Returns (outputs: a
    list of the last layer's concatenated fw/bw outputs, the fw final states one per layer as a
    tuple, the bw ones likewise)."""
    _check_layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw = [], []
    layer_inputs = inputs
    with tf.variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            with tf.variable_scope("cell_%d" % i) as cell_scope:
                layer_inputs, state_fw, state_bw = tf.nn.static_bidirectional_rnn(
                    cell_fw, cell_bw, layer_inputs, initial_state_fw=_layer_state(initial_states_fw, i),
                    initial_state_bw=_layer_state(initial_states_bw, i), sequence_length=sequence_length,
                    dtype=dtype, scope=cell_scope)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return layer_inputs, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                                    initial_states_bw=None, dtype=None, sequence_length=None,
                                    parallel_iterations=None, time_major=False, scope=None,
                                    swap_memory=False):
    """Stacked bidirectional dynamic RNN over a [batch, time, depth] tensor ([time, batch, depth]
    with time_major). Returns (the last layer's outputs, fw and bw concatenated on depth, the fw
    final states one per layer as a tuple, the bw ones likewise)."""
    _check_layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw = [], []
    layer_inputs = inputs
    with tf.variable_scope(scope or "stack_bidirectional_rnn"):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            with tf.variable_scope("cell_%d" % i):
                outputs, (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(
                    cell_fw, cell_bw, layer_inputs, initial_state_fw=_layer_state(initial_states_fw, i),
                    initial_state_bw=_layer_state(initial_states_bw, i), sequence_length=sequence_length,
                    parallel_iterations=parallel_iterations, dtype=dtype, swap_memory=swap_memory,
                    time_major=time_major)
                layer_inputs = tf.concat(outputs, 2)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return layer_inputs, tuple(states_fw), tuple(states_bw)
