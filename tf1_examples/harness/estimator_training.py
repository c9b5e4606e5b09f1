"""The harness side of a tf.contrib.learn Estimator's fit(), for sin_predict:

    training = run.estimator_training(model_dir)     # --init-from; --seed's RunConfig
    regressor = SKCompat(learn.Estimator(model_fn=..., model_dir=..., config=training.config))
    with training.fitting() as fit_options:          # --resume, progress, Ctrl-C, checkpoints
        regressor.fit(x, y, batch_size=..., **fit_options)

The Estimator itself checkpoints and resumes, as TF 1.15's did: fit() continues from model_dir's
newest checkpoint, and its CheckpointSaverHook saves when the session starts, every
save_checkpoints_secs and when fit() ends. The hooks added here (as fit monitors) log every
step's loss, drive the progress bar, stop after the current step on Ctrl-C or at the plan's end,
save a checkpoint every CHECKPOINT_EVERY steps (a kill loses at most those) and write
metrics.csv before each save. fit(steps=N) trains N more steps; a --resume of an unfinished run
calls fit(max_steps=the plan's total) instead, which completes the plan.

What "the data position" means here: SKCompat draws its batches with a RandomState(42) made anew
by every fit() (TF 1.15's DataFeeder), so a resumed fit() starts that batch order again; the
variables, the optimizer state and the global step continue exactly.
"""

import contextlib

import compat.v1 as tf
from tf1_examples.harness import checkpoints
from tf1_examples.harness.checks import checkpoint_mismatch
from tf1_examples.harness.checkpoint_state import relative_checkpoint_state
from tf1_examples.harness.errors import UsageError

CHECKPOINT_EVERY = 500      # steps between extra checkpoints (~1.5 s of training; without the graph: 15 ms)


class StepLog(tf.train.SessionRunHook):
    """Every training step's loss into run.metrics (step = the global step after the update, as
    TF's `loss = ..., step = N` log counts), the progress bar, --save-initial, a checkpoint every
    CHECKPOINT_EVERY steps, and the end of the plan or of a Ctrl-C'd run (after this step)."""

    def __init__(self, run, bar, model_dir):
        self.run, self.bar, self.model_dir = run, bar, model_dir

    def begin(self):
        self._loss = tf.get_collection(tf.GraphKeys.LOSSES)[0]
        self._global_step = tf.train.get_global_step()
        self._initial_saver = tf.train.Saver() if self.run.args.save_initial else None
        self._saver = tf.get_collection(tf.GraphKeys.SAVERS)[0]    # the Estimator's own Saver

    def after_create_session(self, session, coord):
        self._step = int(session.run(self._global_step))
        if self._initial_saver is not None and self._step == 0:
            self._initial_saver.save(session, str(self.run.fresh_dir("initial") / "model.ckpt"))
        if self._step >= self.run.total:    # the plan is complete: this fit() only restores
            coord.request_stop()

    def before_run(self, run_context):
        return tf.train.SessionRunArgs(self._loss)

    def after_run(self, run_context, run_values):
        self._step += 1
        self.run.log(self._step, loss=float(run_values.results))
        self.bar.update()
        if self.run.stop_requested or self._step >= self.run.total:
            run_context.request_stop()  # the last step (Ctrl-C: this one): the saver hook's end() saves
        elif self._step % CHECKPOINT_EVERY == 0:
            checkpoints.save_checkpoint(self.run, self._saver, run_context.session,
                                        self.model_dir / "model.ckpt", self._step)


class SaveProgress(tf.train.CheckpointSaverListener):
    """metrics.csv and run.json before each of the saver hook's checkpoints (the rows may run
    ahead of a checkpoint, never behind); after each, the checkpoint state file made relative."""

    def __init__(self, run, model_dir):
        self.run, self.model_dir = run, model_dir

    def before_save(self, session, global_step_value):
        self.run.save_progress(int(global_step_value))

    def after_save(self, session, global_step_value):
        relative_checkpoint_state(self.model_dir)


class CheckpointSaver(tf.train.CheckpointSaverHook):
    """The CheckpointSaverHook the Estimator would add itself (same schedule: when the session
    starts, every save_checkpoints_secs, when fit() ends; with the graph), with SaveProgress, and
    never for a step that has a checkpoint already (the one a resumed fit() restored, or
    StepLog's): TensorFlow would rewrite that checkpoint's files in place, and a kill at that
    moment would break the checkpoint the run continues from. (After a skipped start, the
    schedule begins at the next step, which therefore saves once more.)"""

    def __init__(self, run, model_dir, save_secs):
        super(CheckpointSaver, self).__init__(str(model_dir), save_secs=save_secs,
                                              listeners=[SaveProgress(run, model_dir)])
        self.model_dir = model_dir

    def _saved(self, step):
        return (self.model_dir / ("model.ckpt-%d.index" % step)).is_file()

    def after_create_session(self, session, coord):
        if not self._saved(int(session.run(tf.train.get_global_step()))):
            super(CheckpointSaver, self).after_create_session(session, coord)

    def after_run(self, run_context, run_values):
        if not self._saved(int(run_values.results) + 1):    # results: the global step before this one
            super(CheckpointSaver, self).after_run(run_context, run_values)

    def end(self, session):
        if not self._saved(int(session.run(tf.train.get_global_step()))):
            super(CheckpointSaver, self).end(session)


def saved_global_step(model_dir):
    """The global step of model_dir's newest checkpoint (0 without one): where fit() goes on."""
    path = tf.train.latest_checkpoint(str(model_dir))
    if path is None:
        return 0
    reader = tf.train.NewCheckpointReader(path)
    return int(reader.get_tensor("global_step")) if reader.has_tensor("global_step") else 0


class EstimatorTraining(object):
    def __init__(self, run, model_dir):
        self.run, self.model_dir = run, model_dir
        checkpoints.init_model_dir(run, model_dir)   # --init-from: the Estimator restores it at step 0
        session_config = run.session_config(tf)      # None: TensorFlow's defaults, as the original
        # --seed: the Estimator builds its own graph, so only its RunConfig can seed it; unseeded
        # runs pass no config, as the original
        self.config = (None if run.seed is None else
                       tf.contrib.learn.RunConfig(tf_random_seed=run.seed, session_config=session_config))

    def _bad_checkpoint(self, exc):
        if self.run.args.init_from:
            return checkpoints.init_error(self.run, exc)     # --init-from: a checkpoint of another model
        return UsageError(checkpoint_mismatch(self.model_dir, exc))   # --resume: of another model

    @contextlib.contextmanager
    def fitting(self):
        """Yields fit()'s keyword arguments: steps or max_steps, and the monitors."""
        run = self.run
        try:    # fit() continues from model_dir's checkpoint: --resume's, or --init-from's
            run.begin(saved_global_step(self.model_dir))
        except tf.errors.OpError as exc:    # an unreadable checkpoint
            raise self._bad_checkpoint(exc)
        save_secs = (self.config or tf.contrib.learn.RunConfig()).save_checkpoints_secs
        with run.loop(run.total - run.start) as bar:
            monitors = [StepLog(run, bar, self.model_dir), CheckpointSaver(run, self.model_dir, save_secs)]
            # --resume: max_steps, the plan's last global step, however often it was stopped. A run
            # killed after its last checkpoint has none left: there fit(max_steps) would return at
            # once, and predict() then lacks the label shapes the model_fn reshapes, so that run
            # goes through fit(steps), which StepLog stops before its first step
            if run.resume and run.start < run.total:
                options = dict(max_steps=run.total, monitors=monitors)
            else:
                options = dict(steps=run.steps, monitors=monitors)
            try:
                yield options
            except (tf.errors.InvalidArgumentError, tf.errors.NotFoundError) as exc:
                if not (run.args.init_from or run.resume):
                    raise
                raise self._bad_checkpoint(exc)
        run.stop_if_interrupted()
