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
"""

import argparse
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
import tempfile
import threading
import time
from pathlib import Path

from tf1_examples import _checkpoint_files
from tf1_examples.published import BY_NAME

PROG = "tf1_examples"

# steps: (the original's value, the --quick profile). The unit is the original's loop counter:
# training steps (lstm_regression, sin_predict), epochs (seq_data_lstm), iterations (rnn_words).
STEPS = {
    "lstm_regression": (200, 200),
    "sin_predict": (10000, 1500),
    "seq_data_lstm": (100, 3),
    "rnn_words": (50000, 1200),
}
# The two shape constants the input checks need (asserted equal to the modules' own in the tests).
SEQ_TIME_STEP, SEQ_BATCH_SIZE = 96, 7      # seq_data_lstm.time_step, .batch_size
SEQ_ROWS_USED = slice(1, 800)              # seq_data_lstm.load_data: frame.values[1:800]
WORDS_N_INPUT = 3                          # rnn_words.n_input
# examples whose GIF is drawn by a helper process when headless (Run.animation(background=True))
BACKGROUND_GIF = ("lstm_regression",)


class UsageError(Exception):
    """Bad input. str() is `<what is wrong>; <what to do>`; the CLI prints it and exits 2."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C ended training at a step boundary, after the example saved its checkpoint
    (run.stop_if_interrupted). A KeyboardInterrupt, so Python callers see a Ctrl-C."""


# run.json "status" values a --resume completes (rather than extends): stopped before the plan's end
UNFINISHED = ("running", "interrupted", "failed", "diverged")
POSITION = ".position.json"    # next to each checkpoint: where its data stream continues


class Diverged(Exception):
    """A logged figure (loss, cost) became NaN or infinite. Not bad input: the CLI prints
    str() (which names the step and the last good checkpoint) and exits 1."""

    def __init__(self, step, column, value):
        self.step, self.column, self.value = step, column, value
        self.checkpoint = None          # (prefix, step or None) of the newest finite checkpoint
        super(Diverged, self).__init__("the %s became %s at step %s; training stopped"
                                       % (column, value, step))


def error_line(exc):
    return "%s: error: %s" % (PROG, str(exc).replace("\n", " "))


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would print usage + exit 2; make it our one line instead
        raise UsageError("%s; see `%s --help`" % (message, self.prog))


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("must be a positive whole number, not %r" % text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive whole number, not %r" % text)
    return value


def _seed(text):
    # numpy's global seed takes 0 .. 2**32 - 1 only; a seed it refuses would fail after TF's import
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2 ** 32:
        raise argparse.ArgumentTypeError("must be a whole number from 0 to %d, not %r" % (2 ** 32 - 1, text))
    return value


def _layers(text):
    if text not in ("1", "2"):
        raise argparse.ArgumentTypeError("must be 1 or 2, not %r" % text)
    return int(text)


def build_parser(name):
    example = BY_NAME[name]
    default, quick = STEPS[name]
    p = _Parser(prog="python -m %s run %s" % (PROG, name), description=example.title)
    p.add_argument("--steps", type=_positive_int, metavar="N",
                   help="training length (default: the original's %d; --quick: %d)" % (default, quick))
    p.add_argument("--seed", type=_seed, metavar="S",
                   help="seed TensorFlow's graph, numpy and random: a rerun repeats the run exactly "
                        "(default: unseeded, like the original)")
    p.add_argument("--out", metavar="DIR",
                   help="run folder (default: runs/%s/<timestamp>/ under the current directory)" % name)
    p.add_argument("--quick", action="store_true", help="short profile for tests and `make demo`")
    p.add_argument("--show", action="store_true", help="open the original's matplotlib window(s)")
    p.add_argument("--resume", action="store_true",
                   help="continue the run in --out (default: the latest runs/%s/ folder) from its "
                        "checkpoint" % name)
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.add_argument("--save-initial", action="store_true",
                   help="also save the freshly initialised variables to <run>/initial/")
    p.add_argument("--init-from", metavar="DIR",
                   help="start from the variables of the checkpoint in DIR (an earlier run's initial/ "
                        "folder, or a checkpoint prefix) instead of fresh random ones: how the parity "
                        "tests give both runtimes the same start")
    if name == "seq_data_lstm":
        p.add_argument("--data", metavar="PATH",
                       help="sequence file: .xlsx, .xls or .csv, first numeric column under a header "
                            "row (default: the generated stand-in, written to <run>/seq_data.xlsx)")
    if name == "rnn_words":
        p.add_argument("--corpus", metavar="PATH",
                       help="training text (default: the shipped belling_the_cat.txt = Story.txt)")
        p.add_argument("--layers", type=_layers, default=2,
                       help="LSTM layers: 2 (default, as published) or 1 (the original's commented-out variant)")
        p.add_argument("--prompt", metavar="WORDS",
                       help="the 3 words to continue after training (default: ask when stdin is a terminal)")
    return p


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
        prefix = os.path.abspath(str(prefix))   # TF joins a relative path in the state file to the folder
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

    def session_config(self, tf, xla=False):
        """ConfigProto for every Session: None, TensorFlow's defaults, as the originals ran.
        Seeded runs need nothing more on CPU: measured on both runtimes, two seeded runs with the
        default thread pools give identical figures at every step (lstm_regression 60 steps,
        rnn_words 300 steps, sin_predict and seq_data_lstm in tests/test_examples_api.py).
        The one place to pin threads if a platform ever needs it. xla=True: session_config()."""
        return session_config(tf, xla)

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


def session_config(tf, xla=False):
    """The examples' Session config (Run.session_config; benchmarks/graph_step.py uses it too).

    xla=True (rnn_words): on TF 2.x, XLA auto-clustering for this Session (global_jit_level ON_1
    with cpu_global_jit, which CPU clustering needs). The same ops, compiled into fused kernels:
    rnn_words' training step measured 33 -> 13 ms of CPU time, its logged figures equal to ~1e-7
    relative (float sums in another order); compiling costs ~4 s of CPU once, at the first step.
    On TF 1.15 XLA made the step slower (37 -> 47 ms), so there it stays off.
    Otherwise None: TensorFlow's defaults."""
    if not xla or tf.__version__.startswith("1."):
        return None
    config = tf.ConfigProto()
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


def _with_mtimes(prefixes):
    """[(checkpoint prefix, mtime)] for Saver.set_last_checkpoints_with_time, existing ones only."""
    return [(p, os.path.getmtime(p + ".index")) for p in prefixes if os.path.isfile(p + ".index")]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _tf_version():
    tf = sys.modules.get("tensorflow")
    if tf is None:
        return None, None
    version = tf.__version__
    return version, not version.startswith("1.")


_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def _atomic(target):
    """Yield a temp path next to `target` (same suffix); move it over `target` on success."""
    fd, tmp = tempfile.mkstemp(dir=str(target.parent), prefix="." + target.stem + ".",
                               suffix=target.suffix or ".tmp")
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the file the usual permissions
    try:
        yield Path(tmp)
        os.replace(tmp, str(target))
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_text(target, text):
    target = Path(target)
    with _atomic(target) as tmp:
        with open(str(tmp), "w", encoding="utf-8") as f:
            f.write(text)


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


def _check_show(args):
    """--show needs a matplotlib backend that opens windows; without a display matplotlib falls
    back to Agg, where plt.show() only warns and plt.pause() only sleeps (60 s for
    lstm_regression), so say so before anything runs."""
    if not args.show:
        return
    import matplotlib

    backend = matplotlib.get_backend()
    try:        # matplotlib >= 3.9
        from matplotlib.backends import BackendFilter, backend_registry

        headless = backend_registry.list_builtin(BackendFilter.NON_INTERACTIVE)
    except ImportError:     # matplotlib 3.5 (the legacy runtime)
        headless = matplotlib.rcsetup.non_interactive_bk
    if backend.lower() in (b.lower() for b in headless):
        raise UsageError("--show needs a window, but matplotlib's backend here is %s (no display?); "
                         "run without --show (the pictures are saved in the run folder), or set "
                         "MPLBACKEND to a GUI backend where a display is" % backend.lower())


def _check_init_from(args, folder):
    """--init-from PATH: a folder holding one checkpoint, or a checkpoint prefix; replaced in
    args by the prefix. Checked here so a bad PATH costs no TensorFlow start-up."""
    if args.init_from is None:
        return
    hint = "pass the initial/ folder of a --save-initial run (or a checkpoint prefix such as DIR/model.ckpt)"
    if args.resume:
        raise UsageError("--init-from and --resume both say where training starts; use --resume to "
                         "continue a run, or --init-from DIR for a new one")
    path = Path(args.init_from)
    if Path(str(path) + ".index").is_file():
        prefix = path
    elif path.is_dir():
        indexes = sorted(path.glob("*.index"))
        if len(indexes) != 1:
            raise UsageError("--init-from %s holds %s; %s" % (
                path, "%d checkpoints (%s)" % (len(indexes), ", ".join(i.stem for i in indexes))
                if indexes else "no checkpoint (no .index file)", hint))
        prefix = indexes[0].parent / indexes[0].stem
    else:
        raise UsageError("--init-from %s: no such folder or checkpoint; %s" % (path, hint))
    if not list(prefix.parent.glob(prefix.name + ".data-*")):
        raise UsageError("--init-from %s: the checkpoint %s has no data file (%s.data-*); %s"
                         % (path, prefix.name, prefix.name, hint))
    if folder.resolve() in prefix.resolve().parents:
        raise UsageError("--init-from %s is inside the run folder %s, which a new run empties; copy "
                         "the checkpoint elsewhere, or choose another --out" % (path, folder))
    args.init_from = str(prefix)


def mismatch(folder, exc):
    """The --resume error for a checkpoint that does not fit; `exc` is TensorFlow's error or, from
    _check_fits, the difference in words."""
    first = exc if isinstance(exc, str) else (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
    return ("--resume: the checkpoint in %s does not fit this model (%s); resume with the options it "
            "was trained with, or start a new run without --resume" % (folder, first))


def _check_fits(tf, graph, path, folder):
    """Compare the checkpoint's variables with the graph's before restoring, so a checkpoint of
    another model is reported by variable name and shape, the same way on TF 1.15 and 2.x."""
    try:
        shapes = tf.train.NewCheckpointReader(path).get_variable_to_shape_map()
    except tf.errors.OpError:
        raise UsageError("--resume: the checkpoint %s is damaged (its index cannot be read); start a new "
                         "run without --resume" % path)
    for v in graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES):
        name, here = v.op.name, v.shape.as_list()
        if name not in shapes:
            raise UsageError(mismatch(folder, "it has no variable %r" % name))
        if list(shapes[name]) != here:
            raise UsageError(mismatch(folder, "variable %r is %s there, %s here" % (name, list(shapes[name]), here)))


# where each example keeps the checkpoint --resume continues from
CHECKPOINT_DIRS = {"sin_predict": ("Models", "model_2")}


def _checkpoint_dir(name, folder):
    return folder.joinpath(*CHECKPOINT_DIRS.get(name, ("checkpoints",)))


_STATE_PATH = re.compile(r'^(\s*(?:model_checkpoint_path|all_model_checkpoint_paths)\s*:\s*)"([^"\\]*)"\s*$')


def relative_checkpoint_state(folder):
    """Make TensorFlow's checkpoint state file (`checkpoint`) in `folder` name its checkpoints
    relative to the folder, so that a run folder moved or copied resumes from its own
    checkpoints. A Saver writes the paths it is given, absolute here, and TF joins only relative
    ones to the folder: a copied folder would restore the original's files. (The examples keep
    the original's `tf.train.Saver()`, and TF 1.15's Estimator makes its own Saver, so the file is
    rewritten after each save instead of passing save_relative_paths.) Only absolute paths whose
    checkpoint is in `folder` change; the file is replaced atomically."""
    state = Path(folder) / "checkpoint"
    try:
        lines = state.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return                  # none yet, or damaged: _check_checkpoint reports it
    changed = []
    for line in lines:
        match = _STATE_PATH.match(line)
        if match and _own_checkpoint(folder, match.group(2)) != match.group(2):
            line = '%s"%s"' % (match.group(1), os.path.basename(match.group(2)))
        changed.append(line)
    if changed != lines:
        write_text(state, "\n".join(changed) + "\n")


def _own_checkpoint(folder, path):
    """A path from the state file in `folder`, as TensorFlow will read it once
    relative_checkpoint_state has run: an absolute one whose checkpoint is in `folder` becomes
    that one."""
    if not os.path.isabs(path):
        return path
    name = os.path.basename(path)
    return name if (Path(folder) / (name + ".index")).is_file() else path


def _check_checkpoint(name, folder):
    """--resume: the checkpoint index (TensorFlow's text file `checkpoint`) must parse and name
    files that exist, and the data file must be as long as the .index file says: a damaged or
    incomplete checkpoint is found here, before TensorFlow's import (other damage, such as a
    flipped byte, only shows when TensorFlow reads it: Run.restore)."""
    where = _checkpoint_dir(name, folder)
    index = where / "checkpoint"
    if not index.is_file():
        return                                  # the example reports a missing checkpoint
    hint = "start a new run without --resume"
    try:
        text = index.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    fields = [re.match(r'\s*(\w+)\s*:\s*("(?:[^"\\]|\\.)*"|[-+.\w]+)\s*$', line) for line in text.splitlines()
              if line.strip()]
    paths = [m.group(2)[1:-1] for m in fields if m and m.group(1) == "model_checkpoint_path"]
    if not fields or not all(fields) or len(paths) != 1:
        raise UsageError("--resume: the checkpoint index %s is damaged (not TensorFlow's checkpoint state); %s"
                         % (index, hint))
    path = _own_checkpoint(where, paths[0])
    prefix = Path(path) if os.path.isabs(path) else where / path
    index = Path(str(prefix) + ".index")
    found = _checkpoint_files.extents(index) if index.is_file() else None
    ends, shards = found if found else ({}, 1)
    for part in [index] + [Path("%s.data-%05d-of-%05d" % (prefix, k, shards)) for k in range(shards)]:
        if not part.is_file() or part.stat().st_size == 0:
            raise UsageError("--resume: the checkpoint %s is incomplete (%s is %s); %s"
                             % (prefix, part.name, "empty" if part.is_file() else "missing", hint))
    for shard, end in ends.values():
        part = Path("%s.data-%05d-of-%05d" % (prefix, shard, shards))
        if part.stat().st_size < end:
            raise UsageError("--resume: the checkpoint %s is damaged (%s is shorter than its index "
                             "says: cut off while copied or written); %s" % (prefix, part.name, hint))


def _check_writable(folder, args):
    """The run folder, or the nearest folder above it that exists, must take new files."""
    what = "--out %s" % folder if args.out else str(folder)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing != folder and not existing.is_dir():
        raise UsageError("%s cannot be created: %s is a file, not a folder; pass a folder path with --out DIR"
                         % (what, existing))
    if not os.access(str(existing), os.W_OK | os.X_OK):
        raise UsageError("%s%s is not writable; choose a folder you can write to with --out DIR"
                         % (what, "" if existing == folder else " cannot be created: %s" % existing))


def _fmt(signature):
    return ", ".join("%s=%s" % kv for kv in sorted(signature.items())) or "unknown"


def _run_folder(name, args):
    if args.out:
        folder = Path(args.out)
        if folder.exists() and not folder.is_dir():
            raise UsageError("--out %s is a file, not a folder; pass a folder path (created if missing)"
                             % folder)
        return folder
    base = Path("runs") / name
    if args.resume:
        earlier = sorted(p for p in base.glob("*") if (p / "run.json").is_file()) if base.is_dir() else []
        if not earlier:
            raise UsageError("--resume: no earlier run in %s/; pass --out DIR of the run to continue, "
                             "or drop --resume" % base)
        return earlier[-1]
    if base.exists() and not base.is_dir():
        raise UsageError("%s is a file, not a folder; move it away or pass --out DIR" % base)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder, n = base / stamp, 1
    while folder.exists():
        folder, n = base / ("%s-%d" % (stamp, n)), n + 1
    return folder


def _load_previous(name, folder):
    record_path = folder / "run.json"
    if not record_path.is_file():
        raise UsageError("--resume: %s holds no earlier run (no run.json); pass --out DIR of a %s run, "
                         "or drop --resume" % (folder, name))
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
    except ValueError:
        raise UsageError("--resume: %s is not a readable run record; start a new run without --resume"
                         % record_path)
    if record.get("example") != name:
        raise UsageError("--resume: %s holds a %s run, a different model; resume it with `run %s`, "
                         "or start a new run without --resume" % (folder, record.get("example"),
                                                                   record.get("example")))
    _check_not_running(folder, record)
    metrics = read_metrics(folder / "metrics.csv")
    files = {name: (folder / name).read_text(encoding="utf-8") if (folder / name).is_file() else None
             for name in ("run.json", "metrics.csv")}     # put back if the checkpoint does not fit
    return {"run_json": record, "metrics": metrics, "files": files,
            "last_step": metrics[-1]["step"] if metrics else None}


def _check_plan(folder, resumed, steps_given):
    """--resume of an unfinished run completes its plan; a different --steps is refused."""
    if resumed is None or steps_given is None:
        return
    record = resumed["run_json"]
    if record.get("status") in UNFINISHED and record.get("total_steps") is not None \
            and steps_given != record.get("steps"):
        raise UsageError("--resume: the run in %s stopped at %s of %s planned (--steps %s), and "
                         "--resume completes that plan; drop --steps %d (once it has finished, "
                         "--resume --steps N trains N more)" % (
                             folder, record.get("steps_done"), record.get("total_steps"),
                             record.get("steps"), steps_given))


def _check_not_running(folder, record):
    """Refuse a run folder whose run.json says "running" for a process still alive here."""
    pid = record.get("pid")
    if (record.get("status") != "running" or not isinstance(pid, int) or pid == os.getpid()
            or record.get("host") != platform.node()):
        return
    try:
        os.kill(pid, 0)                   # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return                            # it was killed or crashed: the folder is free
    except PermissionError:
        pass                              # alive, another user's
    raise UsageError("%s is in use: process %d is still training there (run.json); wait for it to "
                     "end or stop it with Ctrl-C, or choose another --out" % (folder, pid))


def _check_reusable(name, folder):
    """Without --resume, --out must be new, empty, or an earlier run of this example (replaced)."""
    if not folder.exists() or not any(folder.iterdir()):
        return
    record = folder / "run.json"
    example = None
    if record.is_file():
        try:
            earlier = json.loads(record.read_text(encoding="utf-8"))
        except ValueError:
            earlier = {}
        example = earlier.get("example")
        _check_not_running(folder, earlier)
    if example != name:
        raise UsageError("--out %s is not empty and holds no earlier %s run; choose a new or empty "
                         "folder (or --resume to continue a run)" % (folder, name))


# everything an example writes into its run folder (a fresh run in an earlier one removes these)
OUTPUTS = ("run.json", "metrics.csv", "logs", "checkpoints", "initial", "Models", "model_save1", "tmp",
           "prediction.png", "prediction.gif", "sin.png", "accuracy.png", "seq_data.xlsx")


def _clear_earlier_run(folder):
    for name in OUTPUTS:
        p = folder / name
        if p.is_dir():
            shutil.rmtree(str(p))
        elif p.exists():
            p.unlink()


def read_metrics(path):
    """metrics.csv -> list of dicts (numbers parsed; empty cells omitted)."""
    rows = []
    if not Path(path).is_file():
        return rows
    with open(str(path), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            parsed = {}
            for key, cell in row.items():
                if cell == "":
                    continue
                try:
                    parsed[key] = int(cell)
                except ValueError:
                    try:
                        parsed[key] = float(cell)
                    except ValueError:
                        parsed[key] = cell
            rows.append(parsed)
    return rows


def _check_seq_data(args):
    from tf1_examples.data import DataError, seq_data

    if args.data is None:
        return None        # the example writes the stand-in into the run folder
    # the original uses rows 1..799 and needs more than batch_size windows of time_step + 1 rows
    min_rows = 1 + SEQ_TIME_STEP + 1 + SEQ_BATCH_SIZE + 1
    try:
        return seq_data.read(args.data, min_rows, used=SEQ_ROWS_USED)
    except DataError as exc:
        raise UsageError(str(exc))


def _check_corpus(args):
    from tf1_examples.data import BELLING_THE_CAT

    path = Path(args.corpus) if args.corpus else BELLING_THE_CAT
    hint = "pass --corpus with a plain-text file of space-separated words"
    if path.is_dir():
        raise UsageError("--corpus %s is a folder; %s" % (path, hint))
    if not path.is_file():
        raise UsageError("--corpus %s: no such file; %s" % (path, hint))
    try:
        with open(str(path), "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise UsageError("--corpus %s: cannot be read (%s); %s" % (path, exc.strerror, hint))
    try:
        words = raw.decode("utf-8").split()
    except UnicodeDecodeError as exc:
        raise UsageError("--corpus %s: not UTF-8 text (byte 0x%02x at offset %d); save it as UTF-8"
                         % (path, raw[exc.start], exc.start))
    # n_input words in, 1 out, and the original restarts at a random offset of up to n_input + 1
    needed = 2 * (WORDS_N_INPUT + 1)
    if not words:
        raise UsageError("--corpus %s: the file has no words; %s" % (path, hint))
    if len(words) < needed:
        raise UsageError("--corpus %s: %d words, rnn_words needs at least %d (%d in, 1 out, and a "
                         "restart offset of up to %d); use a longer text"
                         % (path, len(words), needed, WORDS_N_INPUT, WORDS_N_INPUT + 1))
    if args.prompt is not None:
        prompt = args.prompt.strip().split(" ")
        if len(prompt) != WORDS_N_INPUT:
            raise UsageError("--prompt %r has %d words, not %d; pass exactly %d words separated by spaces"
                             % (args.prompt, len(prompt), WORDS_N_INPUT, WORDS_N_INPUT))
        unknown = [w for w in prompt if w not in set(words)]
        if unknown:
            raise UsageError("--prompt word %r is not in the dictionary of %s; use words of the corpus"
                             % (unknown[0], path.name))
    return words


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
