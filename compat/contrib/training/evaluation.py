"""tf.contrib.training's evaluation loop (TF 1.15: contrib/training/python/training/evaluation.py).

evaluate_once, StopAfterNEvalsHook, get_or_create_eval_step, checkpoints_iterator and
wait_for_new_checkpoint are TF 2.x's own (compat/_moved.py); written here: SummaryAtEndHook and
evaluate_repeatedly, on tf.compat.v1's MonitoredSession as in TF 1.15."""

import time

from tensorflow.compat import v1 as tf
from tensorflow.python.training import checkpoint_utils
from tensorflow.python.training import evaluation as core_evaluation

__all__ = ["SummaryAtEndHook", "evaluate_repeatedly"]


class SummaryAtEndHook(tf.train.SessionRunHook):
    """Runs summary_op (default: every summary, merged) once at the end and writes it at the
    global step to summary_writer or log_dir."""

    def __init__(self, log_dir=None, summary_writer=None, summary_op=None, feed_dict=None):
        if log_dir is None and summary_writer is None:
            raise ValueError("One of log_dir or summary_writer should be used.")
        self._summary_op = summary_op
        self._merge_all = summary_op is None
        self._feed_dict = feed_dict
        self._summary_writer = summary_writer
        self._log_dir = log_dir

    def begin(self):
        if self._merge_all:
            self._summary_op = tf.summary.merge_all()
        self._global_step = tf.train.get_or_create_global_step()

    def after_create_session(self, session, coord):
        if self._summary_writer is None and self._log_dir:
            self._summary_writer = tf.summary.FileWriterCache.get(self._log_dir)

    def end(self, session):
        if self._summary_op is not None:
            step = tf.train.global_step(session, self._global_step)
            summary = session.run(self._summary_op, self._feed_dict)
            if self._summary_writer:
                self._summary_writer.add_summary(summary, step)
        if self._summary_writer:
            self._summary_writer.flush()


def evaluate_repeatedly(checkpoint_dir, master="", scaffold=None, eval_ops=None, feed_dict=None, final_ops=None,
                        final_ops_feed_dict=None, eval_interval_secs=60, hooks=None, config=None,
                        max_number_of_evaluations=None, timeout=None, timeout_fn=None):
    """For each new checkpoint in checkpoint_dir (checkpoints_iterator): restore it, run eval_ops
    until a hook stops, evaluate final_ops. Returns the last final_ops values."""
    eval_step = core_evaluation._get_or_create_eval_step()  # pylint: disable=protected-access
    hooks = hooks or []
    if eval_ops is not None:
        count_eval = tf.assign_add(eval_step, 1)
        for hook in hooks:
            if isinstance(hook, core_evaluation._StopAfterNEvalsHook):  # pylint: disable=protected-access
                hook._set_evals_completed_tensor(count_eval)  # pylint: disable=protected-access
        if isinstance(eval_ops, dict):
            eval_ops["update_eval_step"] = count_eval
        elif isinstance(eval_ops, (tuple, list)):
            eval_ops = list(eval_ops) + [count_eval]
        else:
            eval_ops = [eval_ops, count_eval]
    final_ops_hook = tf.train.FinalOpsHook(final_ops, final_ops_feed_dict)
    hooks.append(final_ops_hook)
    evaluations = 0
    for checkpoint in checkpoint_utils.checkpoints_iterator(checkpoint_dir, min_interval_secs=eval_interval_secs,
                                                            timeout=timeout, timeout_fn=timeout_fn):
        creator = tf.train.ChiefSessionCreator(scaffold=scaffold, checkpoint_filename_with_path=checkpoint,
                                               master=master, config=config)
        with tf.train.MonitoredSession(session_creator=creator, hooks=hooks) as session:
            tf.logging.info("Starting evaluation at " + time.strftime("%Y-%m-%d-%H:%M:%S", time.gmtime()))
            if eval_ops is not None:
                while not session.should_stop():
                    session.run(eval_ops, feed_dict)
            tf.logging.info("Finished evaluation at " + time.strftime("%Y-%m-%d-%H:%M:%S", time.gmtime()))
        evaluations += 1
        if max_number_of_evaluations is not None and evaluations >= max_number_of_evaluations:
            break
    return final_ops_hook.final_ops_values
