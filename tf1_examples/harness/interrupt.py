"""Ctrl-C during training: the first one asks the example to stop at the next step boundary
(it then saves its checkpoint as at the end of training, and the run ends "interrupted" with
one stderr line giving the step reached and the command that continues, exit 130); a second
one interrupts at once. Also what a divergence (a NaN/inf figure) leaves: the newest checkpoint
whose variables are all finite."""

import contextlib
import os
import re
import shlex
import signal
import sys
import threading
from pathlib import Path

from tf1_examples.harness.errors import PROG
from tf1_examples.harness.options import build_parser, example_options


@contextlib.contextmanager
def graceful_sigint(run):
    """While training, the first SIGINT only sets run.stop_requested; the second one does what
    SIGINT did before (KeyboardInterrupt at once). Only in the main thread (Python delivers
    signals there) and not where SIGINT is ignored; the previous handler is put back after."""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous in (signal.SIG_IGN, None):
        yield
        return

    def handler(signum, frame):
        if run.stop_requested:
            signal.signal(signal.SIGINT, previous)
            if callable(previous):
                return previous(signum, frame)    # Python's default raises KeyboardInterrupt
            raise KeyboardInterrupt
        run.stop_requested = True
        try:
            sys.stderr.write("%s: stopping after this %s, saving a checkpoint (Ctrl-C again to stop "
                             "at once)\n" % (PROG, run.unit))
            sys.stderr.flush()
        except (OSError, RuntimeError, ValueError):   # stderr mid-write or closed: the flag is what counts
            pass

    signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def continue_command(run):
    """The command line that continues `run`: the options that shape it, --resume, --out."""
    parser = build_parser(run.name)
    words = ["python", "-m", PROG, "run", run.name]
    for dest in ["quick", "show", "seed"] + example_options(run.name):
        value = getattr(run.args, dest, None)
        if value is None or value is False or value == parser.get_default(dest):
            continue
        words += ["--" + dest] if value is True else ["--" + dest, str(value)]
    return " ".join(shlex.quote(w) for w in words + ["--resume", "--out", str(run.dir)])


def interrupted_line(run, graceful):
    """The one stderr line of a Ctrl-C'd run: where it stopped, what was saved, how to go on."""
    if graceful:
        what = "interrupted at %s %d of %d; checkpoint and metrics saved in %s" % (
            run.unit, run.done, run.total, run.dir)
    elif run.in_loop:
        what = "interrupted at once; the last checkpoint (%s %d of %d) and metrics are in %s" % (
            run.unit, run.done, run.total, run.dir)
    else:
        what = "interrupted before training started (run folder %s)" % run.dir
    return "%s: %s; continue with: %s" % (PROG, what, continue_command(run))


def record_divergence(run, exc):
    """A NaN/inf figure: metrics.csv and run.json (status "diverged") are written; no checkpoint
    is (Run.log raised before the example's save); the message names the newest finite one."""
    exc.checkpoint = last_good_checkpoint(run)
    if exc.checkpoint is None:
        kept = "no checkpoint had been saved yet"
    else:
        prefix, step = exc.checkpoint
        kept = "the last good checkpoint (%s) is in %s" % (
            "step %s" % step if step is not None else Path(prefix).name, Path(prefix).parent)
    exc.args = ("%s, %s; lower the learning rate or check the data" % (exc.args[0], kept),)
    run.results = {"diverged": {"step": exc.step, "column": exc.column, "value": repr(exc.value),
                                "last_good_checkpoint": exc.checkpoint and str(exc.checkpoint[0])}}
    try:
        run.write(status="diverged")
    except Exception:
        pass


def last_good_checkpoint(run):
    """(prefix, step or None) of the newest checkpoint in the run folder (initial/ aside) whose
    floating-point variables are all finite, or None."""
    import numpy as np
    import compat.v1 as tf

    prefixes = set()
    for index in run.dir.rglob("checkpoint"):
        if "initial" in index.relative_to(run.dir).parts:
            continue
        state = tf.train.get_checkpoint_state(str(index.parent))
        if state is not None:
            prefixes.update(list(state.all_model_checkpoint_paths) or [state.model_checkpoint_path])
    found = [(os.path.getmtime(p + ".index"), p) for p in prefixes if os.path.isfile(p + ".index")]
    for mtime, prefix in sorted(found, reverse=True):
        try:
            reader = tf.train.NewCheckpointReader(prefix)
            names = [n for n, d in reader.get_variable_to_dtype_map().items() if d.is_floating]
            if not all(np.all(np.isfinite(reader.get_tensor(n))) for n in names):
                continue
        except tf.errors.OpError:
            continue
        match = re.search(r"-(\d+)$", prefix)
        if match:
            step = int(match.group(1))
        elif reader.has_tensor("global_step"):
            step = int(reader.get_tensor("global_step"))
        else:       # saved without a step number: the end of the run this one resumed
            step = run.last_step if mtime < run.started else None
        return prefix, step
    return None
