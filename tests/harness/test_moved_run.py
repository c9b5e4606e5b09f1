"""A run folder moved or copied elsewhere resumes from its own checkpoints.

TensorFlow's checkpoint state file (`checkpoint`) holds the paths a Saver was given; absolute
ones point back to where the run was made, so a copied folder would restore the original's files
and a moved one would find none. The runs write it relative (relative_checkpoint_state in
tf1_examples/harness/checkpoint_state.py), and --resume rewrites a state file written before that. Real runs as
subprocesses, both runtimes: lstm_regression (the example's own Saver) and sin_predict (the
Estimator's Saver and CheckpointSaverHook).
"""

import re
import shutil
import sys

import pytest

from conftest import run_python
from tf1_examples.harness.metrics_csv import read_metrics

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


def test_state_file_reader_agrees_with_tensorflow(tmp_path):
    """read_checkpoint_state / latest_checkpoint_path / relative_checkpoint_state on state files
    a real Saver wrote: the same latest checkpoint as TensorFlow's own reader, and after the
    rewrite TensorFlow finds the same (existing) checkpoints by relative names; a file that is
    not a checkpoint state is refused and left as it was."""
    import os

    import compat.v1 as tf
    from tf1_examples.harness.checkpoint_state import latest_checkpoint_path, read_checkpoint_state, relative_checkpoint_state

    folder = tmp_path / "ckpt"
    with tf.Graph().as_default():
        tf.Variable(1.0, name="v")
        saver = tf.train.Saver(max_to_keep=2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step in (1, 2, 3):
                saver.save(sess, str(folder / "model.ckpt"), global_step=step)
    state = tf.train.get_checkpoint_state(str(folder))
    assert latest_checkpoint_path(folder) == state.model_checkpoint_path == str(folder / "model.ckpt-3")
    fields = [m.group(2) for m in read_checkpoint_state(folder)]
    assert fields[0] == "model_checkpoint_path" and fields.count("all_model_checkpoint_paths") == 2

    relative_checkpoint_state(folder)
    assert latest_checkpoint_path(folder) == "model.ckpt-3"
    after = tf.train.get_checkpoint_state(str(folder))
    assert list(after.all_model_checkpoint_paths) == list(state.all_model_checkpoint_paths)
    assert list(after.all_model_checkpoint_timestamps) == list(state.all_model_checkpoint_timestamps)
    assert os.path.isfile(tf.train.latest_checkpoint(str(folder)) + ".index")

    assert latest_checkpoint_path(tmp_path / "none") is None
    for damaged in ('model_checkpoint_path: "a"\nmodel_checkpoint_path: "b"\n', "model_checkpoint_path: a\n",
                    "not a state\n", ""):
        (folder / "checkpoint").write_text(damaged)
        with pytest.raises(ValueError):
            read_checkpoint_state(folder)
        relative_checkpoint_state(folder)
        assert (folder / "checkpoint").read_text() == damaged
