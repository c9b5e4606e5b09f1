"""Gradients inside a tf.while_loop on shapes with a None dimension, under a graph-level seed, each
minimized and followed by a random op (a probe) whose op seed is TF 1.15's op count there:
tf.atan2 (TF 1.15's gradient did not reduce, TF 2.x's makes a BroadcastGradientArgs with its
shapes on stacks) and tf.where_v2 (TF 1.15 reduced each branch before making the next select)."""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("seeds_loop_gradients")

BATCH, UNITS = 2, 4


def fed_batch(seed):
    x = tf.placeholder(tf.float32, [None, UNITS], name="x")
    return x, {x: np.random.RandomState(seed).randn(BATCH, UNITS).astype(np.float32)}


def minimized_and_probed(outputs, loss, feed):
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)  # built, not run: the probe after it counts
    return Spec({"outputs": outputs, "loss": loss, "probe": tf.random_uniform([3], name="probe")}, feed=feed)


@cases.case
def atan2_in_while_loop_minimize():
    """tf.atan2(x, x * v) of a fed [None, UNITS] batch, twice in a while loop (equal shapes: TF
    1.15's unreduced gradient fits)."""
    x, feed = fed_batch(20)
    v = tf.get_variable("v", [UNITS], initializer=tf.random_uniform_initializer(0.5, 1.5))
    _, y = tf.while_loop(lambda i, a: i < 2, lambda i, a: (i + 1, tf.atan2(a, a * v)), [0, x])
    loss = tf.reduce_sum(y)
    return minimized_and_probed(y, loss, feed)


def _where_v2_in_while_loop_minimized(seed, selects):
    x, feed = fed_batch(seed)
    v = tf.get_variable("v", [UNITS])
    _, y = tf.while_loop(lambda i, a: i < 2, lambda i, a: (i + 1, selects(a, v)), [0, x])
    loss = tf.reduce_sum(tf.square(y))
    return minimized_and_probed(y, loss, feed)


@cases.case
def where_v2_known_branches_in_while_loop_minimize():
    """tf.where_v2 of a fed [None, UNITS] batch against a [UNITS] variable and a scalar, in a while
    loop: TF 2.x infers the known branches' axes, TF 1.15 kept the output's shape on a stack."""
    return _where_v2_in_while_loop_minimized(
        21, lambda a, v: tf.where_v2(a > 0.0, a * 0.5, v) + tf.where_v2(a < 0.5, v, 0.25))


@cases.case
def where_v2_fed_branches_in_while_loop_minimize():
    """tf.where_v2 of a [None, 1] column and a [None, UNITS] product, in a while loop: both branches
    reduced at run time, TF 2.x with the output's shape on a stack per branch, TF 1.15 once."""
    return _where_v2_in_while_loop_minimized(22, lambda a, v: tf.where_v2(a > 0.2, a[:, :1], a * v))
