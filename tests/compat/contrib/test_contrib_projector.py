"""tf.contrib.tensorboard.plugins.projector: the config it writes is the one TensorBoard's own
projector plugin reads, and the plugin finds the embedding in the checkpoint beside it."""

import pytest

from conftest import tf

projector = tf.contrib.tensorboard.plugins.projector


def test_visualize_embeddings_is_read_by_tensorboards_projector(tmp_path):
    from tensorboard.plugins.projector import projector_plugin

    logdir = str(tmp_path)
    with tf.Graph().as_default():
        embedding = tf.get_variable("word_embedding", initializer=tf.ones([5, 3]))
        writer = tf.summary.FileWriter(logdir)
        config = projector.ProjectorConfig()
        info = config.embeddings.add()
        info.tensor_name = embedding.name
        info.metadata_path = "metadata.tsv"
        info.sprite.image_path = "sprite.png"
        info.sprite.single_image_dim.extend([28, 28])
        projector.visualize_embeddings(writer, config)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            tf.train.Saver().save(session, str(tmp_path / "model.ckpt"))
        writer.close()
    assert isinstance(info.sprite, projector.SpriteMetadata) and isinstance(info, projector.EmbeddingInfo)
    # TensorBoard's reader: the projector_config.pbtxt of each run folder, the run's latest checkpoint
    configs, paths = projector_plugin.ProjectorPlugin._read_latest_config_files(None, [("run", logdir)])
    read = configs["run"]
    assert paths["run"] == str(tmp_path / "projector_config.pbtxt")
    assert [(e.tensor_name, e.metadata_path, list(e.sprite.single_image_dim)) for e in read.embeddings] == [
        ("word_embedding:0", "metadata.tsv", [28, 28])]
    assert read.model_checkpoint_path.endswith("model.ckpt")
    reader = tf.train.load_checkpoint(read.model_checkpoint_path)
    assert reader.get_variable_to_shape_map()["word_embedding"] == [5, 3]


def test_visualize_embeddings_needs_a_logdir():
    class NoLogdir(object):
        def get_logdir(self):
            return None

    with pytest.raises(ValueError, match="Summary writer must have a logdir"):
        projector.visualize_embeddings(NoLogdir(), projector.ProjectorConfig())
