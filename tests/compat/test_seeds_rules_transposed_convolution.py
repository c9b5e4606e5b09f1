"""conv2d_transpose under a graph seed (compat/seeds/transposed_convolution.py). TF 1.15 sliced
every spatial size out of tf.shape(inputs) whether it was known or not, so a layer over an input
of known size made as many ops as over one of unknown size, and the random op after it got the
same op seed; TF 2.x uses a known size as a Python int (fewer ops), and compat counts the
difference. The unknown-size graph is TF 1.15's op count on both runtimes (TF 2.x slices then
too): the TF 1.15 run proves the two counts are equal there."""

import numpy as np
import pytest

from conftest import TF1, tf

ZEROS = tf.zeros_initializer()

LAYERS = [
    ("same, stride 2", [2, 3, 3, 2], [2, None, None, 2],
     lambda x: tf.layers.conv2d_transpose(x, 2, 3, strides=2, padding="same", kernel_initializer=ZEROS)),
    ("valid, stride 1, one size unknown", [2, 3, 4, 2], [2, 3, None, 2],
     lambda x: tf.layers.conv2d_transpose(x, 2, (3, 2), padding="valid", kernel_initializer=ZEROS)),
    ("Keras layer with output_padding", [2, 3, 3, 2], [None, None, None, 2], lambda x: tf.keras.layers.Conv2DTranspose(
        2, 3, strides=2, output_padding=1, kernel_initializer=ZEROS)(x)),
    ("contrib.layers, VALID", [2, 3, 3, 2], [2, None, None, 2], lambda x: tf.contrib.layers.conv2d_transpose(
        x, 2, 3, stride=2, padding="VALID", weights_initializer=ZEROS)),
    ("conv3d_transpose (sliced on both: no rule)", [2, 2, 3, 3, 2], [2, None, None, None, 2],
     lambda x: tf.layers.conv3d_transpose(x, 2, 3, strides=2, kernel_initializer=ZEROS)),
]


def _seed_after(layer, inputs):
    """(seed, seed2) of a random op made after `layer` over `inputs()` in a seeded graph."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(1)
        layer(inputs())
        noise = tf.random_normal([1]).op.inputs[0].op.inputs[0].op
    assert noise.type == "RandomStandardNormal"
    return noise.get_attr("seed"), noise.get_attr("seed2")


@pytest.mark.parametrize("shape, unknown, layer", [c[1:] for c in LAYERS], ids=[c[0] for c in LAYERS])
def test_a_known_input_size_counts_as_tf115_sliced_it(shape, unknown, layer):
    known = _seed_after(layer, lambda: tf.constant(np.ones(shape, np.float32)))
    assert known == _seed_after(layer, lambda: tf.placeholder(tf.float32, unknown))


def test_channels_first_counts_its_spatial_sizes():
    """channels_first (sizes at axes 2 and 3): TF 1.15 numbered the random op after the layer 61
    (its index, which the TF 1.15 run checks; over an input of unknown size TF 1.15's CPU
    transposes differ, so the comparison above does not apply)."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(1)
        tf.layers.conv2d_transpose(tf.constant(np.ones([2, 2, 3, 3], np.float32)), 2, 3, strides=2,
                                   data_format="channels_first", kernel_initializer=ZEROS)
        noise = tf.random_normal([1]).op.inputs[0].op.inputs[0].op
    assert noise.get_attr("seed2") == 61
    if TF1:
        assert graph.get_operations().index(noise) == 61


def test_keras_passes_conv2d_transpose_what_its_call_takes():
    """compat's wrapper of Conv2DTranspose.call keeps its signature: Keras passes `training` only
    to layers whose call takes it."""
    graph = tf.Graph()
    with graph.as_default():
        model = tf.keras.Sequential([tf.keras.layers.Conv2DTranspose(2, 3, input_shape=(3, 3, 2))])
        outputs = model(tf.ones([2, 3, 3, 2]), training=True)
    assert outputs.shape.as_list() == [2, 5, 5, 2]
