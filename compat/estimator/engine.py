"""The one Estimator engine: TF 1.15's training, evaluation and prediction loops on tf.compat.v1.

Both tf.estimator.Estimator (compat/estimator/estimator.py) and tf.contrib.learn.Estimator
(compat/contrib/learn/) build their graphs in their own TF 1.15 order, then hand the ops to these
functions: the same default Saver, CheckpointSaverHook, NanTensorHook, `loss = ..., step = ...`
LoggingTensorHook and MonitoredTrainingSession arguments as TF 1.15, hence the same checkpoints,
event files and log lines in model_dir.
"""

import os
import tempfile
import time

import numpy as np
from tensorflow.compat import v1 as tf

from compat.estimator import faults

_GLOBAL_STEP_READ_KEY = "global_step_read_op_cache"  # the collection TF's hooks look in


def create_global_step_read(graph, global_step):
    """Add TF 1.15's cached `global_step + 0` read to the graph, where TF 1.15's Estimator does.

    TensorFlow's hooks create it only when they start; creating it at TF 1.15's point keeps the
    ops (and so the op-level seeds) of the model_fn identical.
    """
    if graph.get_collection(_GLOBAL_STEP_READ_KEY):
        return
    with graph.name_scope(None), graph.name_scope(global_step.op.name + "/"):
        with tf.init_scope():
            value = tf.cond(tf.is_variable_initialized(global_step), global_step.read_value,
                            lambda: global_step.initial_value)
        tf.add_to_collection(_GLOBAL_STEP_READ_KEY, value + 0)


def resolve_model_dir(model_dir, config):
    """(model_dir, config): the argument, else the config's, else a fresh temporary folder."""
    configured = config.model_dir
    if model_dir is not None and configured is not None and model_dir != configured:
        raise ValueError("model_dir are set both in constructor and RunConfig, but with different "
                         "values. In constructor: '{}', in RunConfig: '{}' ".format(model_dir, configured))
    model_dir = model_dir or configured
    if model_dir is None:
        model_dir = tempfile.mkdtemp()
        tf.logging.warning("Using temporary folder as model directory: %s", model_dir)
    if configured is None:
        config = config.replace(model_dir=model_dir)
    return model_dir, config


def saved_global_step(model_dir, default):
    """global_step of the latest checkpoint in model_dir, or `default` if there is none."""
    try:
        return tf.train.load_variable(model_dir, tf.GraphKeys.GLOBAL_STEP)
    except Exception:  # no checkpoint yet: TF 1.15 ignores any error here too
        return default


def loss_hooks(loss, global_step, log_every_n_steps):
    """NanTensorHook, and the `loss = ..., step = ...` log every n steps (None: no log)."""
    hooks = [tf.train.NanTensorHook(loss)]
    if log_every_n_steps is not None:
        hooks.append(tf.train.LoggingTensorHook({"loss": loss, "step": global_step},
                                                every_n_iter=log_every_n_steps))
    return hooks


def add_default_saver(config, scaffold):
    """TF 1.15's Saver (sharded, keep_checkpoint_max newest) unless the model brought one."""
    if scaffold.saver or tf.get_collection(tf.GraphKeys.SAVERS):
        return
    tf.add_to_collection(tf.GraphKeys.SAVERS, tf.train.Saver(
        sharded=True,
        max_to_keep=config.keep_checkpoint_max,
        keep_checkpoint_every_n_hours=config.keep_checkpoint_every_n_hours,
        defer_build=True,
        save_relative_paths=True))


def checkpoint_hooks(config, model_dir, scaffold, existing_hooks, saving_listeners=None):
    """The chief's CheckpointSaverHook on the RunConfig schedule (it also saves when training
    ends), unless a hook already saves; saving_listeners join the first saver hook."""
    saver_hooks = [hook for hook in existing_hooks if isinstance(hook, tf.train.CheckpointSaverHook)]
    chief_hooks = []
    if (config.save_checkpoints_secs or config.save_checkpoints_steps) and not saver_hooks:
        chief_hooks = [tf.train.CheckpointSaverHook(model_dir, save_secs=config.save_checkpoints_secs,
                                                    save_steps=config.save_checkpoints_steps,
                                                    scaffold=scaffold)]
        saver_hooks = chief_hooks
    if saving_listeners:
        if not saver_hooks:
            raise ValueError("There should be a CheckpointSaverHook to use saving_listeners. Please set "
                             "one of the RunConfig.save_checkpoints_steps or "
                             "RunConfig.save_checkpoints_secs.")
        for listener in saving_listeners:
            if listener not in saver_hooks[0]._listeners:  # TF 1.15 extends the hook's list too
                saver_hooks[0]._listeners.append(listener)
    return chief_hooks


def run_training(config, model_dir, session_config, scaffold, hooks, chief_hooks, train_op, loss,
                 log_step_count_steps=100):
    """Run train_op until a hook stops, in TF 1.15's MonitoredTrainingSession; the last loss.
    Ctrl-C saves a checkpoint, another model's checkpoint is one clear error (faults.py)."""
    with faults.guarded_training(model_dir) as stop_on_interrupt, tf.train.MonitoredTrainingSession(
            master=config.master,
            is_chief=config.is_chief,
            checkpoint_dir=model_dir,
            scaffold=scaffold,
            hooks=list(hooks) + [stop_on_interrupt],
            chief_only_hooks=chief_hooks,
            save_checkpoint_secs=0,  # the CheckpointSaverHook saves
            save_summaries_steps=config.save_summary_steps,
            max_wait_secs=config.session_creation_timeout_secs,
            config=session_config,
            log_step_count_steps=log_step_count_steps) as session:
        loss_value = None
        while not session.should_stop():
            _, loss_value = session.run([train_op, loss])
    return loss_value


class StopAfterNEvalsHook(tf.train.SessionRunHook):
    """Stops evaluation after `num_evals` batches, logging progress as TF 1.15 does."""

    def __init__(self, num_evals, log_progress=True):
        self._num_evals = num_evals
        self._log_progress = log_progress
        self._log_frequency = 1 if num_evals < 20 else int(num_evals // 10)
        self._done = 0

    def after_run(self, run_context, run_values):
        self._done += 1
        if self._log_progress and (self._done % self._log_frequency == 0 or self._done == self._num_evals):
            tf.logging.info("Evaluation [%d/%d]", self._done, self._num_evals)
        if self._done >= self._num_evals:
            run_context.request_stop()


def run_evaluation(config, session_config, checkpoint_path, scaffold, update_op, final_ops, hooks):
    """Run update_op until the input ends or a hook stops; then the final ops, once."""
    tf.logging.info("Starting evaluation at " + time.strftime("%Y-%m-%dT%H:%M:%SZ", time.localtime()))
    final_ops_hook = tf.train.FinalOpsHook(final_ops)
    creator = tf.train.ChiefSessionCreator(scaffold=scaffold, checkpoint_filename_with_path=checkpoint_path,
                                           master=config.evaluation_master, config=session_config)
    with tf.train.MonitoredSession(session_creator=creator, hooks=list(hooks) + [final_ops_hook]) as session:
        if update_op is not None:
            while not session.should_stop():
                session.run(update_op)
    tf.logging.info("Finished evaluation at " + time.strftime("%Y-%m-%d-%H:%M:%S", time.localtime()))
    return final_ops_hook.final_ops_values


def write_eval_summary(output_dir, results, global_step):
    """Log the eval results and write their numbers to an event file in output_dir."""
    tf.logging.info("Saving dict for global step %d: %s", global_step, ", ".join(
        "%s = %s" % (key, value) for key, value in sorted(results.items())))
    summary = tf.Summary()
    for key, value in results.items():
        if key == "global_step" or value is None:
            continue
        if isinstance(value, (float, np.floating, int, np.integer)):
            summary.value.add(tag=key, simple_value=float(value))
        else:
            tf.logging.warning("Skipping summary for %s, must be a float or an int.", key)
    writer = tf.summary.FileWriterCache.get(output_dir)
    writer.add_summary(summary, global_step)
    writer.flush()


def write_checkpoint_path_summary(output_dir, checkpoint_path, global_step):
    """tf.estimator's `checkpoint_path` text summary next to the eval results (TF 1.15)."""
    tf.logging.info("Saving '%s' summary for global step %d: %s", "checkpoint_path", global_step, checkpoint_path)
    summary = tf.Summary()
    summary.value.add(tag="checkpoint_path", tensor=tf.make_tensor_proto(checkpoint_path, dtype=tf.string))
    writer = tf.summary.FileWriterCache.get(output_dir)
    writer.add_summary(summary, global_step)
    writer.flush()


def eval_dir(model_dir, name):
    return os.path.join(model_dir, "eval_" + name if name else "eval")


def select_predictions(predictions, keys, argument="predict_keys"):
    """Only the `keys` of a predictions dict (all of them if keys is empty), checked as TF 1.15.

    `argument` names the caller's parameter in the errors: tf.estimator's predict_keys or
    tf.contrib.learn's outputs.
    """
    if not keys:
        return predictions
    if not isinstance(predictions, dict):
        raise ValueError("%s argument is not valid in case of non-dict predictions." % argument)
    kept = {key: value for key, value in predictions.items() if key in keys}
    if not kept:
        raise ValueError("Expected to run at least one output from {}, provided {}."
                         .format(list(predictions.keys()), keys))
    return kept


def predict_generator(session, predictions, feed_fn, iterate_batches, input_is_constant):
    """Yield batches, or single examples, until the input runs out (or once, if it is constant)."""
    with session:  # its __exit__ swallows a feeder's StopIteration and OutOfRangeError
        while not session.should_stop():
            batch = session.run(predictions, feed_fn() if feed_fn else None)
            if iterate_batches:
                yield batch
            elif not isinstance(batch, dict):
                for example in batch:
                    yield example
            else:
                for i in range(_batch_length(batch)):
                    yield {key: value[i] for key, value in batch.items()}
            if input_is_constant:
                return


def _batch_length(batch):
    length = None
    for key, value in batch.items():
        size = value.dense_shape[0] if isinstance(value, tf.SparseTensorValue) else value.shape[0]
        length = length or size
        if size != length:
            raise ValueError("Batch length of predictions should be same. %s has different batch length "
                             "than others." % key)
    return length
