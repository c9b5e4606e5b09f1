"""tf.contrib.layers.gdn / GDN as in TF 1.15, against numpy: the normalization, IGDN, the
reparameterized variables and the lower bound's gradient rule."""

import numpy as np
import pytest

from conftest import tf

layers = tf.contrib.layers
OFFSET = 2.0 ** -18
X = np.random.RandomState(3).randn(2, 3, 2, 4).astype(np.float32)


def gdn_reference(x, beta, gamma, inverse=False):
    """y[..., i] = x[..., i] / sqrt(beta[i] + sum_j gamma[j, i] x[..., j]^2) (times for IGDN)."""
    pool = np.sqrt(beta + np.square(x).dot(gamma))
    return x * pool if inverse else x / pool


def test_gdn_and_igdn_against_numpy(session):
    normalized = layers.gdn(tf.constant(X), gamma_init=0.3)
    inverted = layers.gdn(tf.constant(X), inverse=True, name="igdn")
    assert [(v.op.name, v.shape.as_list()) for v in tf.trainable_variables()] == [
        ("gdn/reparam_beta", [4]), ("gdn/reparam_gamma", [4, 4]),
        ("igdn/reparam_beta", [4]), ("igdn/reparam_gamma", [4, 4])]
    session.run(tf.global_variables_initializer())
    reparam_beta, reparam_gamma = session.run(tf.trainable_variables()[:2])
    np.testing.assert_allclose(reparam_beta, np.sqrt(1 + OFFSET ** 2), rtol=1e-6)
    np.testing.assert_allclose(reparam_gamma, np.sqrt(0.3 * np.eye(4) + OFFSET ** 2), rtol=1e-6)
    beta, gamma = np.ones(4), 0.3 * np.eye(4)  # the reparameterization maps back to these
    np.testing.assert_allclose(session.run(normalized), gdn_reference(X, beta, gamma), rtol=1e-5)
    np.testing.assert_allclose(session.run(inverted), gdn_reference(X, beta, 0.1 * np.eye(4), inverse=True),
                               rtol=1e-5)


def test_gdn_mixes_channels_with_a_full_gamma(session):
    layer = layers.GDN(name="full")
    outputs = layer.apply(tf.constant(X[:, :, 0, :]))  # rank 3: [batch, steps, channels]
    session.run(tf.global_variables_initializer())
    gamma_values = np.abs(np.random.RandomState(1).randn(4, 4)).astype(np.float32) * 0.2
    beta_values = np.array([0.5, 1.0, 2.0, 0.25], np.float32)
    session.run([tf.trainable_variables()[0].assign(np.sqrt(beta_values + OFFSET ** 2)),
                 tf.trainable_variables()[1].assign(np.sqrt(gamma_values + OFFSET ** 2))])
    np.testing.assert_allclose(session.run(layer.gamma), gamma_values, rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(session.run(outputs), gdn_reference(X[:, :, 0, :], beta_values, gamma_values),
                               rtol=1e-5)


def test_lower_bound_passes_only_gradients_that_raise_the_value(session):
    """A reparameterized gamma below its bound gets the gradient of a loss that would raise it
    (d loss < 0), none of one that would lower it further."""
    outputs = layers.gdn(tf.constant(X))
    reparam_gamma = tf.trainable_variables()[1]
    session.run(tf.global_variables_initializer())
    below = np.full([4, 4], OFFSET / 4, np.float32)
    np.fill_diagonal(below, 1.0)
    session.run(reparam_gamma.assign(below))
    magnitude = tf.reduce_sum(outputs * np.sign(X))  # sum |y|: it falls wherever gamma grows
    lower, raise_ = [tf.gradients(sign * magnitude, reparam_gamma)[0] for sign in (1.0, -1.0)]
    lower_grad, raise_grad = session.run([lower, raise_])
    off_diagonal = ~np.eye(4, dtype=bool)
    # minimizing +sum |y| wants gamma up: d/dgamma < 0 passes...
    assert np.all(lower_grad[off_diagonal] < 0)
    # ...and -sum wants gamma down, below the bound: blocked (zero); the diagonal is above it
    assert np.all(raise_grad[off_diagonal] == 0) and np.all(raise_grad[~off_diagonal] != 0)


def test_gdn_bad_input_fails_clearly():
    with pytest.raises(ValueError, match="data_format"):
        layers.GDN(data_format="NHWC")
    with tf.Graph().as_default():
        with pytest.raises(ValueError):
            layers.gdn(tf.placeholder(tf.float32, [2, None]))
