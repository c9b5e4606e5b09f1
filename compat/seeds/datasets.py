"""tf.contrib.data.rejection_resample / tf.data.experimental.rejection_resample (TF 2.x:
Dataset.rejection_resample). TF 1.15 mapped `class_func` over the dataset once, right after
converting `target_dist` (a MapDataset), and zipped that dataset where it needed the classes; TF
2.x calls class_func inside its later maps. With an `initial_dist`, TF 1.15's MapDataset has no
counterpart in TF 2.x (without one, TF 2.x maps for the estimate at the same place). Noted as TF
2.x builds it (the ops alone do not tell a resampling apart), before the op it comes before is
made, so that every read of the count sees it. (TF 2.x also casts the distributions to float32;
TF 1.15 failed on others, so that Cast has nothing to match.)"""

import functools

from compat.seeds import graph_count


def noting_rejection_resample(rejection_resample, ops, context):
    """Wrap Dataset.rejection_resample: note what TF 1.15 made more or fewer as it builds."""
    @functools.wraps(rejection_resample)
    def resample(self, class_func, target_dist, initial_dist=None, seed=None, name=None):
        if context.executing_eagerly():
            return rejection_resample(self, class_func, target_dist, initial_dist, seed, name)
        # TF 2.x's own first op (unless a tensor was given), made here to know what comes after it
        target = ops.convert_to_tensor(target_dist, name="target_dist")
        if initial_dist is not None:
            graph_count.note_next_op(ops.get_default_graph(), 1)  # TF 1.15's MapDataset of class_func
        return rejection_resample(self, class_func, target, initial_dist, seed, name)

    return resample


def install(ops, context):
    """Note, as each rejection_resample builds its datasets, what TF 1.15 made more or fewer."""
    from tensorflow.python.data.ops import dataset_ops

    dataset_ops.DatasetV2.rejection_resample = noting_rejection_resample(
        dataset_ops.DatasetV2.rejection_resample, ops, context)

