"""What prepare() (tf1_examples/_runs.py) checks before TensorFlow is imported: the command line
(build_parser and its argument types), the run folder (--out, --resume's run.json and checkpoint,
a folder still in use), --init-from, --show, --data and --corpus; and, once TensorFlow is loaded,
whether a checkpoint fits the graph (_check_fits, mismatch).

Every failure is a UsageError whose message is a row of docs/errors.md. Separate from _runs.py so
the rules for bad input read in one place. Imports no TensorFlow (_check_show imports matplotlib,
for --show only).
"""

import argparse
import json
import os
import platform
import shutil
import time
from pathlib import Path

from tf1_examples import _checkpoint_files
from tf1_examples._common import (PROG, SEQ_BATCH_SIZE, SEQ_ROWS_USED, SEQ_TIME_STEP, STEPS, UNFINISHED,
                                  WORDS_N_INPUT, UsageError)
from tf1_examples._files import _checkpoint_dir, _own_checkpoint, latest_checkpoint_path, read_metrics
from tf1_examples.published import BY_NAME


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


def _check_checkpoint(name, folder):
    """--resume: the checkpoint index (TensorFlow's text file `checkpoint`) must parse and name
    files that exist, and the data file must be as long as the .index file says: a damaged or
    incomplete checkpoint is found here, before TensorFlow's import (other damage, such as a
    flipped byte, only shows when TensorFlow reads it: Run.restore)."""
    where = _checkpoint_dir(name, folder)
    hint = "start a new run without --resume"
    try:
        path = latest_checkpoint_path(where)
    except ValueError:
        raise UsageError("--resume: the checkpoint index %s is damaged (not TensorFlow's checkpoint state); %s"
                         % (where / "checkpoint", hint))
    if path is None:
        return                                  # the example reports a missing checkpoint
    path = _own_checkpoint(where, path)
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
