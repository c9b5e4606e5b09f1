"""Shared plumbing of the four reproductions, so each example file reads like its blog post.

    run = prepare(name, argv)   # parse + check every input, make the run folder (no TensorFlow yet)
    with run.loop(total) as bar # the training loop: progress bar on stderr, timing for run.json
    run.log(step, cost=...)     # one metrics.csv row (kept in run.metrics for Python callers)
    run.finish(hparams, results)  # metrics.csv + run.json, both written atomically

`prepare` does all the checking before TensorFlow is imported (6 s on TF 2.x), so bad input costs
a fraction of a second and always ends the same way: one line on stderr,
`tf1_examples: error: <what is wrong>; <what to do>`, exit status 2, nothing written. Every case,
with its exact message, is a row of docs/errors.md (tests/test_errors.py runs the table).
A logged figure that is NaN or infinite stops training in run.log (Diverged) before the next
checkpoint could save that model: metrics.csv and run.json ("diverged") are written, one line
names the step and the newest checkpoint whose variables are all finite, exit status 1.

From Python: `tf1_examples.NAME.reproduce(argv)` returns the finished Run (run.metrics: every
logged step as dicts; run.results; run.dir), `tf1_examples.NAME.main(argv)` the exit status.
--save-initial also saves the freshly initialised variables to <run>/initial/ (parity goldens);
--init-from DIR starts from such a checkpoint instead (run.init_from / run.init_model_dir):
TF 2.x derives op-level seeds differently from TF 1.15, so only a checkpoint gives both runtimes
the same initial weights (tests/test_parity.py, tests/golden/).
A run folder is new (runs/NAME/<timestamp>/ or --out DIR), or an earlier run of the same example:
with --resume it continues from its checkpoint and appends to its metrics.csv; without, the
earlier run's outputs are removed first (a leftover checkpoint is never silently continued).

Stopping and resuming (nothing lost):
    position = run.resume_from(saver, sess, folder)  # --resume: restore; sets run.start, run.total
    with run.loop(run.total - run.start) as bar:     # Ctrl-C in here sets run.stop_requested
        for i in range(run.start, run.total):
            ...                                      # one step; then, at the step boundary:
            if run.stop_requested: break             # the normal end of training follows
            every few steps: run.save_checkpoint(saver, sess, prefix, i + 1, position)
    run.save_checkpoint(saver, sess, prefix, done, position)
    run.stop_if_interrupted()                        # Ctrl-C'd: end here (exit 130)
- The first Ctrl-C in run.loop only asks the example to stop at the next step boundary; it then
  saves its checkpoint as at the end of training, metrics.csv and run.json get status
  "interrupted", one stderr line gives the step reached and the command that continues, exit 130.
  A second Ctrl-C interrupts at once. The SIGINT handler is restored when the loop ends.
- run.json says "running" (with the process id) from the start, so a killed run is recognisable;
  a run folder whose process still runs is refused. Examples checkpoint every few steps
  (save_checkpoint: metrics first, then the data position, then TF's checkpoint, whose files are
  written to temp names and renamed, the `checkpoint` state file last), so a kill -9 at any
  moment leaves a restorable checkpoint and metrics.csv rows at least up to it.
- --resume of an unfinished run (UNFINISHED: killed, interrupted, failed, diverged) completes its
  plan: the same total step count, the data continuing where the checkpoint was taken (the
  example's `position`); metrics rows past the checkpoint are dropped and redone, so metrics.csv
  keeps one row per step. --resume of a finished run trains --steps more.

This module holds the Run, prepare(), execute(), main() and report(); the checks prepare() runs
and the argument parser are in tf1_examples/_checks.py, the file helpers (atomic writes,
metrics.csv, the checkpoint state file) in _files.py, the constants and exceptions both use in
_common.py. The names the examples use as _runs.X are all importable from here.
"""

import contextlib
import csv
import io
import json
import math
import os
import platform
import random
import re
import shlex
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

from tf1_examples._checks import (_check_checkpoint, _check_corpus, _check_fits, _check_init_from, _check_plan,
                                  _check_reusable, _check_seq_data, _check_show, _check_writable,
                                  _clear_earlier_run, _fmt, _load_previous, _run_folder, build_parser)
from tf1_examples._common import PROG, STEPS, UNFINISHED, Diverged, Interrupted, UsageError, error_line
from tf1_examples._files import _atomic, _cell, _checkpoint_dir, _with_mtimes, relative_checkpoint_state, write_text
from tf1_examples.published import BY_NAME
# not used here: sin_predict reports a checkpoint that does not fit its Estimator as _runs.mismatch
from tf1_examples._checks import mismatch  # noqa: F401

# examples whose GIF is drawn by a helper process when headless (Run.animation(background=True))
BACKGROUND_GIF = ("lstm_regression",)
POSITION = ".position.json"    # next to each checkpoint: where its data stream continues


class _NullBar(object):
    def update(self, n=1):
        pass

    def set_postfix_str(self, s):
        pass


class Run(object):
    """One run of one example: its folder, its options, what it logs."""

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
        self._rows_before = len(self.metrics)
        self.results = {}
        self.hparams = {}
        self.session = None               # the Session config the example asked for (run.json)
        self.loop_seconds = None
        self.loop_steps = 0
        self.started = time.time()
        self._previous = resumed["run_json"] if resumed else None
        # the plan, in the example's unit (STEPS): steps done before this invocation, steps done
        # so far (as of the last checkpoint), steps done when training ends
        self.start = self.done = 0
        self.total = None if self.resume else self.steps
        self.unit = "step"
        self.stop_requested = False       # the first Ctrl-C during run.loop sets it
        self.unfinished = self.resume and self._previous.get("status") in UNFINISHED
        if self.unfinished and self._previous.get("total_steps") is not None:
            self.total = int(self._previous["total_steps"])     # --resume completes the stopped plan
            self.steps = int(self._previous.get("steps") or self.total)
        self._in_loop = False
        self._saved = False               # this invocation wrote a checkpoint
        self._files_before = resumed["files"] if resumed else {}
        self._csv_kept = (["step"], 0, None)     # see _metrics_text

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

    def restore(self, saver, sess, path):
        """saver.restore for --resume. The run.json signature check in prepare() already refuses
        a different model; should a checkpoint still not fit the graph, that is bad input too."""
        import compat.v1 as tf

        if path is None:
            raise UsageError("--resume: %s holds no checkpoint; start a new run without --resume" % self.dir)
        _check_fits(tf, sess.graph, path, self.dir)
        try:
            saver.restore(sess, path)
        except tf.errors.OpError:   # OutOfRange (truncated data file), DataLoss (bad checksum), ...
            raise UsageError("--resume: the checkpoint %s is damaged (its data cannot be read in full); "
                             "start a new run without --resume" % path)

    def init_from(self, saver, sess):
        """--init-from: overwrite the freshly initialised variables with the checkpoint's (call it
        right after the initializer). Without --init-from: nothing."""
        if self.args.init_from is None:
            return
        import tensorflow

        try:
            saver.restore(sess, self.args.init_from)
        except (tensorflow.errors.InvalidArgumentError, tensorflow.errors.NotFoundError, ValueError) as exc:
            raise self.init_error(exc)

    def init_model_dir(self, model_dir):
        """--init-from for an Estimator: its checkpoint becomes the latest one in the (fresh)
        model_dir, which the Estimator restores instead of initialising (a warm start at the
        checkpoint's global step, 0 for an initial/ folder). Without --init-from: nothing."""
        if self.args.init_from is None:
            return
        import compat.v1 as tf

        prefix = Path(self.args.init_from)
        for f in [Path(str(prefix) + ".index")] + list(prefix.parent.glob(prefix.name + ".data-*")):
            shutil.copyfile(str(f), str(Path(model_dir) / f.name))
        tf.train.update_checkpoint_state(str(model_dir), prefix.name)   # relative: model_dir/<name>

    def init_error(self, exc):
        """The UsageError for a --init-from checkpoint that does not fit the example's graph."""
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        return UsageError("--init-from %s: the checkpoint does not fit the %s model (%s); pass the "
                          "initial/ folder of a --save-initial run of %s with the same options"
                          % (self.args.init_from, self.name, first, self.name))

    # --- the plan, checkpoints, interruption (see the module docstring) --------------------------
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
        self._csv_kept = (["step"], 0, None)
        self._rows_before = len(self.metrics)
        self.start = self.done = done
        return max(self.total - done, 0)

    def resume_from(self, saver, sess, folder):
        """--resume: restore the newest checkpoint in `folder` and begin() after its step; returns
        the data position saved with it (a dict; {} if none). Without --resume, or when an
        unfinished run was stopped before its first checkpoint: begin(0) and {}."""
        import compat.v1 as tf

        state = tf.train.get_checkpoint_state(str(folder)) if self.resume else None
        path = tf.train.latest_checkpoint(str(folder)) if self.resume else None
        if path is None:
            if self.resume and not self.unfinished:
                raise UsageError("--resume: %s holds no checkpoint to continue from; start a new run "
                                 "without --resume" % folder)
            self.begin(0)
            return {}
        self.restore(saver, sess, path)
        # keep rotating (the Saver's 5 newest) the checkpoints an earlier process saved
        saver.set_last_checkpoints_with_time(_with_mtimes(state.all_model_checkpoint_paths))
        numbered = re.search(r"-(\d+)$", path)
        # an unnumbered checkpoint (saved before steps were in the name): as many steps as rows
        self.begin(int(numbered.group(1)) if numbered else len(self.metrics))
        position = Path(path + POSITION)
        try:
            return json.loads(position.read_text(encoding="utf-8")) if position.is_file() else {}
        except ValueError:      # written atomically by save_checkpoint: only an edit can break it
            raise UsageError("--resume: %s is damaged (not the JSON the run wrote); start a new run "
                             "without --resume" % position)

    def save_progress(self, done):
        """metrics.csv and run.json ("running") as of `done` steps; before every checkpoint."""
        self.done = done
        self._write(status="running")

    def save_checkpoint(self, saver, sess, prefix, done, position=None):
        """Checkpoint after `done` steps, in an order a kill -9 at any moment cannot break:
        1. metrics.csv and run.json (--resume drops rows past its checkpoint, so they may run
           ahead of it, never behind);
        2. `position` (JSON: what the example needs to continue its data exactly) beside it;
        3. saver.save(global_step=done): a new name per step, every file written under a temp
           name and renamed, the `checkpoint` state file last (traced on both runtimes), so the
           previous checkpoint stays complete and current until the new one is.
        The Saver's rotation (its 5 newest) only ever deletes this folder's checkpoints, never
        initial/ or another folder saved with the same Saver."""
        prefix = os.path.abspath(str(prefix))   # the Saver resolves a relative one against the cwd
        folder = os.path.dirname(prefix)
        self.save_progress(done)
        if done == self.start and os.path.isfile("%s-%d.index" % (prefix, done)):
            return                        # stopped before its first step: the checkpoint it resumed is current
        if position is not None:
            write_text("%s-%d%s" % (prefix, done, POSITION), json.dumps(position))
        saver.set_last_checkpoints_with_time(
            _with_mtimes(p for p in saver.last_checkpoints if os.path.dirname(os.path.abspath(p)) == folder))
        # the graph (.meta) only with the last one: written every time, it is most of a save's cost
        saver.save(sess, prefix, global_step=done, write_meta_graph=done == self.total)
        relative_checkpoint_state(folder)
        self._saved = True
        for stale in Path(folder).glob("*" + POSITION):   # of checkpoints the rotation deleted
            if not Path(str(stale)[:-len(POSITION)] + ".index").is_file():
                stale.unlink()

    def stop_if_interrupted(self):
        """Call after the end-of-training checkpoint: a Ctrl-C'd run ends here."""
        if self.stop_requested:
            raise Interrupted("%s %d of %d" % (self.unit_name, self.done, self.total))

    @property
    def unit_name(self):
        return {"iter": "iteration"}.get(self.unit, self.unit)

    @contextlib.contextmanager
    def _graceful_sigint(self):
        """While training, the first SIGINT only sets stop_requested; the second one does what
        SIGINT did before (KeyboardInterrupt at once). Only in the main thread (Python delivers
        signals there) and not where SIGINT is ignored; the previous handler is put back after."""
        previous = signal.getsignal(signal.SIGINT)
        if threading.current_thread() is not threading.main_thread() or previous in (signal.SIG_IGN, None):
            yield
            return

        def handler(signum, frame):
            if self.stop_requested:
                signal.signal(signal.SIGINT, previous)
                if callable(previous):
                    return previous(signum, frame)    # Python's default raises KeyboardInterrupt
                raise KeyboardInterrupt
            self.stop_requested = True
            try:
                sys.stderr.write("%s: stopping after this %s, saving a checkpoint (Ctrl-C again to stop "
                                 "at once)\n" % (PROG, self.unit_name))
                sys.stderr.flush()
            except (OSError, RuntimeError, ValueError):   # stderr mid-write or closed: the flag is what counts
                pass

        signal.signal(signal.SIGINT, handler)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)

    def continue_command(self):
        """The command line that continues this run: the options that shape it, --resume, --out."""
        parser = build_parser(self.name)
        words = ["python", "-m", PROG, "run", self.name]
        for dest in ("quick", "show", "seed", "layers", "data", "corpus", "prompt"):
            value = getattr(self.args, dest, None)
            if value is None or value is False or value == parser.get_default(dest):
                continue
            words += ["--" + dest] if value is True else ["--" + dest, str(value)]
        return " ".join(shlex.quote(w) for w in words + ["--resume", "--out", str(self.dir)])

    def interrupted_line(self, graceful):
        """The one stderr line of a Ctrl-C'd run: where it stopped, what was saved, how to go on."""
        if graceful:
            what = "interrupted at %s %d of %d; checkpoint and metrics saved in %s" % (
                self.unit_name, self.done, self.total, self.dir)
        elif self._in_loop:
            what = "interrupted at once; the last checkpoint (%s %d of %d) and metrics are in %s" % (
                self.unit_name, self.done, self.total, self.dir)
        else:
            what = "interrupted before training started (run folder %s)" % self.dir
        return "%s: %s; continue with: %s" % (PROG, what, self.continue_command())

    def _undo(self):
        """Bad input found after the start (a checkpoint of another model): if no checkpoint was
        written yet, put run.json and metrics.csv back as they were (none, for a new run)."""
        if self._saved:
            self._write(status="failed")
            return
        for name in ("run.json", "metrics.csv"):
            before = self._files_before.get(name)
            if before is not None:
                write_text(self.dir / name, before)
            elif (self.dir / name).exists():
                (self.dir / name).unlink()

    # --- seeding ------------------------------------------------------------------------------
    def seed_python(self):
        """--seed: seed numpy's and random's global generators (the graph seed is the example's)."""
        if self.seed is not None:
            import numpy as np

            random.seed(self.seed)
            np.random.seed(self.seed)

    def session_config(self, tf, xla=False, one_thread=False):
        """ConfigProto for every Session: None, TensorFlow's defaults, as the originals ran.
        Seeded runs need nothing more on CPU: measured on both runtimes, two seeded runs with the
        default thread pools give identical figures at every step (lstm_regression 60 steps,
        rnn_words 300 steps, sin_predict and seq_data_lstm in tests/test_examples_api.py).
        xla=True, one_thread=True: session_config(). run.json's "session" records what it gave
        (thread counts 0: TensorFlow chooses)."""
        config = session_config(tf, xla, one_thread)
        given = config if config is not None else tf.ConfigProto()     # None: the proto's defaults
        self.session = {
            "intra_op_threads": given.intra_op_parallelism_threads,
            "inter_op_threads": given.inter_op_parallelism_threads,
            "xla": given.graph_options.optimizer_options.global_jit_level == tf.OptimizerOptions.ON_1,
        }
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
    def loop(self, total, desc=None, unit="step"):
        """The training loop: timed for run.json (loop_time_s, steps_per_s), with a progress bar.
        From here run.json says "running"; Ctrl-C sets run.stop_requested (module docstring)."""
        self.unit = unit
        self._in_loop = True
        self._write(status="running")
        start = time.time()
        try:
            with self._graceful_sigint(), self.progress(total, desc, unit) as bar:
                yield bar
        finally:
            self.loop_seconds = time.time() - start
            self.loop_steps = total

    @contextlib.contextmanager
    def progress(self, total, desc=None, unit="step"):
        """A tqdm bar on stderr, only when stderr is a terminal and not --no-progress; stdout
        lines printed meanwhile go above the bar, unchanged."""
        if not sys.stderr.isatty() or self.args.no_progress:
            yield _NullBar()
            return
        from tqdm import tqdm
        from tqdm.contrib import DummyTqdmFile

        saved_stdout = sys.stdout
        sys.stdout = DummyTqdmFile(sys.stdout)
        bar = tqdm(total=total, desc=desc or self.name, unit=unit, file=sys.stderr, dynamic_ncols=True,
                   leave=False)
        try:
            yield bar
        finally:
            bar.close()
            sys.stdout = saved_stdout

    def save_figure(self, fig, name):
        """fig.savefig, atomically (temp file + os.replace); returns the Path."""
        target = self.path(name)
        with _atomic(target) as tmp:
            fig.savefig(str(tmp), format=target.suffix[1:])
        return target

    @contextlib.contextmanager
    def animation(self, fig, name, fps, dpi, background=False):
        """A matplotlib PillowWriter recording `fig` into <run>/name (an animated GIF), moved into
        place atomically when the block ends. background=True: the frames are drawn by a helper
        process while the block goes on (tf1_examples/_gif.py says for which figures that holds)."""
        target = self.path(name)
        with _atomic(target) as tmp:
            if background:
                from tf1_examples._gif import Recorder

                writer = Recorder(fig, str(tmp), fps=fps, dpi=dpi)
            else:
                writer = _PaletteWriter(fps=fps)
                writer.setup(fig, str(tmp), dpi=dpi)
            try:
                yield writer
            except BaseException:
                if background:
                    writer.abort()
                raise
            writer.finish()

    def finish(self, hparams, results):
        self.hparams, self.results = dict(hparams), dict(results)
        self._write(status="finished")

    def _write(self, status):
        write_text(self.dir / "metrics.csv", self._metrics_text())
        write_text(self.dir / "run.json", json.dumps(self._record(status), indent=2, sort_keys=False) + "\n")

    def _metrics_text(self):
        """metrics.csv's text. It is rewritten with every checkpoint, and rows are only appended
        (or dropped, by begin()), so the text of the rows before the newest one (which an example
        may still complete, as sin_predict does with rmse) is kept for the next write: one at
        step 10 000 costs what one at step 100 does (it was 46 ms of CPU, 4.6 us a row)."""
        columns, kept, head = self._csv_kept
        if kept > len(self.metrics):          # rows dropped (begin() also starts again)
            columns, kept, head = ["step"], 0, None
        new = list(columns)
        for row in self.metrics[kept:]:
            new.extend(k for k in row if k not in new)
        if new != columns:                    # a new column: every row gets a cell for it
            columns, kept, head = new, 0, None

        def lines(rows):
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            for row in rows:
                writer.writerow([_cell(row.get(c)) for c in columns])
            return text.getvalue()

        head = (lines([dict(zip(columns, columns))]) if head is None else head) + lines(self.metrics[kept:-1])
        self._csv_kept = (columns, max(kept, len(self.metrics) - 1), head)
        return head + lines(self.metrics[-1:])

    def _record(self, status):
        import numpy as np

        tf_version, compat_active = _tf_version()
        example = BY_NAME[self.name]
        wall = time.time() - self.started
        record = {
            "example": self.name,
            "title": example.title,
            "original": example.original,
            "status": status,
            "command": " ".join(["python", "-m", PROG, "run", self.name] + list(self.args.argv)),
            "runtime": {
                "python": platform.python_version(),
                "tensorflow": tf_version,
                "numpy": np.__version__,
                "compat_active": compat_active,
                "platform": platform.platform(),
            },
            "seed": self.seed,
            "quick": self.quick,
            "steps": self.steps,
            "total_steps": self.total,        # the plan: steps done when training ends
            "steps_done": self.done,          # as of the last checkpoint
            "resumed": self.resume,
            "start_step": (self.metrics[self._rows_before]["step"]
                           if len(self.metrics) > self._rows_before else None),
            "hyperparameters": self.hparams,
            "session": self.session,
            "signature": self.signature,
            "wall_time_s": round(wall, 3),
            "loop_time_s": None if self.loop_seconds is None else round(self.loop_seconds, 3),
            "steps_per_s": (round((self.done - self.start) / self.loop_seconds, 3)
                            if self.loop_seconds else None),
            "results": self.results,
            "published": [dict(f._asdict()) for f in example.published],
            "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(self.started)),
            "pid": os.getpid(),               # while "running": a second process must not use the folder
            "host": platform.node(),
        }
        if self._previous is not None:
            record["previous_runs"] = self._previous.get("previous_runs", []) + [
                {k: self._previous.get(k) for k in ("started", "status", "steps", "steps_done", "wall_time_s",
                                                    "results")}]
        return record


def session_config(tf, xla=False, one_thread=False):
    """The examples' Session config (Run.session_config; benchmarks/graph_step.py uses it too).

    one_thread=True (lstm_regression): one intra-op and one inter-op thread, on both runtimes. A
    graph as small as its batch of 50 through 10 LSTM units loses more to handing work between
    pool threads than it gains (per step, 4.3-5.0 vs 4.9-5.9 ms on TF 2.21, 5.3-5.6 vs 6.8-6.9 ms
    on TF 1.15, half the CPU time; 200 seeded steps give bit-identical costs on both runtimes),
    and the second core is then free for the process drawing its GIF frames.

    xla=True (rnn_words): on TF 2.x, XLA auto-clustering for this Session (global_jit_level ON_1
    with cpu_global_jit, which CPU clustering needs). The same ops, compiled into fused kernels:
    rnn_words' training step measured 33 -> 13 ms of CPU time, its logged figures equal to ~1e-7
    relative (float sums in another order); compiling costs ~4 s of CPU once, at the first step.
    On TF 1.15 XLA made the step slower (37 -> 47 ms), so there it stays off.
    Otherwise None: TensorFlow's defaults."""
    xla = xla and not tf.__version__.startswith("1.")
    if not (xla or one_thread):
        return None
    config = tf.ConfigProto()
    if one_thread:
        config.intra_op_parallelism_threads = config.inter_op_parallelism_threads = 1
    if xla:
        config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
        config.graph_options.optimizer_options.cpu_global_jit = True
    return config


def _PaletteWriter(fps):
    from matplotlib.animation import PillowWriter

    class PaletteWriter(PillowWriter):
        """PillowWriter that turns each frame into a 256-colour image as it is grabbed (the GIF's
        own format) instead of keeping RGBA: a quarter of the memory, and finish() then has no
        per-frame colour quantizing to do (measured: 10 s -> 0.6 s for 100 frames).
        Every frame has the same palette (convert("P") maps onto the fixed web palette), so
        finish() saves with optimize=False: Pillow >= 10 would otherwise shrink each frame's
        palette to its own colours, after which every frame differs in palette and is compared
        in RGBA and masked (S1's 101 frames: 1.1 s -> 0.13 s CPU with Pillow 11, the decoded
        frames identical, the file 13% smaller)."""

        def grab_frame(self, **savefig_kwargs):
            super(PaletteWriter, self).grab_frame(**savefig_kwargs)
            self._frames[-1] = self._frames[-1].convert("RGB").convert("P", dither=0)

        def finish(self):
            self._frames[0].save(self.outfile, save_all=True, append_images=self._frames[1:],
                                 duration=int(1000 / self.fps), loop=0, optimize=False)

    return PaletteWriter(fps=fps)


def _tf_version():
    tf = sys.modules.get("tensorflow")
    if tf is None:
        return None, None
    version = tf.__version__
    return version, not version.startswith("1.")


# --- prepare: parse, check, make the folder -----------------------------------------------------

def prepare(name, argv=None):
    """Parse `argv`, check every input, create or reopen the run folder; returns a Run.
    Raises UsageError (before anything is written) on bad input. Imports no TensorFlow."""
    if name not in BY_NAME:
        raise UsageError("unknown example %r; choose one of: %s (python -m %s list)"
                         % (name, ", ".join(sorted(BY_NAME)), PROG))
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(name).parse_args(argv)
    args.argv = argv
    default, quick = STEPS[name]
    steps_given = args.steps
    if args.steps is None:
        args.steps = quick if args.quick else default
    _check_show(args)
    folder = _run_folder(name, args)
    _check_writable(folder, args)
    _check_init_from(args, folder)
    resumed = _load_previous(name, folder) if args.resume else None
    if args.resume:
        _check_checkpoint(name, folder)
    if not args.resume:
        _check_reusable(name, folder)
    _check_plan(folder, resumed, steps_given)

    data, signature = None, {"example": name}
    if name == "seq_data_lstm":
        data = _check_seq_data(args)
    elif name == "rnn_words":
        data = _check_corpus(args)
        signature.update(layers=args.layers, vocab_size=len(set(data)))
    if resumed is not None:
        before = resumed["run_json"].get("signature") or {}
        if before != signature:
            raise UsageError("--resume: %s holds a model of a different shape (%s), not this one (%s); "
                             "resume with the same options, or start a new run without --resume"
                             % (folder, _fmt(before), _fmt(signature)))

    if resumed is None and (folder / "run.json").is_file():
        _clear_earlier_run(folder)     # an earlier run of this example: start fresh, replace it
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:      # what os.access cannot foresee: a read-only file system, a full disk
        raise UsageError("%s cannot be created (%s); choose another folder with --out DIR"
                         % (folder, exc.strerror))
    if resumed is not None:     # every check passed: now a moved or copied folder's state file
        relative_checkpoint_state(_checkpoint_dir(name, folder))   # may name its own checkpoints
    run = Run(name, args, folder, resumed)
    run.data, run.signature = data, signature
    if resumed is None:
        run._write(status="running")   # from the start: a run killed even before training is resumable
    if name in BACKGROUND_GIF and not args.show:
        from tf1_examples import _gif

        _gif.prestart()                # its imports overlap TensorFlow's (tf1_examples/_gif.py)
    return run


# --- entry points -------------------------------------------------------------------------------

def execute(run, train):
    """Train a prepared run; returns it. `train(run)` is the example's training code. A run
    stopped midway still writes what it logged: "interrupted" (Ctrl-C), "failed" (a crash)."""
    try:
        train(run)
    except UsageError:
        run._undo()
        raise
    except Diverged as exc:
        _diverged(run, exc)
        raise
    except BaseException as exc:
        # a --resume that stopped before training leaves the earlier record as it was
        if run._in_loop or not run.resume:
            try:
                run._write(status="interrupted" if isinstance(exc, KeyboardInterrupt) else "failed")
            except Exception:
                pass
        raise
    return run


def _diverged(run, exc):
    """A NaN/inf loss: metrics.csv and run.json (status "diverged") are written; no checkpoint is
    (Run.log raised before the example's save); the message names the newest finite one."""
    exc.checkpoint = _last_good_checkpoint(run)
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
        run._write(status="diverged")
    except Exception:
        pass


def _last_good_checkpoint(run):
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


def report(exc, run=None):
    """The CLI's ending for an exception it handles: prints its one stderr line and returns the
    exit status (2 bad input, 1 diverged, 130 Ctrl-C)."""
    if isinstance(exc, UsageError):
        line, status = error_line(exc), 2
    elif isinstance(exc, Diverged):         # the input was fine, the training failed: 1, not 2
        line, status = error_line(exc), 1
    else:
        line = (run.interrupted_line(isinstance(exc, Interrupted)) if run is not None
                else "%s: interrupted" % PROG)
        status = 130
    sys.stderr.write(line + "\n")
    return status


def main(name, argv=None, train=None):
    """CLI entry: exit status 0, or 2 with one error line on bad input (130: Ctrl-C)."""
    run = None
    try:
        run = prepare(name, argv)     # check first: TensorFlow is imported only for good input
        if train is None:
            def train(run):           # importing the example (and TensorFlow) is part of the run
                return __import__(BY_NAME[name].module, fromlist=["train"]).train(run)
        execute(run, train)
    except (UsageError, Diverged, KeyboardInterrupt) as exc:
        return report(exc, run)
    return 0
