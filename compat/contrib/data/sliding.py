"""tf.contrib.data.sliding_window_batch (TF 1.15: contrib/data/python/ops/sliding.py) on TF 2.x:
TF 1.15's SlidingWindowDataset kernel, which TF 2.x still has as a raw op."""

from tensorflow.compat import v1 as tf
from tensorflow.python.data.ops import dataset_ops
from tensorflow.python.util import deprecation, nest

__all__ = ["sliding_window_batch"]


class _SlidingWindowDataset(dataset_ops.UnaryDataset):
    """Windows of window_size elements (every window_stride-th), window_shift apart, batched."""

    def __init__(self, input_dataset, window_size, window_shift, window_stride):
        self._element_spec = nest.map_structure(lambda spec: spec._batch(None),  # pylint: disable=protected-access
                                                input_dataset.element_spec)
        variant = tf.raw_ops.SlidingWindowDataset(
            input_dataset=input_dataset._variant_tensor,  # pylint: disable=protected-access
            window_size=tf.convert_to_tensor(window_size, dtype=tf.int64, name="window_stride"),
            window_shift=tf.convert_to_tensor(window_shift, dtype=tf.int64, name="window_shift"),
            window_stride=tf.convert_to_tensor(window_stride, dtype=tf.int64, name="window_stride"),
            **self._flat_structure)
        super(_SlidingWindowDataset, self).__init__(input_dataset, variant)

    @property
    def element_spec(self):
        return self._element_spec


@deprecation.deprecated_args(None, "stride is deprecated, use window_shift instead.", "stride")
@deprecation.deprecated(None, "Use `tf.data.Dataset.window(size=window_size, shift=window_shift, "
                        "stride=window_stride).flat_map(lambda x: x.batch(window_size))` instead.")
def sliding_window_batch(window_size, stride=None, window_shift=None, window_stride=1):
    """For Dataset.apply: batches of window_size consecutive elements (every window_stride-th),
    each window starting window_shift (or `stride`, its old name; default 1) after the last;
    a window that would run past the end is dropped."""
    if stride is not None and window_shift is not None:
        raise ValueError("Cannot specify both `stride` and `window_shift`")
    if window_shift is None:
        window_shift = 1 if stride is None else stride
    return lambda dataset: _SlidingWindowDataset(dataset, window_size, window_shift, window_stride)
