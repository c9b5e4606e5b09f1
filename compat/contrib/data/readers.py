"""tf.contrib.data.read_batch_features (TF 1.15: contrib/data/python/ops/readers.py) on TF 2.x.
The module's datasets (CsvDataset, SqlDataset, make_csv_dataset ...) are tf.data.experimental's
v1 ones (compat/_moved.py)."""

from tensorflow.compat import v1 as tf

__all__ = ["read_batch_features"]


def read_batch_features(file_pattern, batch_size, features, reader=tf.data.TFRecordDataset, reader_args=None,
                        randomize_input=True, num_epochs=None, capacity=10000):
    """The next batch of parsed Examples from the files of `file_pattern`, through a one-shot
    iterator: a dict {feature key: Tensor or SparseTensor}."""
    dataset = tf.data.experimental.make_batched_features_dataset(
        file_pattern, batch_size, features, reader=reader, reader_args=reader_args, shuffle=randomize_input,
        num_epochs=num_epochs, shuffle_buffer_size=capacity)
    return tf.data.make_one_shot_iterator(dataset).get_next()
