"""The MNIST reader (tf.contrib.learn.datasets.mnist = the tutorials' input_data) against TF 1.15.

Each case writes small real idx files, reads them with read_data_sets and records what TF 1.15
hands a training loop: the splits and a run of next_batch() calls across epoch ends. Pixel
[0, 0] of every image is its index in the file, so the goldens pin the exact batch order that
numpy's generator, seeded by DataSet from the op or graph-level seed, gives.
"""

import shutil
import tempfile

import compat.v1 as tf
from mnist_files import write_mnist
from symbol_parity import Registry, Spec

cases = Registry("mnist_reader")
ROWS, COLS = 4, 3


def read(**options):
    folder = tempfile.mkdtemp(prefix="mnist_reader_")
    try:
        write_mnist(folder, train=14, test=5, rows=ROWS, cols=COLS)
        return tf.contrib.learn.datasets.mnist.read_data_sets(folder, **options)
    finally:
        shutil.rmtree(folder)


def run_batches(dataset, count, size, **options):
    batches = [dataset.next_batch(size, **options) for _ in range(count)]
    return {"images": [tf.constant(b[0]) for b in batches], "labels": [tf.constant(b[1]) for b in batches],
            "epochs_completed": tf.constant(dataset.epochs_completed)}


@cases.case
def graph_seed_float_flat():
    """seed=None: numpy is seeded from the graph-level seed (symbol_parity sets 1234)."""
    data = read(validation_size=4)
    return Spec({"validation": [tf.constant(data.validation.images), tf.constant(data.validation.labels)],
                 "test": [tf.constant(data.test.images), tf.constant(data.test.labels)],
                 "train": run_batches(data.train, 6, 4)})


@cases.case
def op_seed_one_hot_uint8_images():
    data = read(validation_size=2, seed=7, one_hot=True, dtype=tf.uint8, reshape=False)
    return Spec({"train": run_batches(data.train, 5, 5), "test_labels": tf.constant(data.test.labels)})


@cases.case
def zero_seeds_and_no_shuffle():
    """Graph seed 0 and op seed 0: TF avoids the pair (0, 0), numpy gets 2**31 - 1."""
    tf.set_random_seed(0)
    data = read(validation_size=3, seed=0)
    return Spec({"train": run_batches(data.train, 4, 4),
                 "validation_in_order": run_batches(data.validation, 2, 2, shuffle=False)})


@cases.case
def fake_data():
    data = read(fake_data=True, one_hot=True, seed=1)
    images, labels = data.train.next_batch(2, fake_data=True)
    return Spec({"images": tf.constant(images), "labels": tf.constant(labels),
                 "num_examples": tf.constant(data.test.num_examples)})
