"""benchmarks/: the statistics and formatting helpers, per-child peak RSS, the command line's
errors, and a real `python -m benchmarks --smoke` run. Timings are never asserted: only that the
machinery produces well-formed, positive, finite numbers."""

import json
import math
import os
import sys
from pathlib import Path

import pytest

from benchmarks import cli, estimators, report, stats
from benchmarks.child import run_child, tail
from conftest import LEGACY_PYTHON, MODERN_PYTHON, REPO, TF1, run_python, tf

NAN, INF = float("nan"), float("inf")


# --- statistics ---------------------------------------------------------------------------------

def test_median_odd_even_and_missing_values():
    assert stats.median([3, 1, 2]) == 2
    assert stats.median([4, 1, 3, 2]) == 2.5
    assert stats.median([5.0]) == 5.0
    assert stats.median([None, NAN, INF, 7, 1]) == 4.0      # only finite values count
    assert stats.median([]) is None
    assert stats.median([None, NAN]) is None


def test_summarize_keeps_the_values_and_counts_the_finite_ones():
    s = stats.summarize([3.0, None, 1.0, 2.0])
    assert s == {"median": 2.0, "min": 1.0, "max": 3.0, "n": 3, "values": [3.0, None, 1.0, 2.0]}
    empty = stats.summarize([None])
    assert empty["median"] is None and empty["min"] is None and empty["n"] == 0


def test_steady_rate_cancels_the_warm_up():
    # 1.5 s warm-up + 0.01 s/step in both runs: 100 steps/s, whatever the warm-up
    t = lambda n: 1.5 + 0.01 * n  # noqa: E731
    assert stats.steady_rate(20, t(20), 200, t(200)) == pytest.approx(100.0)
    assert stats.steady_rate(20, 3.0, 200, 3.0) is None        # noise swamped the difference
    assert stats.steady_rate(20, 3.0, 200, 2.0) is None
    assert stats.steady_rate(200, 1.0, 20, 2.0) is None        # lengths in the wrong order
    assert stats.steady_rate(20, None, 200, 2.0) is None


def test_ratio_and_meets():
    assert stats.ratio(260.0, 200.0) == pytest.approx(1.3)
    assert stats.ratio(1.0, 0) is None and stats.ratio(None, 2.0) is None and stats.ratio(1.0, NAN) is None
    assert stats.meets(1.3, 1.3, higher_is_better=True) is True
    assert stats.meets(1.29, 1.3, higher_is_better=True) is False
    assert stats.meets(7.9, 8.0, higher_is_better=False) is True
    assert stats.meets(None, 8.0, higher_is_better=False) is None


def test_paired_ratios_skip_a_repeat_missing_on_either_side():
    assert stats.paired_ratios([300.0, None, 120.0, 90.0], [200.0, 50.0, 100.0, 0.0]) == [1.5, 1.2]
    assert stats.paired_ratios([1.0], []) == []


def test_the_ratio_is_the_median_of_the_repeats_own_ratios():
    """Repeat 2 ran while the machine was slow for both runtimes: its own ratio (2.0) is as valid
    as the others, whereas the ratio of the two medians (120 / 100) pairs runs of different
    minutes. A missing run drops its repeat, not the whole comparison."""
    from benchmarks.suite import _compare

    s = stats.summarize
    per_runtime = {"modern": {"steps_per_s": s([300.0, 100.0, 120.0, None])},
                   "legacy": {"steps_per_s": s([200.0, 50.0, 100.0, 100.0])}}
    got = _compare(per_runtime)
    assert got["ratios"]["values"] == [1.5, 2.0, 1.2]
    assert got["ratio"] == 1.5 and got["met"] is True and got["target"] == 1.3
    assert got["ratio_of_medians"] == pytest.approx(1.2)
    alone = _compare({"modern": per_runtime["modern"]})     # no legacy runtime
    assert alone["ratio"] is None and alone["met"] is None and alone["ratios"]["n"] == 0


def test_number_formatting():
    assert stats.fmt_num(1234.6) == "1235"
    assert stats.fmt_num(12.345) == "12.3"
    assert stats.fmt_num(0.0123456) == "0.0123"
    assert stats.fmt_num(0.3, 2) == "0.30"
    assert stats.fmt_num(0) == "0"
    assert stats.fmt_num(None) == stats.fmt_num(NAN) == "–"
    assert stats.fmt_summary(stats.summarize([10.0, 12.0, 11.0])) == "11.0 [10.0–12.0]"
    assert stats.fmt_summary(stats.summarize([10.0])) == "10.0"
    assert stats.fmt_summary(stats.summarize([])) == "–"
    assert stats.fmt_met(True) == "yes" and stats.fmt_met(False) == "**no**" and stats.fmt_met(None) == "–"
    assert stats.mb(2048) == 2.0 and stats.mb(None) is None


def test_markdown_table_escapes_pipes():
    text = stats.markdown_table(["a", "b"], [[1, "x|y"]])
    assert text.splitlines() == ["| a | b |", "|---|---|", "| 1 | x\\|y |"]


# --- report -------------------------------------------------------------------------------------

def _fake_results(legacy=True):
    s = stats.summarize
    runtimes = {"modern": {"available": True, "python": "3.11.7", "tensorflow": "2.21.0", "numpy": "1.26.4",
                           "matplotlib": "3.10.7", "executable": "/m/python"}}
    runtimes["legacy"] = ({"available": True, "python": "3.7.16", "tensorflow": "1.15.5", "numpy": "1.18.5",
                           "matplotlib": "3.5.3", "executable": "/l/python"} if legacy else
                          {"available": False, "note": "legacy runtime not built"})
    speed = {"modern": {"steps_per_s": s([130.0, 140.0]), "peak_rss_mb": 700.0}}
    if legacy:
        speed["legacy"] = {"steps_per_s": s([100.0, 100.0]), "peak_rss_mb": 330.0}
    ratios = s([1.3, 1.35, 1.4] if legacy else [])
    ratio = ratios["median"]
    res = {
        "mode": "full", "command": "python -m benchmarks", "notes": [] if legacy else ["legacy runtime not built"],
        "machine": {"date": "2026-01-01T00:00:00", "cpu_model": "CPU", "cores": 2, "usable_cores": 2,
                    "memory_gib": 8.0, "load_average_start": [0.1, 0.1, 0.1], "load_average_end": None},
        "settings": {"repeats": 2},
        "runtimes": runtimes,
        "steps": {"lstm_regression": {"unit": "step", "lengths": [20, 200], "method": "difference",
                                      "runtimes": speed, "ratio": ratio, "ratios": ratios, "target": 1.3,
                                      "met": stats.meets(ratio, 1.3, True)}},
        "graph": {},
        "e2e": {"lstm_regression": {"steps": 200, "unit": "step", "wall_s": s([7.5]), "loop_time_s": s([3.0]),
                                    "cpu_s": s([7.0]), "peak_rss_mb": 710.0, "target_id": "S1", "target_s": 8.0, "met": True}},
        "quick": {"rnn_words": {"steps": 1500, "unit": "iteration", "wall_s": s([31.0, 33.0]),
                                "loop_time_s": s([20.0]), "cpu_s": s([35.0]), "peak_rss_mb": 900.0,
                                "target_s": 30.0, "met": False}},
        "startup": {"modern": {"plain": {"wall_s": s([4.0, 4.2]), "cpu_s": s([3.9]), "peak_rss_mb": 600.0},
                               "compat": {"wall_s": s([4.3, 4.5]), "cpu_s": s([4.0]), "peak_rss_mb": 610.0},
                               "overhead_s": 0.3, "target_s": 0.3, "met": True}},
    }
    res["targets"] = report.targets(res)
    return res


def test_targets_list_every_target_measured_or_not():
    t = {x["id"]: x for x in report.targets(_fake_results())}
    names = ("lstm_regression", "sin_predict", "seq_data_lstm", "rnn_words")
    assert set(t) == ({"speed:" + n for n in names} | {"quick:" + n for n in names} | {"S1", "S4", "startup"})
    assert t["speed:lstm_regression"]["met"] is True and t["speed:lstm_regression"]["value"] == 1.35
    assert t["S1"]["value"] == 7.5 and t["S1"]["target"] == "≤ 8" and t["S1"]["measured"]
    assert t["quick:rnn_words"]["value"] == 32.0 and t["quick:rnn_words"]["met"] is False
    assert t["S4"]["measured"] is False and t["S4"]["value"] is None and t["S4"]["target"] == "≤ 480"
    assert t["speed:sin_predict"]["measured"] is False and t["speed:sin_predict"]["met"] is None


def test_markdown_has_both_runtimes_side_by_side():
    md = report.render_markdown(_fake_results())
    assert "| lstm_regression | step | 20 → 200 | 135 [130–140] | 100 | 1.35 [1.30–1.40] | ≥ 1.3 | yes | 700 / 330 |" in md
    assert "the median [min–max] of the repeats' own ratios" in md
    assert "legacy (TF 1.15.5)" in md and "modern (TF 2.21.0, compat)" in md
    assert "| S1 | lstm_regression default run, wall s (modern) | 7.50 | ≤ 8 | yes |" in md
    assert "| S4 | rnn_words default run, wall s (modern) | – | ≤ 480 | not measured |" in md
    assert "| quick:rnn_words | rnn_words --quick run, wall s (modern) | 32.0 | ≤ 30 | **no** |" in md
    assert "| lstm_regression | 200 steps | 7.50 | 3.00 | 15.0 | 7.00 | 710 | S1: ≤ 8 s | yes |" in md
    assert "| rnn_words | 1500 iterations | 32.0 [31.0–33.0] | 20.0 | 35.0 | 900 | ≤ 30 s | **no** |" in md


def test_markdown_without_legacy_has_modern_columns_and_the_note():
    md = report.render_markdown(_fake_results(legacy=False))
    assert "legacy (TF" not in md
    assert "> legacy runtime not built" in md
    assert "| lstm_regression | step | 20 → 200 | 135 [130–140] | – | ≥ 1.3 | – | 700 |" in md
    assert "repeats' own ratios" not in md      # no pairs, no sentence about them


def test_json_is_strict_and_written_atomically(tmp_path):
    with pytest.raises(ValueError):
        report.to_json({"x": NAN})
    target = tmp_path / "out" / "results.json"
    report.write_atomic(target, "one\n")
    report.write_atomic(target, "two\n")
    assert target.read_text() == "two\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["results.json"]   # no temp files left


# --- child processes ----------------------------------------------------------------------------

def test_peak_rss_is_per_child_not_the_running_maximum(tmp_path):
    big = "b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"
    first = run_child([sys.executable, "-c", big], tmp_path / "o1", tmp_path / "e1")
    second = run_child([sys.executable, "-c", "pass"], tmp_path / "o2", tmp_path / "e2")
    assert first.returncode == 0 and second.returncode == 0
    assert first.peak_rss_kb > 200 * 1024
    assert 0 < second.peak_rss_kb < first.peak_rss_kb - 150 * 1024   # RUSAGE_CHILDREN would say 200+ MB
    assert first.wall_s > 0 and second.wall_s > 0 and first.cpu_s > 0 and second.cpu_s > 0


def test_child_failure_and_timeout_are_reported(tmp_path):
    res = run_child([sys.executable, "-c", "import sys; sys.stderr.write('boom\\n'); sys.exit(3)"],
                    tmp_path / "o", tmp_path / "e")
    assert res.returncode == 3 and not res.timed_out and tail(res.stderr_path) == "boom"
    res = run_child([sys.executable, "-c", "import time; time.sleep(60)"], tmp_path / "o2", tmp_path / "e2",
                    timeout=0.5)
    assert res.timed_out and res.returncode < 0 and res.wall_s < 30


# --- command line -------------------------------------------------------------------------------

@pytest.mark.parametrize("argv, says", [
    (["--repeats", "0"], "--repeats: must be a positive whole number, not '0'"),
    (["--repeats", "many"], "--repeats: must be a positive whole number"),
    (["--e2e-repeats", "-1"], "--e2e-repeats: must be a positive whole number"),
    (["--examples", "lstm_regression,nope"], "unknown example 'nope'"),
    (["--e2e", "nope"], "unknown example 'nope'"),
    (["--lengths", "200,20"], "--lengths: must be N1,N2 with 0 < N1 < N2"),
    (["--lengths", "0"], "--lengths: must be N1,N2"),
    (["--e2e", "lstm_regression", "--skip-e2e"], "--e2e and --skip-e2e contradict"),
    (["--quick-runs", "rnn_words", "--skip-quick"], "--quick-runs and --skip-quick contradict"),
    (["--quick-runs", "nope"], "unknown example 'nope'"),
    (["--seed", "x"], "--seed"),
    (["--out", "__FILE__"], "is a file, not a folder"),
    (["--modern-python", "/nonexistent/python"], "--modern-python /nonexistent/python does not exist"),
    (["--frobnicate"], "unrecognized arguments: --frobnicate"),
    (["--cells", "LSTMBlockCell,nope"], "unknown row 'nope'"),
    (["--cells", "LSTMBlockCell", "--skip-cells"], "--cells and --skip-cells contradict"),
    (["--only-cells", "--examples", "rnn_words"], "--only-cells runs the compat-symbol rows alone"),
    (["--estimators", "sin_predict,nope"], "unknown row 'nope'"),
    (["--estimators", "bert_tiny", "--bert-dir", "__FILE__"], "bert_tiny needs a google-research/bert checkout"),
])
def test_bad_flags_give_one_error_line_and_status_2(argv, says, tmp_path, this_python):
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    argv = [str(a_file) if a == "__FILE__" else a for a in argv]
    done = run_python(this_python, "-m", "benchmarks", *argv, cwd=str(tmp_path), timeout=120)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("benchmarks: error: "), done.stderr
    assert says in lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert not (tmp_path / "results.json").exists()


def test_defaults_and_smoke_profile():
    args = cli.parse([])
    assert args.repeats == 5 and args.examples == list(cli.ALL_EXAMPLES) and args.e2e == args.examples
    assert args.out == cli.DEFAULT_OUT and args.seed is None
    smoke = cli.parse(["--smoke"])
    assert smoke.repeats == 1 and smoke.examples == ["lstm_regression"] and smoke.e2e == []
    assert args.quick_runs == args.examples and smoke.quick_runs == []
    assert cli.parse(["--examples", "rnn_words", "--skip-e2e", "--skip-quick"]).quick_runs == []
    assert smoke.out == cli.SMOKE_OUT != cli.DEFAULT_OUT   # a smoke run never overwrites the real results
    assert cli.parse(["--smoke", "--e2e", "lstm_regression"]).e2e == ["lstm_regression"]
    assert cli.parse(["--examples", "rnn_words,lstm_regression", "--skip-e2e"]).examples == [
        "lstm_regression", "rnn_words"]
    assert cli.parse(["--examples", "rnn_words", "--skip-e2e"]).e2e == []
    assert cli.parse(["--lengths", "5,50"]).lengths == [5, 50] and cli.parse([]).lengths is None


def test_missing_legacy_runtime_is_a_note_not_an_error(tmp_path):
    if not MODERN_PYTHON.exists():
        pytest.skip("modern runtime not built (%s missing)" % MODERN_PYTHON)
    args = cli.parse(["--modern-python", str(MODERN_PYTHON), "--legacy-python", str(tmp_path / "no-python")])
    notes = []
    runtimes, info = cli._runtimes(args, notes)
    assert [label for label, _ in runtimes] == ["modern"]
    assert info["legacy"]["available"] is False and "modern columns only" in notes[0]
    assert info["modern"]["tensorflow"].startswith("2.")


# --- the real thing, small ----------------------------------------------------------------------

@pytest.mark.skipif(TF1, reason="the smoke run drives both runtimes from the modern one; it runs in the "
                                "modern suite only")
def test_smoke_run_end_to_end(tmp_path):
    out = tmp_path / "bench"
    done = run_python(MODERN_PYTHON, "-m", "benchmarks", "--smoke", "--out", out, cwd=str(tmp_path), timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert str(out / "results.json") in done.stdout and str(out / "results.md") in done.stdout
    assert sorted(p.name for p in out.iterdir()) == ["results.json", "results.md"]

    res = json.loads((out / "results.json").read_text())
    assert res["schema"] == 1 and res["status"] == "finished" and res["mode"] == "smoke"
    assert res["errors"] == []
    for key in ("cpu_model", "cores", "memory_gib", "date"):
        assert res["machine"][key]
    modern = res["runtimes"]["modern"]
    assert modern["available"] and modern["tensorflow"].startswith("2.") and modern["numpy"] and modern["python"]
    legacy_built = LEGACY_PYTHON.exists()
    assert res["runtimes"]["legacy"]["available"] is legacy_built
    labels = ["modern", "legacy"] if legacy_built else ["modern"]

    speed = res["steps"]["lstm_regression"]
    assert speed["unit"] == "step" and speed["lengths"] == [3]
    assert sorted(speed["runtimes"]) == sorted(labels)
    for label in labels:
        entry = speed["runtimes"][label]
        assert entry["steps_per_s"]["n"] == 1 and entry["steps_per_s"]["median"] > 0
        assert entry["peak_rss_mb"] > 50
        (run,) = entry["runs"]
        assert run["error"] is None and run["steps"] == 3 and run["loop_time_s"] > 0 and run["wall_s"] > 0
        assert run["cpu_s"] > 0
        assert run["versions"]["compat_active"] is (label == "modern")
    if legacy_built:
        assert speed["ratio"] > 0 and speed["met"] in (True, False)
    else:
        assert speed["ratio"] is None and any("legacy" in n for n in res["notes"])

    start = res["startup"]["modern"]
    for kind in ("plain", "compat"):
        assert start[kind]["wall_s"]["median"] > 0 and start[kind]["cpu_s"]["median"] > 0
        assert start[kind]["peak_rss_mb"] > 50
    assert math.isfinite(start["overhead_s"]) and start["target_s"] == 0.3
    assert res["e2e"] == {} and res["graph"] == {} and res["quick"] == {} and res["cells"] == {}

    for path, value in report.finite_numbers(res):
        assert math.isfinite(value), path
    measured = {t["id"] for t in res["targets"] if t["measured"]}
    assert measured == {"speed:lstm_regression", "startup"}

    md = (out / "results.md").read_text()
    assert "Smoke run" in md and "| lstm_regression | step | 3 |" in md
    assert "python -m compat" in md and "Python %s" % modern["python"] in md


def test_estimator_row_child_trains_on_this_runtime():
    """The sin_predict Estimator row's child in-process, 1 + 2 steps, on this runtime (TF 1.15's
    tf.contrib.learn or compat's): every step stamped, well-formed timings."""
    got = estimators.run_row("sin_predict", steps=2, warmup=1)
    assert got["tensorflow"] == tf.__version__ and got["steps"] == 2 and got["warmup_steps"] == 1
    for key in ("per_step_ms", "cpu_per_step_ms", "steps_per_s", "train_s", "loop_s"):
        assert math.isfinite(got[key]) and got[key] > 0, key
    assert got["train_s"] > got["loop_s"]


def test_compat_call_counter_sees_compat_and_only_compat():
    """The hook behind graph_step --trace-compat: a step calling into compat/ counts, one that
    does not counts nothing (so the 0 below means something)."""
    from benchmarks.graph_step import _count_compat_calls
    from compat import _runtime

    assert _count_compat_calls(lambda: _runtime.import_tensorflow(), 3) >= 3
    assert _count_compat_calls(lambda: math.sqrt(2.0), 3) == 0


@pytest.mark.parametrize("example", ["lstm_regression", "rnn_words"])
def test_compat_is_not_in_the_training_step(example):
    """compat maps names while a graph is built; a training step is TensorFlow's Session alone, so
    the shim cannot cost steps/s (benchmarks/graph_step.py --trace-compat, a real child)."""
    proc = run_python(sys.executable, "-m", "benchmarks.graph_step", "--example", example, "--steps", "5",
                      "--warmup", "3", "--xla", "off", "--trace-compat", "10", cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["compat_calls_per_step"] == 0


def test_the_benchmarks_page_embeds_the_committed_results():
    """docs/benchmarks.md shows benchmarks/results/results.md verbatim between its markers: a new
    `make bench` result committed without the page (or the reverse) fails here.
    `python -m benchmarks.report` re-embeds it."""
    page = (REPO / report.DOC).read_text(encoding="utf-8")
    results = (REPO / "benchmarks" / "results" / "results.md").read_text(encoding="utf-8")
    assert report.embed(page, results) == page, \
        "%s's copy of benchmarks/results/results.md is stale: run python -m benchmarks.report" % report.DOC
    assert json.loads((REPO / "benchmarks" / "results" / "results.json").read_text())["command"] in results
    with pytest.raises(ValueError):
        report.embed(page.replace(report.EMBED_END, ""), results)
