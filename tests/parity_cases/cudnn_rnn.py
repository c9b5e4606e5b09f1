"""tf.contrib.cudnn_rnn's CPU cells against TF 1.15: CudnnCompatibleLSTMCell and
CudnnCompatibleGRUCell in dynamic_rnn, TF 1.15's variable names, 3 training steps."""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("cudnn_rnn")

BATCH, STEPS, INPUT, UNITS = 2, 4, 3, 5


def sequence(seed=0):
    return tf.constant(np.random.RandomState(seed).randn(BATCH, STEPS, INPUT).astype(np.float32))


def train(outputs, state):
    loss = tf.reduce_mean(tf.square(outputs - 0.5))
    return Spec({"outputs": outputs, "state": state}, loss=loss,
                optimizer=tf.train.GradientDescentOptimizer(0.5), steps=3)


@cases.case
def cudnn_compatible_lstm_cell():
    cell = tf.contrib.cudnn_rnn.CudnnCompatibleLSTMCell(UNITS)
    outputs, state = tf.nn.dynamic_rnn(cell, sequence(), sequence_length=[4, 3], dtype=tf.float32)
    return train(outputs, state)


@cases.case
def cudnn_compatible_gru_cell():
    cell = tf.contrib.cudnn_rnn.CudnnCompatibleGRUCell(UNITS)
    outputs, state = tf.nn.dynamic_rnn(cell, sequence(), dtype=tf.float32)
    return train(outputs, state)
