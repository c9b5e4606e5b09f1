"""tf.contrib.data's input pipelines against TF 1.15: the batches a one-shot iterator yields, in
order, for the same seeds: each pipeline's first batches, read by get_next ops chained with control
dependencies so that one run reads them in order. shuffle_and_repeat is left out: TF 2.x's
reshuffling kernels draw another order than TF 1.15's for the same seed, even in the first pass."""

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("data")

LENGTHS = [3, 7, 1, 5, 2, 8, 4, 6, 2, 5, 7, 1]


def first_batches(dataset, count):
    """[count] successive get_next results of a one-shot iterator over `dataset`."""
    iterator = tf.data.make_one_shot_iterator(dataset)
    batches = []
    for _ in range(count):
        with tf.control_dependencies(tf.nest.flatten(batches[-1:])):
            batches.append(iterator.get_next())
    return batches


def sequences():
    """Sequences of ids, one per length: sequence i is i*10 + [1 .. length]."""
    lengths = tf.data.Dataset.from_tensor_slices(tf.constant(LENGTHS, tf.int64))
    return tf.data.Dataset.zip((tf.data.Dataset.range(len(LENGTHS)), lengths)).map(
        lambda i, n: tf.range(1, n + 1) + i * 10)


@cases.case
def bucket_by_sequence_length_shuffled():
    data = tf.contrib.data
    pipeline = sequences().shuffle(6, seed=7).apply(data.bucket_by_sequence_length(
        lambda s: tf.shape(s)[0], bucket_boundaries=[3, 6], bucket_batch_sizes=[2, 2, 3]))
    return Spec({"batches": first_batches(pipeline, 5)})


@cases.case
def bucket_by_sequence_length_to_boundary():
    data = tf.contrib.data
    pipeline = sequences().apply(data.bucket_by_sequence_length(
        lambda s: tf.shape(s)[0], [4, 8], [3, 3, 3], padding_values=tf.constant(-1, tf.int64),
        pad_to_bucket_boundary=True))
    return Spec({"batches": first_batches(pipeline, 4)})


@cases.case
def windows_and_remainders():
    data = tf.contrib.data
    numbers = tf.data.Dataset.range(11)
    return Spec({
        "sliding": first_batches(numbers.apply(data.sliding_window_batch(4, window_shift=3, window_stride=2)), 2),
        "group_by_window": first_batches(numbers.apply(data.group_by_window(
            lambda n: n % 3, lambda key, window: window.batch(3), window_size=3)), 3),
        "padded_drop": first_batches(sequences().apply(data.padded_batch_and_drop_remainder(5, [None])), 2),
        "batch_drop": first_batches(numbers.apply(data.batch_and_drop_remainder(4)), 2),
    })


@cases.case
def seeded_sampling():
    data = tf.contrib.data
    numbers = tf.data.Dataset.range(6)
    evens, odds = numbers.map(lambda n: 2 * n), numbers.map(lambda n: 2 * n + 1)
    classes = tf.data.Dataset.range(40).map(lambda n: tf.cast(n % 3, tf.int32))
    return Spec({
        "sample_from_datasets": first_batches(data.sample_from_datasets([evens, odds], [0.3, 0.7], seed=5).batch(5),
                                              2),
        "rejection_resample": first_batches(classes.apply(data.rejection_resample(
            lambda c: c, [0.6, 0.2, 0.2], initial_dist=[1 / 3.0, 1 / 3.0, 1 / 3.0], seed=9)).batch(4), 2),
        "random": first_batches(data.RandomDataset(seed=3).batch(3), 1),
        "sloppy_map_and_batch": first_batches(numbers.apply(data.map_and_batch(lambda n: n * n, 4)), 2),
    })


