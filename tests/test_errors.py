"""Every row of docs/errors.md, run for real: the doc's table IS this test's table.

Each row's command is run as a real subprocess of this runtime's python (`python` -> sys.executable)
with the <placeholders> replaced by paths the test builds in tmp_path: real files (a truncated
.xlsx workbook, Latin-1 text, ...) and, for --resume, copies of real short rnn_words runs. Each
row must end with its documented exit status and exactly its documented message (placeholders
replaced by the same paths), no traceback, stderr one line (rows marked † fail after
TensorFlow's import, whose own start-up lines may come first: the message is then the last
line and the only one with the prefix), and the working folder, which holds every output
folder and a sentinel file, unchanged to the byte.

The NaN guard (the doc's "Training diverged" section, whose two message forms are read from the
doc too) is tested at the end: a real lstm_regression run resumed in a subprocess with its
learning rate raised until it really diverges, a fresh one that diverges before its first
checkpoint, and sin_predict's Estimator fed NaN targets.
"""

import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, TF1, run_python

DOC = REPO / "docs" / "errors.md"
SENTINEL = "keep-me.txt"


# --- the table ------------------------------------------------------------------------------

def _code(cell):
    """`text` or ``text with `backticks` `` -> text."""
    cell = cell.strip()
    ticks = len(cell) - len(cell.lstrip("`"))
    assert ticks and cell.endswith("`" * ticks), "not a code cell: %r" % cell
    return cell[ticks:-ticks].strip()


def read_table(text=None):
    """docs/errors.md's table -> [{number, tf, what, command, message, exit}]."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) != 5 or not re.match(r"^\d+†?$", cells[0]):
            continue
        rows.append(dict(number=int(cells[0].rstrip("†")), tf=cells[0].endswith("†"), what=cells[1],
                         command=_code(cells[2]), message=_code(cells[3]), exit=int(cells[4])))
    return rows


ROWS = read_table()


def test_the_table_is_complete():
    """Numbered 1..n, at least 20 rows, every placeholder has a builder below and every builder
    a row, every message has the project's form."""
    assert [r["number"] for r in ROWS] == list(range(1, len(ROWS) + 1))
    assert len(ROWS) >= 20
    used = set()
    for row in ROWS:
        names = set(re.findall(r"<[^>]+>", row["command"] + row["message"]))
        assert names <= set(BUILDERS), "row %d: no builder for %s" % (row["number"], names - set(BUILDERS))
        used |= names
        assert row["command"].startswith("python -m ")
        assert re.match(r"^(tf1_examples|compat): error: .+; .+$", row["message"]), row["message"]
    assert used == set(BUILDERS)


# --- the situations: one builder per placeholder ----------------------------------------------

def _workbook(path, values, times=False):
    """A real .xlsx written by pandas/openpyxl: a "load" column, after a text "time" column."""
    import pandas as pd
    from collections import OrderedDict

    columns = OrderedDict([("time", ["%02d:%02d" % divmod(15 * i % 1440, 60) for i in range(len(values))])]
                          if times else [])
    columns["load"] = values
    pd.DataFrame(columns).to_excel(str(path), index=False, engine="openpyxl")
    return path


def _text(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def _corrupt_workbook(ctx, path):
    """A real workbook cut in half (a download that stopped): for .xlsx its zip directory is gone."""
    from tf1_examples.data import seq_data

    data = seq_data.write(path).read_bytes()
    path.write_bytes(data[:len(data) // 2])
    return path


def _read_only(ctx, path):
    path.mkdir()
    (path / SENTINEL).write_text("precious\n")
    path.chmod(0o555)
    ctx.cleanups.append(lambda: path.chmod(0o755))
    if os.access(str(path), os.W_OK):      # root ignores the mode bits: make the folder immutable
        if shutil.which("chattr") and subprocess.call(["chattr", "+i", str(path)], stderr=subprocess.DEVNULL) == 0:
            ctx.cleanups.insert(0, lambda: subprocess.call(["chattr", "-i", str(path)]))
    if os.access(str(path), os.W_OK):
        pytest.skip("cannot make a folder read-only here (root, and no `chattr +i`): the check in "
                    "prepare() relies on os.access, which a root process always passes")
    return path


def _run_copy(variant):
    """A copy of the module's real rnn_words run, damaged as `variant` says."""
    def build(ctx, path):
        runs = ctx.trained()
        # hard links: a checkpoint is 13 MB; a file the test changes is replaced, never edited
        shutil.copytree(str(runs["words"]), str(path), copy_function=os.link)
        checkpoints = path / "checkpoints"
        if variant == "other_model":       # the checkpoint of a model with another vocabulary
            shutil.rmtree(str(checkpoints))
            shutil.copytree(str(runs["small"] / "checkpoints"), str(checkpoints), copy_function=os.link)
        (path / SENTINEL).write_text("notes on this run\n")
        prefix = _latest_prefix(checkpoints)
        if variant == "truncated":       # a copy or a disk that stopped halfway
            data = Path(prefix + ".data-00000-of-00001")
            half = data.read_bytes()[:data.stat().st_size // 2]
            data.unlink()
            data.write_bytes(half)
        elif variant == "bad_index":
            (checkpoints / "checkpoint").unlink()
            (checkpoints / "checkpoint").write_text("<html>Service unavailable</html>\n")
        elif variant == "no_data":
            Path(prefix + ".data-00000-of-00001").unlink()
        elif variant == "no_checkpoint":    # a finished run whose checkpoints were deleted
            shutil.rmtree(str(checkpoints))
            checkpoints.mkdir()
        elif variant == "bad_position":     # the data position saved beside the checkpoint, edited
            _replace(Path(prefix + ".position.json"), '{"offset": 12, "random": [3, [')
        elif variant in ("in_use", "interrupted"):
            record = json.loads((path / "run.json").read_text())
            if variant == "in_use":         # "running" for a live process on this machine: this test's
                record.update(status="running", pid=os.getpid(), host=platform.node())
            else:                           # stopped after 1 of its 2 steps
                record.update(status="interrupted", steps_done=1)
            _replace(path / "run.json", json.dumps(record))
        return path
    return build


def _replace(path, text):
    """Write `text` as a new file (the copy's files are hard links to the module's real run)."""
    path.unlink()
    path.write_text(text)


def _latest_prefix(checkpoints):
    line = [l for l in (checkpoints / "checkpoint").read_text().splitlines()
            if l.startswith("model_checkpoint_path:")][0]
    name = line.split('"')[1]
    return name if os.path.isabs(name) else str(checkpoints / name)


def _executable(path, text):
    _text(path, text).chmod(0o755)
    return path


def _missing(ctx, path):
    return path


def _folder(ctx, path):
    path.mkdir()
    return path


def _new_run_folder(ctx, path):
    return path        # does not exist: the command would create it


def _holds_other_files(ctx, path):
    path.mkdir()
    (path / SENTINEL).write_text("my thesis, not a run\n")
    return path


def _a_file(ctx, path):
    return _text(path, "precious\n")


def _refused_url():
    """An http URL of a localhost port nothing listens on: a download fails as when offline."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return "http://127.0.0.1:%d/" % probe.getsockname()[1]


def _mnist_truncated(ctx, path):
    from mnist_files import FILES, write_mnist

    write_mnist(path, train=3, test=2, rows=4, cols=4)
    images = path / FILES[0]
    images.write_bytes(images.read_bytes()[:-20])
    return path


def _reads_mnist(path, folder, url="https://storage.googleapis.com/cvdf-datasets/mnist/"):
    return _text(path, "from tensorflow.examples.tutorials.mnist import input_data\n\n"
                       "mnist = input_data.read_data_sets(%r, one_hot=True, source_url=%r)\n" % (folder, url))


# name -> (where: "in" = an input folder outside the working folder, "cwd" = in it, builder)
BUILDERS = {
    "<out>": ("cwd", _new_run_folder),
    "<file.txt>": ("cwd", _a_file),
    "<read_only>": ("cwd", _read_only),
    "<my_thesis>": ("cwd", _holds_other_files),
    "<missing.xlsx>": ("in", _missing),
    "<folder>": ("in", _folder),
    "<empty.csv>": ("in", lambda ctx, p: _text(p, "")),
    "<corrupt.xlsx>": ("in", _corrupt_workbook),
    "<corrupt.xls>": ("in", _corrupt_workbook),
    "<series.json>": ("in", lambda ctx, p: _text(p, "[1, 2, 3]\n")),
    "<header_only.xlsx>": ("in", lambda ctx, p: _workbook(p, [])),
    "<names.csv>": ("in", lambda ctx, p: _text(p, "name\n" + "".join("sensor%d\n" % i for i in range(200)))),
    # a typo makes pandas read "load" as text: the numeric "hour" after it must not be taken instead
    "<typo.csv>": ("in", lambda ctx, p: _text(p, "load,hour\n" + "".join(
        ("12;5,%d\n" if i == 150 else "%d.5,%%d\n" % (i % 40)) % (i // 4 % 24) for i in range(300)))),
    # empty load cells beside their time stamps (a row left wholly empty is dropped by pandas 1.1)
    "<gaps.xlsx>": ("in", lambda ctx, p: _workbook(p, [float("nan") if i in (20, 21, 90) else i % 30
                                                       for i in range(300)], times=True)),
    "<inf.csv>": ("in", lambda ctx, p: _text(p, "load\n" + "".join(
        ("inf\n" if i == 250 else "%d\n" % (i % 17)) for i in range(300)))),
    "<constant.xlsx>": ("in", lambda ctx, p: _workbook(p, [42.0] * 900 + [41.0, 43.0])),
    "<short.csv>": ("in", lambda ctx, p: __import__("tf1_examples.data.seq_data", fromlist=["write"]).write(p, rows=60)),
    "<missing.txt>": ("in", _missing),
    "<empty.txt>": ("in", lambda ctx, p: _text(p, "\n  \n")),
    "<five_words.txt>": ("in", lambda ctx, p: _text(p, "the mice held a council\n")),
    "<latin1.txt>": ("in", lambda ctx, p: (p.write_bytes(
        "Les souris tinrent conseil. Il fut décidé qu'on mettrait une clochette au chat.\n"
        .encode("latin-1")), p)[1]),
    "<small.txt>": ("in", lambda ctx, p: _text(p, "a b c d e f g h i j k l\n")),
    "<words_run>": ("cwd", _run_copy(None)),
    "<words_run_other_model>": ("cwd", _run_copy("other_model")),
    "<words_run_truncated>": ("cwd", _run_copy("truncated")),
    "<words_run_bad_index>": ("cwd", _run_copy("bad_index")),
    "<words_run_no_data>": ("cwd", _run_copy("no_data")),
    "<words_run_no_checkpoint>": ("cwd", _run_copy("no_checkpoint")),
    "<words_run_bad_position>": ("cwd", _run_copy("bad_position")),
    "<words_run_in_use>": ("cwd", _run_copy("in_use")),
    "<words_run_interrupted>": ("cwd", _run_copy("interrupted")),
    "<pid>": ("cwd", lambda ctx, p: os.getpid()),
    "<damaged_record>": ("cwd", lambda ctx, p: (_folder(ctx, p), _text(p / "run.json", '{"example": "rnn_w'))[0]),
    "<missing.py>": ("in", _missing),
    "<missing_compiler>": ("in", _missing),
    "<failing_compiler>": ("in", lambda ctx, p: _executable(p, "#!/bin/sh\necho 'error: this compiler always fails' >&2\nexit 1\n")),
    "<uses_slim.py>": ("in", lambda ctx, p: _text(p, "import tensorflow as tf\n\nslim = tf.contrib.slim\n")),
    "<mnist_missing>": ("in", _missing),
    "<refused_url>": ("in", lambda ctx, p: _refused_url()),
    "<mnist_truncated>": ("in", _mnist_truncated),
    "<reads_mnist_offline.py>": ("in", lambda ctx, p: _reads_mnist(p, ctx.build("<mnist_missing>"),
                                                                   ctx.build("<refused_url>"))),
    "<reads_mnist_truncated.py>": ("in", lambda ctx, p: _reads_mnist(p, ctx.build("<mnist_truncated>"))),
}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Two real short rnn_words runs (in this process: TensorFlow is already imported): one on
    the shipped corpus (vocabulary 112), one on a 12-word text (another output layer shape).
    --layers 1: a third of the checkpoint and of the start-up cost of --layers 2."""
    from tf1_examples.harness.cli import reproduce

    base = tmp_path_factory.mktemp("trained")
    small = _text(base / "small.txt", "a b c d e f g h i j k l\n")
    common = ["--steps", "2", "--seed", "1", "--no-progress", "--layers", "1"]
    reproduce("rnn_words", common + ["--out", str(base / "words")])
    reproduce("rnn_words", common + ["--out", str(base / "small"), "--corpus", str(small)])
    return {"words": base / "words", "small": base / "small"}


class Context(object):
    def __init__(self, tmp_path, request):
        self.cwd = tmp_path / "work"
        self.inputs = tmp_path / "inputs"
        self.cwd.mkdir()
        self.inputs.mkdir()
        (self.cwd / SENTINEL).write_text("the working folder: nothing here may change\n")
        self.cleanups = []
        self.paths = {}
        self._request = request

    def trained(self):
        return self._request.getfixturevalue("trained")

    def build(self, name):
        if name not in self.paths:
            where, builder = BUILDERS[name]
            folder = self.cwd if where == "cwd" else self.inputs
            self.paths[name] = str(builder(self, folder / name.strip("<>")))
        return self.paths[name]

    def fill(self, text):
        return re.sub(r"<[^>]+>", lambda m: self.build(m.group(0)), text)


def snapshot(folder):
    """{relative path: sha256 of the file, or "dir"} for everything below folder."""
    return {str(p.relative_to(folder)): ("dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*"))}


def command_argv(command, ctx):
    words = shlex.split(command)
    assert words[0] == "python"
    return [ctx.fill(w) for w in words[1:]]


@pytest.fixture
def context(tmp_path, request):
    ctx = Context(tmp_path, request)
    yield ctx
    for undo in ctx.cleanups:
        undo()


@pytest.mark.parametrize("row", ROWS, ids=["%d" % r["number"] for r in ROWS])
def test_row(row, context):
    if TF1 and "TF 2.x)" in row["what"]:
        pytest.skip("on TF 1.15 compat is TensorFlow itself: every TF 1.x name exists, its errors are TF's")
    argv = command_argv(row["command"], context)
    expected = context.fill(row["message"])
    before = snapshot(context.cwd)
    # Agg as on a machine without a display (the --show row), wherever the suite runs
    proc = run_python(sys.executable, *argv, cwd=context.cwd, timeout=300, env={"MPLBACKEND": "Agg"})
    lines = proc.stderr.splitlines()
    assert proc.returncode == row["exit"], (proc.returncode, proc.stderr[-3000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    if row["tf"]:
        prefix = expected.split(":")[0] + ":"
        assert [l for l in lines if l.startswith(prefix)] == [expected], proc.stderr[-3000:]
        assert lines[-1] == expected
    else:
        assert lines == [expected], proc.stderr
    assert snapshot(context.cwd) == before, "the command changed files in the working folder"


# --- training diverged (not bad input: exit 1) ---------------------------------------------------

def diverged_patterns():
    """The doc's two message forms -> regexes (placeholders -> groups)."""
    text = DOC.read_text(encoding="utf-8").split("## Not bad input: training diverged")[1]
    lines = [l for l in text.split("```")[1].splitlines() if l.strip()]
    assert len(lines) == 2
    groups = {"<column>": r"(?P<column>\w+)", "<value>": r"(?P<value>nan|inf|-inf)", "<N>": r"(?P<step>\d+)",
              "<M>": r"(?P<kept>\d+)", "<dir>": r"(?P<dir>.+)"}
    patterns = []
    for line in lines:
        pattern = re.escape(line)
        for name, group in groups.items():
            pattern = pattern.replace(re.escape(name), group)
        patterns.append(re.compile("^%s$" % pattern))
    return patterns


DIVERGE = textwrap.dedent('''
    import sys
    from tf1_examples import lstm_regression
    from tf1_examples.harness import cli
    lstm_regression.LR = 1e30    # Adam moves every weight by ~LR in one step: the cost overflows
    sys.exit(cli.main("lstm_regression", sys.argv[1:]))
''')


def test_diverged_run_stops_and_keeps_the_good_checkpoint(tmp_path):
    """A real run (3 steps, its checkpoint model.ckpt-3), resumed with the learning rate raised
    until it really diverges: the message names the NaN step and the good checkpoint, which is
    left as it was; no checkpoint of the NaN model is written."""
    from tf1_examples.harness.cli import reproduce
    from tf1_examples.harness.metrics_csv import read_metrics

    out = tmp_path / "run"
    reproduce("lstm_regression", ["--steps", "3", "--seed", "1", "--out", str(out), "--no-progress"])
    checkpoints = out / "checkpoints"
    before = snapshot(checkpoints)
    assert any(name.endswith(".index") for name in before)

    proc = run_python(sys.executable, "-c", DIVERGE, "--resume", "--steps", "20", "--out", str(out),
                      "--no-progress", cwd=tmp_path, timeout=300)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    lines = [l for l in proc.stderr.splitlines() if l.startswith("tf1_examples:")]
    assert len(lines) == 1 and lines[0] == proc.stderr.splitlines()[-1], proc.stderr[-3000:]
    match = diverged_patterns()[0].match(lines[0])
    assert match, lines[0]
    rows = read_metrics(out / "metrics.csv")
    first_bad = [r for r in rows if not isinstance(r["cost"], float) or r["cost"] != r["cost"]
                 or abs(r["cost"]) == float("inf")][0]
    assert match.group("column") == "cost" and int(match.group("step")) == first_bad["step"] > 3
    assert rows[-1] is first_bad, "training stopped at the first non-finite cost"
    assert match.group("kept") == "3" and match.group("dir") == str(checkpoints)
    assert snapshot(checkpoints) == before, "the good checkpoint is untouched, no NaN one was saved"
    record = __import__("json").loads((out / "run.json").read_text())
    assert record["status"] == "diverged"
    assert record["results"]["diverged"]["step"] == first_bad["step"]


def test_diverged_before_any_checkpoint(tmp_path, monkeypatch):
    """From Python: reproduce() raises Diverged; with no checkpoint yet the message says so."""
    from tf1_examples import lstm_regression
    from tf1_examples.harness.cli import reproduce
    from tf1_examples.harness.errors import Diverged, error_line

    monkeypatch.setattr(lstm_regression, "LR", 1e30)
    out = tmp_path / "run"
    with pytest.raises(Diverged) as info:
        reproduce("lstm_regression", ["--steps", "10", "--seed", "1", "--out", str(out), "--no-progress"])
    line = error_line(info.value)
    match = diverged_patterns()[1].match(line)
    assert match, line
    assert int(match.group("step")) == info.value.step <= 3 and info.value.checkpoint is None
    assert not list((out / "checkpoints").glob("*.index"))
    record = __import__("json").loads((out / "run.json").read_text())
    assert record["status"] == "diverged"


def test_restore_refuses_a_checkpoint_with_a_flipped_byte(tmp_path, graph, session):
    """Damage that keeps the data file's length passes prepare()'s check (tested above); TensorFlow's
    checksum finds it at restore, which checkpoints.restore turns into the one-line --resume error."""
    import compat.v1 as tf
    from tf1_examples.harness import checkpoints
    from tf1_examples.harness.cli import prepare
    from tf1_examples.harness.errors import UsageError

    tf.get_variable("w", [64, 64])
    saver = tf.train.Saver()
    session.run(tf.global_variables_initializer())
    prefix = saver.save(session, str(tmp_path / "ckpt" / "model.ckpt"))
    data = Path(prefix + ".data-00000-of-00001")
    raw = bytearray(data.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    data.write_bytes(bytes(raw))
    run = prepare("lstm_regression", ["--out", str(tmp_path / "run")])
    with pytest.raises(UsageError) as info:
        checkpoints.restore(run, saver, session, prefix)
    assert str(info.value) == ("--resume: the checkpoint %s is damaged (its data cannot be read in full); "
                               "start a new run without --resume" % prefix)


def test_diverged_estimator_keeps_its_step_0_checkpoint(tmp_path, monkeypatch):
    """sin_predict logs from a SessionRunHook inside the Estimator's fit(): NaN targets turn the
    loss NaN at the first step; the Estimator's own step-0 checkpoint is the last good one, and
    no later checkpoint is written."""
    import numpy as np
    from tf1_examples import sin_predict
    from tf1_examples.harness.cli import reproduce
    from tf1_examples.harness.errors import Diverged, error_line

    real = sin_predict.generate_data

    def nan_targets(seq):
        X, y = real(seq)
        return X, np.full_like(y, np.nan)

    monkeypatch.setattr(sin_predict, "generate_data", nan_targets)
    out = tmp_path / "run"
    with pytest.raises(Diverged) as info:
        reproduce("sin_predict", ["--steps", "20", "--seed", "1", "--out", str(out), "--no-progress"])
    match = diverged_patterns()[0].match(error_line(info.value))
    assert match, error_line(info.value)
    model_dir = out / "Models" / "model_2"
    assert (match.group("column"), match.group("value"), match.group("step"), match.group("kept")) == \
        ("loss", "nan", "1", "0")
    assert match.group("dir") == str(model_dir)
    assert sorted(p.name for p in model_dir.glob("*.index")) == ["model.ckpt-0.index"]
