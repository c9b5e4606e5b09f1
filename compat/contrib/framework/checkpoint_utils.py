"""tf.contrib.framework's checkpoint readers (TF 1.15: contrib/framework/python/framework/
checkpoint_utils.py). TF 1.15 had already copied them into tf.train, where TF 2.x keeps them:
a checkpoint directory (its latest checkpoint) or file prefix, read by name."""

from tensorflow.compat import v1 as tf

__all__ = ["init_from_checkpoint", "list_variables", "load_checkpoint", "load_variable"]

load_checkpoint = tf.train.load_checkpoint            # a CheckpointReader
load_variable = tf.train.load_variable                # one tensor's value (a trailing ':0' is ignored)
list_variables = tf.train.list_variables              # sorted [(name, shape)]
init_from_checkpoint = tf.train.init_from_checkpoint  # {checkpoint name or 'scope/': variable or 'scope/'}
