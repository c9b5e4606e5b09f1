"""Shared plumbing of the four reproductions, so each example file reads like its blog post.

    run = prepare(name, argv)   # parse + check every input, make the run folder (no TensorFlow yet)
    with run.loop(total) as bar # the training loop: progress bar on stderr, timing for run.json
    run.log(step, cost=...)     # one metrics.csv row (kept in run.metrics for Python callers)
    run.finish(hparams, results)  # metrics.csv + run.json, both written atomically

`prepare` does all the checking before TensorFlow is imported (6 s on TF 2.x), so bad input costs
a fraction of a second and always ends the same way: one line on stderr,
`tf1_examples: error: <what is wrong>; <what to do>`, exit status 2, nothing written.

From Python: `tf1_examples.NAME.reproduce(argv)` returns the finished Run (run.metrics: every
logged step as dicts; run.results; run.dir), `tf1_examples.NAME.main(argv)` the exit status.
--save-initial also saves the freshly initialised variables to <run>/initial/ (parity goldens).
A run folder is new (runs/NAME/<timestamp>/ or --out DIR), or an earlier run of the same example:
with --resume it continues from its checkpoint and appends to its metrics.csv; without, the
earlier run's outputs are removed first (a leftover checkpoint is never silently continued).
"""

import argparse
import contextlib
import csv
import io
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from tf1_examples.published import BY_NAME

PROG = "tf1_examples"

# steps: (the original's value, the --quick profile). The unit is the original's loop counter:
# training steps (lstm_regression, sin_predict), epochs (seq_data_lstm), iterations (rnn_words).
STEPS = {
    "lstm_regression": (200, 200),
    "sin_predict": (10000, 1500),
    "seq_data_lstm": (100, 3),
    "rnn_words": (50000, 1500),
}
# The two shape constants the input checks need (asserted equal to the modules' own in the tests).
SEQ_TIME_STEP, SEQ_BATCH_SIZE = 96, 7      # seq_data_lstm.time_step, .batch_size
WORDS_N_INPUT = 3                          # rnn_words.n_input


class UsageError(Exception):
    """Bad input. str() is `<what is wrong>; <what to do>`; the CLI prints it and exits 2."""


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
    p.add_argument("--seed", type=int, metavar="S",
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
        import tensorflow

        try:
            saver.restore(sess, path)
        except (tensorflow.errors.InvalidArgumentError, tensorflow.errors.NotFoundError, ValueError) as exc:
            raise UsageError(mismatch(self.dir, exc))

    # --- seeding ------------------------------------------------------------------------------
    def seed_python(self):
        """--seed: seed numpy's and random's global generators (the graph seed is the example's)."""
        if self.seed is not None:
            import numpy as np

            random.seed(self.seed)
            np.random.seed(self.seed)

    def session_config(self, tf):
        """ConfigProto for every Session: None, TensorFlow's defaults, as the originals ran.
        Seeded runs need nothing more on CPU: measured on both runtimes, two seeded runs with the
        default thread pools give identical figures at every step (lstm_regression 60 steps,
        rnn_words 300 steps, sin_predict and seq_data_lstm in tests/test_examples_api.py).
        The one place to pin threads if a platform ever needs it."""
        return None

    # --- logging ------------------------------------------------------------------------------
    def log(self, step, **figures):
        row = {"step": step}
        row.update(figures)
        self.metrics.append(row)

    @contextlib.contextmanager
    def loop(self, total, desc=None, unit="step"):
        """The training loop: timed for run.json (loop_time_s, steps_per_s), with a progress bar."""
        start = time.time()
        try:
            with self.progress(total, desc, unit) as bar:
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
    def animation(self, fig, name, fps, dpi):
        """A matplotlib PillowWriter recording `fig` into <run>/name (an animated GIF), moved into
        place atomically when the block ends."""
        target = self.path(name)
        writer = _PaletteWriter(fps=fps)
        with _atomic(target) as tmp:
            writer.setup(fig, str(tmp), dpi=dpi)
            yield writer
            writer.finish()

    def finish(self, hparams, results):
        self.hparams, self.results = dict(hparams), dict(results)
        self._write(status="finished")

    def _write(self, status):
        columns = ["step"]
        for row in self.metrics:
            columns.extend(k for k in row if k not in columns)
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(columns)
        for row in self.metrics:
            writer.writerow([_cell(row.get(c)) for c in columns])
        write_text(self.dir / "metrics.csv", text.getvalue())
        write_text(self.dir / "run.json", json.dumps(self._record(status), indent=2, sort_keys=False) + "\n")

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
            "resumed": self.resume,
            "start_step": (self.metrics[self._rows_before]["step"]
                           if len(self.metrics) > self._rows_before else None),
            "hyperparameters": self.hparams,
            "signature": self.signature,
            "wall_time_s": round(wall, 3),
            "loop_time_s": None if self.loop_seconds is None else round(self.loop_seconds, 3),
            "steps_per_s": (round(self.loop_steps / self.loop_seconds, 3)
                            if self.loop_seconds else None),
            "results": self.results,
            "published": [dict(f._asdict()) for f in example.published],
            "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(self.started)),
        }
        if self._previous is not None:
            record["previous_runs"] = self._previous.get("previous_runs", []) + [
                {k: self._previous.get(k) for k in ("started", "steps", "wall_time_s", "results")}]
        return record


def _PaletteWriter(fps):
    from matplotlib.animation import PillowWriter

    class PaletteWriter(PillowWriter):
        """PillowWriter that turns each frame into a 256-colour image as it is grabbed (the GIF's
        own format) instead of keeping RGBA: a quarter of the memory, and finish() then has no
        per-frame colour quantizing to do (measured: 10 s -> 0.6 s for 100 frames)."""

        def grab_frame(self, **savefig_kwargs):
            super(PaletteWriter, self).grab_frame(**savefig_kwargs)
            self._frames[-1] = self._frames[-1].convert("RGB").convert("P", dither=0)

    return PaletteWriter(fps=fps)


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
    if args.steps is None:
        args.steps = quick if args.quick else default
    folder = _run_folder(name, args)
    resumed = _load_previous(name, folder) if args.resume else None
    if not args.resume:
        _check_reusable(name, folder)

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
    folder.mkdir(parents=True, exist_ok=True)
    run = Run(name, args, folder, resumed)
    run.data, run.signature = data, signature
    return run


def mismatch(folder, exc):
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
    return ("--resume: the checkpoint in %s does not fit this model (%s); resume with the options it "
            "was trained with, or start a new run without --resume" % (folder, first))


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
    if record.get("status") != "finished":
        raise UsageError("--resume: the run in %s did not finish (%s), its checkpoint may be "
                         "incomplete; start a new run without --resume" % (folder, record.get("status")))
    metrics = read_metrics(folder / "metrics.csv")
    return {"run_json": record, "metrics": metrics,
            "last_step": metrics[-1]["step"] if metrics else None}


def _check_reusable(name, folder):
    """Without --resume, --out must be new, empty, or an earlier run of this example (replaced)."""
    if not folder.exists() or not any(folder.iterdir()):
        return
    record = folder / "run.json"
    example = None
    if record.is_file():
        try:
            example = json.loads(record.read_text(encoding="utf-8")).get("example")
        except ValueError:
            pass
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
        return seq_data.read(args.data, min_rows)
    except DataError as exc:
        raise UsageError(str(exc))


def _check_corpus(args):
    from tf1_examples.data import BELLING_THE_CAT

    path = Path(args.corpus) if args.corpus else BELLING_THE_CAT
    hint = "pass --corpus with a plain-text file of space-separated words"
    if not path.is_file():
        raise UsageError("--corpus %s: no such file; %s" % (path, hint))
    try:
        with open(str(path), encoding="utf-8") as f:
            words = [w for line in f for w in line.split()]
    except (UnicodeDecodeError, OSError) as exc:
        raise UsageError("--corpus %s: cannot be read as UTF-8 text (%s); %s" % (path, exc, hint))
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
    stopped midway (Ctrl-C, a crash) still writes what it logged, marked "interrupted"."""
    logged_before = len(run.metrics)
    try:
        train(run)
    except UsageError:
        raise
    except BaseException:
        if len(run.metrics) > logged_before:
            try:
                run._write(status="interrupted")
            except Exception:
                pass
        raise
    return run


def main(name, argv=None, train=None):
    """CLI entry: exit status 0, or 2 with one error line on bad input."""
    try:
        run = prepare(name, argv)     # check first: TensorFlow is imported only for good input
        if train is None:
            train = __import__(BY_NAME[name].module, fromlist=["train"]).train
        execute(run, train)
    except UsageError as exc:
        sys.stderr.write(error_line(exc) + "\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("%s: interrupted\n" % PROG)
        return 130
    return 0
