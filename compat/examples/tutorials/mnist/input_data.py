"""`from tensorflow.examples.tutorials.mnist import input_data` on TensorFlow 2.x.

As in TF 1.15 this module only re-exports read_data_sets from tf.contrib.learn's MNIST reader
(compat/contrib/learn/datasets/mnist.py), TF 1.15's semantics, batch order included.
"""

from compat.contrib.learn.datasets.mnist import read_data_sets

__all__ = ["read_data_sets"]
