"""Feeding numpy `x`/`y` into an Estimator, batch for batch as TF 1.15's DataFeeder does.

TF 1.15 turns `x`/`y` into two placeholders ('input', 'output') plus a feed function that a
FeedFnHook calls before every session run. When training, the feeder shuffles with its own
`np.random.RandomState(42)`, made anew for every fit: a permutation of the row indices at
start-up and a fresh one each time an epoch is used up, and the epoch's last batch is whatever
rows are left (it may be short). Scripts that compare a TF 1.15 run with a compat run see the
same batches only if this order is reproduced exactly, so this module keeps it.

Only numpy arrays (or dicts of them) are handled; TF 1.15 also took pandas/dask frames and
Python iterators, which compat does not provide.
"""

import numpy as np
from tensorflow.compat import v1 as tf

from compat.errors import NotProvidedError

_SEED = 42  # TF 1.15's DataFeeder always starts from RandomState(42)


def _is_iterator(data):
    return hasattr(data, "next") or hasattr(data, "__next__")


def _as_array(data, what):
    """numpy array for `data`, refusing the input kinds TF 1.15 handled but compat does not."""
    if _is_iterator(data):
        raise NotProvidedError("tf.contrib.learn streaming input (%s as an iterator)" % what)
    if type(data).__module__.split(".")[0] in ("pandas", "dask"):
        raise NotProvidedError("tf.contrib.learn pandas/dask input (%s)" % what)
    return np.asarray(data)


def _map(fn, data):
    """fn over an array, or over each value of a dict of arrays (keeping the keys)."""
    if isinstance(data, dict):
        return {key: fn(value) for key, value in data.items()}
    return fn(data)


def _warn_float64(dtype):
    if np.dtype(dtype) == np.float64:
        tf.logging.warning("float64 is not supported by many models, consider casting to float32.")
    return dtype


def _input_row_shape(shape):
    """Per-example shape of a feature: a 1-D `x` becomes one column, as in TF 1.15."""
    return list(shape[1:]) if len(shape) > 1 else [1]


def _label_row_shape(shape):
    """Per-example shape of a label: [N] and [N, 1] both give scalar labels, as in TF 1.15."""
    row = list(shape[1:])
    if row and row[0] == 1:
        row = row[1:]
    return row


class DataFeeder(object):
    """Batches of numpy `x`/`y` for placeholders it builds, in TF 1.15's order."""

    def __init__(self, x, y, batch_size=None, shuffle=True, epochs=None):
        self._x = _map(lambda v: _as_array(v, "x"), x)
        self._y = None if y is None else _map(lambda v: _as_array(v, "y"), y)
        first_x = list(self._x.values())[0] if isinstance(self._x, dict) else self._x
        self._num_rows = first_x.shape[0]
        if batch_size is None:
            batch_size = self._num_rows
        elif batch_size <= 0:
            raise ValueError("Invalid batch_size %d." % batch_size)
        self.batch_size = batch_size
        self._shuffle = shuffle
        self.max_epochs = epochs
        self.input_dtype = _map(lambda v: _warn_float64(v.dtype), self._x)
        self.output_dtype = np.float32 if y is None else _map(lambda v: _warn_float64(v.dtype), self._y)
        self.random_state = np.random.RandomState(_SEED)
        self.indices = self._epoch_order()
        self.offset = 0
        self.epoch = 0
        self._input_placeholder = None
        self._output_placeholder = None

    def _epoch_order(self):
        if self._shuffle:
            return self.random_state.permutation(self._num_rows)
        return np.arange(self._num_rows)

    def input_builder(self):
        """The input_fn: fresh (features, labels) placeholders in the current graph."""
        def make(data, dtype, row_shape, name):
            if isinstance(data, dict):
                return {key: tf.placeholder(tf.as_dtype(dtype[key]), [None] + row_shape(value.shape),
                                            name=name + "_" + key)
                        for key, value in data.items()}
            return tf.placeholder(tf.as_dtype(dtype), [None] + row_shape(data.shape), name=name)

        self._input_placeholder = make(self._x, self.input_dtype, _input_row_shape, "input")
        self._output_placeholder = (None if self._y is None else
                                    make(self._y, self.output_dtype, _label_row_shape, "output"))
        return self._input_placeholder, self._output_placeholder

    def _next_indices(self):
        """Row indices of the next batch; reshuffles (or restarts) once an epoch is used up."""
        end = min(self._num_rows, self.offset + self.batch_size)
        batch = self.indices[self.offset:end]
        self.offset += self.batch_size
        if self.offset >= self._num_rows:
            self.indices = self._epoch_order()
            self.offset = 0
            self.epoch += 1
        return batch

    def get_feed_dict_fn(self):
        """The feed function: next batch as {placeholder name: array}; StopIteration when done."""
        def feed_fn():
            if self.max_epochs is not None and self.epoch + 1 > self.max_epochs:
                raise StopIteration
            indices = self._next_indices()
            feed = _feed(self._input_placeholder, self._x, indices, _input_row_shape)
            if self._output_placeholder is not None:
                feed.update(_feed(self._output_placeholder, self._y, indices, _label_row_shape))
            return feed

        return feed_fn


def _feed(placeholder, data, indices, row_shape):
    """{placeholder name: rows `indices` of data, reshaped to the placeholder's example shape}."""
    if isinstance(data, dict):
        return {placeholder[key].name: _rows(value, indices, row_shape) for key, value in data.items()}
    return {placeholder.name: _rows(data, indices, row_shape)}


def _rows(data, indices, row_shape):
    return np.ascontiguousarray(data[indices]).reshape([len(indices)] + row_shape(data.shape))


def verify_input_args(x, y, input_fn, feed_fn, batch_size):
    """The same argument checks (and messages) as TF 1.15's Estimator."""
    if input_fn is None:
        if x is None:
            raise ValueError("Either x or input_fn must be provided.")
        if tf.is_tensor(x) or (y is not None and tf.is_tensor(y)):
            raise ValueError("Inputs cannot be tensors. Please provide input_fn.")
        if feed_fn is not None:
            raise ValueError("Can not provide both feed_fn and x or y.")
    else:
        if x is not None or y is not None:
            raise ValueError("Can not provide both input_fn and x or y.")
        if batch_size is not None:
            raise ValueError("Can not provide both input_fn and batch_size.")


def get_input_fn(x, y, input_fn, feed_fn, batch_size, shuffle=False, epochs=1):
    """(input_fn, feed_fn) for either a user input_fn or numpy x/y (then via a DataFeeder)."""
    verify_input_args(x, y, input_fn, feed_fn, batch_size)
    if input_fn is not None:
        return input_fn, feed_fn
    feeder = DataFeeder(x, y, batch_size=batch_size, shuffle=shuffle, epochs=epochs)
    return feeder.input_builder, feeder.get_feed_dict_fn()
