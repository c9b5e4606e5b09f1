"""tf.contrib.data's batching helpers TF 2.x dropped (TF 1.15: contrib/data/python/ops/batching.py).

The rest of that module (dense_to_sparse_batch, map_and_batch, unbatch) is tf.data.experimental's
(compat/_moved.py)."""

from tensorflow.compat import v1 as tf
from tensorflow.python.util import deprecation, nest

__all__ = ["assert_element_shape", "batch_and_drop_remainder", "padded_batch_and_drop_remainder"]


@deprecation.deprecated(None, "Use `tf.data.Dataset.batch(..., drop_remainder=True)`.")
def batch_and_drop_remainder(batch_size):
    """For Dataset.apply: batches of exactly batch_size (a short last batch is dropped)."""
    return lambda dataset: dataset.batch(batch_size, drop_remainder=True)


@deprecation.deprecated(None, "Use `tf.data.Dataset.padded_batch(..., drop_remainder=True)`.")
def padded_batch_and_drop_remainder(batch_size, padded_shapes, padding_values=None):
    """For Dataset.apply: padded batches of exactly batch_size (a short last batch is dropped)."""
    return lambda dataset: dataset.padded_batch(batch_size, padded_shapes=padded_shapes,
                                                padding_values=padding_values, drop_remainder=True)


def assert_element_shape(expected_shapes):
    """For Dataset.apply: elements must have `expected_shapes` (a structure of shapes like the
    elements'; None dimensions match anything). The dataset's static shapes become the merge;
    a shape that cannot match raises ValueError now, an element that does not match fails at run
    time (InvalidArgumentError)."""

    def apply(dataset):
        current = nest.flatten(tf.data.get_output_shapes(dataset))
        expected = [tf.TensorShape(shape) for shape in
                    nest.flatten_up_to(tf.data.get_output_shapes(dataset), expected_shapes)]
        for have, want in zip(current, expected):
            have.merge_with(want)  # ValueError when they cannot agree, as TF 1.15 raised

        def check(*components):  # map passes a tuple element as separate arguments
            checked = [tf.ensure_shape(t, shape) if shape.rank is not None else t
                       for t, shape in zip(nest.flatten(components), expected)]
            return nest.pack_sequence_as(dataset.element_spec, checked)

        return dataset.map(check)

    return apply
