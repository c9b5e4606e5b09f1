"""Ctrl-C, kill -9 and --resume: nothing lost (tf1_examples/harness/: training.py, checkpoints.py, interrupt.py).

Ctrl-C: each example runs as a real `python -m tf1_examples run` subprocess; once it is seen
training (stdout, or its first checkpoint), SIGINT. It must stop at a step boundary with exit
130 and one stderr line naming the step, the folder and the command that continues; its
checkpoint must load and metrics.csv hold one row per step done. The printed command then
completes the run (in this process, TensorFlow being imported already) to the planned total, and
a seeded run ends with the same metrics (every row, every figure), printed lines and results as
the same run left alone. sin_predict is the exception, by design: SKCompat restarts its batch
order at every fit() (TF 1.15's behaviour), so there the plan's step count is what carries over.

kill -9: sin_predict's Estimator training is killed at 10 moments drawn from a seeded generator
and resumed each time; after every kill run.json and metrics.csv parse, the newest checkpoint
reads back in full and global_step never goes backwards; the last resume finishes the plan.
"""

import json
import os
import random
import re
import shlex
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import TF1

INTERRUPTED = re.compile(r"^tf1_examples: interrupted at (step|epoch|iteration) (\d+) of (\d+); checkpoint "
                         r"and metrics saved in (.+); continue with: (python -m tf1_examples run .+)$")
ERROR = re.compile(r"^tf1_examples: error: [^\n]+; [^\n]+$")


class Child(object):
    """A real `python -m tf1_examples ...` subprocess, its output collected as it comes (so a full
    pipe never blocks it)."""

    def __init__(self, args, cwd):
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONDONTWRITEBYTECODE="1")
        # SIG_DFL as in a terminal: a shell that started these tests in the background (`cmd &`,
        # as CI scripts do) passes SIGINT down ignored, and the example rightly leaves it so
        self.proc = subprocess.Popen([sys.executable, "-m", "tf1_examples"] + [str(a) for a in args],
                                     cwd=str(cwd), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     universal_newlines=True,
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.out, self.err = [], []
        self._readers = [threading.Thread(target=self._read, args=(stream, lines), daemon=True)
                         for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream, lines):
        for line in stream:
            lines.append(line)

    def wait_for(self, ready, timeout=240):
        deadline = time.time() + timeout
        while not ready(self):
            assert self.proc.poll() is None, "ended (%s) before it was seen training: %s" % (
                self.proc.returncode, "".join(self.err)[-2000:])
            assert time.time() < deadline, "not seen training within %d s" % timeout
            time.sleep(0.02)

    def finish(self, timeout=300):
        code = self.proc.wait(timeout)
        for reader in self._readers:
            reader.join()
        return code, "".join(self.out), "".join(self.err)


def printed(name, stdout):
    """The original's progress lines in an example's stdout."""
    pattern = {"lstm_regression": r"^cost: .*$", "sin_predict": r"^Mean Square Error is:.*$",
               "seq_data_lstm": r"^Number of iterations: .*$", "rnn_words": r"^(Iter= .*|\[.*\] - \[.*)$"}[name]
    return re.findall(pattern, stdout, re.M)


def metrics(folder):
    from tf1_examples.harness.metrics_csv import read_metrics

    return read_metrics(folder / "metrics.csv")


def read_checkpoint(prefix):
    """Every tensor of the checkpoint, read back (TensorFlow checks each one's CRC32C)."""
    import compat.v1 as tf

    reader = tf.train.NewCheckpointReader(prefix)
    return {name: reader.get_tensor(name) for name in reader.get_variable_to_shape_map()}


@pytest.fixture(scope="module")
def small_series(tmp_path_factory):
    """seq_data_lstm input of 130 rows: 4 batches an epoch, so epochs take a fraction of a second."""
    from tf1_examples.data import seq_data

    return seq_data.write(tmp_path_factory.mktemp("seq") / "small.csv", rows=130)


def first_step(name):
    """The `step` of an example's first metrics row: its loop counter, or the 1-based count."""
    return 1 if name in ("sin_predict", "rnn_words") else 0


# name: (options of a seeded run, evidence that it is training, checkpoint folder). Each plan
# leaves well over a second of training after its first sign of life (~10x the sleep before
# SIGINT): a plan that ends within the sleep is a run that finished, not one Ctrl-C stopped (a
# 30-step lstm_regression did so in CI, its 29 steps left taking 0.25 s beside a 0.29 s sleep)
CASES = {
    "lstm_regression": (["--steps", "150"], lambda c: any(l.startswith("cost:") for l in c.out), "checkpoints"),
    "sin_predict": (["--steps", "500"], None, "Models/model_2"),
    "seq_data_lstm": (["--steps", "20"], lambda c: any(l.startswith("Number of iterations: 0") for l in c.out),
                      "checkpoints"),
    # the first display (200 of --quick) is the first sign of life; some more steps, then SIGINT
    "rnn_words": (["--quick", "--steps", "600", "--layers", "1"], lambda c: any(l.startswith("Iter= 200")
                                                                                 for l in c.out), "checkpoints"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_ctrl_c_stops_cleanly_and_resume_completes_the_run(tmp_path, capsys, monkeypatch, small_series, name):
    import compat.v1 as tf

    options, training, ckpt_dir = CASES[name]
    options = options + ["--seed", "7", "--no-progress"]
    if name == "seq_data_lstm":
        options += ["--data", str(small_series)]
    planned = int(options[options.index("--steps") + 1])
    out = tmp_path / "run"
    folder = out.joinpath(*ckpt_dir.split("/"))
    if training is None:    # sin_predict prints nothing while training: its step-0 checkpoint shows it
        def training(c):
            return (folder / "checkpoint").is_file()

    child = Child(["run", name, "--out", out] + options, cwd=tmp_path)
    child.wait_for(training)
    time.sleep(random.Random(name).uniform(0.1, 0.4))       # somewhere between two checkpoints
    child.proc.send_signal(signal.SIGINT)
    code, stdout, stderr = child.finish()

    assert code == 130, stderr[-3000:]
    assert "Traceback" not in stderr
    ours = [l for l in stderr.splitlines() if l.startswith("tf1_examples:")]
    assert len(ours) == 2 and "Ctrl-C again to stop at once" in ours[0], ours
    match = INTERRUPTED.match(ours[1])
    assert match and ours[1] == stderr.splitlines()[-1], stderr[-2000:]
    done, total = int(match.group(2)), int(match.group(3))
    assert match.group(4) == str(out) and total == planned
    assert 0 < done < planned, "stopped midway"
    record = json.loads((out / "run.json").read_text())
    assert (record["status"], record["steps_done"], record["total_steps"]) == ("interrupted", done, planned)
    rows = metrics(out)
    assert [r["step"] for r in rows] == list(range(first_step(name), first_step(name) + done))
    # the checkpoint it names loads, at the step reached
    latest = tf.train.latest_checkpoint(str(folder))
    assert latest is not None and read_checkpoint(latest)
    if name == "sin_predict":
        assert int(read_checkpoint(latest)["global_step"]) == done
    else:
        assert latest.endswith("-%d" % done)

    # the printed command completes the run (here, through the same main() the CLI calls)
    command = shlex.split(match.group(5))
    assert command[:5] == ["python", "-m", "tf1_examples", "run", name]
    from tf1_examples.__main__ import main
    from tf1_examples.harness.cli import reproduce
    from tf1_examples.harness.quiet import VERBOSE_ENV

    monkeypatch.setenv(VERBOSE_ENV, "1")     # in-process: leave pytest's warning filters alone
    capsys.readouterr()
    assert main(command[3:] + ["--no-progress"]) == 0
    resumed_stdout = capsys.readouterr().out
    record = json.loads((out / "run.json").read_text())
    assert (record["status"], record["steps_done"], record["total_steps"]) == ("finished", planned, planned)
    assert record["resumed"] is True and record["previous_runs"][-1]["status"] == "interrupted"
    resumed = metrics(out)
    assert [r["step"] for r in resumed] == list(range(first_step(name), first_step(name) + planned))
    assert resumed[:done] == rows

    # the same seeded run left alone: the same figures. Not for sin_predict: SKCompat draws its
    # batches with a RandomState(42) made anew by every fit() (TF 1.15), so the resumed fit()
    # starts the batch order again (its docstring); the plan's global step is what carries over
    if name == "sin_predict":
        assert record["results"]["global_step"] == planned
    else:
        alone = reproduce(name, options + ["--out", str(tmp_path / "alone")])
        alone_stdout = capsys.readouterr().out
        assert resumed == alone.metrics
        assert printed(name, stdout + resumed_stdout) == printed(name, alone_stdout)
        assert record["results"] == json.loads(json.dumps(alone.results))

    if name not in ("lstm_regression", "sin_predict"):
        return
    # a kill after the last checkpoint, before the results, leaves run.json "running" and the
    # checkpoint at the planned total: --resume has no step left (lstm_regression: no frame to
    # draw; sin_predict: TF 1.15's fit(max_steps) would return before predict() could learn the
    # label shapes) and still ends the run, with the same results
    results = record.pop("results")
    record["status"] = "running"
    (out / "run.json").write_text(json.dumps(record))
    again = reproduce(name, command[5:] + ["--no-progress"])
    assert again.start == again.total == planned and again.metrics == resumed
    assert json.loads(json.dumps(again.results)) == results
    assert json.loads((out / "run.json").read_text())["status"] == "finished"


@pytest.mark.skipif(TF1, reason="run on TF 2.x only, to leave TF 1.15's share of CI's budget to the kill -9 "
                               "test: what it tests is the CLI's Python exception handling, the same on both")
def test_ctrl_c_during_demo_ends_it_like_a_run(tmp_path):
    """`demo` runs the four quick profiles in one process: Ctrl-C during the first one saves it
    and ends the demo with the run's own message and exit 130, not a traceback."""
    child = Child(["demo"], cwd=tmp_path)
    child.wait_for(lambda c: any(l.startswith("cost:") for l in c.out))
    child.proc.send_signal(signal.SIGINT)
    code, stdout, stderr = child.finish()
    assert code == 130 and "Traceback" not in stderr, stderr[-3000:]
    match = INTERRUPTED.match(stderr.splitlines()[-1])
    assert match and "lstm_regression" in match.group(5), stderr[-3000:]
    assert "sin_predict" not in stdout            # the demo ended there
    folder = tmp_path / match.group(4)
    assert json.loads((folder / "run.json").read_text())["status"] == "interrupted"


@pytest.mark.skipif(TF1, reason="run on TF 2.x only, to leave TF 1.15's share of CI's budget to the kill -9 "
                               "test: what it tests is run.loop's Python signal handling, the same on both")
def test_ctrl_c_twice_stops_at_once(tmp_path):
    """The second Ctrl-C does not wait for the step boundary (an epoch of the default data here,
    seconds long; both signals come just after epoch 1's checkpoint): exit 130 at once, with
    metrics.csv and run.json written. Then --resume with another --steps is refused."""
    out = tmp_path / "run"
    child = Child(["run", "seq_data_lstm", "--steps", "5", "--out", out, "--no-progress"], cwd=tmp_path)
    child.wait_for(lambda c: (out / "checkpoints" / "model.ckpt-1.index").is_file())
    child.proc.send_signal(signal.SIGINT)
    child.wait_for(lambda c: any("Ctrl-C again" in l for l in c.err))
    child.proc.send_signal(signal.SIGINT)
    code, stdout, stderr = child.finish()
    assert code == 130 and "Traceback" not in stderr, stderr[-3000:]
    last = stderr.splitlines()[-1]
    assert re.match(r"^tf1_examples: interrupted at once; the last checkpoint \(epoch 1 of 5\) and metrics "
                    r"are in %s; continue with: python -m tf1_examples run seq_data_lstm --resume --out %s$"
                    % (re.escape(str(out)), re.escape(str(out))), last), last
    record = json.loads((out / "run.json").read_text())
    assert (record["status"], record["steps_done"], record["total_steps"]) == ("interrupted", 1, 5)
    assert [r["step"] for r in metrics(out)] == [0]     # epoch 1 was cut short: it is redone
    # --resume of an unfinished run completes its plan: another --steps is bad input
    refused = subprocess.run([sys.executable, "-m", "tf1_examples", "run", "seq_data_lstm", "--resume", "--out",
                              str(out), "--steps", "9"], cwd=str(tmp_path), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, universal_newlines=True)
    assert refused.returncode == 2 and ERROR.match(refused.stderr), refused.stderr
    assert "--resume completes that plan; drop --steps 9" in refused.stderr
    assert json.loads((out / "run.json").read_text()) == record


def test_python_callers_keep_their_sigint_handler(tmp_path):
    """From Python, run.loop's handler is there only while training: the first SIGINT ends the
    run with harness.errors.Interrupted (a KeyboardInterrupt) after its checkpoint; the caller's own
    handler is back afterwards."""
    from tf1_examples.harness.cli import reproduce
    from tf1_examples.harness.errors import Interrupted

    calls = []

    def mine(signum, frame):
        calls.append(signum)

    def interrupt_when_training():
        while signal.getsignal(signal.SIGINT) is mine:      # run.loop swaps in its handler
            time.sleep(0.005)
        os.kill(os.getpid(), signal.SIGINT)

    previous = signal.signal(signal.SIGINT, mine)
    try:
        threading.Thread(target=interrupt_when_training, daemon=True).start()
        with pytest.raises(Interrupted):
            reproduce("lstm_regression", ["--steps", "200", "--seed", "3", "--out", str(tmp_path / "r"),
                                          "--no-progress"])
        assert signal.getsignal(signal.SIGINT) is mine and calls == []
    finally:
        signal.signal(signal.SIGINT, previous)
    record = json.loads((tmp_path / "r" / "run.json").read_text())
    assert record["status"] == "interrupted" and 0 < record["steps_done"] < 200
    assert len(metrics(tmp_path / "r")) == record["steps_done"]


def newest_checkpoint_step(model_dir):
    """The step in the name of the checkpoint TF's state file points to (-1: none yet)."""
    try:
        text = (model_dir / "checkpoint").read_text()
    except OSError:
        return -1
    found = re.search(r'^model_checkpoint_path: ".*-(\d+)"$', text, re.M)
    return int(found.group(1)) if found else -1


@pytest.mark.skipif(not TF1, reason="11 TensorFlow start-ups (~5 s each) fit CI's budget once: on TF 1.15, "
                                    "whose start-up is the faster; its checkpoint files are written by the "
                                    "same TF code as on TF 2.x (Saver, CheckpointSaverHook)")
def test_kill_9_at_random_moments_loses_nothing(tmp_path):
    """Each kill comes at a seeded random moment: while the process starts (TensorFlow's import,
    graph building), or while it trains, a random time after its newest checkpoint reached a
    random step (right after a save, mid-interval, or during the next save). The training per
    process (up to its target, the next checkpoint and 0.4 s) stays below what the rest of the
    plan needs, so no run can finish before its kill."""
    import compat.v1 as tf
    from tf1_examples.harness.estimator_training import CHECKPOINT_EVERY as every

    rng = random.Random(20240607)
    planned = 5 * every
    out = tmp_path / "run"
    model_dir = out / "Models" / "model_2"
    steps, lost, moments = [0], [], []

    def check_intact():
        """What a kill may not break; returns the checkpoint's global_step."""
        try:
            record = json.loads((out / "run.json").read_text())
            rows = metrics(out)
            latest = tf.train.latest_checkpoint(str(model_dir))
            tensors = read_checkpoint(latest)
        except Exception as exc:
            lost.append(repr(exc))
            raise
        step = int(tensors["global_step"])
        assert record["example"] == "sin_predict" and record["status"] == "running"
        assert [r["step"] for r in rows][:step] == list(range(1, step + 1)), "a row up to the checkpoint is lost"
        return step

    def training(child):
        """Past run.loop's start (run.json holds its pid), or for the new run its first checkpoint."""
        try:
            mine = json.loads((out / "run.json").read_text()).get("pid") == child.proc.pid
        except (OSError, ValueError):
            mine = False
        return mine and newest_checkpoint_step(model_dir) >= 0

    for kill in range(10):
        args = ["run", "sin_predict", "--out", out, "--no-progress"]
        child = Child(args + (["--steps", planned] if kill == 0 else ["--resume"]), cwd=tmp_path)
        if kill > 0 and rng.random() < 0.3:
            moments.append("start+%.1fs" % rng.uniform(0.2, 3.0))
            time.sleep(float(moments[-1][6:-1]))
        else:
            target = min(steps[-1] + every * rng.randint(0, 1), planned - 3 * every)
            child.wait_for(lambda c: training(c) and newest_checkpoint_step(model_dir) >= target)
            if kill == 0:   # meanwhile the folder is in use: a second process is refused
                busy = subprocess.run([sys.executable, "-m", "tf1_examples", "run", "sin_predict", "--resume",
                                       "--out", str(out)], cwd=str(tmp_path), stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, universal_newlines=True)
                assert busy.returncode == 2 and ERROR.match(busy.stderr), busy.stderr
                assert "is in use: process %d is still training" % child.proc.pid in busy.stderr
            delay = rng.uniform(0.0, 0.4)
            moments.append("ckpt>=%d+%.2fs" % (target, delay))
            time.sleep(delay)
        child.proc.kill()
        code, _, stderr = child.finish()
        assert code == -signal.SIGKILL, "the run ended before its kill: %s" % stderr[-2000:]
        step = check_intact()
        assert step >= steps[-1], "global_step went backwards"
        steps.append(step)

    child = Child(["run", "sin_predict", "--resume", "--out", out, "--no-progress"], cwd=tmp_path)
    code, stdout, stderr = child.finish()
    assert code == 0, stderr[-3000:]
    record = json.loads((out / "run.json").read_text())
    assert (record["status"], record["steps_done"], record["total_steps"]) == ("finished", planned, planned)
    assert record["results"]["global_step"] == planned and len(printed("sin_predict", stdout)) == 1
    assert [r["step"] for r in metrics(out)] == list(range(1, planned + 1))
    assert int(read_checkpoint(tf.train.latest_checkpoint(str(model_dir)))["global_step"]) == planned
    print("kills survived: 10 (%s), checkpoint step after each: %s, files lost: %d"
          % (", ".join(moments), steps[1:], len(lost)))
