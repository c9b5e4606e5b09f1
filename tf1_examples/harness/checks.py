"""What prepare() checks before TensorFlow is imported: the run folder (--out, --resume's
run.json and checkpoint, a folder still in use), --init-from, --show and each example's input
(INPUT_CHECKS: --data, --corpus); and, once TensorFlow is loaded, whether a checkpoint fits the
graph (check_fits). Every failure is a UsageError whose message is a row of docs/errors.md.
Imports no TensorFlow (check_show imports matplotlib, for --show only)."""

import json
import os
import platform
import shutil
from pathlib import Path

from compat.regress.report import timestamped_folder
from tf1_examples.harness import checkpoint_index
from tf1_examples.harness.checkpoint_state import checkpoint_dir, latest_checkpoint_path, own_checkpoint
from tf1_examples.harness.errors import UNFINISHED, UsageError
from tf1_examples.harness.metrics_csv import read_metrics
from tf1_examples.registry import BY_NAME, SEQ_BATCH_SIZE, SEQ_ROWS_USED, SEQ_TIME_STEP, WORDS_N_INPUT


def check_show(args):
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


def check_init_from(args, folder):
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


def checkpoint_mismatch(folder, exc):
    """The --resume error for a checkpoint that does not fit; `exc` is TensorFlow's error or, from
    check_fits, the difference in words."""
    first = exc if isinstance(exc, str) else (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
    return ("--resume: the checkpoint in %s does not fit this model (%s); resume with the options it "
            "was trained with, or start a new run without --resume" % (folder, first))


def check_fits(tf, graph, path, folder):
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
            raise UsageError(checkpoint_mismatch(folder, "it has no variable %r" % name))
        if list(shapes[name]) != here:
            raise UsageError(checkpoint_mismatch(folder, "variable %r is %s there, %s here" % (name, list(shapes[name]), here)))


def check_checkpoint(name, folder):
    """--resume: the checkpoint index (TensorFlow's text file `checkpoint`) must parse and name
    files that exist, and the data file must be as long as the .index file says: a damaged or
    incomplete checkpoint is found here, before TensorFlow's import (other damage, such as a
    flipped byte, only shows when TensorFlow reads it: Run.restore)."""
    where = checkpoint_dir(name, folder)
    hint = "start a new run without --resume"
    try:
        path = latest_checkpoint_path(where)
    except ValueError:
        raise UsageError("--resume: the checkpoint index %s is damaged (not TensorFlow's checkpoint state); %s"
                         % (where / "checkpoint", hint))
    if path is None:
        return                                  # the example reports a missing checkpoint
    path = own_checkpoint(where, path)
    prefix = Path(path) if os.path.isabs(path) else where / path
    index = Path(str(prefix) + ".index")
    found = checkpoint_index.extents(index) if index.is_file() else None
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


def check_writable(folder, args):
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


def describe_signature(signature):
    return ", ".join("%s=%s" % kv for kv in sorted(signature.items())) or "unknown"


def run_folder(name, args):
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
    return timestamped_folder(base)


def load_previous(name, folder):
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
    check_not_running(folder, record)
    metrics = read_metrics(folder / "metrics.csv")
    files = {name: (folder / name).read_text(encoding="utf-8") if (folder / name).is_file() else None
             for name in ("run.json", "metrics.csv")}     # put back if the checkpoint does not fit
    return {"run_json": record, "metrics": metrics, "files": files,
            "last_step": metrics[-1]["step"] if metrics else None}


def check_plan(folder, resumed, steps_given):
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


def check_not_running(folder, record):
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


def check_reusable(name, folder):
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
        check_not_running(folder, earlier)
    if example != name:
        raise UsageError("--out %s is not empty and holds no earlier %s run; choose a new or empty "
                         "folder (or --resume to continue a run)" % (folder, name))


def clear_earlier_run(name, folder):
    """Remove what an earlier run of example `name` wrote into `folder` (a fresh run replaces it)."""
    for output in BY_NAME[name].outputs:
        p = folder / output
        if p.is_dir():
            shutil.rmtree(str(p))
        elif p.exists():
            p.unlink()


def check_seq_data(args):
    """--data: the sequence file, read now (None: the generated stand-in); no signature."""
    from tf1_examples.data import DataError, seq_data

    if args.data is None:
        return None, {}    # the example writes the stand-in into the run folder
    # the original uses rows 1..799 and needs more than batch_size windows of time_step + 1 rows
    min_rows = 1 + SEQ_TIME_STEP + 1 + SEQ_BATCH_SIZE + 1
    try:
        return seq_data.read(args.data, min_rows, used=SEQ_ROWS_USED), {}
    except DataError as exc:
        raise UsageError(str(exc))


def check_corpus(args):
    """--corpus and --prompt: the words; the model's shape depends on --layers and the vocabulary."""
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
    return words, {"layers": args.layers, "vocab_size": len(set(words))}


# an example's own input, checked by the check for one of its flags: (data for run.data,
# what fixes its variables' shapes for the run.json signature --resume compares)
INPUT_CHECKS = {"--data": check_seq_data, "--corpus": check_corpus}


def check_input(name, args):
    for flag in BY_NAME[name].flags:
        if flag.flag in INPUT_CHECKS:
            return INPUT_CHECKS[flag.flag](args)
    return None, {}
