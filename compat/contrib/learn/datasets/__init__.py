"""tf.contrib.learn.datasets for TensorFlow 2.x: the MNIST reader (mnist) and its base helpers.

The other datasets of TF 1.15 (iris, boston, dbpedia, synthetic, load_dataset) are not provided:
they raise NotProvidedError naming them.
"""

from compat.contrib.learn.datasets import base, mnist
from compat.errors import NotProvidedError

__all__ = ["base", "mnist"]


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotProvidedError("tf.contrib.learn.datasets." + name)
