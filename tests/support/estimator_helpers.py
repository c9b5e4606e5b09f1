"""Helpers shared by the Estimator tests (tf.estimator, contrib.learn, contrib.tpu, canned, faults).

Imported by test modules (tests/ is on sys.path) and by test_estimator_faults.py's child script,
which runs under `python -m compat` and puts tests/ on sys.path itself: so this module takes
TensorFlow from compat.v1 (TF 1.15 itself on the legacy runtime), not from conftest.
"""

import contextlib
import json
import logging
import sys

import numpy as np

import compat.v1 as tf

TINY_X = np.arange(12, dtype=np.float32).reshape(4, 3) / 10


def tiny_model_fn(units, name="w"):
    """A one-matrix ([3, units] variable `name`) least-squares model_fn on TINY_X."""
    def model_fn(features, labels, mode):
        w = tf.get_variable(name, [3, units], initializer=tf.constant_initializer(0.1))
        loss = tf.reduce_mean(tf.square(tf.matmul(features, w) - labels))
        train_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss, tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)
    return model_fn


def tiny_input_fn():
    """TINY_X with labels of ones, repeated for ever."""
    return tf.data.Dataset.from_tensors((TINY_X, np.ones([4, 1], np.float32))).repeat()


def named_total_loss(graph):
    return graph.get_tensor_by_name("total_loss:0")


def last_of_losses_collection(graph):
    """A canned estimator's training loss (its EstimatorSpec's loss, last in the LOSSES collection)."""
    return graph.get_collection(tf.GraphKeys.LOSSES)[-1]


class LossRecorder(tf.train.SessionRunHook):
    """The loss of every training step, in order: loss_of_graph(graph), by default `total_loss:0`."""

    def __init__(self, loss_of_graph=named_total_loss):
        self.loss_of_graph = loss_of_graph
        self.losses = []

    def before_run(self, run_context):
        return tf.train.SessionRunArgs(self.loss_of_graph(tf.get_default_graph()))

    def after_run(self, run_context, run_values):
        self.losses.append(float(run_values.results))


@contextlib.contextmanager
def captured_tf_log():
    """Yields the list of the `tensorflow` logger's messages at INFO while the block runs."""
    messages = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())
    logger = logging.getLogger("tensorflow")
    old_verbosity = tf.logging.get_verbosity()
    logger.addHandler(handler)
    tf.logging.set_verbosity(tf.logging.INFO)
    try:
        yield messages
    finally:
        tf.logging.set_verbosity(old_verbosity)
        logger.removeHandler(handler)


def read_json(path):
    with open(str(path)) as f:
        return json.load(f)


def write_json(path, record):
    with open(str(path), "w") as f:
        json.dump(record, f, indent=1, sort_keys=True)


def golden_script(usage, write_golden):
    """A test module run as a script: `golden` writes its goldens, anything else prints its usage."""
    if sys.argv[1:] == ["golden"]:
        write_golden()
    else:
        sys.exit(usage)
