"""tf.contrib.data.sloppy_interleave (TF 1.15: contrib/data/python/ops/interleave_ops.py)."""

from tensorflow.compat import v1 as tf
from tensorflow.python.util import deprecation

__all__ = ["sloppy_interleave"]


@deprecation.deprecated(None, "Use `tf.contrib.data.parallel_interleave(..., sloppy=True)`.")
def sloppy_interleave(map_func, cycle_length, block_length=1):
    """For Dataset.apply: parallel_interleave that yields elements as they are ready."""
    return tf.data.experimental.parallel_interleave(map_func, cycle_length, block_length, sloppy=True)
