"""tf.estimator.inputs: numpy_input_fn and pandas_input_fn, on tf.data.

TF 1.15 fed the arrays through queues; here a tf.data pipeline gives the same batches for
shuffle=False (in order, wrapping across epochs, a short last batch when num_epochs is set).
With shuffle=True the order is random in both, but not the same random order.
"""

import collections

import numpy as np
from tensorflow.compat import v1 as tf


def _dataset(columns, batch_size, num_epochs, shuffle, queue_capacity):
    dataset = tf.data.Dataset.from_tensor_slices(columns)
    if shuffle:
        dataset = dataset.shuffle(queue_capacity)
    dataset = dataset.repeat(num_epochs)
    # Endless input has full batches only, so the batch dimension is static as in TF 1.15.
    return dataset.batch(batch_size, drop_remainder=num_epochs is None)


def _check_shuffle(shuffle):
    if not isinstance(shuffle, bool):
        raise ValueError("shuffle must be provided and explicitly set as boolean (it is recommended to set "
                         "it as True for training); got {}".format(shuffle))


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None, queue_capacity=1000, num_threads=1):
    """An input_fn returning (features, labels) batches of the arrays x (array or dict) and y."""
    _check_shuffle(shuffle)

    def input_fn():
        features = collections.OrderedDict(sorted(x.items())) if isinstance(x, dict) else np.asarray(x)
        lengths = {len(v) for v in (features.values() if isinstance(features, dict) else [features])}
        labels = None if y is None else (dict(y) if isinstance(y, dict) else np.asarray(y))
        if labels is not None:
            lengths.update(len(v) for v in (labels.values() if isinstance(labels, dict) else [labels]))
        if len(lengths) != 1:
            raise ValueError("Length of tensors in x and y is mismatched. All elements in x and y must have "
                             "the same length.")
        columns = (features,) if labels is None else (features, labels)
        batch = tf.data.make_one_shot_iterator(
            _dataset(columns, batch_size, num_epochs, shuffle, queue_capacity)).get_next()
        return batch[0] if labels is None else (batch[0], batch[1])

    return input_fn


def pandas_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None, queue_capacity=1000, num_threads=1,
                    target_column="target"):
    """An input_fn returning ({column: batch}, labels batch) from a DataFrame x and a Series y."""
    _check_shuffle(shuffle)
    if y is not None and target_column in x:
        raise ValueError("Cannot use name %s for target column: DataFrame already has a column with that name: "
                         "%s" % (target_column, x.columns))
    if y is not None and not np.array_equal(x.index, y.index):
        raise ValueError("Index for x and y are mismatched.\nIndex for x: %s\nIndex for y: %s\n"
                         % (x.index, y.index))
    features = collections.OrderedDict((name, x[name].values) for name in x.columns)
    return numpy_input_fn(features, None if y is None else np.asarray(y.values), batch_size=batch_size,
                          num_epochs=num_epochs, shuffle=shuffle, queue_capacity=queue_capacity)
