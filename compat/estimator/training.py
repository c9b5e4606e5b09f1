"""tf.estimator.train_and_evaluate with TrainSpec and EvalSpec, local mode (one process), as TF 1.15:
train to max_steps, evaluating the newest checkpoint after each save (at most every throttle_secs,
never the first save) and once more after the last one."""

import collections

from tensorflow.compat import v1 as tf

from compat.errors import NotProvidedError


class TrainSpec(collections.namedtuple("TrainSpec", ["input_fn", "max_steps", "hooks"])):
    def __new__(cls, input_fn, max_steps=None, hooks=None):
        if not callable(input_fn):
            raise TypeError("`input_fn` must be callable, given: {}".format(input_fn))
        if max_steps is not None and max_steps <= 0:
            raise ValueError("Must specify max_steps > 0, given: {}".format(max_steps))
        return super(TrainSpec, cls).__new__(cls, input_fn=input_fn, max_steps=max_steps,
                                             hooks=tuple(hooks or []))


_EVAL_FIELDS = ["input_fn", "steps", "name", "hooks", "exporters", "start_delay_secs", "throttle_secs"]


class EvalSpec(collections.namedtuple("EvalSpec", _EVAL_FIELDS)):
    def __new__(cls, input_fn, steps=100, name=None, hooks=None, exporters=None, start_delay_secs=120,
                throttle_secs=600):
        if not callable(input_fn):
            raise TypeError("`input_fn` must be callable, given: {}".format(input_fn))
        if steps is not None and steps <= 0:
            raise ValueError("Must specify steps > 0, given: {}".format(steps))
        if start_delay_secs < 0:
            raise ValueError("Must specify start_delay_secs >= 0, given: {}".format(start_delay_secs))
        if throttle_secs < 0:
            raise ValueError("Must specify throttle_secs >= 0, given: {}".format(throttle_secs))
        if exporters:
            raise NotProvidedError("tf.estimator.EvalSpec(exporters=...)",
                                   "after train_and_evaluate call estimator.export_saved_model("
                                   "export_dir_base, serving_input_receiver_fn)")
        return super(EvalSpec, cls).__new__(cls, input_fn=input_fn, steps=steps, name=name,
                                            hooks=tuple(hooks or []), exporters=(),
                                            start_delay_secs=start_delay_secs, throttle_secs=throttle_secs)


class _EvaluateOnCheckpoint(tf.train.CheckpointSaverListener):
    """Evaluates each new checkpoint, throttled, and the last one (TF 1.15's local listener)."""

    def __init__(self, estimator, eval_spec):
        self._estimator = estimator
        self._eval_spec = eval_spec
        self._evaluated_path = None
        self.eval_result = None

    def begin(self):
        self._timer = tf.train.SecondOrStepTimer(every_secs=self._eval_spec.throttle_secs)
        self._is_first_save = True

    def after_save(self, session, global_step_value):
        if self._is_first_save:  # the step-0 checkpoint is not worth evaluating
            self._is_first_save = False
            return
        if self._timer.should_trigger_for_step(global_step_value):
            self._evaluate(global_step_value)
        else:
            tf.logging.info("Skip the current checkpoint eval due to throttle secs ({} secs)."
                            .format(self._eval_spec.throttle_secs))

    def end(self, session, global_step_value):
        if global_step_value != self._timer.last_triggered_step():
            self._evaluate(global_step_value)

    def _evaluate(self, global_step_value):
        self._timer.update_last_triggered_step(global_step_value)
        path = self._estimator.latest_checkpoint()
        if not path or path == self._evaluated_path:
            raise RuntimeError("There was no new checkpoint after the training.")
        self._evaluated_path = path
        self.eval_result = self._estimator.evaluate(input_fn=self._eval_spec.input_fn, steps=self._eval_spec.steps,
                                                    name=self._eval_spec.name, checkpoint_path=path,
                                                    hooks=self._eval_spec.hooks)


def train_and_evaluate(estimator, train_spec, eval_spec):
    """Train and evaluate locally; returns (the last eval metrics, export results: [])."""
    if not isinstance(train_spec, TrainSpec):
        raise TypeError("`train_spec` must have type `tf.estimator.TrainSpec`. Got: {}".format(type(train_spec)))
    if not isinstance(eval_spec, EvalSpec):
        raise TypeError("`eval_spec` must have type `tf.estimator.EvalSpec`. Got: {}".format(type(eval_spec)))
    config = estimator.config
    tf.logging.info("Running training and evaluation locally (non-distributed).")
    tf.logging.info("Start train and evaluate loop. The evaluate will happen after every checkpoint. Checkpoint "
                    "frequency is determined based on RunConfig arguments: save_checkpoints_steps {} or "
                    "save_checkpoints_secs {}.".format(config.save_checkpoints_steps, config.save_checkpoints_secs))
    listener = _EvaluateOnCheckpoint(estimator, eval_spec)
    estimator.train(input_fn=train_spec.input_fn, max_steps=train_spec.max_steps, hooks=list(train_spec.hooks),
                    saving_listeners=[listener])
    return listener.eval_result, []
