"""tf.contrib.training's parameter-server placement strategies (TF 1.15:
contrib/training/python/training/device_setter.py), for tf.train.replica_device_setter's
ps_strategy: each is called with an op and returns the ps task index to put it on."""

import hashlib

import numpy as np
from tensorflow.compat import v1 as tf

__all__ = ["GreedyLoadBalancingStrategy", "RandomStrategy", "byte_size_load_fn"]


class RandomStrategy(object):
    """A pseudo-random ps task per op: md5 of "<op name>_<seed>", so the same every run."""

    def __init__(self, num_ps_tasks, seed=0):
        self._num_tasks = num_ps_tasks
        self._seed = seed

    def __call__(self, op):
        digest = hashlib.md5(("%s_%d" % (op.name, self._seed)).encode("utf-8")).hexdigest()
        return int(int(digest, 16) % self._num_tasks)


class GreedyLoadBalancingStrategy(object):
    """The least-loaded ps task so far (ties: the lowest index); load_fn(op) is added to it."""

    def __init__(self, num_tasks, load_fn):
        self._num_tasks = num_tasks
        self._load_fn = load_fn
        self._ps_loads = np.zeros(num_tasks)

    def __call__(self, op):
        task = np.argmin(self._ps_loads)
        self._ps_loads[task] += self._load_fn(op)
        return task


def byte_size_load_fn(op):
    """The byte size of `op`'s single output (a variable's value); ValueError if it has more
    outputs or no fully defined shape."""
    if len(op.outputs) != 1:
        raise ValueError("Op %s must have a single output" % op)
    output = op.outputs[0]
    shape = output.get_shape()
    if not shape.is_fully_defined():
        # A scalar variable's output has no shape yet while it is being placed; its attr has it.
        shape = tf.TensorShape(op.get_attr("shape"))
    shape.assert_is_fully_defined()
    return shape.num_elements() * output.dtype.size
