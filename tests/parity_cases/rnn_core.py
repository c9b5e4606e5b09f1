"""tf.contrib.rnn's core cells and static RNNs (the names compat provided first), against TF 1.15."""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("rnn_core")

BATCH, STEPS, INPUT, UNITS = 2, 4, 3, 5


def inputs(seed=0):
    """STEPS constants of [BATCH, INPUT] from a fixed numpy stream (the same on both runtimes)."""
    rng = np.random.RandomState(seed)
    return [tf.constant(rng.randn(BATCH, INPUT).astype(np.float32)) for _ in range(STEPS)]


def train(outputs, state, steps=3):
    loss = tf.reduce_mean(tf.square(outputs[-1] - 0.5))
    return Spec({"outputs": outputs, "state": state}, loss=loss,
                optimizer=tf.train.GradientDescentOptimizer(0.1), steps=steps)


@cases.case
def basic_rnn_static():
    outputs, state = tf.contrib.rnn.static_rnn(tf.contrib.rnn.BasicRNNCell(UNITS), inputs(), dtype=tf.float32)
    return train(outputs, state)


@cases.case
def basic_lstm_static():
    cell = tf.contrib.rnn.BasicLSTMCell(UNITS, forget_bias=1.0)
    outputs, state = tf.contrib.rnn.static_rnn(cell, inputs(), dtype=tf.float32)
    return train(outputs, state)


@cases.case
def lstm_peepholes_projection_dynamic():
    cell = tf.contrib.rnn.LSTMCell(UNITS, use_peepholes=True, num_proj=3, cell_clip=2.0)
    outputs, state = tf.nn.dynamic_rnn(cell, tf.stack(inputs(), axis=1), dtype=tf.float32)
    return train(tf.unstack(outputs, axis=1), state)


@cases.case
def gru_dynamic_with_lengths():
    cell = tf.contrib.rnn.GRUCell(UNITS)
    outputs, state = tf.nn.dynamic_rnn(cell, tf.stack(inputs(), axis=1), sequence_length=[4, 2],
                                       dtype=tf.float32)
    return train(tf.unstack(outputs, axis=1), state)


@cases.case
def multi_rnn_residual_dropout():
    cells = [tf.contrib.rnn.DropoutWrapper(tf.contrib.rnn.BasicLSTMCell(INPUT), output_keep_prob=0.7, seed=3),
             tf.contrib.rnn.ResidualWrapper(tf.contrib.rnn.GRUCell(INPUT))]
    outputs, state = tf.contrib.rnn.static_rnn(tf.contrib.rnn.MultiRNNCell(cells), inputs(), dtype=tf.float32)
    return train(outputs, state)


@cases.case
def static_bidirectional():
    outputs, fw, bw = tf.contrib.rnn.static_bidirectional_rnn(
        tf.contrib.rnn.BasicLSTMCell(UNITS), tf.contrib.rnn.GRUCell(UNITS), inputs(), dtype=tf.float32)
    return train(outputs, (fw, bw))
