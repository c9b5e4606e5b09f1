"""`python -m tf1_examples regress`: the verdict rules, the Mann-Whitney flag, report.json's
schema, a real quick run end to end, and bad input.

Rules are tested on synthetic numbers (compat.regress); the report is tested on a real
regress run of one example with 2 seeds, on this test's runtime (modern: the end-to-end test
too; legacy: --runtime legacy, for the schema)."""

import json
import math
import sys
from pathlib import Path

import pytest

from conftest import RUNTIME, run_python
from compat.regress import rules, stats
from compat.regress.rules import FAIL, NOT_COMPARABLE, PASS, Rule
from compat.regress.usage import UsageError
from tf1_examples.regress import cases, cli, drawing
from tf1_examples.registry import BY_NAME, EXAMPLES

PYTHON = Path(sys.executable)
ERROR_PREFIX = "tf1_examples: error: "


# --- the rules, on synthetic envelopes ---------------------------------------------------------

BAND = Rule("band", {"factor": 3.0})


def test_band_rule_inside_outside_and_inclusive_edges():
    values = [1.5, 2.0, 4.0]                          # band [0.5, 12]
    assert rules.judge(BAND, 3.0, values)[0] == PASS
    assert rules.judge(BAND, 1.5 / 3.0, values)[0] == PASS       # lower edge: inclusive
    assert rules.judge(BAND, 4.0 * 3.0, values)[0] == PASS       # upper edge: inclusive
    assert rules.judge(BAND, 0.4999, values)[0] == FAIL
    assert rules.judge(BAND, 12.0001, values)[0] == FAIL
    assert "band [0.5, 12]" in rules.judge(BAND, 3.0, values)[1]


def test_range_rule_inside_outside_and_inclusive_edges():
    rule = Rule("range", {})
    values = [0.1, 0.5, 0.3]
    for inside in (0.1, 0.2, 0.5):
        assert rules.judge(rule, inside, values)[0] == PASS
    for outside in (0.0999, 0.5001):
        assert rules.judge(rule, outside, values)[0] == FAIL


def test_ratio_rule_on_the_median_with_inclusive_edges():
    rule = Rule("ratio", {"low": 0.3, "high": 3.0})
    published = 0.009076
    assert rules.judge(rule, published, [0.001, 0.01, 0.5])[0] == PASS      # median 0.01
    assert rules.judge(rule, published, [0.0, 0.3 * published, 1.0])[0] == PASS   # lower edge
    assert rules.judge(rule, published, [0.0, 3.0 * published, 1.0])[0] == PASS   # upper edge
    assert rules.judge(rule, published, [0.0, 0.29 * published, 1.0])[0] == FAIL
    assert rules.judge(rule, published, [0.0, 3.01 * published, 1.0])[0] == FAIL
    # the median, not the range: it follows the middle seed
    assert rules.judge(rule, published, [1e-9, 1e-9, 1e-9, 0.011, 0.012])[0] == FAIL
    assert rules.judge(rule, published, [1e-9, 0.009, 0.01, 0.011, 9.0])[0] == PASS


def test_at_least_rule_on_the_median_with_inclusive_edge():
    rule = Rule("at_least", {"threshold": 85.0})
    assert rules.judge(rule, 95.2, [84.0, 85.0, 99.0])[0] == PASS           # median exactly 85
    assert rules.judge(rule, 95.2, [84.0, 84.99, 99.0])[0] == FAIL
    assert rules.judge(rule, 95.2, [10.0, 90.0, 91.0, 92.0])[0] == PASS     # even count: 90.5


def test_no_values_fail():
    for rule in (BAND, Rule("range", {}), Rule("ratio", {"low": 0.3, "high": 3.0}),
                 Rule("at_least", {"threshold": 1.0})):
        assert rules.judge(rule, 1.0, [])[0] == FAIL


def test_improves_sanity_rule_is_strict_and_needs_every_seed():
    rule = Rule("improves", {"direction": "down", "fraction": 0.1, "column": "loss"})
    falling = [5.0] * 10 + [1.0] * 80 + [0.5] * 10
    assert rules.judge_improves(rule, [falling, falling])[0] == PASS
    flat = [1.0] * 100
    assert rules.judge_improves(rule, [falling, flat])[0] == FAIL          # equal: not improving
    rising = falling[::-1]
    verdict, detail = rules.judge_improves(rule, [falling, rising])
    assert verdict == FAIL and "seed #1" in detail
    assert rules.judge_improves(rule, [])[0] == FAIL
    assert rules.judge_improves(rule, [[1.0]])[0] == FAIL                   # one value: no trend
    up = Rule("improves", {"direction": "up", "fraction": 0.1, "column": "accuracy"})
    assert rules.judge_improves(up, [rising])[0] == PASS
    assert rules.judge_improves(up, [falling])[0] == FAIL
    # short runs: at least one value at each end
    assert rules.judge_improves(rule, [[0.049, 0.06, 0.045]])[0] == PASS


def test_envelope_min_median_max_over_the_seeds_that_logged_each_step():
    env = stats.envelope([{0: 1.0, 1: 4.0}, {0: 3.0, 1: 2.0}, {0: 2.0}])
    assert env.steps == [0, 1]
    assert (env.min, env.median, env.max, env.n) == ([1.0, 2.0], [2.0, 3.0], [3.0, 4.0], [3, 2])


def test_every_published_figure_has_a_rule_and_a_case():
    """The registry's figures name a case of their example and a rule the engine can judge."""
    for example in EXAMPLES:
        case_ids = {c.id for c in cases.cases_of(example.name, "full")}
        figure_rules = cases.figure_rules(example)
        assert [f for f, _, _ in figure_rules] == list(example.published)
        for figure, cid, rule in figure_rules:
            assert cid in case_ids
            assert rules.describe(rule, figure.value)
            assert rules.judge(rule, figure.value, [figure.value])[0] == PASS
        for profile in ("full", "quick"):
            assert cases.final_column(example.name, profile)
    s1 = cases.figure_rules(BY_NAME["lstm_regression"])
    assert [r.kind for _, _, r in s1] == ["band"] * (len(s1) - 1) + ["range"]
    assert s1[-1][0].step == max(f.step for f in BY_NAME["lstm_regression"].published)
    s4 = {f.value: (cid, r) for f, cid, r in cases.figure_rules(BY_NAME["rnn_words"])}
    assert s4[95.20][0] == "rnn_words/layers2" and s4[90.60][0] == "rnn_words/layers1"
    assert [c.id for c in cases.cases_of("rnn_words", "quick")] == ["rnn_words/layers2", "rnn_words/layers1"]


# --- verdicts from (synthetic) run records ------------------------------------------------------

def _fake_job(tmp_path, name, seed, rows, variant=None, ok=True):
    case = [c for c in cases.cases_of(name, "quick") if c.variant == variant][0]
    job = cases.RunJob("modern", "python", case, seed, "quick", tmp_path)
    job.metrics, job.returncode = rows, 0 if ok else 1
    job.error = None if ok else "exit status 1: Boom"
    return job


def test_figures_beyond_the_runs_are_not_comparable_and_get_a_sanity_rule(tmp_path):
    jobs = []
    for seed in range(3):
        for variant in ("layers2", "layers1"):
            rows = [{"step": s, "loss": 5.0 - s / 300.0, "accuracy": 0.0} for s in range(1, 1001)]
            rows[-1].update(average_loss=4.0, average_accuracy=5.0 + seed)
            jobs.append(_fake_job(tmp_path, "rnn_words", seed, rows, variant))
    rows = cases.judge_all(["rnn_words"], ["modern"], jobs, "quick")
    figures = [r for r in rows if r["kind"] == "figure"]
    assert len(figures) == len(BY_NAME["rnn_words"].published)
    assert {r["verdict"] for r in figures} == {NOT_COMPARABLE}
    sanity = [r for r in rows if r["kind"] == "sanity"]
    assert sorted(r["case"] for r in sanity) == ["rnn_words/layers1", "rnn_words/layers2"]
    assert {r["verdict"] for r in sanity} == {PASS}


def test_a_failed_run_is_a_failed_verdict_not_dropped(tmp_path):
    good = [{"step": s, "cost": 10.0 / (s + 1)} for s in range(200)]
    jobs = [_fake_job(tmp_path, "lstm_regression", 0, good),
            _fake_job(tmp_path, "lstm_regression", 1, [], ok=False)]
    rows = cases.judge_all(["lstm_regression"], ["modern"], jobs, "quick")
    runs = [r for r in rows if r["kind"] == "run"]
    assert len(runs) == 1 and runs[0]["verdict"] == FAIL and "seed 1" in runs[0]["detail"]
    assert "Boom" in runs[0]["detail"]
    # the figures are judged on the seed that ran: its costs within +-10 steps of each figure
    assert {r["n"] for r in rows if r["kind"] == "figure"} == {11, 21}


def test_no_successful_run_fails_every_figure(tmp_path):
    jobs = [_fake_job(tmp_path, "sin_predict", 0, [], ok=False)]
    rows = cases.judge_all(["sin_predict"], ["modern"], jobs, "quick")
    assert rows and {r["verdict"] for r in rows} == {FAIL}


# --- Mann-Whitney U -----------------------------------------------------------------------------

def test_mann_whitney_flags_complete_separation_at_k5_only():
    low, high = [0.01, 0.02, 0.03, 0.04, 0.05], [0.11, 0.12, 0.13, 0.14, 0.15]
    mw = stats.mann_whitney(low, high)
    assert mw.flagged and mw.u == 0.0 and math.isclose(mw.p, 2 / 252) and mw.method == "exact"
    # one overlap at K=5: p = 4/252 > 0.01, not flagged
    mw = stats.mann_whitney([0.01, 0.02, 0.03, 0.04, 0.115], high)
    assert not mw.flagged and math.isclose(mw.p, 4 / 252)
    # K=3 cannot flag, however far apart
    mw = stats.mann_whitney(low[:3], [x * 1000 for x in high[:3]])
    assert not mw.flagged and math.isclose(mw.p, 0.1)
    # the same distribution interleaved
    assert stats.mann_whitney([1, 3, 5, 7, 9], [2, 4, 6, 8, 10]).p > 0.5


def test_mann_whitney_smallest_attainable_p():
    expected = {3: 0.1, 4: 2 / 70, 5: 2 / 252, 6: 2 / 924}
    for k, p in expected.items():
        assert math.isclose(stats.min_attainable_p(k, k), p)


def test_mann_whitney_ties_empty_and_identical_samples():
    mw = stats.mann_whitney([1.0, 2.0, 2.0, 3.0], [2.0, 4.0, 5.0, 6.0])
    assert mw.method == "asymptotic" and 0.0 < mw.p < 1.0 and not mw.flagged
    mw = stats.mann_whitney([0.5] * 5, [0.5] * 5)
    assert mw.p == 1.0 and not mw.flagged
    mw = stats.mann_whitney([], [1.0, 2.0])
    assert mw.p is None and not mw.flagged


def test_equivalence_rows_fail_when_flagged(tmp_path):
    jobs = []
    for runtime, base in (("modern", 0.01), ("legacy", 0.5)):
        for seed in range(5):
            job = _fake_job(tmp_path, "lstm_regression", seed,
                            [{"step": 0, "cost": 9.0}, {"step": 199, "cost": base + seed / 1000.0}])
            job.runtime = runtime
            jobs.append(job)
    (row,) = cases.equivalence(["lstm_regression"], jobs, "quick")
    assert row["flagged"] and row["verdict"] == FAIL and row["column"] == "cost"
    assert len(row["modern"]) == len(row["legacy"]) == 5


# --- goldens and plots --------------------------------------------------------------------------

def test_goldens_are_read_when_present_and_bad_ones_warn(tmp_path):
    golden = tmp_path / "golden"
    golden.mkdir()
    (golden / "lstm_regression_seed0.json").write_text(json.dumps(
        {"costs": [12.0, 11.0, 10.5], "seed": 0, "tensorflow": "1.15.5"}))
    (golden / "lstm_regression_broken.json").write_text("{not json")
    (golden / "rnn_words.json").write_text(json.dumps({"steps": [1, 2], "values": [4.0]}))
    rows = [{"step": s, "cost": 12.0 - s / 10.0} for s in range(200)]
    jobs = [_fake_job(tmp_path / "runs", "lstm_regression", k, rows) for k in range(2)]
    goldens, warnings = drawing.load_goldens(["lstm_regression", "rnn_words"], jobs, golden)
    assert [(g[0], g[1].name, g[2], g[4]) for g in goldens] == [
        ("lstm_regression", "lstm_regression_seed0.json", "cost", [0.0, 1.0, 2.0])]
    assert "seed 0" in goldens[0][3]
    assert len(warnings) == 2 and any("broken" in w for w in warnings)

    target = tmp_path / "plots" / "lstm_regression.png"
    drawing.plot_example("lstm_regression", ["modern"], jobs, goldens, target, "quick", [0, 1])
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # no golden folder at all: nothing, no warning
    assert drawing.load_goldens(["lstm_regression"], jobs, tmp_path / "nowhere") == ([], [])



def test_a_golden_trained_on_other_data_is_listed_not_drawn(tmp_path):
    """seq_data_lstm's golden trained on the stand-in's first 113 rows: no reference for runs on
    the default data. load_goldens keeps its "data"; plot_example leaves its curve (and the
    panel only it would fill) out: the PNG is one panel shorter than with the same golden on the
    default data."""
    from PIL import Image

    golden = tmp_path / "golden"
    golden.mkdir()
    rows = [{"step": s, "cost": 12.0 - s / 10.0} for s in range(200)]
    jobs = [_fake_job(tmp_path / "runs", "lstm_regression", k, rows) for k in range(2)]
    heights = {}
    for data in (None, "the first 113 rows"):
        (golden / "lstm_regression.json").write_text(json.dumps(
            {"values": [1.0, 0.5], "steps": [0, 1], "column": "golden_only", "data": data}))
        goldens, warnings = drawing.load_goldens(["lstm_regression"], jobs, golden)
        assert warnings == [] and [(g[2], g[6]) for g in goldens] == [("golden_only", data)]
        target = tmp_path / ("plot-%s.png" % (data is None))
        drawing.plot_example("lstm_regression", ["modern"], jobs, goldens, target, "quick", [0, 1])
        with Image.open(str(target)) as image:
            heights[data is None] = image.size[1]
    assert heights[True] - heights[False] == round(3.2 * 90)     # one 3.2-inch panel at 90 dpi


# --- a real run: report.json's schema, and the CLI end to end ------------------------------------

@pytest.fixture(scope="module")
def real_report(tmp_path_factory):
    """One real regress run: lstm_regression (quick = its full 200 steps), 2 seeds, this runtime."""
    out = tmp_path_factory.mktemp("regress") / "report"
    proc = run_python(PYTHON, "-m", "tf1_examples.regress", "lstm_regression", "--seeds", "2",
                      "--profile", "quick", "--runtime", RUNTIME, "--jobs", "2", "--out", out,
                      cwd=str(out.parent), timeout=300)
    return proc, out


def _check_types(value, spec, where):
    if isinstance(spec, tuple):
        assert isinstance(value, spec), "%s: %r is not %s" % (where, value, spec)
    elif isinstance(spec, dict):
        assert isinstance(value, dict), where
        assert set(spec) <= set(value), "%s: missing %s" % (where, sorted(set(spec) - set(value)))
        for key, sub in spec.items():
            _check_types(value[key], sub, where + "." + key)
    elif isinstance(spec, list):
        assert isinstance(value, list), where
        for k, item in enumerate(value):
            _check_types(item, spec[0], "%s[%d]" % (where, k))


NUM = (int, float)
NUM_OR_NONE = (int, float, type(None))
STR_OR_NONE = (str, type(None))
RUN = {"seed": (int,), "ok": (bool,), "exit_status": (int,), "wall_time_s": NUM,
       "cpu_time_s": NUM_OR_NONE, "folder": (str,),
       "final_step": (int, type(None)), "final": NUM_OR_NONE, "steps_per_s": NUM_OR_NONE,
       "error": STR_OR_NONE}
ENVELOPE = {"steps": [(int,)], "min": [NUM], "median": [NUM], "max": [NUM], "n": [(int,)]}
VERDICT = {"runtime": (str,), "example": (str,), "case": (str,), "kind": (str,), "figure": STR_OR_NONE,
           "column": STR_OR_NONE, "step": (int, type(None)), "published": NUM_OR_NONE,
           "min": NUM_OR_NONE, "median": NUM_OR_NONE, "max": NUM_OR_NONE, "n": (int,), "rule": (str,),
           "rule_kind": (str,), "rule_params": (dict,), "verdict": (str,), "detail": (str,)}
SCHEMA = {
    "schema": (str,), "status": (str,), "command": (str,), "profile": (str,), "examples": [(str,)],
    "seeds": [(int,)],
    "jobs": (int,), "started": (str,), "wall_time_s": NUM, "cpu_time_s": NUM, "exit_status": (int,),
    "runtimes": (dict,), "cases": [{"case": (str,), "example": (str,), "variant": STR_OR_NONE,
                                    "args": [(str,)], "final_column": (str,), "runs": (dict,),
                                    "envelopes": (dict,)}],
    "verdicts": [VERDICT], "equivalence": (list,), "goldens": (list,), "warnings": [(str,)],
    "outputs": {"report_md": (str,), "report_json": (str,), "plots": (dict,)},
    "summary": {"pass": (int,), "fail": (int,), "not_comparable": (int,)},
}


def test_report_json_schema_from_a_real_run(real_report):
    proc, out = real_report
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    _check_types(report, SCHEMA, "report")
    assert report["schema"] == cli.SCHEMA and report["status"] == "finished"
    assert report["profile"] == "quick" and report["seeds"] == [0, 1]
    assert list(report["runtimes"]) == [RUNTIME]
    _check_types(report["runtimes"][RUNTIME], {"interpreter": (str,), "python": (str,),
                                               "tensorflow": (str,), "numpy": (str,)}, "runtimes")
    assert report["runtimes"][RUNTIME]["tensorflow"].startswith("1.15" if RUNTIME == "legacy" else "2.")
    (case,) = report["cases"]
    assert case["case"] == "lstm_regression" and case["final_column"] == "cost"
    runs = case["runs"][RUNTIME]
    _check_types(runs, [RUN], "runs")
    assert [r["seed"] for r in runs] == [0, 1] and all(r["ok"] for r in runs), runs
    assert all((out / r["folder"] / "metrics.csv").is_file() for r in runs)
    assert all(r["final_step"] == 199 for r in runs)
    _check_types(case["envelopes"][RUNTIME]["cost"], ENVELOPE, "envelope")
    assert case["envelopes"][RUNTIME]["cost"]["steps"] == list(range(200))
    figures = [v for v in report["verdicts"] if v["kind"] == "figure"]
    assert len(figures) == len(BY_NAME["lstm_regression"].published)
    assert {v["verdict"] for v in report["verdicts"]} <= {PASS, FAIL}
    assert report["equivalence"] == []
    assert report["exit_status"] == proc.returncode == (1 if report["summary"]["fail"] else 0)
    assert report["outputs"]["plots"] == {"lstm_regression": "plots/lstm_regression.png"}


def test_quick_regress_end_to_end(real_report):
    if RUNTIME != "modern":
        pytest.skip("the end-to-end regress run is checked on the modern runtime (the runs it "
                    "starts are the same subprocesses either way; the legacy run above checks the schema)")
    proc, out = real_report
    assert "Traceback" not in proc.stderr
    progress = [l for l in proc.stderr.splitlines() if l.startswith("regress: [")]
    assert len(progress) == 2 and all("modern lstm_regression seed" in l and " s, cost " in l
                                      for l in progress), proc.stderr
    printed = proc.stdout.strip().splitlines()
    for name in ("report.md", "report.json", "plots/lstm_regression.png"):
        path = out / name
        assert str(path) in printed and path.is_file()
    assert (out / "plots" / "lstm_regression.png").read_bytes()[:4] == b"\x89PNG"
    md = (out / "report.md").read_text(encoding="utf-8")
    for text in ("cost at step 0", "cost at step 180", "## Seeds' final values", "## Runtimes",
                 "(edges inclusive)", "wall time"):
        assert text in md
    for seed in (0, 1):
        folder = out / "runs" / "modern" / "lstm_regression" / ("seed%d" % seed)
        assert (folder / "run.json").is_file() and (folder / "regress.stderr.txt").is_file()
        assert json.loads((folder / "run.json").read_text())["seed"] == seed
    # the verdict table is printed too, rule beside each verdict
    assert "cost at step 180" in proc.stdout and "rule: published within [min, max]" in proc.stdout


# --- bad input ----------------------------------------------------------------------------------

def _bad(tmp_path, *args, env=None):
    before = sorted(p.name for p in tmp_path.iterdir())
    proc = run_python(PYTHON, "-m", "tf1_examples.regress", *args, cwd=str(tmp_path), env=env, timeout=60)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(ERROR_PREFIX) and "; " in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before        # nothing written
    return lines[0]


@pytest.mark.parametrize("args, says", [
    (["no_such_example"], "unknown example 'no_such_example'"),
    (["--seeds", "0"], "--seeds"),
    (["--seeds", "-2"], "--seeds"),
    (["--seeds", "three"], "--seeds"),
    (["--jobs", "0"], "--jobs"),
    (["--runtime", "tf3"], "--runtime"),
    (["--profile", "medium"], "--profile"),
    (["--frobnicate"], "unrecognized arguments"),
])
def test_bad_options_exit_2_with_one_line(tmp_path, args, says):
    assert says in _bad(tmp_path, *args)


def test_out_is_a_file_or_a_foreign_non_empty_folder(tmp_path):
    (tmp_path / "afile").write_text("x")
    assert "is a file" in _bad(tmp_path, "lstm_regression", "--out", "afile")
    other = tmp_path / "photos"
    other.mkdir()
    (other / "cat.jpg").write_text("meow")
    assert "not empty" in _bad(tmp_path, "lstm_regression", "--out", "photos")
    assert [p.name for p in other.iterdir()] == ["cat.jpg"]


@pytest.mark.parametrize("runtime", ["legacy", "both"])
def test_missing_legacy_runtime(tmp_path, runtime):
    line = _bad(tmp_path, "--runtime", runtime, env={"TF1_LEGACY_PYTHON": str(tmp_path / "nope" / "python")})
    assert "legacy runtime" in line and "--runtime modern" in line


def test_runs_is_a_file(tmp_path):
    (tmp_path / "runs").write_text("not a folder")
    assert "runs is a file" in _bad(tmp_path, "lstm_regression")


def test_an_earlier_report_folder_may_be_replaced(tmp_path):
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / cli.MARKER).write_text("python -m tf1_examples regress\n")
    (earlier / "runs").mkdir()
    assert cli.output_folder(str(earlier)) == (earlier.absolute(), True)
    by_json = tmp_path / "by_json"
    by_json.mkdir()
    (by_json / "report.json").write_text(json.dumps({"schema": cli.SCHEMA}))
    assert cli.output_folder(str(by_json))[1] is True
    assert cli.output_folder(str(tmp_path / "new")) == ((tmp_path / "new").absolute(), False)
    with pytest.raises(UsageError):
        cli.output_folder(str(tmp_path))        # holds other things


def test_help_exits_0(tmp_path):
    proc = run_python(PYTHON, "-m", "tf1_examples.regress", "--help", cwd=str(tmp_path), timeout=60)
    assert proc.returncode == 0 and "--profile {quick,full}" in proc.stdout
    assert "report.json" in proc.stdout and list(tmp_path.iterdir()) == []


def test_a_crashing_run_is_reported_with_its_stderr_tail_and_fails(tmp_path):
    """A run that exits non-zero: its progress line says FAILED with the stderr tail, the report
    has a failed `run` verdict, exit status 1. (The interpreter is a stand-in script that fails
    like a crashing example, through the documented TF1_MODERN_PYTHON.)"""
    fake = tmp_path / "fake-python"
    fake.write_text("#!/bin/sh\necho 'Traceback (most recent call last):' >&2\n"
                    "echo 'ValueError: boom in the example' >&2\nexit 3\n")
    fake.chmod(0o755)
    out = tmp_path / "report"
    proc = run_python(PYTHON, "-m", "tf1_examples.regress", "lstm_regression", "--seeds", "2",
                      "--profile", "quick", "--out", out, cwd=str(tmp_path),
                      env={"TF1_MODERN_PYTHON": str(fake)}, timeout=120)
    assert proc.returncode == 1, proc.stderr
    failed = [l for l in proc.stderr.splitlines() if l.startswith("regress: [")]
    assert len(failed) == 2 and all("FAILED (exit status 3)" in l for l in failed), proc.stderr
    assert proc.stderr.count("    ValueError: boom in the example") == 2
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    runs = [v for v in report["verdicts"] if v["kind"] == "run"]
    assert len(runs) == 2 and all(v["verdict"] == FAIL and "boom" in v["detail"] for v in runs)
    assert report["exit_status"] == 1 and report["summary"]["fail"] >= 2
    assert "## Failed runs" in (out / "report.md").read_text(encoding="utf-8")
    seed0 = out / "runs" / "modern" / "lstm_regression" / "seed0" / "regress.stderr.txt"
    assert "boom" in seed0.read_text()
