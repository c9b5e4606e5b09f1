"""tf.contrib.rnn's block and fused cells and stacked bidirectional RNNs, against TF 1.15.

Each case trains 3 steps, so the gradients compat registers for the block kernels (and TF's own
for BlockLSTM) are compared too, including LSTMBlockCell's with a cell_clip that is reached.
"""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("rnn_fused")

BATCH, STEPS, INPUT, UNITS = 2, 4, 3, 5
LENGTHS = [STEPS, 2]


def time_major(seed=0):
    """A [STEPS, BATCH, INPUT] constant from a fixed numpy stream."""
    return tf.constant(np.random.RandomState(seed).randn(STEPS, BATCH, INPUT).astype(np.float32))


def train(outputs, state, target=0.5, optimizer=None):
    """Spec: outputs and state, then 3 steps on the mean squared distance of the outputs to `target`."""
    stacked = tf.stack(outputs) if isinstance(outputs, list) else outputs
    loss = tf.reduce_mean(tf.square(stacked - target))
    return Spec({"outputs": outputs, "state": state}, loss=loss,
                optimizer=optimizer or tf.train.GradientDescentOptimizer(0.5), steps=3)


@cases.case
def lstm_block_cell_peephole_clip_static():
    cell = tf.contrib.rnn.LSTMBlockCell(UNITS, forget_bias=0.8, cell_clip=0.15, use_peephole=True)
    outputs, state = tf.contrib.rnn.static_rnn(cell, tf.unstack(time_major()), dtype=tf.float32)
    return train(outputs, state)


@cases.case
def lstm_block_cell_dynamic_lengths():
    cell = tf.contrib.rnn.LSTMBlockCell(UNITS)
    outputs, state = tf.nn.dynamic_rnn(cell, time_major(1), sequence_length=LENGTHS, time_major=True,
                                       dtype=tf.float32)
    return train(outputs, state)


@cases.case
def lstm_block_fused_cell_peephole_lengths():
    cell = tf.contrib.rnn.LSTMBlockFusedCell(UNITS, forget_bias=0.5, cell_clip=0.4, use_peephole=True)
    outputs, state = cell(time_major(2), dtype=tf.float32, sequence_length=LENGTHS)
    return train(outputs, state, optimizer=tf.train.AdamOptimizer(0.05))


@cases.case
def lstm_block_fused_bidirectional():
    """The TF 1.x fused bidirectional LSTM pattern: a fused cell forward, its time reversal backward."""
    inputs = time_major(3)
    fw_out, fw_state = tf.contrib.rnn.LSTMBlockFusedCell(UNITS)(inputs, dtype=tf.float32, scope="fw")
    bw_cell = tf.contrib.rnn.TimeReversedFusedRNN(tf.contrib.rnn.LSTMBlockFusedCell(UNITS))
    bw_out, bw_state = bw_cell(inputs, dtype=tf.float32, sequence_length=LENGTHS, scope="bw")
    return train(tf.concat([fw_out, bw_out], 2), (fw_state, bw_state))


@cases.case
def gru_block_cell_dynamic():
    cell = tf.contrib.rnn.GRUBlockCell(UNITS)
    outputs, state = tf.nn.dynamic_rnn(cell, time_major(4), sequence_length=LENGTHS, time_major=True,
                                       dtype=tf.float32)
    return train(outputs, state)


@cases.case
def gru_block_cell_v2_static():
    cell = tf.contrib.rnn.GRUBlockCellV2(UNITS)
    outputs, state = tf.contrib.rnn.static_rnn(cell, tf.unstack(time_major(5)), dtype=tf.float32)
    return train(outputs, state)


@cases.case
def fused_adaptors():
    inputs = time_major(6)
    static = tf.contrib.rnn.FusedRNNCellAdaptor(tf.contrib.rnn.BasicRNNCell(UNITS))
    dynamic = tf.contrib.rnn.FusedRNNCellAdaptor(tf.contrib.rnn.GRUBlockCellV2(UNITS), use_dynamic_rnn=True)
    static_out, static_state = static(tf.unstack(inputs), dtype=tf.float32, scope="static")
    dynamic_out, dynamic_state = dynamic(inputs, dtype=tf.float32, sequence_length=LENGTHS, scope="dynamic")
    return train([tf.stack(static_out), dynamic_out], (static_state, dynamic_state))


@cases.case
def stack_bidirectional_dynamic():
    cells_fw = [tf.contrib.rnn.LSTMBlockCell(UNITS), tf.contrib.rnn.GRUBlockCellV2(UNITS)]
    cells_bw = [tf.contrib.rnn.LSTMBlockCell(UNITS), tf.contrib.rnn.GRUBlockCellV2(UNITS)]
    inputs = tf.transpose(time_major(7), [1, 0, 2])  # batch-major, the function's default
    outputs, states_fw, states_bw = tf.contrib.rnn.stack_bidirectional_dynamic_rnn(
        cells_fw, cells_bw, inputs, dtype=tf.float32, sequence_length=LENGTHS)
    return train(outputs, (states_fw, states_bw))


@cases.case
def stack_bidirectional_static_initial_states():
    """One layer (the two-layer wiring is the dynamic case's): static RNNs with lengths are big graphs."""
    outputs, states_fw, states_bw = tf.contrib.rnn.stack_bidirectional_rnn(
        [tf.contrib.rnn.GRUBlockCell(UNITS)], [tf.contrib.rnn.BasicRNNCell(UNITS)], tf.unstack(time_major(8)),
        initial_states_fw=[tf.fill([BATCH, UNITS], 0.1)], initial_states_bw=[tf.fill([BATCH, UNITS], -0.2)],
        sequence_length=LENGTHS, scope="encoder")
    return train(outputs, (states_fw, states_bw))
