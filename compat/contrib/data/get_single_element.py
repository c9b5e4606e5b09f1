"""tf.contrib.data.reduce_dataset (TF 1.15: contrib/data/python/ops/get_single_element.py)."""

import numpy as np
from tensorflow.compat import v1 as tf
from tensorflow.python.util import deprecation

__all__ = ["reduce_dataset"]


@deprecation.deprecated(None, "Use `tf.data.Dataset.reduce(...)`.")
def reduce_dataset(dataset, reducer):
    """The tensor(s) of folding `dataset` with reducer.reduce_func from reducer.init_func(0).
    As in TF 1.15, reducer.finalize_func is not applied."""
    if not isinstance(dataset, tf.data.Dataset):
        raise TypeError("`dataset` must be a `tf.data.Dataset` object.")
    return dataset.reduce(reducer.init_func(np.int64(0)), reducer.reduce_func)
