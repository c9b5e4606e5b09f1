"""The row groups: benchmarks/cells.py (compat-symbol rows) and benchmarks/estimators.py (Estimator
rows): their flags, the parent's aggregation into one entry shape (with fake children: no
TensorFlow), their results.md sections, and one real cells row child in-process on this runtime
(the Estimator child: tests/benchmarks/test_benchmarks.py). Timings are never asserted, only
well-formed positive numbers."""

import json
import math

import pytest

from benchmarks import cells, cli, estimators, report, suite
from conftest import tf


def fake_results():
    """The smallest results dict report.render_markdown accepts, both runtimes available."""
    runtimes = {label: {"available": True, "python": "3", "tensorflow": version, "numpy": "1", "matplotlib": "3",
                        "executable": "/%s/python" % label}
                for label, version in (("modern", "2.21.0"), ("legacy", "1.15.5"))}
    return {"mode": "full", "command": "python -m benchmarks --only-cells", "notes": [],
            "machine": {"date": "2026-01-01", "cpu_model": "CPU", "cores": 2, "usable_cores": 2, "memory_gib": 8.0,
                        "load_average_start": None, "load_average_end": None},
            "settings": {"repeats": 2}, "runtimes": runtimes, "steps": {}, "graph": {}, "e2e": {}, "quick": {},
            "startup": {}, "targets": []}

def test_cells_flags():
    assert cli.parse([]).cells == list(cells.ROW_NAMES) and cli.parse(["--smoke"]).cells == []
    assert cli.parse(["--skip-cells"]).cells == [] and cli.parse(["--cells", "none"]).cells == []
    assert cli.parse(["--cells", "GRUBlockCellV2,LSTMBlockCell"]).cells == ["LSTMBlockCell", "GRUBlockCellV2"]
    only = cli.parse(["--only-cells"])
    assert only.cells == list(cells.ROW_NAMES) and only.skip_startup
    assert only.examples == only.e2e == only.quick_runs == []
    assert cli.parse(["--only-cells", "--smoke"]).cells == list(cells.ROW_NAMES)   # asked for: not dropped
    with pytest.raises(KeyError, match="no benchmark row 'nope'"):
        cells.row_named("nope")


class FakeChildren(object):
    """suite.Context's interface, with children that print what a row child would (or fail)."""

    def __init__(self, tmp_path, rates, fail=()):
        self.runtimes = [("modern", "m"), ("legacy", "l")]
        self.errors, self.lines, self.calls = [], [], []
        self._tmp, self._rates, self._fail = tmp_path, rates, fail

    def echo(self, text):
        self.lines.append(text)

    def child(self, label, argv, timeout):
        from benchmarks.child import ChildResult

        self.calls.append(label)
        folder = self._tmp / ("%02d" % len(self.calls))
        folder.mkdir()
        runtime = label.rsplit("-", 1)[1]
        rate = self._rates[runtime].pop(0)
        failed = (runtime, len(self._rates[runtime])) in self._fail
        (folder / "stdout.txt").write_text("" if failed else "noise\n" + json.dumps(
            {"steps_per_s": rate, "per_step_ms": 1000.0 / rate, "cpu_per_step_ms": 900.0 / rate,
             "kernel_ops": {"BlockLSTM": 1, "BlockLSTMGrad": 1}}) + "\n")
        (folder / "stderr.txt").write_text("boom\n" if failed else "")
        return ChildResult(argv, 1 if failed else 0, 2.0, 1.5, 300 * 1024.0, False,
                           str(folder / "stdout.txt"), str(folder / "stderr.txt")), folder


def test_cells_measure_alternates_runtimes_and_pairs_repeats(tmp_path):
    ctx = FakeChildren(tmp_path, {"modern": [150.0, 90.0, 200.0], "legacy": [100.0, 60.0, 100.0]},
                       fail={("legacy", 0)})          # the last legacy run fails
    out = cells.measure(ctx, ["LSTMBlockFusedCell"], repeats=3, steps=7, warmup=2)
    assert ctx.calls == ["cells-LSTMBlockFusedCell-%s" % lb for _ in range(3) for lb in ("modern", "legacy")]
    e = out["LSTMBlockFusedCell"]
    assert e["symbol"] == "tf.contrib.rnn.LSTMBlockFusedCell" and e["steps"] == 7 and e["warmup_steps"] == 2
    assert e["runtimes"]["modern"]["steps_per_s"]["median"] == 150.0
    assert e["runtimes"]["legacy"]["steps_per_s"]["values"] == [100.0, 60.0, None]
    assert e["ratios"]["values"] == [1.5, 1.5] and e["ratio"] == 1.5     # the failed repeat is dropped
    assert e["runtimes"]["legacy"]["kernel_ops"] == {"BlockLSTM": 1, "BlockLSTMGrad": 1}
    assert e["runtimes"]["modern"]["peak_rss_mb"] == 300.0
    assert len(ctx.errors) == 1 and "LSTMBlockFusedCell row on legacy: exit status 1: boom" in ctx.errors[0]
    assert len(ctx.lines) == 6


def test_markdown_has_the_cells_section():
    res = fake_results()
    per_runtime = {"modern": {"runs": []}, "legacy": {"runs": []}}
    for label, rates in (("modern", [30.0, 32.0]), ("legacy", [20.0, 20.0])):
        per_runtime[label]["runs"] = [{"steps_per_s": r, "cpu_per_step_ms": 1000.0 / r, "peak_rss_mb": 400.0,
                                       "kernel_ops": {"GRUBlockCell": 1, "GRUBlockCellGrad": 1}} for r in rates]
    row = cells.row_named("GRUBlockCellV2")
    entry = suite.row_entry(per_runtime, symbol=row.symbol, what=row.what, steps=200, warmup_steps=10)
    res["cells"] = {"GRUBlockCellV2": entry}
    md = report.render_markdown(res)
    assert "### compat's own symbols: training steps/s" in md
    assert ("| tf.contrib.rnn.GRUBlockCellV2 | %s | 31.0 [30.0–32.0] | 20.0 | 1.55 [1.50–1.60] | "
            "32.3 [31.2–33.3] / 50.0 | 400 / 400 |" % cells.row_named("GRUBlockCellV2").what) in md
    assert "GRUBlockCellV2: GRUBlockCell, GRUBlockCellGrad." in md and "differs" not in md
    per_runtime["legacy"]["kernel_ops"] = {"GRUBlockCell": 1}
    assert "**differs**" in report.render_markdown(res)


def test_cells_child_times_a_row_on_this_runtime():
    """The row child in-process, on this runtime (TF 1.15's contrib or compat): a real graph with the
    fused kernel and its gradient, well-formed timings."""
    got = cells.run_row("LSTMBlockFusedCell", steps=2, warmup=1)
    assert got["tensorflow"] == tf.__version__
    assert got["kernel_ops"] == {"BlockLSTM": 1, "BlockLSTMGrad": 1}
    for key in ("per_step_ms", "cpu_per_step_ms", "steps_per_s", "build_s"):
        assert math.isfinite(got[key]) and got[key] > 0, key


def test_estimator_flags(tmp_path, monkeypatch):
    monkeypatch.delenv("BERT_DIR", raising=False)
    assert cli.parse([]).estimators == ["sin_predict"]            # bert_tiny needs a BERT checkout
    assert cli.parse(["--smoke"]).estimators == [] and cli.parse(["--skip-estimators"]).estimators == []
    assert cli.parse(["--only-cells"]).estimators == ["sin_predict"]
    assert cli.parse(["--estimators", "none"]).estimators == []
    with pytest.raises(cli.UsageError, match="bert_tiny needs a google-research/bert checkout.*no --bert-dir"):
        cli.parse(["--estimators", "bert_tiny"])
    with pytest.raises(cli.UsageError, match="has no run_pretraining.py"):
        cli.parse(["--estimators", "all", "--bert-dir", str(tmp_path)])
    with pytest.raises(cli.UsageError, match="--estimators and --skip-estimators contradict"):
        cli.parse(["--estimators", "sin_predict", "--skip-estimators"])
    (tmp_path / "run_pretraining.py").write_text("")
    assert cli.parse(["--bert-dir", str(tmp_path)]).estimators == ["sin_predict", "bert_tiny"]
    monkeypatch.setenv("BERT_DIR", str(tmp_path))
    assert cli.build_parser().parse_args([]).bert_dir == str(tmp_path)
    with pytest.raises(KeyError, match="no estimator row 'nope'"):
        estimators.row_named("nope")


def test_estimator_rows_have_the_cells_entry_shape(tmp_path):
    """One entry builder (suite.row_entry) for both row groups: the same keys, per runtime too."""
    rates = {"modern": [40.0, 50.0], "legacy": [20.0, 20.0]}
    ctx = FakeChildren(tmp_path, dict((k, list(v)) for k, v in rates.items()))
    estimator = estimators.measure(ctx, ["sin_predict"], repeats=2, steps=5, warmup=1)["sin_predict"]
    assert ctx.calls == ["estimators-sin_predict-%s" % lb for _ in range(2) for lb in ("modern", "legacy")]
    (tmp_path / "c").mkdir()
    cell = cells.measure(FakeChildren(tmp_path / "c", rates), ["crf"], repeats=2, steps=5, warmup=1)["crf"]
    assert sorted(estimator) == sorted(cell) and sorted(estimator["runtimes"]) == ["legacy", "modern"]
    assert sorted(estimator["runtimes"]["modern"]) == sorted(cell["runtimes"]["modern"])
    assert estimator["symbol"] == "tf.contrib.learn.Estimator" and estimator["steps"] == 5
    assert estimator["ratios"]["values"] == [2.0, 2.5] and estimator["ratio"] == 2.25
    assert estimator["runtimes"]["legacy"]["cpu_per_step_ms"]["median"] == 45.0


def test_markdown_has_the_estimators_section(tmp_path):
    res = fake_results()
    res["estimators"] = estimators.measure(FakeChildren(tmp_path, {"modern": [40.0], "legacy": [20.0]}),
                                           ["sin_predict"], repeats=1, steps=5, warmup=1)
    md = report.render_markdown(res)
    assert "### Estimators: `train()` steps/s" in md and "1 + 5 steps in one `train()` call" in md
    assert ("| tf.contrib.learn.Estimator | %s | 40.0 | 20.0 | 2.00 | 22.5 / 45.0 | 300 / 300 |"
            % estimators.row_named("sin_predict").what) in md
    assert "compat's own symbols" not in md
