"""Runtime smoke check: this TensorFlow runs a TF 1.x graph through `import compat.v1 as tf`."""

import numpy as np

from conftest import TF1, tf


def test_tiny_graph_one_adam_step(graph, session, capsys):
    with capsys.disabled():
        print("\n   runtime: TensorFlow %s (%s)" % (tf.__version__, "pass-through" if TF1 else "compat shim"))
    assert tf.__version__.startswith("1.15" if TF1 else "2.")
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable([[1.0], [-2.0]], name="w")
    loss = tf.reduce_sum(tf.matmul(x, w))
    lr, beta1, beta2, eps = 0.1, 0.9, 0.999, 1e-8
    train_op = tf.train.AdamOptimizer(lr, beta1, beta2, eps).minimize(loss)
    assert not tf.executing_eagerly()

    session.run(tf.global_variables_initializer())
    feed = {x: np.array([[1.0, 3.0], [2.0, 1.0]], np.float32)}
    before = session.run(loss, feed)
    session.run(train_op, feed)
    after_w = session.run(w)

    # Adam's first step as TF 1.x defines it: lr_t = lr*sqrt(1-b2)/(1-b1), m = (1-b1) g,
    # v = (1-b2) g^2, w -= lr_t * m / (sqrt(v) + eps).
    w0 = np.array([[1.0], [-2.0]])
    grad = feed[x].sum(axis=0).reshape(2, 1)
    lr_t = lr * np.sqrt(1 - beta2) / (1 - beta1)
    expected = w0 - lr_t * (1 - beta1) * grad / (np.sqrt((1 - beta2) * grad ** 2) + eps)
    np.testing.assert_allclose(before, (feed[x] @ w0).sum(), rtol=1e-6)
    np.testing.assert_allclose(after_w, expected, rtol=1e-5)
    assert session.run(loss, feed) < before
