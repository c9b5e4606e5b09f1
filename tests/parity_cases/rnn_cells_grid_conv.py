"""tf.contrib.rnn's grid, time-frequency, convolutional and phased LSTM cells, against TF 1.15.

The defaults of each cell, and the options real code uses: GridLSTMCell's peepholes, shared
time-frequency weights, frequency blocks, coupled gates, concatenated state and sharded weights;
the bidirectional grid's backward slice offset; ConvLSTM in 1-D/2-D/3-D under static_rnn and
dynamic_rnn, without bias, with a skip connection; PhasedLSTM with float64 times and peepholes.
"""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("rnn_cells_grid_conv")

BATCH, STEPS, UNITS = 2, 3, 3
WIDTH = 5  # input columns of the frequency cells


def steps(shape, seed=0, count=STEPS):
    """`count` constants of [BATCH] + shape from a fixed numpy stream (the same on both runtimes)."""
    rng = np.random.RandomState(seed)
    return [tf.constant(rng.randn(BATCH, *shape).astype(np.float32)) for _ in range(count)]


def train(outputs, state, steps=3):
    loss = tf.reduce_mean(tf.square(outputs[-1] - 0.5))
    return Spec({"outputs": outputs, "state": state}, loss=loss,
                optimizer=tf.train.GradientDescentOptimizer(0.1), steps=steps)


@cases.case
def grid_lstm_defaults_static():
    cell = tf.contrib.rnn.GridLSTMCell(UNITS, feature_size=4, frequency_skip=1, num_frequency_blocks=[2])
    outputs, state = tf.contrib.rnn.static_rnn(cell, steps([WIDTH], count=2), dtype=tf.float32)
    return train(outputs, state)


@cases.case
def grid_lstm_peepholes_shared_clip_dynamic():
    cell = tf.contrib.rnn.GridLSTMCell(UNITS, use_peepholes=True, share_time_frequency_weights=True,
                                       cell_clip=0.8, forget_bias=0.5, feature_size=3, frequency_skip=2,
                                       num_frequency_blocks=[2])
    outputs, state = tf.nn.dynamic_rnn(cell, tf.stack(steps([WIDTH], seed=1), axis=1), dtype=tf.float32)
    return train(tf.unstack(outputs, axis=1), state)


@cases.case
def grid_lstm_blocks_coupled_concat_state_sharded():
    cell = tf.contrib.rnn.GridLSTMCell(UNITS, use_peepholes=True, num_unit_shards=2, feature_size=2,
                                       frequency_skip=1, num_frequency_blocks=[1, 2],
                                       start_freqindex_list=[0, 2], end_freqindex_list=[2, 5],
                                       couple_input_forget_gates=True, state_is_tuple=False)
    outputs, state = tf.contrib.rnn.static_rnn(cell, steps([WIDTH], seed=2, count=2), dtype=tf.float32)
    return train(outputs, state)


@cases.case
def bidirectional_grid_lstm_peepholes_offset():
    cell = tf.contrib.rnn.BidirectionalGridLSTMCell(UNITS, use_peepholes=True, feature_size=4, frequency_skip=1,
                                                    num_frequency_blocks=[2], backward_slice_offset=1)
    outputs, state = tf.contrib.rnn.static_rnn(cell, steps([WIDTH], seed=3, count=2), dtype=tf.float32)
    return train(outputs, state)


@cases.case
def time_freq_lstm_defaults():
    # One window spanning the input: the only case where TF 1.15's state_size fits zero_state.
    cell = tf.contrib.rnn.TimeFreqLSTMCell(UNITS, feature_size=WIDTH)
    outputs, state = tf.contrib.rnn.static_rnn(cell, steps([WIDTH], seed=4), dtype=tf.float32)
    return train(outputs, state)


@cases.case
def time_freq_lstm_peepholes_clip_sharded():
    # Two windows (columns 0-2 and 2-4): the state is 2 * UNITS per window, passed in full.
    cell = tf.contrib.rnn.TimeFreqLSTMCell(UNITS, use_peepholes=True, cell_clip=0.5, num_unit_shards=2,
                                           forget_bias=0.0, feature_size=3, frequency_skip=2)
    initial = tf.constant(np.linspace(-0.5, 0.5, BATCH * 2 * 2 * UNITS, dtype=np.float32).reshape(BATCH, -1))
    outputs, state = tf.contrib.rnn.static_rnn(cell, steps([WIDTH], seed=5, count=2), initial_state=initial)
    return train(outputs, state)


@cases.case
def conv1d_lstm_dynamic():
    cell = tf.contrib.rnn.Conv1DLSTMCell(input_shape=[4, 2], output_channels=2, kernel_shape=[3])
    outputs, state = tf.nn.dynamic_rnn(cell, tf.stack(steps([4, 2], seed=6), axis=1), dtype=tf.float32)
    return train(tf.unstack(outputs, axis=1), state)


@cases.case
def conv2d_lstm_static_named_forget_bias():
    # The pattern of ConvLSTM scripts: conv_ndims given, a name, zero_state from a dynamic batch size.
    inputs = steps([3, 3, 2], seed=7)
    cell = tf.contrib.rnn.ConvLSTMCell(conv_ndims=2, input_shape=[3, 3, 2], output_channels=2,
                                       kernel_shape=[3, 3], forget_bias=0.5, name="encoder_convlstm")
    initial = cell.zero_state(tf.shape(inputs[0])[0], dtype=tf.float32)
    outputs, state = tf.contrib.rnn.static_rnn(cell, inputs, initial_state=initial, dtype=tf.float32)
    return train(outputs, state)


@cases.case
def conv2d_lstm_skip_connection_no_bias():
    # One step: with skip_connection the returned h has the input's channels too (as in TF 1.15).
    cell = tf.contrib.rnn.Conv2DLSTMCell(input_shape=[3, 3, 2], output_channels=2, kernel_shape=[2, 2],
                                         use_bias=False, skip_connection=True)
    x = steps([3, 3, 2], seed=8, count=1)[0]
    output, state = cell(x, cell.zero_state(BATCH, tf.float32))
    return train([output], state)


@cases.case
def conv3d_lstm_dynamic():
    cell = tf.contrib.rnn.Conv3DLSTMCell(input_shape=[2, 2, 2, 1], output_channels=2, kernel_shape=[2, 2, 2])
    outputs, state = tf.nn.dynamic_rnn(cell, tf.stack(steps([2, 2, 2, 1], seed=9, count=2), axis=1),
                                       dtype=tf.float32)
    return train(tf.unstack(outputs, axis=1), state)


def phased_inputs(dtype, seed):
    rng = np.random.RandomState(seed)
    times = np.cumsum(rng.uniform(0.2, 1.5, size=(BATCH, STEPS, 1)), axis=1).astype(dtype)
    features = rng.randn(BATCH, STEPS, 4).astype(np.float32)
    return tf.constant(times), tf.constant(features)


@cases.case
def phased_lstm_defaults_static():
    times, features = phased_inputs(np.float32, seed=10)
    cell = tf.contrib.rnn.PhasedLSTMCell(UNITS)
    inputs = list(zip(tf.unstack(times, axis=1), tf.unstack(features, axis=1)))
    outputs, state = tf.contrib.rnn.static_rnn(cell, inputs, dtype=tf.float32)
    return train(outputs, state)


@cases.case
def phased_lstm_float64_time_peepholes_dynamic():
    times, features = phased_inputs(np.float64, seed=11)
    cell = tf.contrib.rnn.PhasedLSTMCell(UNITS, use_peepholes=True, leak=0.01, ratio_on=0.4,
                                         trainable_ratio_on=False, period_init_min=1.0, period_init_max=4.0)
    outputs, state = tf.nn.dynamic_rnn(cell, (times, features), dtype=tf.float32)
    return train(tf.unstack(outputs, axis=1), state)
