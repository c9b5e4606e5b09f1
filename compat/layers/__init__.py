"""tf.layers on TensorFlow 2.x: tf_keras's legacy tf.layers (TF 1.15's Keras-2 layers, variable
names and math), except where TF 1.15 decided otherwise: BatchNormalization and
batch_normalization (normalization.py), which fuse 4-D inputs only, as TF 1.15 did."""

from tf_keras.api._v1.keras.__internal__.legacy import layers as keras_legacy_layers

from compat.layers.normalization import BatchNormalization, batch_normalization

__all__ = sorted(name for name in dir(keras_legacy_layers) if not name.startswith("_"))


def __getattr__(name):
    value = getattr(keras_legacy_layers, name)  # AttributeError for a name tf_keras lacks too
    globals()[name] = value  # later lookups never reach __getattr__
    return value


def __dir__():
    return sorted(set(__all__) | {"BatchNormalization", "batch_normalization"})
