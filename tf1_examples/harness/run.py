"""One run of one example: its folder, its options, its plan (which steps it runs), what it logs
(metrics.csv, run.json) and what it draws. The example's train(run) gets one from cli.prepare.

    run.log(step, cost=...)        one metrics.csv row (kept in run.metrics for Python callers)
    run.training(saver, sess, ...) the Session loop's harness side (training.py)
    run.finish(hparams, results)   metrics.csv + run.json, both written atomically

The plan, in the example's unit (registry Example.unit): run.start steps were done before this
invocation (0, or a --resume's checkpoint), run.total are done when training ends; run.done as
of the last checkpoint. --resume of an unfinished run (killed, interrupted, failed, diverged)
completes its plan; of a finished one it trains --steps more.
"""

import contextlib
import json
import math
import random
import shutil
import time

from tf1_examples.harness import pictures, session
from compat.regress.report import write_text
from tf1_examples.harness.errors import UNFINISHED, Diverged, Interrupted
from tf1_examples.harness.interrupt import graceful_sigint
from tf1_examples.harness.metrics_csv import MetricsText
from tf1_examples.harness.progress import progress_bar
from tf1_examples.harness.run_record import run_record
from tf1_examples.harness.training import SessionTraining
from tf1_examples.registry import BY_NAME


class Run(object):
    def __init__(self, name, args, folder, resumed):
        self.name = name
        self.args = args
        self.dir = folder
        self.resume = resumed is not None
        self.seed = args.seed
        self.steps = args.steps
        self.quick = args.quick
        self.show = args.show
        self.data = None                  # example input checked by prepare (S3 series, S4 words)
        self.signature = {}               # hyperparameters that fix variable shapes (for --resume)
        self.metrics = list(resumed["metrics"]) if resumed else []
        self.last_step = resumed["last_step"] if resumed else None
        self.rows_before = len(self.metrics)
        self.results = {}
        self.hparams = {}
        self.session = None               # the Session config the example asked for (run.json)
        self.loop_seconds = None
        self.started = time.time()
        self.previous = resumed["run_json"] if resumed else None
        self.start = self.done = 0
        self.total = None if self.resume else self.steps
        self.unit = BY_NAME[name].unit
        self.stop_requested = False       # the first Ctrl-C during run.loop sets it
        self.unfinished = self.resume and self.previous.get("status") in UNFINISHED
        if self.unfinished and self.previous.get("total_steps") is not None:
            self.total = int(self.previous["total_steps"])     # --resume completes the stopped plan
            self.steps = int(self.previous.get("steps") or self.total)
        self.in_loop = False
        self.saved = False                # this invocation wrote a checkpoint
        self.files_before = resumed["files"] if resumed else {}
        self._metrics_text = MetricsText()

    # --- the folder ---------------------------------------------------------------------------
    def path(self, *parts):
        """A path inside the run folder (parent folders created)."""
        p = self.dir.joinpath(*parts)
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def fresh_dir(self, *parts):
        """A folder the example owns (checkpoints, event files): emptied unless --resume, so a
        leftover model_dir never silently continues an earlier run."""
        p = self.dir.joinpath(*parts)
        if p.exists() and not self.resume:
            shutil.rmtree(str(p))
        p.mkdir(parents=True, exist_ok=True)
        return p

    # --- the plan -----------------------------------------------------------------------------
    @property
    def plan_start(self):
        """The step this plan started from: 0, or where a --resume of a finished run began."""
        return self.total - self.steps

    def begin(self, done):
        """Training starts after `done` steps (0, or the restored checkpoint's): sets run.start
        and run.total, and drops metrics rows past `done` (a killed run's steps after its last
        checkpoint, redone now). Returns the number of steps to run now."""
        if not (self.unfinished and self.total is not None):
            self.total = done + self.steps
        del self.metrics[done:]
        self._metrics_text.reset()
        self.rows_before = len(self.metrics)
        self.start = self.done = done
        return max(self.total - done, 0)

    def training(self, saver, sess, folder="checkpoints", every=None, position=None):
        """The harness side of a Session training loop (training.SessionTraining)."""
        return SessionTraining(self, saver, sess, self.fresh_dir(folder), every, position)

    def stop_if_interrupted(self):
        """After the end-of-training checkpoint: a Ctrl-C'd run ends here."""
        if self.stop_requested:
            raise Interrupted("%s %d of %d" % (self.unit, self.done, self.total))

    def estimator_training(self, model_dir):
        """The harness side of an Estimator's fit() (estimator_training.EstimatorTraining)."""
        from tf1_examples.harness.estimator_training import EstimatorTraining

        return EstimatorTraining(self, model_dir)

    def save_progress(self, done):
        """metrics.csv and run.json ("running") as of `done` steps; before every checkpoint."""
        self.done = done
        self.write(status="running")

    # --- seeding and the Session ----------------------------------------------------------------
    def seed_python(self):
        """--seed: seed numpy's and random's global generators (cli.execute does, before train)."""
        if self.seed is not None:
            import numpy as np

            random.seed(self.seed)
            np.random.seed(self.seed)

    def seed_graph(self):
        """--seed: tf.set_random_seed on the default graph (the originals are unseeded)."""
        if self.seed is not None:
            import compat.v1 as tf

            tf.set_random_seed(self.seed)

    def session_config(self, tf, xla=False, one_thread=False):
        """ConfigProto for every Session: None, TensorFlow's defaults, as the originals ran.
        Seeded runs need nothing more on CPU: measured on both runtimes, two seeded runs with the
        default thread pools give identical figures at every step. xla, one_thread: see
        session.session_config. run.json's "session" records what it gave."""
        config = session.session_config(tf, xla, one_thread)
        self.session = session.describe(tf, config)
        return config

    # --- logging ------------------------------------------------------------------------------
    def log(self, step, **figures):
        row = {"step": step}
        row.update(figures)
        self.metrics.append(row)
        for column, value in figures.items():     # a NaN/inf loss: stop before anything saves it
            if isinstance(value, (int, float)) and not math.isfinite(value):
                raise Diverged(step, column, value)

    @contextlib.contextmanager
    def loop(self, total, desc=None):
        """The training loop: timed for run.json (loop_time_s, steps_per_s), with a progress bar.
        From here run.json says "running"; Ctrl-C sets run.stop_requested (interrupt.py)."""
        self.in_loop = True
        self.write(status="running")
        start = time.time()
        try:
            with graceful_sigint(self), self.progress(total, desc) as bar:
                yield bar
        finally:
            self.loop_seconds = time.time() - start

    def progress(self, total, desc=None, unit=None):
        return progress_bar(total, desc or self.name, unit or self.unit, enabled=not self.args.no_progress)

    def save_figure(self, fig, name):
        """fig.savefig into the run folder, atomically; returns the Path."""
        return pictures.save_figure(fig, self.path(name))

    def animation(self, fig, name, fps, dpi, background=False):
        """An animated GIF <run>/name of `fig`, one frame per grab_frame() (pictures.animation);
        a run with no step left to run records nothing and keeps its earlier GIF."""
        return pictures.animation(fig, self.path(name), fps, dpi, background, empty=self.total <= self.start)

    def finish(self, hparams, results):
        self.hparams, self.results = dict(hparams), dict(results)
        self.write(status="finished")

    def write(self, status):
        write_text(self.dir / "metrics.csv", self._metrics_text.render(self.metrics))
        write_text(self.dir / "run.json", json.dumps(run_record(self, status), indent=2, sort_keys=False) + "\n")

    def undo(self):
        """Bad input found after the start (a checkpoint of another model): if no checkpoint was
        written yet, put run.json and metrics.csv back as they were (none, for a new run)."""
        if self.saved:
            self.write(status="failed")
            return
        for name in ("run.json", "metrics.csv"):
            before = self.files_before.get(name)
            if before is not None:
                write_text(self.dir / name, before)
            elif (self.dir / name).exists():
                (self.dir / name).unlink()
