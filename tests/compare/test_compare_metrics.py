"""`python -m compat compare`'s parts on the originals' real log lines and on synthetic runs:
metric detection, the overlap rule, --published, the verdicts (no subprocess; both runtimes)."""

import pytest

from compat.compare import comparison, metrics
from compat.regress import rules
from compat.regress.rules import FAIL, PASS
from compat.regress.usage import UsageError


# --- metric detection, pinned on the originals' log lines ---------------------------------------

ORIGINAL_LOGS = {
    # (stdout, stderr) as the originals print them (TF 1.15 runs with their steps cut)
    "lstm_regression": ("cost:  12.5545\ncost:  5.8109\ncost:  1.1329\n", ""),
    "sin_predict": ("Mean Square Error is:0.064702\n",
                    "INFO:tensorflow:Saving checkpoints for 0 into Models/model_2/model.ckpt.\n"
                    "INFO:tensorflow:loss = 0.45895976, step = 1\n"
                    "WARNING:tensorflow:It seems that global step (tf.train.get_global_step) has not been "
                    "increased. Current value (could be stable): 33 vs previous value: 33.\n"
                    "INFO:tensorflow:global_step/sec: 31.4577\n"
                    "INFO:tensorflow:loss = 0.004788639, step = 101 (3.179 sec)\n"
                    "INFO:tensorflow:Saving checkpoints for 200 into Models/model_2/model.ckpt.\n"
                    "I0000 00:00:1796550380.198388    4232 cudart_stub.cc:31] Could not find cuda drivers\n"),
    "seq_data_lstm": ("Number of iterations: 0  loss: 0.14943755\nNumber of iterations: 2  loss: 0.07216712\n"
                      "Number of iterations: 4  loss: 0.0649572\nThe train has finished\n", ""),
    "rnn_words": ("Loaded training data...\nIter= 50, Average Loss= 9.042430, Average Accuracy= 0.00%\n"
                  "['the', 'mice', 'had'] - [a] vs [the]\n"
                  "Iter= 100, Average Loss= 6.972441, Average Accuracy= 2.00%\n"
                  "Optimization Finished!\nElapsed time:  12.51 sec\n\ttensorboard --logdir=/tmp/tensorflow/rnn_words\n"
                  "Point your web browser to: http://localhost:6006/\n", ""),
}


def _detected(name):
    lines = metrics.log_lines(*ORIGINAL_LOGS[name])
    found = metrics.detect(lines)
    return [m.name for m in found], metrics.rows(lines, found)


def test_detects_lstm_regression_costs_by_occurrence():
    names, rows = _detected("lstm_regression")
    assert names == ["cost"]
    assert rows == [{"step": 0, "cost": 12.5545}, {"step": 1, "cost": 5.8109}, {"step": 2, "cost": 1.1329}]


def test_detects_the_estimators_info_loss_with_its_step():
    names, rows = _detected("sin_predict")
    # not: the checkpoint step, global_step/sec (a speed), the warning's counters, C++ start-up lines
    assert names == ["mean_square_error", "loss"]
    assert [r for r in rows if "loss" in r] == [{"step": 1, "loss": 0.45895976}, {"step": 101, "loss": 0.004788639}]
    assert [r for r in rows if "mean_square_error" in r] == [{"step": 0, "mean_square_error": 0.064702}]


def test_detects_seq_data_loss_at_its_iteration_counter():
    names, rows = _detected("seq_data_lstm")
    assert names == ["loss"] and [r["step"] for r in rows] == [0, 2, 4]
    assert rows[-1]["loss"] == 0.0649572


def test_detects_rnn_words_average_loss_and_accuracy_at_iter():
    names, rows = _detected("rnn_words")
    assert names == ["average_loss", "average_accuracy"]          # not the elapsed time, not the port
    assert {r["step"]: r["average_accuracy"] for r in rows if "average_accuracy" in r} == {50: 0.0, 100: 2.0}


def test_detects_a_label_without_separator_when_it_repeats():
    lines = metrics.log_lines("step 0, training accuracy 0.1\nstep 100, training accuracy 0.94\n"
                              "loaded 3 files\n", "")
    found = metrics.detect(lines)
    assert [m.name for m in found] == ["training_accuracy"]
    assert metrics.rows(lines, found) == [{"step": 0, "training_accuracy": 0.1},
                                          {"step": 100, "training_accuracy": 0.94}]


def test_an_explicit_metric_regex_with_and_without_a_step_group():
    (m,) = metrics.explicit_metrics([r"cost=([-+.0-9eE]+)"])
    plain = metrics.log_lines("cost=0.5 (lr 0.1)\ncost=0.25 (lr 0.1)\n", "")
    assert m.name == "cost" and metrics.rows(plain, [m]) == [{"step": 0, "cost": 0.5}, {"step": 1, "cost": 0.25}]
    counted = metrics.log_lines("epoch 3 cost=0.5\nepoch 6 cost=0.25\n", "")
    assert [r["step"] for r in metrics.rows(counted, [m])] == [3, 6]          # the line's own counter
    (m,) = metrics.explicit_metrics([r"(?P<step>\d+) cost=([-+.0-9eE]+)"])
    assert [r["step"] for r in metrics.rows(counted, [m])] == [3, 6]
    for bad in ("cost=(", "cost=0.5"):
        with pytest.raises(ValueError, match="--metric"):
            metrics.explicit_metrics([bad])


# --- the overlap rule and --published -----------------------------------------------------------

def test_overlap_rule_widens_each_range_by_its_factor_edges_inclusive():
    rule = comparison.OVERLAP                                         # factor 1.5
    assert rules.judge_overlap(rule, [1.0, 2.0], [2.5, 4.0])[0] == PASS        # 2*1.5 >= 2.5/1.5
    assert rules.judge_overlap(rule, [1.0], [2.25])[0] == PASS                 # edge: 1.5 == 2.25/1.5
    assert rules.judge_overlap(rule, [1.0], [2.26])[0] == FAIL
    assert rules.judge_overlap(rule, [-1.0, 0.0], [0.0, 1.0])[0] == PASS       # plain overlap at 0
    assert rules.judge_overlap(rule, [-1.0, -0.5], [0.0, 1.0])[0] == FAIL
    verdict, detail = rules.judge_overlap(rule, [0.07, 0.08], [0.019], ("legacy", "modern"))
    assert verdict == FAIL and detail == "legacy [0.07, 0.08] vs modern [0.019, 0.019]"
    assert rules.judge_overlap(rule, [], [1.0])[0] == FAIL


def test_published_csv_is_read_and_bad_rows_are_named(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("metric,step,value,source\ncost,180,0.335,Eastmount 2020\nloss,,0.1,\n")
    assert comparison.read_published(good) == [comparison.Published("cost", 180, 0.335, "Eastmount 2020"),
                                               comparison.Published("loss", None, 0.1, "")]
    for text, says in (("cost,step,value\n", "line 1 is not the header"),
                       ("metric,step,value,source\ncost,abc,1,x\n", "line 2, column step"),
                       ("metric,step,value,source\ncost,1,1,x\ncost,2,high,x\n", "line 3, column value"),
                       ("metric,step,value,source\ncost,1\n", "line 2 has 2 columns")):
        bad = tmp_path / "bad.csv"
        bad.write_text(text)
        with pytest.raises(UsageError, match=says):
            comparison.read_published(bad)


def _fake_runs(tmp_path, values):
    """CompareJobs that ran (no process): {runtime: [{step: loss} per seed]}."""
    from compat.compare.runs import CompareJob

    jobs = []
    for runtime, seeds in values.items():
        for seed, series in enumerate(seeds):
            job = CompareJob(runtime, "python", tmp_path / "train.py", [], seed, tmp_path, 60, [])
            job.returncode, job.error = 0, None
            job.metrics = [{"step": s, "loss": v} for s, v in sorted(series.items())]
            jobs.append(job)
    return jobs


LOSS = metrics.Metric("loss", "loss", None, [])


def test_runtimes_logging_different_steps_differ(tmp_path):
    jobs = _fake_runs(tmp_path, {"legacy": [{0: 1.0, 10: 0.5, 20: 0.2}] * 2, "modern": [{0: 1.0, 10: 0.5}] * 2})
    rows, equiv = comparison.judge(jobs, [LOSS], ["legacy", "modern"], [])
    (steps,) = [r for r in rows if r["kind"] == "steps"]
    assert steps["verdict"] == FAIL and steps["detail"] == "legacy logged 3 step(s), last 20; modern logged 2 step(s), last 10"
    assert comparison.first_difference(rows, equiv).startswith("loss: legacy logged 3 step(s)")


def test_published_points_are_judged_against_each_runtimes_seeds(tmp_path):
    seeds = [{0: 9.0, 100: 0.4}, {0: 11.0, 100: 0.6}]
    jobs = _fake_runs(tmp_path, {"legacy": seeds, "modern": seeds})
    published = [comparison.Published("loss", 100, 1.5, "book"), comparison.Published("loss", 100, 1.9, "blog"),
                 comparison.Published("accuracy", None, 0.9, "blog")]
    rows, equiv = comparison.judge(jobs, [LOSS], ["legacy", "modern"], published)
    figures = [(r["runtime"], r["published"], r["verdict"]) for r in rows if r["kind"] == "figure"]
    # band [0.4/3, 0.6*3] = [0.133, 1.8]; a metric no run logged fails
    assert figures == [("legacy", 1.5, PASS), ("modern", 1.5, PASS), ("legacy", 1.9, FAIL), ("modern", 1.9, FAIL),
                       ("legacy+modern", 0.9, FAIL)]
    assert [r["verdict"] for r in rows if r["kind"] == "final"] == [PASS] and equiv[0]["verdict"] == PASS
