"""An Estimator's faults (docs/errors.md, "Estimator faults"), on both runtimes.

A model_dir holding another model's checkpoint, an input_fn that raises (when called, or while
its Dataset runs), Ctrl-C during train() and kill -9 during train(). On TF 1.15 the tests pin
TF 1.15's own behaviour (its error classes and lines, what model_dir keeps); on TF 2.x compat's,
which keeps TF 1.15's classes and adds: one line under `python -m compat` for another model's
checkpoint, and a checkpoint of the step reached on Ctrl-C. Processes are real subprocesses
(`python -m compat CHILD`), the models tiny.
"""

import os
import re
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from conftest import REPO, TF1, tf
from estimator_helpers import TINY_X as X, tiny_input_fn as input_fn, tiny_model_fn as make_model_fn

DOC = REPO / "docs" / "errors.md"

# The child script: this module's model (from estimator_helpers) under `python -m compat`.
CHILD = '''
import sys
import time

import tensorflow as tf

sys.path.insert(0, %r)
from estimator_helpers import tiny_input_fn as input_fn, tiny_model_fn as make_model_fn


class SayTraining(tf.train.SessionRunHook):
    """Prints TRAINING once a step has run; then each step takes a moment (a real model's step)."""

    def after_run(self, run_context, run_values):
        if not getattr(self, "said", False):
            print("TRAINING", flush=True)
            self.said = True
        time.sleep(0.01)


what, model_dir = sys.argv[1], sys.argv[2]
config = tf.estimator.RunConfig(save_checkpoints_steps=int(sys.argv[3]) if len(sys.argv) > 3 else 100000)
if what == "other_model":   # train model A, then model B (another shape) in the same model_dir
    tf.estimator.Estimator(make_model_fn(1), model_dir, config).train(input_fn, steps=2)
    tf.estimator.Estimator(make_model_fn(2), model_dir, config).train(input_fn, steps=2)
elif what == "long":        # trains until it is killed
    tf.estimator.Estimator(make_model_fn(1), model_dir, config).train(input_fn, hooks=[SayTraining()],
                                                                        steps=10 ** 7)
''' % str(REPO / "tests" / "support")


def estimator(model_dir, units=1, name="w", save_steps=100000):
    config = tf.estimator.RunConfig(save_checkpoints_steps=save_steps)
    return tf.estimator.Estimator(make_model_fn(units, name), str(model_dir), config)


def doc_messages():
    """The section's message forms -> regexes (placeholders -> groups)."""
    text = DOC.read_text(encoding="utf-8").split("## Estimator faults")[1]
    lines = [line for line in text.split("```")[1].splitlines() if line.strip()]
    patterns = {}
    for line in lines:
        pattern = re.escape(line)
        for name in re.findall(r"<[a-z_ ']+>", line):
            pattern = pattern.replace(re.escape(name), "(?P<%s>.+?)" % re.sub(r"\W", "_", name.strip("<>")))
        patterns["interrupted" if "interrupted" in line else "other_model"] = re.compile("^%s$" % pattern)
    return patterns


@pytest.fixture
def child(tmp_path):
    path = tmp_path / "child.py"
    path.write_text(CHILD)
    return path


def checkpoint_step(model_dir):
    """global_step of the newest checkpoint, read back in full (every tensor)."""
    path = tf.train.latest_checkpoint(str(model_dir))
    reader = tf.train.NewCheckpointReader(path)
    for name in reader.get_variable_to_shape_map():
        reader.get_tensor(name)
    return int(reader.get_tensor("global_step"))


# --- another model's checkpoint ---------------------------------------------------------------

@pytest.mark.parametrize("units, name, tf_class, reason", [
    (1, "v", "NotFoundError", "Key v not found in checkpoint"),
    (2, "w", "InvalidArgumentError", "Assign requires shapes of both tensors to match. lhs shape= [3,2] rhs shape= [3,1]"),
])
def test_other_models_checkpoint_raises_tf115s_error(tmp_path, units, name, tf_class, reason):
    estimator(tmp_path).train(input_fn, steps=2)
    before = sorted(os.listdir(str(tmp_path)))
    with pytest.raises(getattr(tf.errors, tf_class)) as info:
        estimator(tmp_path, units, name).train(input_fn, steps=2)
    assert reason in str(info.value)
    if not TF1:   # TF 1.15's reason in one line, and what to do
        assert str(info.value) == ("the checkpoint in %s is another model's (%s); train this model in a new "
                                   "model_dir, or move that folder's checkpoints away to start afresh"
                                   % (tmp_path, reason))
        assert doc_messages()["other_model"].match("compat: error: x.py:1: " + str(info.value))
    assert sorted(os.listdir(str(tmp_path))) == before
    assert checkpoint_step(tmp_path) == 2


@pytest.mark.skipif(TF1, reason="on TF 1.15 compat is TensorFlow itself: the error is TF's multi-line one")
def test_other_models_checkpoint_is_one_line_under_python_m_compat(tmp_path, child, capsys, monkeypatch):
    """`python -m compat CHILD` run in this process (compat.__main__.main, as the command calls it:
    TensorFlow's import is already paid)."""
    from compat.__main__ import main

    monkeypatch.setattr(sys, "argv", list(sys.argv))
    monkeypatch.setattr(sys, "path", list(sys.path))
    # main() runs compat.install(): its `import tensorflow` routing and TF1_COMPAT must not outlive this test
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.delenv("TF1_COMPAT", raising=False)
    modules = {name: module for name, module in sys.modules.items() if name.partition(".")[0] == "tensorflow"}
    try:
        code = main([str(child), "other_model", str(tmp_path / "model")])
    finally:
        for name in [n for n in sys.modules if n.partition(".")[0] == "tensorflow" and n not in modules]:
            del sys.modules[name]
        sys.modules.update(modules)
    lines = capsys.readouterr().err.splitlines()
    assert code == 2
    match = doc_messages()["other_model"].match(lines[-1])
    assert match, lines[-1]
    assert [line for line in lines if line.startswith("compat:")] == [lines[-1]]
    assert match.group("script") == str(child) and match.group("model_dir") == str(tmp_path / "model")
    assert checkpoint_step(tmp_path / "model") == 2


# --- an input_fn that raises --------------------------------------------------------------------

def test_input_fn_that_raises_propagates_and_writes_nothing(tmp_path):
    def broken_input_fn():
        raise IOError("cannot read train.tfrecord")
    model_dir = tmp_path / "model"
    with pytest.raises(IOError, match="cannot read train.tfrecord"):
        estimator(model_dir).train(broken_input_fn, steps=2)
    assert not model_dir.exists()


def test_dataset_failing_mid_training_keeps_the_last_checkpoint(tmp_path):
    """Step 6's batch raises: TF's error, model_dir keeps checkpoint 4 (no save at the failure),
    which loads and resumes."""
    def failing_input_fn():
        def check(i):
            if i == 5:
                raise ValueError("row 5 is damaged")
            return np.float32(i)
        steps = tf.data.Dataset.range(100).map(lambda i: tf.py_func(check, [i], tf.float32))
        return steps.map(lambda i: (X + 0 * i, np.ones([4, 1], np.float32)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="row 5 is damaged"):
        estimator(tmp_path, save_steps=2).train(failing_input_fn, steps=20)
    assert checkpoint_step(tmp_path) == 4
    estimator(tmp_path, save_steps=2).train(input_fn, steps=2)
    assert checkpoint_step(tmp_path) == 6


# --- processes stopped: Ctrl-C, kill -9 -----------------------------------------------------------

def start_training(child, model_dir, save_steps):
    proc = subprocess.Popen([sys.executable, "-m", "compat", str(child), "long", str(model_dir), str(save_steps)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                            env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    deadline = time.time() + 120
    for line in proc.stdout:   # wait until it really trains
        if line.strip() == "TRAINING" or time.time() > deadline:
            break
    time.sleep(0.5)
    return proc


class CtrlCAtStep(tf.train.SessionRunHook):
    """Sends this process a real SIGINT after step 3, as a terminal's Ctrl-C does."""

    def after_run(self, run_context, run_values):
        self.steps = getattr(self, "steps", 0) + 1
        if self.steps == 3:
            os.kill(os.getpid(), signal.SIGINT)


def test_ctrl_c_during_train_saves_the_step_and_resumes(tmp_path):
    """compat: the step reached is saved, then KeyboardInterrupt with the doc's line (uncaught,
    Python ends the process by SIGINT: 130 in a shell). TF 1.15 saves nothing at Ctrl-C: its
    checkpoint of step 0 remains. Either way the same training resumes."""
    handler = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt) as info:
        estimator(tmp_path).train(input_fn, hooks=[CtrlCAtStep()], steps=10 ** 6)
    assert signal.getsignal(signal.SIGINT) is handler
    step = checkpoint_step(tmp_path)
    if TF1:
        assert step == 0
    else:
        assert step in (3, 4)   # the handler runs once the step's session.run has returned
        match = doc_messages()["interrupted"].match(str(info.value))
        assert match and match.group("checkpoint") == str(tmp_path / ("model.ckpt-%d" % step)), str(info.value)
    estimator(tmp_path).train(input_fn, steps=3)
    assert checkpoint_step(tmp_path) == step + 3


def test_kill_9_during_train_leaves_a_loadable_model_dir(tmp_path, child):
    """Killed while it saves every step: the newest checkpoint reads back in full and training
    resumes from it."""
    model_dir = tmp_path / "model"
    proc = start_training(child, model_dir, save_steps=1)
    time.sleep(1.0)
    proc.kill()
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    step = checkpoint_step(model_dir)
    assert step > 0
    resumed = estimator(model_dir)
    resumed.train(input_fn, steps=2)
    assert checkpoint_step(model_dir) == step + 2
    assert resumed.evaluate(input_fn, steps=1)["global_step"] == step + 2


@pytest.mark.skipif(TF1, reason="compat's graceful Ctrl-C: TF 1.15's Estimator saves nothing "
                                "(test_ctrl_c_during_train_saves_the_step_and_resumes shows both)")
def test_ctrl_c_under_python_m_compat_is_one_line_and_exit_130(tmp_path, child):
    """A terminal's Ctrl-C to `python -m compat SCRIPT` while an Estimator trains: the step
    reached is saved, the doc's line comes as compat's one line (no traceback), exit status 130."""
    model_dir = tmp_path / "model"
    proc = start_training(child, model_dir, save_steps=1000)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("compat: ") and doc_messages()["interrupted"].match(last[len("compat: "):]), err
    assert checkpoint_step(model_dir) > 0
