"""tf.contrib.tensorboard for TensorFlow 2.x: its one public piece, plugins.projector."""

from compat.contrib.tensorboard import plugins  # noqa: F401

__all__ = ["plugins"]
