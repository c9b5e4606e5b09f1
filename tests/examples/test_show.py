"""--show: the original's matplotlib windows, seen through a recording backend (tests/support/show_backend.py).

No display exists here, so each run uses MPLBACKEND=module://show_backend: an interactive backend
as far as matplotlib and the examples can tell, which writes what a window would be asked to do
(show, pause) to a log instead of opening one. Real subprocesses, both runtimes. Without a usable
backend --show is bad input (docs/errors.md row 11, tested by tests/test_errors.py).
"""

import json
import os
import sys
from pathlib import Path

import pytest

from conftest import run_python

SUPPORT = Path(__file__).resolve().parents[1] / "support"   # show_backend.py


def run_shown(tmp_path, name, *options, show=True):
    log = tmp_path / "show.log"
    env = {"MPLBACKEND": "module://show_backend", "SHOW_BACKEND_LOG": str(log),
           "PYTHONPATH": os.pathsep.join(p for p in (str(SUPPORT), os.environ.get("PYTHONPATH")) if p)}
    out = tmp_path / "run"
    argv = ["-m", "tf1_examples", "run", name, "--seed", "0", "--out", str(out), "--no-progress"]
    argv += list(options) + (["--show"] if show else [])
    proc = run_python(sys.executable, *argv, cwd=tmp_path, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    events = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return proc, events, out


def test_lstm_regression_animates_in_a_live_window(tmp_path):
    proc, events, out = run_shown(tmp_path, "lstm_regression", "--steps", "3")
    pauses = [e for e in events if e["event"] == "pause"]
    shows = [e for e in events if e["event"] == "show"]
    # the original's plt.ion(); plt.show(), then plt.draw(); plt.pause(0.3) at every step
    assert [p["seconds"] for p in pauses] == [0.3, 0.3, 0.3]
    assert shows and all(s["interactive"] for s in shows)
    assert shows[0]["figures"][0]["points"] == 0            # the empty axes, before the first step
    # each step adds a NaN separator and one 20-point segment to each of the two lines
    assert shows[-1]["figures"][0]["lines"] == 2
    assert shows[-1]["figures"][0]["points"] == 2 * 3 * (1 + 20)
    assert "cost: " in proc.stdout
    # the files of a headless run are written as well
    assert (out / "prediction.png").stat().st_size > 0 and (out / "prediction.gif").stat().st_size > 0


def test_sin_predict_shows_its_plot(tmp_path):
    proc, events, out = run_shown(tmp_path, "sin_predict", "--steps", "20")
    assert [e["event"] for e in events] == ["show"]
    figure = events[0]["figures"][0]
    # predicted and real_sin over the test windows: 1000 points make 1000 - TIMESTEPS - 1 = 989
    assert figure["lines"] == 2 and figure["points"] == 2 * 989
    assert "Mean Square Error is:" in proc.stdout
    assert (out / "sin.png").stat().st_size > 0


def test_seq_data_lstm_shows_its_plot(tmp_path):
    _, events, out = run_shown(tmp_path, "seq_data_lstm", "--steps", "1")
    assert [e["event"] for e in events] == ["show"]
    assert events[0]["figures"][0]["lines"] == 2                    # data and prediction
    assert (out / "prediction.png").stat().st_size > 0


def test_rnn_words_shows_its_accuracy_plot(tmp_path):
    _, events, out = run_shown(tmp_path, "rnn_words", "--quick", "--steps", "400", "--layers", "1")
    assert [e["event"] for e in events] == ["show"]
    figure = events[0]["figures"][0]
    # accuracy and loss over the two display steps (200, 400), on twin axes
    assert figure["lines"] == 2 and figure["points"] == 4
    assert figure["title"] == "rnn_words, 1 layer(s)"
    assert (out / "accuracy.png").stat().st_size > 0


def test_without_show_no_window_opens(tmp_path):
    """The control: the same backend, no --show: the example draws headless (Agg), shows nothing."""
    _, events, out = run_shown(tmp_path, "sin_predict", "--steps", "20", show=False)
    assert events == []
    assert (out / "sin.png").stat().st_size > 0
