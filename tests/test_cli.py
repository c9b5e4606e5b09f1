"""`python -m tf1_examples` as a real subprocess: list, help, and every kind of bad input.

Bad input must end with ONE line on stderr, `tf1_examples: error: <what is wrong>; <what to do>`,
exit status 2, no traceback, and nothing that already existed changed. These checks run before
TensorFlow is imported, so each case takes well under a second.
"""

import hashlib
import json
import re
import sys

import pytest

from conftest import run_python

ERROR = re.compile(r"^tf1_examples: error: [^\n]+; [^\n]+\n$")


def cli(*args, cwd):
    return run_python(sys.executable, "-m", "tf1_examples", *args, cwd=cwd, timeout=120)


def snapshot(folder):
    """{relative path: sha256} of every file below folder."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_usage_error(proc, *fragments):
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-500:], proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    assert ERROR.match(proc.stderr), repr(proc.stderr)
    for fragment in fragments:
        assert fragment in proc.stderr, (fragment, proc.stderr)


@pytest.fixture
def earlier_run(tmp_path):
    """An --out folder holding an (apparently) finished run: must survive bad input untouched."""
    def make(name):
        out = tmp_path / ("earlier_" + name)
        out.mkdir()
        (out / "run.json").write_text(json.dumps({"example": name, "status": "finished", "signature": {}}))
        (out / "metrics.csv").write_text("step,loss\n0,1.5\n")
        (out / "notes.txt").write_text("keep me\n")
        return out
    return make


def test_list(tmp_path):
    proc = cli("list", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("lstm_regression", "sin_predict", "seq_data_lstm", "rnn_words"):
        assert re.search(r"^%s\s" % name, proc.stdout, re.M)
    assert "33.1673" in proc.stdout and "0.009076" in proc.stdout and "95.20%" in proc.stdout
    assert not (tmp_path / "runs").exists()


def test_help(tmp_path):
    proc = cli("run", "rnn_words", "--help", cwd=tmp_path)
    assert proc.returncode == 0
    for flag in ("--steps", "--seed", "--out", "--quick", "--show", "--resume", "--no-progress",
                 "--layers", "--prompt", "--corpus"):
        assert flag in proc.stdout
    assert "--data" in cli("run", "seq_data_lstm", "--help", cwd=tmp_path).stdout


@pytest.mark.parametrize("args, fragment", [
    (["run", "no_such_example"], "unknown example 'no_such_example'"),
    (["run"], "run needs an example name"),
    (["frobnicate"], "unknown command"),
    (["run", "lstm_regression", "--steps", "0"], "--steps"),
    (["run", "lstm_regression", "--steps", "-5"], "--steps"),
    (["run", "lstm_regression", "--steps", "many"], "--steps"),
    (["run", "lstm_regression", "--no-such-flag"], "unrecognized arguments"),
    (["run", "rnn_words", "--layers", "3"], "--layers"),
    (["run", "rnn_words", "--prompt", "had a"], "--prompt"),
    (["run", "rnn_words", "--prompt", "had a xylophone"], "'xylophone' is not in the dictionary"),
    (["run", "sin_predict", "--resume"], "--resume: no earlier run"),
])
def test_bad_arguments(tmp_path, args, fragment):
    proc = cli(*args, cwd=tmp_path)
    assert_usage_error(proc, fragment)
    assert list(tmp_path.iterdir()) == []          # nothing written, not even runs/


@pytest.fixture(scope="module")
def seq_files(tmp_path_factory):
    """One bad --data file of each kind."""
    from tf1_examples.data import seq_data

    tmp_path = tmp_path_factory.mktemp("data")
    files = {}
    files["missing"] = tmp_path / "nope.xlsx"
    files["empty"] = tmp_path / "empty.csv"
    files["empty"].write_text("")
    files["corrupt"] = tmp_path / "corrupt.xlsx"
    files["corrupt"].write_bytes(b"this is not a zip archive\n" * 20)
    files["corrupt_xls"] = tmp_path / "corrupt.xls"
    files["corrupt_xls"].write_bytes(b"\x00\x01garbage" * 50)
    files["text"] = tmp_path / "text.csv"
    files["text"].write_text("word\n" + "".join("w%d\n" % i for i in range(200)))
    files["short"] = tmp_path / "short.csv"
    seq_data.write(files["short"], rows=60)
    files["gaps"] = tmp_path / "gaps.csv"
    files["gaps"].write_text("load,t\n" + "".join("%s,%d\n" % ("" if i % 50 == 0 else i, i) for i in range(300)))
    files["suffix"] = tmp_path / "data.json"
    files["suffix"].write_text("[1, 2, 3]")
    return files


@pytest.mark.parametrize("case, fragment", [
    ("missing", "no such file"),
    ("empty", "the file is empty"),
    ("corrupt", "cannot be read as .xlsx"),
    ("corrupt_xls", "cannot be read as .xls"),
    ("text", "no numeric column"),
    ("short", "60 data rows, seq_data_lstm needs at least 106"),
    ("gaps", "empty or non-numeric cells"),
    ("suffix", "unsupported file type"),
])
def test_bad_data(tmp_path, earlier_run, seq_files, case, fragment):
    data = seq_files[case]
    out = earlier_run("seq_data_lstm")
    before = snapshot(out)
    proc = cli("run", "seq_data_lstm", "--data", str(data), "--out", str(out), cwd=tmp_path)
    assert_usage_error(proc, "--data", fragment)
    assert snapshot(out) == before


@pytest.mark.parametrize("text, fragment", [
    (None, "no such file"),
    ("", "has no words"),
    ("   \n\n  \n", "has no words"),
    ("the cat sat on a", "5 words, rnn_words needs at least 8"),
])
def test_bad_corpus(tmp_path, earlier_run, text, fragment):
    corpus = tmp_path / "story.txt"
    if text is not None:
        corpus.write_text(text)
    out = earlier_run("rnn_words")
    before = snapshot(out)
    proc = cli("run", "rnn_words", "--corpus", str(corpus), "--out", str(out), cwd=tmp_path)
    assert_usage_error(proc, "--corpus", fragment)
    assert snapshot(out) == before


def test_out_is_a_file(tmp_path):
    target = tmp_path / "results.txt"
    target.write_text("precious\n")
    proc = cli("run", "lstm_regression", "--out", str(target), cwd=tmp_path)
    assert_usage_error(proc, "is a file, not a folder")
    assert target.read_text() == "precious\n"


def test_out_holds_something_else(tmp_path, earlier_run):
    out = earlier_run("sin_predict")
    before = snapshot(out)
    proc = cli("run", "lstm_regression", "--out", str(out), cwd=tmp_path)
    assert_usage_error(proc, "holds no earlier lstm_regression run")
    assert snapshot(out) == before


def test_resume_a_different_model(tmp_path):
    """--resume into a run whose checkpoint has other shapes (layers, vocabulary) or belongs to
    another example: refused before anything is touched."""
    from tf1_examples import rnn_words

    out = tmp_path / "words"
    rnn_words.reproduce(["--steps", "2", "--out", str(out), "--no-progress", "--seed", "1"])
    assert (out / "checkpoints" / "checkpoint").is_file()
    before = snapshot(out)

    proc = cli("run", "rnn_words", "--resume", "--out", str(out), "--layers", "1", cwd=tmp_path)
    assert_usage_error(proc, "--resume", "different shape", "layers=2", "layers=1")
    corpus = tmp_path / "other.txt"
    corpus.write_text("a b c d e f g h i j k l\n")
    proc = cli("run", "rnn_words", "--resume", "--out", str(out), "--corpus", str(corpus), cwd=tmp_path)
    assert_usage_error(proc, "--resume", "vocab_size=112", "vocab_size=12")
    proc = cli("run", "lstm_regression", "--resume", "--out", str(out), cwd=tmp_path)
    assert_usage_error(proc, "--resume", "holds a rnn_words run")
    proc = cli("run", "rnn_words", "--resume", "--out", str(tmp_path / "empty_dir"), cwd=tmp_path)
    assert_usage_error(proc, "--resume", "no earlier run")
    assert snapshot(out) == before
