"""`python -m tf1_examples` as a real subprocess: list and help.

Every kind of bad input (one stderr line, exit 2, nothing changed) is in docs/errors.md's table,
which tests/test_errors.py runs row by row.
"""

import re
import sys

from conftest import run_python


def cli(*args, cwd):
    return run_python(sys.executable, "-m", "tf1_examples", *args, cwd=cwd, timeout=120)


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
