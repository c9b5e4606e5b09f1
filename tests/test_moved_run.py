"""A run folder moved or copied elsewhere resumes from its own checkpoints.

TensorFlow's checkpoint state file (`checkpoint`) holds the paths a Saver was given; absolute
ones point back to where the run was made, so a copied folder would restore the original's files
and a moved one would find none. The runs write it relative (relative_checkpoint_state in
tf1_examples/_files.py), and --resume rewrites a state file written before that. Real runs as
subprocesses, both runtimes: lstm_regression (the example's own Saver) and sin_predict (the
Estimator's Saver and CheckpointSaverHook).
"""

import re
import shutil
import sys

import pytest

from conftest import run_python
from tf1_examples._files import read_metrics

CASES = {"lstm_regression": ("checkpoints", "cost"), "sin_predict": ("Models/model_2", "loss")}


def state_paths(folder):
    text = (folder / "checkpoint").read_text(encoding="utf-8")
    return re.findall(r'(?:model_checkpoint_path|all_model_checkpoint_paths): "([^"]*)"', text)


def run(*args, cwd):
    proc = run_python(sys.executable, "-m", "tf1_examples", "run", *args, "--no-progress", cwd=cwd)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


@pytest.mark.parametrize("name", sorted(CASES))
def test_moved_run_folder_resumes_from_its_own_checkpoints(tmp_path, name):
    where, column = CASES[name]
    original = tmp_path / "original"
    run(name, "--steps", "20", "--seed", "0", "--out", str(original), cwd=tmp_path)
    paths = state_paths(original / where)
    assert paths and not [p for p in paths if p.startswith("/")], paths
    moved = tmp_path / "elsewhere" / "moved"
    moved.parent.mkdir()
    shutil.move(str(original), str(moved))      # nothing is left where the run was made

    run(name, "--resume", "--steps", "10", "--out", str(moved), cwd=tmp_path)
    steps = [r["step"] for r in read_metrics(moved / "metrics.csv") if column in r]
    # the 20 steps before the move, then 10 more from its checkpoint (sin_predict counts from 1)
    first = steps[0]
    assert steps == list(range(first, first + 30))
    assert not [p for p in state_paths(moved / where) if p.startswith("/")]


def test_resume_rewrites_a_state_file_with_absolute_paths(tmp_path):
    """A folder written before the fix (absolute paths) and then moved: --resume puts the paths
    right before TensorFlow reads them."""
    folder = tmp_path / "run"
    run("lstm_regression", "--steps", "20", "--seed", "0", "--out", str(folder), cwd=tmp_path)
    state = folder / "checkpoints" / "checkpoint"
    gone = "/nonexistent/earlier/place/checkpoints/"
    state.write_text(re.sub(r'"(model\.ckpt-\d+)"', lambda m: '"%s%s"' % (gone, m.group(1)),
                            state.read_text(encoding="utf-8")), encoding="utf-8")
    assert gone in state.read_text(encoding="utf-8")

    run("lstm_regression", "--resume", "--steps", "5", "--out", str(folder), cwd=tmp_path)
    assert gone not in state.read_text(encoding="utf-8")
    steps = [r["step"] for r in read_metrics(folder / "metrics.csv")]
    assert steps == list(range(25))
