"""Faults while an Estimator trains, handled so nothing is lost (docs/errors.md, "Estimator faults").

`guarded_training(model_dir)` wraps the engine's training session (engine.run_training):

- Ctrl-C: the first SIGINT lets the running step finish and asks the loop to stop, so the
  session closes normally and its CheckpointSaverHook saves the step reached; then
  TrainingInterrupted (a KeyboardInterrupt) says which checkpoint to resume from. A second
  Ctrl-C interrupts at once, as Python does. (TF 1.15 lost the steps since the last save.) Only
  where SIGINT has Python's default handler: a program's own handler is left in charge.
- A model_dir holding another model's checkpoint: TF's restore error, of the same class
  (NotFoundError or InvalidArgumentError), whose message is TF 1.15's one line plus what to do,
  and which `python -m compat` prints as that one line.
"""

import re
import signal
import threading

from tensorflow.compat import v1 as tf

from compat.errors import CompatError

_RESTORE_FAILED = "Restoring from checkpoint failed."
_TF_REASON = re.compile(r"Key \S+ not found in checkpoint|Assign requires shapes of both tensors to match\. "
                        r"lhs shape= \[[^\]]*\] rhs shape= \[[^\]]*\]")


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped training after a step; the checkpoint of that step is saved."""


class CheckpointOfAnotherModelError(CompatError, tf.errors.NotFoundError):
    """model_dir's checkpoint lacks a variable of this model (TF 1.15: NotFoundError)."""


class CheckpointShapeMismatchError(CompatError, tf.errors.InvalidArgumentError):
    """model_dir's checkpoint has a variable of this model's name but another shape."""


class StopOnInterrupt(tf.train.SessionRunHook):
    """Turns the first SIGINT into a request to stop after the current step."""

    def __init__(self):
        self.interrupted = False

    def after_run(self, run_context, run_values):
        if self.interrupted:
            run_context.request_stop()

    def on_sigint(self, signum, frame):
        self.interrupted = True
        signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C: at once


class guarded_training(object):  # noqa: N801  (used as a context manager, like a function)
    """`with guarded_training(model_dir) as hook:` the hook joins the training session's hooks.
    A class, not contextlib: `python -m compat` names the user's line, and contextlib's frame
    would come after it."""

    def __init__(self, model_dir):
        self._model_dir = model_dir
        self._hook = StopOnInterrupt()
        # Only where Ctrl-C would raise KeyboardInterrupt: a program with its own SIGINT handler
        # (tf1_examples' graceful stop) keeps it.
        self._install = (threading.current_thread() is threading.main_thread() and
                         signal.getsignal(signal.SIGINT) is signal.default_int_handler)

    def __enter__(self):
        if self._install:
            signal.signal(signal.SIGINT, self._hook.on_sigint)
        return self._hook

    def __exit__(self, kind, error, traceback):
        if self._install:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        if isinstance(error, tf.errors.OpError):
            explained = _checkpoint_mismatch(error, self._model_dir)
            if explained is not None:
                raise explained from error
        if kind is None and self._hook.interrupted:
            checkpoint = tf.train.latest_checkpoint(self._model_dir)
            raise TrainingInterrupted("training interrupted (Ctrl-C); %s; run the same training again to resume "
                                      "from it" % ("its last step is saved in " + checkpoint if checkpoint
                                                   else "no checkpoint was saved in " + self._model_dir))
        return False


def _checkpoint_mismatch(error, model_dir):
    if not str(error.message).startswith(_RESTORE_FAILED):
        return None
    found = _TF_REASON.search(error.message)
    reason = found.group(0) if found else error.message.split("\n")[0]
    kind = (CheckpointOfAnotherModelError if isinstance(error, tf.errors.NotFoundError) else
            CheckpointShapeMismatchError if isinstance(error, tf.errors.InvalidArgumentError) else None)
    if kind is None:
        return None
    message = ("the checkpoint in %s is another model's (%s); train this model in a new model_dir, or move "
               "that folder's checkpoints away to start afresh" % (model_dir, reason))
    return kind(None, None, message)  # no op: TF would append the op's stack trace to the line
