"""results.json and results.md (the tables docs/benchmarks.md embeds), written atomically."""

import json
from pathlib import Path

from benchmarks import stats
from compat.regress.report import write_text
from tf1_examples.registry import EXAMPLES
from benchmarks.stats import fmt_met, fmt_num, fmt_summary, markdown_table


def write_atomic(path, text):
    """Write text to path atomically (tf1_examples' temp file + os.replace), making its folder:
    a reader sees the old file or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, text)


def to_json(results):
    """Strict JSON (NaN/inf are never written: missing figures are null)."""
    return json.dumps(results, indent=2, allow_nan=False) + "\n"


def _runtime_line(label, info):
    if not info.get("available"):
        return "- %s: not available (%s)" % (label, info.get("note", "missing"))
    return "- %s: Python %s, TensorFlow %s%s, numpy %s, matplotlib %s (`%s`)" % (
        label, info.get("python"), info.get("tensorflow"),
        " through compat" if label == "modern" else "", info.get("numpy"), info.get("matplotlib"),
        info.get("executable"))


def _column(label, runtimes):
    info = runtimes.get(label) or {}
    tf_version = info.get("tensorflow") or "?"
    return "%s (TF %s%s)" % (label, tf_version, ", compat" if label == "modern" else "")


def render_markdown(res):
    m = res["machine"]
    s = res["settings"]
    runtimes = res["runtimes"]
    lines = ["## Benchmarks: compat on current TensorFlow vs TensorFlow 1.15", ""]
    if res.get("status") not in (None, "finished"):
        lines += ["**Incomplete results** (status: %s)." % res.get("status"), ""]
    if res.get("mode") == "smoke":
        lines += ["**Smoke run** (`--smoke`): proves the machinery, the numbers mean nothing.", ""]
    lines += [
        "Measured %s on %s, %s cores (%s usable), %s GiB RAM; load average at start %s, at end %s. "
        "`%s`, %s repeat(s)." % (
            m.get("date"), m.get("cpu_model"), m.get("cores"), m.get("usable_cores"), m.get("memory_gib"),
            _load(m.get("load_average_start")), _load(m.get("load_average_end")), res.get("command"),
            s.get("repeats")),
        "",
    ]
    lines += [_runtime_line(label, runtimes[label]) for label in ("modern", "legacy") if label in runtimes]
    lines.append("")
    for note in res.get("notes", []):
        lines.append("> " + note)
    if res.get("notes"):
        lines.append("")

    labels = [label for label in ("modern", "legacy") if runtimes.get(label, {}).get("available")]
    if res.get("steps"):
        lines += ["### Training speed: steps/s, median [min–max]", ""]
        header = ["example", "unit", "N1 → N2"] + [_column(lb, runtimes) for lb in labels] + [
            "modern / legacy", "target", "met", "peak RSS MB (%s)" % " / ".join(labels)]
        rows = []
        for name, e in res["steps"].items():
            rows.append(_speed_row(name, e, labels, " → ".join(str(n) for n in e["lengths"])))
        graphs = res.get("graph") or {}
        for name, g in graphs.items():
            rows.append(_speed_row("%s, graph only" % name, g, labels,
                                   "%d (+%d warm-up)" % (g["steps"], g["warmup_steps"])))
        lines += [markdown_table(header, rows), ""]
        methods = sorted({e["method"] for e in res["steps"].values()})
        entries = list(res["steps"].values()) + list(graphs.values())
        paired = any((e.get("ratios") or {}).get("n") for e in entries)
        lines.append("Method: %s; runtimes alternate run by run%s. A run's own steps/s (run.json) "
                     "includes its warm-up and is in results.json." % (
                         "; ".join(methods),
                         "; modern / legacy: the median [min–max] of the repeats' own ratios, each "
                         "from two runs made one after the other (the ratio of the medians is in "
                         "results.json)" if paired else ""))
        for name, g in graphs.items():
            per_step = ", ".join("%s %s ms (CPU %s ms)" % (
                lb, fmt_summary(g["runtimes"].get(lb, {}).get("per_step_ms")),
                fmt_summary(g["runtimes"].get(lb, {}).get("cpu_per_step_ms"))) for lb in labels)
            lines.append("*%s, graph only*: the training `sess.run` alone (%s), %s. Per %s: %s." % (
                name, GRAPH_WHAT.get(name, ""), g["method"], g["unit"], per_step))
        lines.append("")

    if res.get("cells"):
        lines += _cells_section(res["cells"], labels, runtimes)
    if res.get("estimators"):
        lines += _estimators_section(res["estimators"], labels, runtimes)

    if res.get("e2e"):
        lines += ["### End-to-end: each example's default run (modern runtime, headless)", ""]
        header = ["example", "length", "process wall s", "training loop s", "ms per step", "process CPU s",
                  "peak RSS MB", "target", "met"]
        rows = []
        for name, e in res["e2e"].items():
            target = ("%s: ≤ %g s" % (e["target_id"], e["target_s"])) if e["target_s"] else "–"
            rows.append([name, "%s %ss" % (e["steps"], e["unit"]) if e["steps"] else "–",
                         fmt_summary(e["wall_s"]), fmt_summary(e["loop_time_s"]), _per_step_ms(e),
                         fmt_summary(e.get("cpu_s")), fmt_num(e["peak_rss_mb"]), target, fmt_met(e["met"])])
        lines += [markdown_table(header, rows), "",
                  "Process wall time: interpreter start to exit, as the parent measures it "
                  "(`python -m tf1_examples run NAME --no-progress`, MPLBACKEND=Agg); ms per step: "
                  "training loop time / length.", ""]

    if res.get("quick"):
        lines += ["### `--quick` profiles (modern runtime, headless)", ""]
        header = ["example", "length", "process wall s", "training loop s", "process CPU s", "peak RSS MB",
                  "target", "met"]
        rows = [[name, "%s %ss" % (e["steps"], e["unit"]) if e["steps"] else "–", fmt_summary(e["wall_s"]),
                 fmt_summary(e["loop_time_s"]), fmt_summary(e.get("cpu_s")), fmt_num(e["peak_rss_mb"]),
                 "≤ %g s" % e["target_s"], fmt_met(e["met"])] for name, e in res["quick"].items()]
        lines += [markdown_table(header, rows), "",
                  "`python -m tf1_examples run NAME --quick --no-progress` (what `make demo` and the "
                  "tests run), process wall time.", ""]

    if res.get("startup"):
        lines += ["### Start-up: `python -m compat SCRIPT` vs `python -c \"import tensorflow\"`", ""]
        header = ["runtime", "import tensorflow s", "python -m compat s", "overhead s", "target",
                  "met", "CPU s (plain / compat)", "peak RSS MB (plain / compat)"]
        rows = []
        for label, e in res["startup"].items():
            rows.append([_column(label, runtimes), fmt_summary(e["plain"]["wall_s"]),
                         fmt_summary(e["compat"]["wall_s"]), fmt_num(e["overhead_s"], 2),
                         "≤ %g s" % e["target_s"], fmt_met(e["met"]),
                         "%s / %s" % (fmt_summary(e["plain"]["cpu_s"]), fmt_summary(e["compat"]["cpu_s"])),
                         "%s / %s" % (fmt_num(e["plain"]["peak_rss_mb"]), fmt_num(e["compat"]["peak_rss_mb"]))])
        lines += [markdown_table(header, rows), "",
                  "SCRIPT is benchmarks/probes/tf1_startup.py (`import tensorflow as tf; tf.placeholder`); "
                  "overhead = difference of the wall-time medians. CPU s: user + system time of the process, "
                  "less disturbed by a busy machine than wall time.", ""]

    if res.get("targets"):
        lines += ["### Targets", ""]
        rows = [[t["id"], t["description"], fmt_num(t["value"]), t["target"],
                 fmt_met(t["met"]) if t.get("measured", True) else "not measured"]
                for t in res["targets"]]
        lines += [markdown_table(["id", "what", "measured", "target", "met"], rows), ""]
    lines.append("Peak RSS: each child process's own maximum resident set size (os.wait4), in MiB.")
    return "\n".join(lines) + "\n"


def _row_group_table(rows, labels, runtimes, first_column):
    """The table of a row group (cells, estimators: entries of suite.row_entry), no target."""
    header = ([first_column, "model"] + [_column(lb, runtimes) for lb in labels]
              + ["modern / legacy", "CPU ms per step (%s)" % " / ".join(labels),
                 "peak RSS MB (%s)" % " / ".join(labels)])
    table = []
    for e in rows.values():
        per = [e["runtimes"].get(lb, {}) for lb in labels]
        table.append([e["symbol"], e["what"]] + [fmt_summary(x.get("steps_per_s")) for x in per]
                     + [fmt_summary(e.get("ratios")), " / ".join(fmt_summary(x.get("cpu_per_step_ms")) for x in per),
                        " / ".join(fmt_num(x.get("peak_rss_mb")) for x in per)])
    return markdown_table(header, table)


def _cells_section(rows, labels, runtimes):
    """The compat-symbol rows (benchmarks/cells.py): steps/s side by side, no target."""
    kernels = []
    for e in rows.values():
        ops = [e["runtimes"].get(lb, {}).get("kernel_ops") for lb in labels]
        same = all(o == ops[0] for o in ops)
        kernels.append("%s: %s%s" % (e["symbol"].rsplit(".", 1)[-1], _ops(ops[0]),
                                     "" if same else " (**differs**: %s)" % " / ".join(_ops(o) for o in ops)))
    first = next(iter(rows.values()))
    method = ("Method: benchmarks/cells.py builds the model around the symbol with `import compat.v1 as tf` "
              "(TF 1.15's own tf.contrib on the legacy runtime) and times %d `sess.run` training steps after "
              "%d warm-up steps, one process per row, runtime and repeat, runtimes alternating; modern / "
              "legacy: the median [min–max] of the repeats' own ratios. No target. Fused kernels in each "
              "graph (the same on both runtimes unless marked): %s." % (
                  first["steps"], first["warmup_steps"], "; ".join(kernels)))
    return _section("### compat's own symbols: training steps/s, median [min–max]",
                    _row_group_table(rows, labels, runtimes, "symbol"), method)


def _estimators_section(rows, labels, runtimes):
    """The Estimator rows (benchmarks/estimators.py): Estimator.train steps/s side by side, no target."""
    first = next(iter(rows.values()))
    method = ("Method: benchmarks/estimators.py trains the model in the Estimator (TF 1.15's own on the legacy "
              "runtime) for %d + %d steps in one `train()` call; a hook stamps every step, and steps/s and CPU "
              "ms per step are over the last %d (graph building, session start and the final checkpoint are "
              "outside). One process per row, runtime and repeat, runtimes alternating; modern / legacy: the "
              "median [min–max] of the repeats' own ratios. No target." % (
                  first["warmup_steps"], first["steps"], first["steps"]))
    return _section("### Estimators: `train()` steps/s, median [min–max]",
                    _row_group_table(rows, labels, runtimes, "estimator"), method)


def _section(title, table, method):
    return [title, "", table, "", method, ""]


def _ops(counts):
    return ", ".join(sorted(counts)) if counts else "–"


# what the graph-only rows time (benchmarks/graph_step.py)
GRAPH_WHAT = {"lstm_regression": "without the example's per-step plotting",
              "rnn_words": "with the example's Session config: XLA on TF 2.x"}


def _per_step_ms(e):
    loop, steps = (e.get("loop_time_s") or {}).get("median"), e.get("steps")
    return fmt_num(1000.0 * loop / steps) if stats.finite(loop) and steps else "–"


def _speed_row(name, e, labels, lengths):
    cells = [name, e["unit"], lengths]
    for label in labels:
        cells.append(fmt_summary(e["runtimes"].get(label, {}).get("steps_per_s")))
    # results.json files written before the per-repeat ratios have only "ratio"
    ratio = fmt_summary(e["ratios"]) if e.get("ratios") else fmt_num(e.get("ratio"), 3)
    cells += [ratio,
              "≥ %g" % e["target"], fmt_met(e["met"]),
              " / ".join(fmt_num(e["runtimes"].get(lb, {}).get("peak_rss_mb")) for lb in labels)]
    return cells


def _load(values):
    return "–" if not values else " ".join("%.2f" % v for v in values)


def targets(res):
    """Every target and whether it is met (results.json "targets"): all of them, always; one this
    run did not measure has value None and "measured": False."""
    from benchmarks import suite

    examples = [e.name for e in EXAMPLES]          # the four, in the registry's order
    out = []

    def add(tid, description, entry, value, target, met):
        out.append({"id": tid, "description": description, "value": value, "target": target,
                    "met": met, "measured": entry is not None})

    steps, e2e, quick = res.get("steps") or {}, res.get("e2e") or {}, res.get("quick") or {}
    for name in examples:
        e = steps.get(name)
        add("speed:%s" % name, "%s training steps/s, modern / legacy" % name, e,
            e and e["ratio"], "≥ %g" % suite.RATIO_TARGET, e and e["met"])
    for name, (tid, limit) in suite.E2E_TARGETS.items():
        e = e2e.get(name)
        add(tid, "%s default run, wall s (modern)" % name, e, e and e["wall_s"]["median"],
            "≤ %g" % limit, e and e["met"])
    e = (res.get("startup") or {}).get("modern")
    add("startup", "python -m compat start-up overhead, s (modern)", e, e and e["overhead_s"],
        "≤ %g" % suite.STARTUP_TARGET_S, e and e["met"])
    for name in examples:
        e = quick.get(name)
        add("quick:%s" % name, "%s --quick run, wall s (modern)" % name, e, e and e["wall_s"]["median"],
            "≤ %g" % suite.QUICK_TARGET_S, e and e["met"])
    return out


def summary_lines(res):
    """What the console shows at the end: the same tables as results.md."""
    return render_markdown(res)


def finite_numbers(obj, path="$"):
    """Every number in obj as (json path, value): for checks that all are finite."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            for item in finite_numbers(v, "%s.%s" % (path, k)):
                yield item
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            for item in finite_numbers(v, "%s[%d]" % (path, i)):
                yield item
    elif stats.finite(obj) or isinstance(obj, float):
        yield path, obj


DOC = "docs/benchmarks.md"       # the page that shows results.md, with the notes around it
EMBED_START = "<!-- benchmarks/results/results.md, embedded -->\n"
EMBED_END = "<!-- end of benchmarks/results/results.md -->\n"


def embed(doc, results_md):
    """doc's text with results.md, verbatim, between its two markers. ValueError if the markers
    are missing."""
    if doc.count(EMBED_START) != 1 or doc.count(EMBED_END) != 1:
        raise ValueError("%s needs exactly one %r and one %r" % (DOC, EMBED_START.strip(), EMBED_END.strip()))
    before, rest = doc.split(EMBED_START)
    after = rest.split(EMBED_END)[1]
    return before + EMBED_START + results_md.rstrip("\n") + "\n\n" + EMBED_END + after


if __name__ == "__main__":   # python -m benchmarks.report: put benchmarks/results/results.md into docs/benchmarks.md
    _repo = Path(__file__).resolve().parent.parent
    _doc = _repo / DOC
    write_text(_doc, embed(_doc.read_text(encoding="utf-8"),
                           (_repo / "benchmarks" / "results" / "results.md").read_text(encoding="utf-8")))
