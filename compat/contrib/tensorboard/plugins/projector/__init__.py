"""tf.contrib.tensorboard.plugins.projector on TensorBoard's own projector plugin.

TF 1.15 shipped a copy of TensorBoard's ProjectorConfig protos; TensorBoard keeps the originals
(tensorboard.plugins.projector), same fields, so a config written here is the file TensorBoard's
projector reads: `<logdir>/projector_config.pbtxt`.
"""

from tensorboard.plugins import projector as _tensorboard_projector
from tensorboard.plugins.projector import projector_config_pb2  # noqa: F401  (TF 1.15 exported the module)
from tensorboard.plugins.projector.projector_config_pb2 import EmbeddingInfo, ProjectorConfig, SpriteMetadata

__all__ = ["EmbeddingInfo", "ProjectorConfig", "SpriteMetadata", "projector_config_pb2", "visualize_embeddings"]


def visualize_embeddings(summary_writer, config):
    """Write `config` (a ProjectorConfig) to projector_config.pbtxt in the writer's logdir."""
    if summary_writer.get_logdir() is None:
        raise ValueError("Summary writer must have a logdir")
    _tensorboard_projector.visualize_embeddings(summary_writer, config)
