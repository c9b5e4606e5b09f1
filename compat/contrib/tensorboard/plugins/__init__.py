"""tf.contrib.tensorboard.plugins: the embedding projector's configuration."""

from compat.contrib.tensorboard.plugins import projector  # noqa: F401

__all__ = ["projector"]
