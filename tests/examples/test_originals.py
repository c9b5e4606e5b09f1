"""The four original scripts, byte for byte, start training under `python -m compat`.

Each runs as a real subprocess from ../shared/originals/ until it shows real training progress
(its first log line, or for the SKCompat script the Estimator's first checkpoint), then is
stopped: full-length runs take minutes to half an hour and are recorded in the README instead.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import SHARED

ORIGINALS = SHARED / "originals"

# script, what proves it trains, how long that may take on a busy 2-core machine
CASES = [
    ("lstm_regression.py", "stdout:cost: ", 120),
    ("sin_predict_skcompat.py", "file:Models/model_2/checkpoint", 120),
    ("seq_data_lstm.py", "stdout:Number of iterations: 0 ", 180),
    ("rnn_words.py", "stdout:Iter= 1000, Average Loss=", 240),
]


def _prepare(script, folder):
    if script == "rnn_words.py":
        shutil.copy(str(SHARED / "data" / "belling_the_cat.txt"), str(folder / "Story.txt"))
    if script == "seq_data_lstm.py":
        subprocess.check_call([sys.executable, "-m", "tf1_examples.data.seq_data", str(folder / "seq_data.xlsx")])


@pytest.mark.skipif(not ORIGINALS.is_dir(), reason="../shared/originals is not beside this checkout")
@pytest.mark.parametrize("script,marker,limit", CASES, ids=[c[0] for c in CASES])
def test_original_trains_under_python_m_compat(tmp_path, script, marker, limit):
    _prepare(script, tmp_path)
    kind, _, what = marker.partition(":")
    out_path, err_path = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    env = dict(os.environ, MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="2", PYTHONUNBUFFERED="1")
    with open(str(out_path), "w") as out, open(str(err_path), "w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "compat", str(ORIGINALS / script)], cwd=str(tmp_path),
                                stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        deadline = time.time() + limit
        try:
            while time.time() < deadline and proc.poll() is None:
                seen = what in out_path.read_text() if kind == "stdout" else (tmp_path / what).exists()
                if seen:
                    break
                time.sleep(0.5)
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            proc.wait()
    stdout, stderr = out_path.read_text(), err_path.read_text()
    seen = what in stdout if kind == "stdout" else (tmp_path / what).exists()
    assert seen, "%s showed no training within %d s (exit %s)\nstdout:\n%s\nstderr tail:\n%s" % (
        script, limit, proc.returncode, stdout[-2000:], stderr[-3000:])
    assert "Traceback" not in stderr, stderr[-3000:]
