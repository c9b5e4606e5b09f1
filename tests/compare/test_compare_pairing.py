"""compare's run-against-run pairing (compat/compare/pairing.py): on hand-made run records (both
runtimes, no subprocess), and end to end on real runs of both runtimes (modern's tests only: they
start both runtimes' children themselves)."""

import argparse
import json
import math
import os
import subprocess
import sys

import pytest

from compat.compare import pairing
from compat.compare.metrics import Metric
from compat.compare.runs import CompareJob
from conftest import RUNTIME

LOSS, ACC = Metric("loss", "loss", None, []), Metric("accuracy", "accuracy", None, [])


def _runs(tmp_path, seeds, script_seeds=(), failed=()):
    """Finished CompareJobs without a process: seeds {seed: {runtime: {metric: [values by step]}}}."""
    jobs = []
    for seed, runtimes in seeds.items():
        for runtime, series in runtimes.items():
            job = CompareJob(runtime, "python", tmp_path / "train.py", [], seed, tmp_path, 60, [])
            job.returncode = 1 if (runtime, seed) in failed else 0
            job.error = "exit status 1" if (runtime, seed) in failed else None
            job.record = {"script_seeds": list(script_seeds)}
            job.metrics = [{"step": 10 * k, name: v} for name, values in series.items() for k, v in enumerate(values)]
            jobs.append(job)
    return jobs


def _pair(tmp_path, seeds, metrics=(LOSS,), tolerance=pairing.TOLERANCE, **kwargs):
    return pairing.pair(_runs(tmp_path, seeds, **kwargs), list(metrics), ["legacy", "modern"], tolerance)


def test_relative_difference():
    assert pairing.relative_difference(2.0, 2.0) == 0.0
    assert pairing.relative_difference(1.0, 1.1) == pytest.approx(0.1 / 1.1)
    assert pairing.relative_difference(-1.0, 1.0) == 2.0
    assert pairing.relative_difference(0.0, 1e-9) == 1.0
    assert pairing.relative_difference(float("nan"), float("nan")) == 0.0
    assert math.isinf(pairing.relative_difference(float("nan"), 1.0))
    assert math.isinf(pairing.relative_difference(float("inf"), 1.0))


def test_agreeing_first_values_share_the_stream_and_every_step_is_compared(tmp_path):
    # seed 1's second value differs by 2e-6 relative (float32-sized): within the tolerance
    record = _pair(tmp_path, {0: {"legacy": {"loss": [2.0, 1.0, 0.5]}, "modern": {"loss": [2.0, 1.0, 0.5]}},
                              1: {"legacy": {"loss": [3.0, 1.5, 0.7]}, "modern": {"loss": [3.0, 1.500003, 0.7]}}})
    assert record["state"] == pairing.SHARED and record["shared_seeds"] == [0, 1] and record["differing_seeds"] == []
    (loss,) = record["metrics"]
    assert loss["first_departure"] is None and not loss["early"] and record["findings"] == []
    assert [(r["step"], r["seed"]) for r in loss["per_step"]] == [(0, 0), (10, 1), (20, 0)]
    assert loss["per_step"][1]["max_relative_difference"] == pytest.approx(2e-6, rel=1e-3)
    assert loss["largest"]["step"] == 10 and loss["largest"]["seed"] == 1
    assert record["summary"] == ("the runtimes share the random stream (seeds 0, 1); value by value (relative "
                                 "tolerance 1e-05): loss within 1e-05 at all 3 logged steps (largest 2e-06)")
    assert record["notes"] == []


def test_the_tolerance_edge_agrees_and_a_bigger_tolerance_is_used_everywhere(tmp_path):
    seeds = {0: {"legacy": {"loss": [1.0, 1.0]}, "modern": {"loss": [1.0, 0.75]}}}
    assert _pair(tmp_path, seeds)["metrics"][0]["first_departure"]["step"] == 10
    loose = _pair(tmp_path, seeds, tolerance=0.25)                 # |1 - 0.75| / 1 == 0.25: inclusive
    assert loose["metrics"][0]["first_departure"] is None and loose["tolerance"] == 0.25
    assert "relative tolerance 0.25" in loose["summary"]
    assert _pair(tmp_path, seeds, tolerance=0.2499)["metrics"][0]["first_departure"]["step"] == 10


def test_a_departure_within_the_first_five_values_is_a_finding_a_late_one_is_not(tmp_path):
    same = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4]
    late = same[:5] + [0.51, 0.41]                                  # departs at logged value 6
    early = same[:2] + [0.85] + same[3:]                            # departs at logged value 3
    record = _pair(tmp_path, {0: {"legacy": {"loss": same, "accuracy": same}, "modern": {"loss": late,
                                                                                        "accuracy": early}}},
                   metrics=(LOSS, ACC))
    loss, acc = record["metrics"]
    assert (loss["first_departure"]["step"], loss["first_departure"]["index"], loss["early"]) == (50, 6, False)
    assert (acc["first_departure"]["step"], acc["first_departure"]["index"], acc["early"]) == (20, 3, True)
    (finding,) = record["findings"]
    assert finding.startswith("accuracy departs run against run at step 20 (logged value 3, seed 0): legacy 0.8 "
                              "vs modern 0.85, relative difference 0.05882 > 1e-05, after its first value agreed")
    assert "loss departs at step 50 (logged value 6 of 7; largest 0.02439 at step 60)" in record["summary"]
    assert "accuracy departs at step 20 (logged value 3 of 7" in record["summary"]


def test_the_earliest_departure_over_the_shared_seeds_is_reported(tmp_path):
    record = _pair(tmp_path, {0: {"legacy": {"loss": [1.0, 0.5, 0.2]}, "modern": {"loss": [1.0, 0.5, 0.3]}},
                              1: {"legacy": {"loss": [2.0, 0.6, 0.3]}, "modern": {"loss": [2.0, 0.7, 0.3]}}})
    d = record["metrics"][0]["first_departure"]
    assert (d["seed"], d["step"], d["legacy"], d["modern"]) == (1, 10, 0.6, 0.7)


def test_different_first_values_mean_the_streams_differ_and_nothing_is_paired(tmp_path):
    record = _pair(tmp_path, {0: {"legacy": {"loss": [2.0, 1.0]}, "modern": {"loss": [2.1, 1.0]}},
                              1: {"legacy": {"loss": [3.0, 1.0]}, "modern": {"loss": [2.9, 1.0]}}})
    assert record["state"] == pairing.DIFFER and record["differing_seeds"] == [0, 1]
    assert record["metrics"] == [] and record["findings"] == []
    assert record["summary"] == ("the streams differ (the first logged values differ: seed 0, loss at step 0: "
                                 "legacy 2 vs modern 2.1): compared by distribution only")


def test_every_metric_must_agree_at_the_first_value(tmp_path):
    # accuracy starts at 0 whatever the stream: the loss tells the streams apart
    record = _pair(tmp_path, {0: {"legacy": {"loss": [2.0], "accuracy": [0.0]},
                                  "modern": {"loss": [2.5], "accuracy": [0.0]}}}, metrics=(LOSS, ACC))
    assert record["state"] == pairing.DIFFER
    assert record["seeds"][0]["first"]["accuracy"]["agree"] and not record["seeds"][0]["first"]["loss"]["agree"]


def test_some_seeds_shared_some_not_and_a_failed_run_is_left_unpaired(tmp_path):
    record = _pair(tmp_path, {0: {"legacy": {"loss": [2.0, 1.0]}, "modern": {"loss": [2.0, 1.0]}},
                              1: {"legacy": {"loss": [3.0, 1.0]}, "modern": {"loss": [4.0, 1.0]}},
                              2: {"legacy": {"loss": [5.0, 1.0]}, "modern": {"loss": [5.0, 1.0]}}},
                   failed=[("modern", 2)])
    assert record["state"] == pairing.PARTLY and (record["shared_seeds"], record["differing_seeds"]) == ([0], [1])
    assert record["seeds"][2]["shared"] is None and record["seeds"][2]["reason"] == "no successful modern run"
    assert record["summary"].startswith("the runtimes share the random stream (seeds 0); seeds 1 differ at their "
                                        "first values (seed 1, loss at step 0: legacy 3 vs modern 4)")
    assert record["metrics"][0]["compared_steps"] == 2


def test_the_scripts_own_seeds_and_a_seed_independent_start_are_noted(tmp_path):
    seeds = {0: {"legacy": {"loss": [2.0, 1.0]}, "modern": {"loss": [2.0, 1.0]}},
             1: {"legacy": {"loss": [2.0, 0.9]}, "modern": {"loss": [2.0, 0.9]}}}
    own = _pair(tmp_path, seeds, script_seeds=["graph seed(777)"])
    assert own["state"] == pairing.SHARED
    assert own["notes"] == ["the script sets its own seeds (graph seed(777)): the stream shared is the script's"]
    (note,) = _pair(tmp_path, seeds)["notes"]
    assert note.startswith("the first values are the same for every seed: the start draws nothing random")


def test_one_runtime_or_no_successful_pair_is_not_paired(tmp_path):
    seeds = {0: {"legacy": {"loss": [2.0]}, "modern": {"loss": [2.0]}}}
    jobs = _runs(tmp_path, seeds)
    assert pairing.pair(jobs, [LOSS], ["modern"])["state"] == pairing.NOT_PAIRED
    record = _pair(tmp_path, seeds, failed=[("legacy", 0)])
    assert record["state"] == pairing.NOT_PAIRED
    assert record["summary"] == "not compared run against run: no successful legacy run"


def test_the_report_shows_the_pairing(tmp_path):
    seeds = {0: {"legacy": {"loss": [float(v) for v in range(20, 0, -1)]},
                 "modern": {"loss": [float(v) for v in range(20, 0, -1)]}}}
    record = _pair(tmp_path, seeds)
    text = "\n".join(pairing.markdown_lines(record))
    assert "## Run against run (relative tolerance 1e-05)" in text and record["summary"] in text
    assert "| 0 | loss | 0 | 20 | 20 | 0 | yes |" in text
    assert "(first 10 and last 2 of 20; all in report.json)" in text and "| 190 | 0 | 0 | yes |" in text
    assert len(record["metrics"][0]["per_step"]) == 20
    json.dumps(record)                                                  # report.json can hold it


def test_pair_tolerance_must_lie_between_0_and_1():
    from compat.compare import cli

    assert cli.build_parser().parse_args(["x.py"]).pair_tolerance == 1e-5
    assert cli.relative_tolerance("1e-4") == 1e-4
    for bad in ("0", "1", "-1e-5", "nan", "inf", "tight"):
        with pytest.raises(argparse.ArgumentTypeError, match="relative tolerance above 0 and below 1"):
            cli.relative_tolerance(bad)


# --- end to end: real runs of both runtimes (modern's tests only) --------------------------------

PAIRED = '''import sys
import numpy as np
import tensorflow as tf

if "numpy-per-runtime" in sys.argv:      # TF 1.15 and TF 2.x draw other data from the first step
    np.random.seed(1 if tf.__version__.startswith("1.") else 2)
else:
    tf.set_random_seed(1)
xs = np.random.rand(16, 3).astype(np.float32)
ys = xs.dot(np.array([[1.0], [-2.0], [0.5]], np.float32)) + 0.3
x = tf.placeholder(tf.float32, [None, 3])
hidden = tf.layers.dense(x, 4, activation=tf.tanh)
w = tf.Variable(tf.random_normal([4, 1], stddev=0.5))
loss = tf.reduce_mean(tf.square(tf.matmul(tf.nn.dropout(hidden, keep_prob=0.9), w) - ys))
train = tf.train.AdamOptimizer(0.1).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(6):
        value, _ = sess.run([loss, train], feed_dict={x: xs})
        print("step %d, loss = %.7f" % (step, value))
'''


@pytest.fixture(scope="module")
def paired_compares(tmp_path_factory):
    """Two compares of one seed each, run side by side: the script seeded by its own graph seed,
    and the same script with numpy seeded per runtime."""
    if RUNTIME != "modern":
        pytest.skip("starts both runtimes' children itself: run once, from the modern runtime's tests")
    folder = tmp_path_factory.mktemp("paired")
    (folder / "paired.py").write_text(PAIRED)
    procs = {}
    for mode in ("own-seed", "numpy-per-runtime"):
        procs[mode] = subprocess.Popen(
            [sys.executable, "-m", "compat", "compare", "paired.py", "--seeds", "1", "--jobs", "2",
             "--out", str(folder / mode), "--", mode], cwd=str(folder), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, universal_newlines=True,
            env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONDONTWRITEBYTECODE="1"))
    results = {}
    for mode, proc in procs.items():
        out, err = proc.communicate(timeout=600)
        written = (folder / mode / "report.json").is_file()
        results[mode] = (proc.returncode, out, err,
                         json.loads((folder / mode / "report.json").read_text()) if written else {},
                         (folder / mode / "report.md").read_text() if written else "")
    return results


def test_a_seeded_script_shares_the_random_stream_value_by_value(paired_compares):
    status, out, err, report, md = paired_compares["own-seed"]
    assert status == 0, err[-3000:]
    paired = report["paired"]
    assert paired["state"] == pairing.SHARED and paired["shared_seeds"] == [0]
    (loss,) = paired["metrics"]
    assert loss["compared_steps"] == 6 and loss["first_departure"] is None
    assert all(r["max_relative_difference"] <= 1e-5 for r in loss["per_step"])
    assert "graph seed(1)" in paired["notes"][0]
    line = "compare: run against run: the runtimes share the random stream (seeds 0); value by value (relative " \
           "tolerance 1e-05): loss within 1e-05 at all 6 logged steps"
    assert [l for l in out.splitlines() if l.startswith("compare: run against run")][0].startswith(line)
    assert out.splitlines()[-1] == "compare: the runtimes agree on loss"
    assert "## Run against run (relative tolerance 1e-05)" in md


def test_a_script_seeding_numpy_per_runtime_has_differing_streams(paired_compares):
    status, out, err, report, md = paired_compares["numpy-per-runtime"]
    assert status in (0, 1), err[-3000:]              # the distribution verdict of 1 seed a side decides
    paired = report["paired"]
    assert paired["state"] == pairing.DIFFER and paired["metrics"] == []
    assert paired["summary"].startswith("the streams differ (the first logged values differ: seed 0, loss at "
                                        "step 0: legacy ")
    assert paired["summary"].endswith("): compared by distribution only")
    assert "compare: run against run: the streams differ" in out
    assert any("numpy.random.seed(2)" in w and w.startswith("modern seed 0") for w in report["warnings"])
