"""tf.contrib.training for TensorFlow 2.x.

What TF 2.x keeps (evaluate_once, StopAfterNEvalsHook, get_or_create_eval_step,
checkpoints_iterator, wait_for_new_checkpoint) compat/_moved.py maps to the same functions; the
rest is written here on tf.compat.v1, one module per TF 1.15 source module
(contrib/training/python/training/<module>.py; sequence_queueing_state_saver's input checks and
padding in sequence_input_*.py beside it). A name compat leaves out raises NotProvidedError
saying why and what to use instead.
"""

from compat._namespace import contrib_moved_names, contrib_package_hooks

_OWN = []  # names defined by the modules imported below: each block adds its module's __all__

from compat.contrib.training.bucket_ops import bucket, bucket_by_sequence_length  # noqa: E402
_OWN += ["bucket", "bucket_by_sequence_length"]

from compat.contrib.training.device_setter import (  # noqa: E402
    GreedyLoadBalancingStrategy, RandomStrategy, byte_size_load_fn)
_OWN += ["GreedyLoadBalancingStrategy", "RandomStrategy", "byte_size_load_fn"]

from compat.contrib.training.evaluation import SummaryAtEndHook, evaluate_repeatedly  # noqa: E402
_OWN += ["SummaryAtEndHook", "evaluate_repeatedly"]

from compat.contrib.training.feeding_queue_runner import FeedingQueueRunner  # noqa: E402
_OWN += ["FeedingQueueRunner"]

from compat.contrib.training.hparam import HParams, parse_values  # noqa: E402
_OWN += ["HParams", "parse_values"]

from compat.contrib.training.training import (add_gradients_summaries, clip_gradient_norms,  # noqa: E402
                                              clip_gradient_norms_fn, create_train_op, multiply_gradients, train)
_OWN += ["add_gradients_summaries", "clip_gradient_norms", "clip_gradient_norms_fn", "create_train_op",
         "multiply_gradients", "train"]

from compat.contrib.training.resample import resample_at_rate, weighted_resample  # noqa: E402
_OWN += ["resample_at_rate", "weighted_resample"]

from compat.contrib.training.sampling_ops import rejection_sample, stratified_sample  # noqa: E402
_OWN += ["rejection_sample", "stratified_sample"]

from compat.contrib.training.sequence_queueing_state_saver import (  # noqa: E402
    NextQueuedSequenceBatch, SequenceQueueingStateSaver, batch_sequences_with_states)
_OWN += ["NextQueuedSequenceBatch", "SequenceQueueingStateSaver", "batch_sequences_with_states"]

__all__ = sorted(_OWN + contrib_moved_names("training"))

__getattr__, __dir__ = contrib_package_hooks("training", globals())
