"""`python -m compat compare SCRIPT.py` for real: seeding, the four originals end to end (steps
cut by a sed on a copy), negative controls that must be reported as different, timeouts,
Ctrl-C and bad input. Detection, rules and verdicts on their own: test_compare_metrics.py.

The end-to-end compares start children of both runtimes themselves, so they run once, from the
modern runtime's pytest; seeding, detection and bad input run on both."""

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from compat.regress.rules import FAIL
from conftest import RUNTIME, SHARED, run_python

PYTHON = Path(sys.executable)
ORIGINALS = SHARED / "originals"
ERROR = "compat: error: "
modern_only = pytest.mark.skipif(RUNTIME != "modern", reason="starts both runtimes' children itself: run once, "
                                 "from the modern runtime's tests")


def compare(*args, cwd, timeout=600, env=None):
    return run_python(PYTHON, "-m", "compat", "compare", *args, cwd=str(cwd), timeout=timeout, env=env)


def report_of(out):
    return json.loads((Path(out) / "report.json").read_text(encoding="utf-8"))


def per_seed(report, metric, runtime):
    case = [c for c in report["cases"] if c["case"] == metric][0]
    return [r["final"] for r in case["runs"][runtime]]


# --- seeding (both runtimes: on TF 1.15 through compat's pass-through) --------------------------

SEEDED = '''import random, sys
import numpy as np
import tensorflow as tf
if "own" in sys.argv:
    tf.set_random_seed(7)
print("draw: %.6f" % tf.Session().run(tf.random_normal([])))
with tf.Graph().as_default():
    print("second graph: %.6f" % tf.Session().run(tf.random_uniform([])))
print("numpy: %.6f" % np.random.rand())
print("random: %.6f" % random.random())
'''


@pytest.fixture(scope="module")
def seeded_runs(tmp_path_factory):
    """The same compare twice (2 seeds, this runtime), and once with the script's own seed."""
    folder = tmp_path_factory.mktemp("seeded")
    (folder / "seeded.py").write_text(SEEDED)
    runs = []
    for name, extra in (("first", []), ("second", []), ("own", ["--seeds", "1", "--", "own"])):
        args = ["seeded.py", "--seeds", "2", "--runtimes", "modern", "--jobs", "2", "--out", str(folder / name)]
        proc = compare(*(args + extra), cwd=folder)
        runs.append((proc, folder / name))
    return runs


def test_seeding_is_reproducible_and_differs_by_seed(seeded_runs):
    (first, out1), (second, out2), _ = seeded_runs
    assert first.returncode == 0, first.stderr[-2000:]
    a, b = report_of(out1), report_of(out2)
    assert [m["name"] for m in a["metrics"]] == ["draw", "second_graph", "numpy", "random"]
    for metric in ("draw", "second_graph", "numpy", "random"):
        seeds = per_seed(a, metric, "modern")
        assert seeds == per_seed(b, metric, "modern")            # same K: the same per-seed values
        assert seeds[0] != seeds[1]                                # and the seed matters
    assert a["warnings"] == []
    assert a["runtimes"]["modern"]["tensorflow"].startswith("1.15" if RUNTIME == "legacy" else "2.")


def test_the_scripts_own_seed_wins_and_the_report_says_so(seeded_runs):
    (_, out1), _, (own, out) = seeded_runs
    assert own.returncode == 0, own.stderr[-2000:]
    report = report_of(out)
    assert per_seed(report, "draw", "modern") != per_seed(report_of(out1), "draw", "modern")[:1]
    assert len(report["warnings"]) == 1 and "set its own seeds" in report["warnings"][0]
    assert "graph seed(7)" in report["warnings"][0]
    assert "set its own seeds" in (out / "report.md").read_text(encoding="utf-8")


def test_a_run_past_its_timeout_is_stopped_and_reported(tmp_path):
    (tmp_path / "slow.py").write_text("import time\nprint('loss: 1.0')\ntime.sleep(60)\n")
    started = time.time()
    proc = compare("slow.py", "--seeds", "1", "--runtimes", "modern", "--timeout", "2", "--out", "out",
                   cwd=tmp_path)
    assert time.time() - started < 45
    assert proc.returncode == 1, proc.stderr
    report = report_of(tmp_path / "out")
    (row,) = [v for v in report["verdicts"] if v["kind"] == "run"]
    assert "seed 0: timed out after 2 s" in row["detail"] and row["runtime"] == "modern"


THREADS = '''import tensorflow as tf

def threads(sess):
    config = sess._config          # the ConfigProto the session was created with
    return "%d/%d" % (config.intra_op_parallelism_threads, config.inter_op_parallelism_threads)

print("no config: " + threads(tf.Session()))
print("no thread setting: " + threads(tf.Session(config=tf.ConfigProto(allow_soft_placement=True))))
print("own intra: " + threads(tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=3))))
with tf.Graph().as_default():
    print("second graph: " + threads(tf.Session()))
print("loss: 1.0")
'''


def test_threads_reach_every_session_and_the_scripts_own_setting_wins(tmp_path):
    (tmp_path / "threads.py").write_text(THREADS)
    for threads, expected in (("2", ["2/2", "2/2", "3/2", "2/2"]), ("0", ["0/0", "0/0", "3/0", "0/0"])):
        out = tmp_path / ("out" + threads)
        proc = compare("threads.py", "--seeds", "1", "--runtimes", "modern", "--threads", threads,
                       "--metric", "loss: ([.0-9]+)", "--out", str(out), cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert report_of(out)["threads"] == int(threads)
        printed = (out / "runs" / "modern" / "seed0" / "stdout.txt").read_text(encoding="utf-8").splitlines()
        assert [line.split(": ")[1] for line in printed[:4]] == expected, printed


def test_threads_auto_and_bad_threads(tmp_path):
    from compat.compare import cli
    assert (cli.auto_threads(2, 2), cli.auto_threads(1, 2), cli.auto_threads(3, 2)) == (1, 2, 1)
    (tmp_path / "train.py").write_text("print('loss: 1')\n")
    assert "--threads: must be auto or a whole number" in _bad(tmp_path, "train.py", "--threads", "many")


# --- bad input -----------------------------------------------------------------------------------

def _bad(tmp_path, *args, env=None):
    before = sorted(p.name for p in tmp_path.iterdir())
    proc = compare(*args, cwd=tmp_path, timeout=60, env=env)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR) and "; " in lines[0], proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    return lines[0]


def test_bad_input_is_one_line_and_touches_nothing(tmp_path):
    (tmp_path / "train.py").write_text("print('loss: 1')\n")
    (tmp_path / "notes.txt").write_text("x")
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.jpg").write_text("meow")
    assert "compare needs a script" in _bad(tmp_path)
    assert "no such script: nope.py" in _bad(tmp_path, "nope.py")
    assert "notes.txt is not a .py script" in _bad(tmp_path, "notes.txt")
    assert "--seeds" in _bad(tmp_path, "train.py", "--seeds", "0")
    assert "--runtimes tf3" in _bad(tmp_path, "train.py", "--runtimes", "tf3")
    line = _bad(tmp_path, "train.py", "--legacy-python", str(tmp_path / "nope" / "python"))
    assert "legacy runtime (TF 1.15) is missing" in line and "make venv-tf1" in line and "conda" in line
    assert "--out photos is not empty and holds no compare report" in _bad(tmp_path, "train.py", "--out", "photos")
    assert "line 1 is not the header" in _bad(tmp_path, "train.py", "--published", "notes.txt")


def test_no_metric_found_says_what_it_saw_and_suggests_metric(tmp_path):
    (tmp_path / "quiet.py").write_text("print('hello there')\n")
    proc = compare("quiet.py", "--seeds", "1", "--runtimes", "modern", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    line = proc.stderr.strip().splitlines()[-1]
    assert line.startswith(ERROR + "compare: no metric found") and "'hello there'" in line and "--metric" in line
    assert "Traceback" not in proc.stderr and report_of(tmp_path / "out")["verdict"] == "no metric found"


# --- end to end: the four originals, and the negative controls (modern's tests only) ------------

CUTS = {   # original -> (sed expressions on a copy, data files it reads, the metrics it must report)
    "lstm_regression.py": (["s/for i in range(200):/for i in range(41):/"], {}, ["cost"]),
    "sin_predict_skcompat.py": (["s/^TRAINING_STEPS = 10000/TRAINING_STEPS = 200/",
                                 r"s/^learn = tf.contrib.learn/tf.logging.set_verbosity(tf.logging.INFO)\n&/"],
                                {}, ["mean_square_error", "loss"]),
    "seq_data_lstm.py": (["s/for i in range(100):/for i in range(5):/", "s/if i % 10 == 0:/if i % 2 == 0:/",
                          "/^def prediction/,$d"], {"seq_data.xlsx": None}, ["loss"]),
    "rnn_words.py": (["s/^training_iters = 50000/training_iters = 200/", "s/^display_step = 1000/display_step = 50/",
                      "s/sentence = input(prompt)/break/"], {"Story.txt": SHARED / "data" / "belling_the_cat.txt"},
                     ["average_loss", "average_accuracy"]),
}


def _cut_copy(folder, name):
    expressions, data, _ = CUTS[name]
    folder.mkdir()
    with open(str(folder / name), "w") as out:
        subprocess.run(["sed"] + [a for e in expressions for a in ("-e", e)] + [str(ORIGINALS / name)],
                       stdout=out, check=True)
    for target, source in data.items():
        if source is None:          # seq_data.xlsx is not public: the project's documented stand-in
            from tf1_examples.data import seq_data
            seq_data.write(folder / target, rows=200)
        else:
            shutil.copy(str(source), str(folder / target))


@pytest.fixture(scope="module")
def originals(tmp_path_factory):
    if RUNTIME != "modern":
        pytest.skip("run from the modern runtime's tests")
    if not ORIGINALS.is_dir():
        pytest.skip("no ../shared/originals")
    root = tmp_path_factory.mktemp("originals")
    results = {}
    for name in CUTS:
        folder = root / name[:-3]
        _cut_copy(folder, name)
        before = sorted(p.name for p in folder.iterdir())
        proc = compare(name, "--seeds", "1", "--jobs", "2", "--out", str(root / ("report-" + name[:-3])),
                       cwd=folder, timeout=900)
        results[name] = (proc, root / ("report-" + name[:-3]), before, folder)
    return results


@modern_only
@pytest.mark.parametrize("name", sorted(CUTS))
def test_an_original_trains_the_same_on_both_runtimes(originals, name):
    proc, out, before, folder = originals[name]
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = report_of(out)
    assert [m["name"] for m in report["metrics"]] == CUTS[name][2]
    assert report["verdict"].startswith("the runtimes agree") and proc.stdout.splitlines()[-1] == \
        "compare: " + report["verdict"]
    for m in CUTS[name][2]:
        assert (out / "plots" / (m + ".png")).read_bytes()[:4] == b"\x89PNG"
        assert str(out / "plots" / (m + ".png")) in proc.stdout
    assert report["runtimes"]["legacy"]["tensorflow"] == "1.15.5"
    assert sorted(p.name for p in folder.iterdir()) == before     # outputs landed in the scratch copies
    assert (out / "runs" / "legacy" / "seed0" / "stdout.txt").is_file()
    # compat's TF 1.15 op seeds: the same graph seed prints the same values (docs/seeds.md)
    paired = report["paired"]
    assert paired["state"] == "shared" and paired["findings"] == [], paired["summary"]
    assert [m["name"] for m in paired["metrics"]] == CUTS[name][2]
    assert "compare: run against run: the runtimes share the random stream (seeds 0)" in proc.stdout


LR_CONTROL = '''import numpy as np
import tensorflow as tf

lr = 0.1 if tf.__version__.startswith("1.") else 0.3
x = tf.placeholder(tf.float32, [None, 1])
y = tf.placeholder(tf.float32, [None, 1])
w = tf.Variable(tf.random_normal([1, 1]))
b = tf.Variable(tf.zeros([1]))
loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
train = tf.train.GradientDescentOptimizer(lr).minimize(loss)
xs = np.random.rand(64, 1).astype(np.float32)
ys = 3 * xs + 2
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(30):
        _, value = sess.run([train, loss], feed_dict={x: xs, y: ys})
        if step % 5 == 0:
            print("step %d, loss = %.6f" % (step, value))
'''

CRASH_CONTROL = '''import tensorflow as tf
print("loss = 1.0")
if not tf.__version__.startswith("1."):
    raise RuntimeError("only on TF 2.x")
print("loss = 0.5")
'''


@modern_only
def test_a_learning_rate_that_changes_on_tf2_is_reported_as_different(tmp_path):
    (tmp_path / "lr_control.py").write_text(LR_CONTROL)
    proc = compare("lr_control.py", "--seeds", "2", "--jobs", "2", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert proc.stdout.splitlines()[-1].startswith("compare: the runtimes differ: loss at step 25: legacy [")
    report = report_of(tmp_path / "out")
    (row,) = [v for v in report["verdicts"] if v["kind"] == "final"]
    assert row["verdict"] == FAIL and row["column"] == "loss" and row["rule_kind"] == "overlap"
    # the same graph seed, the same data: step 0 (logged before the first update) agrees, step 5 does not
    paired = report["paired"]
    assert paired["state"] == "shared" and paired["shared_seeds"] == [0, 1]
    (loss,) = paired["metrics"]
    assert (loss["first_departure"]["step"], loss["first_departure"]["index"], loss["early"]) == (5, 2, True)
    assert "compare: finding: loss departs run against run at step 5 (logged value 2, seed " in proc.stdout


@modern_only
def test_a_script_that_crashes_on_tf2_only_is_a_finding(tmp_path):
    (tmp_path / "crash_control.py").write_text(CRASH_CONTROL)
    proc = compare("crash_control.py", "--seeds", "1", "--jobs", "2", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr[-3000:]
    report = report_of(tmp_path / "out")
    (run,) = [v for v in report["verdicts"] if v["kind"] == "run"]
    assert run["runtime"] == "modern" and run["detail"] == "seed 0: exit status 1; RuntimeError: only on TF 2.x"
    assert "Traceback" not in proc.stdout and "the runtimes differ" in proc.stdout.splitlines()[-1]


@modern_only
def test_ctrl_c_stops_every_child_and_writes_a_partial_report(tmp_path):
    (tmp_path / "slow.py").write_text("import time\ntime.sleep(120)\n")
    proc = subprocess.Popen([str(PYTHON), "-m", "compat", "compare", "slow.py", "--seeds", "2", "--jobs", "2",
                             "--runtimes", "modern", "--out", "out"], cwd=str(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    deadline = time.time() + 60
    while time.time() < deadline and len(list((tmp_path / "out" / ".logs").glob("*.stdout"))
                                         if (tmp_path / "out" / ".logs").is_dir() else []) < 2:
        time.sleep(0.2)
    time.sleep(1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    report = report_of(tmp_path / "out")
    assert report["status"] == "interrupted" and report["exit_status"] == 130
    runs = [v for v in report["verdicts"] if v["kind"] == "run"]
    assert len(runs) == 2 and all(v["runtime"] == "modern" and "exit status -" in v["detail"] for v in runs)
    assert [l for l in out.splitlines() if l.startswith("compare:")] == [
        "compare: interrupted: partial report of 2 finished run(s)"]
