"""tf.contrib.rnn's EmbeddingWrapper, InputProjectionWrapper and OutputProjectionWrapper, against TF 1.15."""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("rnn_core_cell")

BATCH, STEPS, INPUT, UNITS, SYMBOLS, EMBEDDING = 2, 3, 3, 4, 6, 3


def train(outputs, state, steps=3):
    loss = tf.reduce_mean(tf.square(outputs[-1] - 0.5))
    return Spec({"outputs": outputs, "state": state}, loss=loss,
                optimizer=tf.train.GradientDescentOptimizer(0.1), steps=steps)


@cases.case
def embedding_wrapper_static():
    rng = np.random.RandomState(0)
    symbols = [tf.constant(rng.randint(0, SYMBOLS, size=BATCH).astype(np.int32)) for _ in range(STEPS)]
    cell = tf.contrib.rnn.EmbeddingWrapper(tf.contrib.rnn.GRUCell(UNITS), SYMBOLS, EMBEDDING)
    outputs, state = tf.contrib.rnn.static_rnn(cell, symbols, dtype=tf.float32)
    return train(outputs, state)


@cases.case
def projection_wrappers_dynamic():
    """Output(Input(LSTM)) projections, with activations, over sequences of different lengths."""
    rng = np.random.RandomState(1)
    inputs = tf.constant(rng.randn(BATCH, STEPS, INPUT).astype(np.float32))
    cell = tf.contrib.rnn.InputProjectionWrapper(tf.contrib.rnn.BasicLSTMCell(UNITS), 5, activation=tf.tanh)
    cell = tf.contrib.rnn.OutputProjectionWrapper(cell, 2, activation=tf.sigmoid)
    outputs, state = tf.nn.dynamic_rnn(cell, inputs, sequence_length=[3, 2], dtype=tf.float32)
    return train(tf.unstack(outputs, axis=1), state)
