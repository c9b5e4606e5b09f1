"""The MNIST RNN classifier tutorials' patterns (aymericdamien/TensorFlow-Examples'
recurrent_network.py and bidirectional_rnn.py, run by hand unmodified: docs/compat-coverage.md),
in small: read_data_sets(dir, one_hot=True) with its default 5000-example validation split,
next_batch reshaped to [batch, 28 rows, 28 columns], an LSTM over the rows with
tf.contrib.rnn.static_rnn or static_bidirectional_rnn, softmax cross-entropy, and the test
images reshaped the same way. Both runtimes, in process; the `from tensorflow.examples...`
import itself is tested in test_compat_hook.py and docs/errors.md rows 58-59.
"""

import numpy as np
import pytest

from conftest import tf
from mnist_files import write_mnist

TIMESTEPS = NUM_INPUT = 28
HIDDEN, CLASSES, BATCH = 6, 10, 16


@pytest.fixture(scope="module")
def mnist(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mnist_data")
    write_mnist(folder, train=5000 + 2 * BATCH, test=BATCH)    # just past the default validation split
    with tf.Graph().as_default():
        tf.set_random_seed(5)
        return tf.contrib.learn.datasets.mnist.read_data_sets(str(folder), one_hot=True)


def lstm(x):
    return tf.contrib.rnn.BasicLSTMCell(HIDDEN, forget_bias=1.0)


def unidirectional(x):
    outputs, _ = tf.contrib.rnn.static_rnn(lstm(x), x, dtype=tf.float32)
    return outputs[-1], HIDDEN


def bidirectional(x):
    outputs, _, _ = tf.contrib.rnn.static_bidirectional_rnn(lstm(x), lstm(x), x, dtype=tf.float32)
    return outputs[-1], 2 * HIDDEN


def model(rnn):
    X = tf.placeholder("float", [None, TIMESTEPS, NUM_INPUT])
    Y = tf.placeholder("float", [None, CLASSES])
    last, width = rnn(tf.unstack(X, TIMESTEPS, 1))
    assert last.shape.as_list() == [None, width]
    logits = tf.matmul(last, tf.Variable(tf.random_normal([width, CLASSES]))) + tf.Variable(tf.zeros([CLASSES]))
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1)), tf.float32))
    return X, Y, loss, accuracy


def test_lstm_classifier_trains_on_mnist_batches(mnist, graph, session):
    """recurrent_network.py: static_rnn over the rows, plain gradient descent on one batch."""
    assert mnist.train.num_examples == 2 * BATCH and mnist.validation.num_examples == 5000
    X, Y, loss, accuracy = model(unidirectional)
    train_op = tf.train.GradientDescentOptimizer(learning_rate=2.0).minimize(loss)
    session.run(tf.global_variables_initializer())
    batch_x, batch_y = mnist.train.next_batch(BATCH)
    assert batch_x.shape == (BATCH, 784) and batch_y.shape == (BATCH, CLASSES)
    feed = {X: batch_x.reshape((BATCH, TIMESTEPS, NUM_INPUT)), Y: batch_y}
    first = session.run(loss, feed)
    for _ in range(8):       # the same batch: its loss must fall (the labels are learnable bars)
        session.run(train_op, feed)
    assert session.run(loss, feed) < 0.8 * first
    test_data = mnist.test.images[:BATCH].reshape((-1, TIMESTEPS, NUM_INPUT))
    assert 0.0 <= session.run(accuracy, {X: test_data, Y: mnist.test.labels[:BATCH]}) <= 1.0


def test_bidirectional_classifier_on_mnist_test_images(mnist, graph, session):
    """bidirectional_rnn.py: static_bidirectional_rnn's 3-tuple, outputs twice as wide."""
    X, Y, loss, accuracy = model(bidirectional)
    session.run(tf.global_variables_initializer())
    test_data = mnist.test.images[:BATCH].reshape((-1, TIMESTEPS, NUM_INPUT))
    value, acc = session.run([loss, accuracy], {X: test_data, Y: mnist.test.labels[:BATCH]})
    assert np.isfinite(value) and value > 0 and 0.0 <= acc <= 1.0
    np.testing.assert_array_equal(mnist.test.labels.sum(axis=1), 1.0)
