"""Small real MNIST idx .gz files for the tests (no network): the four files under their real names.

Images are label-dependent (a bright bar at a row chosen by the label, plus noise), so a model
can learn them, and pixel [0, 0] / [0, 1] hold the example's index (low / high byte), so a
test can see exactly which examples a batch holds and in which order. Python 3.7 compatible.
"""

import gzip
import os
import struct

import numpy as np

FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def write_images(path, images):
    """uint8 [n, rows, cols] -> a gzipped idx3 file (magic 2051, big-endian header)."""
    n, rows, cols = images.shape
    with gzip.open(str(path), "wb", compresslevel=1) as f:
        f.write(struct.pack(">IIII", 2051, n, rows, cols) + np.asarray(images, np.uint8).tobytes())


def write_labels(path, labels):
    """uint8 [n] -> a gzipped idx1 file (magic 2049)."""
    with gzip.open(str(path), "wb", compresslevel=1) as f:
        f.write(struct.pack(">II", 2049, len(labels)) + np.asarray(labels, np.uint8).tobytes())


def make_split(count, rows, cols, rng):
    labels = rng.randint(0, 10, size=count).astype(np.uint8)
    images = rng.randint(0, 40, size=(count, rows, cols))
    for i, label in enumerate(labels):
        images[i, (int(label) * rows) // 10, :] = 255
        images[i, 0, 0], images[i, 0, 1] = i % 256, i // 256
    return images.astype(np.uint8), labels


def write_mnist(folder, train=20, test=6, rows=28, cols=28, seed=0):
    """The four MNIST files in folder (created if needed); returns the arrays written:
    {"train": (images, labels), "test": (images, labels)}."""
    folder = str(folder)
    if not os.path.isdir(folder):
        os.makedirs(folder)
    rng = np.random.RandomState(seed)
    arrays = {"train": make_split(train, rows, cols, rng), "test": make_split(test, rows, cols, rng)}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images, labels = arrays[split]
        write_images(os.path.join(folder, prefix + "-images-idx3-ubyte.gz"), images)
        write_labels(os.path.join(folder, prefix + "-labels-idx1-ubyte.gz"), labels)
    return arrays


if __name__ == "__main__":  # a stand-in for the real MNIST, for running tutorials by hand
    import argparse

    parser = argparse.ArgumentParser(description="write the four MNIST idx .gz files (small, learnable)")
    parser.add_argument("folder")
    parser.add_argument("--train", type=int, default=2000)
    parser.add_argument("--test", type=int, default=500)
    args = parser.parse_args()
    write_mnist(args.folder, train=args.train, test=args.test)
