"""results.json and results.md (the table the README embeds), written atomically."""

import json
from pathlib import Path

from benchmarks import stats
from tf1_examples._runs import write_text
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
        g = res.get("s1_graph")
        if g:
            rows.append(_speed_row("lstm_regression, graph only", g, labels,
                                   "%d (+%d warm-up)" % (g["steps"], g["warmup_steps"])))
        lines += [markdown_table(header, rows), ""]
        methods = sorted({e["method"] for e in res["steps"].values()})
        lines.append("Method: %s; runtimes alternate run by run. A run's own steps/s (run.json) "
                     "includes its warm-up and is in results.json." % "; ".join(methods))
        if g:
            per_step = ", ".join("%s %s ms" % (lb, fmt_summary(g["runtimes"].get(lb, {}).get("per_step_ms")))
                                 for lb in labels)
            lines.append("*graph only*: the S1 training `sess.run` alone, without the example's per-step "
                         "plotting: %s. Per step: %s." % (g["method"], per_step))
        lines.append("")

    if res.get("e2e"):
        lines += ["### End-to-end: each example's default run (modern runtime, headless)", ""]
        header = ["example", "length", "process wall s", "training loop s", "process CPU s", "peak RSS MB",
                  "target", "met"]
        rows = []
        for name, e in res["e2e"].items():
            target = ("%s: ≤ %g s" % (e["target_id"], e["target_s"])) if e["target_s"] else "–"
            rows.append([name, "%s %ss" % (e["steps"], e["unit"]) if e["steps"] else "–",
                         fmt_summary(e["wall_s"]), fmt_summary(e["loop_time_s"]),
                         fmt_summary(e.get("cpu_s")), fmt_num(e["peak_rss_mb"]), target, fmt_met(e["met"])])
        lines += [markdown_table(header, rows), "",
                  "Process wall time: interpreter start to exit, as the parent measures it "
                  "(`python -m tf1_examples run NAME --no-progress`, MPLBACKEND=Agg).", ""]

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
        rows = [[t["id"], t["description"], fmt_num(t["value"]), t["target"], fmt_met(t["met"])]
                for t in res["targets"]]
        lines += [markdown_table(["id", "what", "measured", "target", "met"], rows), ""]
    lines.append("Peak RSS: each child process's own maximum resident set size (os.wait4), in MiB.")
    return "\n".join(lines) + "\n"


def _speed_row(name, e, labels, lengths):
    cells = [name, e["unit"], lengths]
    for label in labels:
        cells.append(fmt_summary(e["runtimes"].get(label, {}).get("steps_per_s")))
    cells += [fmt_num(e.get("ratio"), 3) if e.get("ratio") is not None else "–",
              "≥ %g" % e["target"], fmt_met(e["met"]),
              " / ".join(fmt_num(e["runtimes"].get(lb, {}).get("peak_rss_mb")) for lb in labels)]
    return cells


def _load(values):
    return "–" if not values else " ".join("%.2f" % v for v in values)


def targets(res):
    """The flat list of every target and whether it is met (results.json "targets")."""
    out = []
    for name, e in (res.get("steps") or {}).items():
        out.append({"id": "speed:%s" % name, "description": "%s training steps/s, modern / legacy" % name,
                    "value": e["ratio"], "target": "≥ %g" % e["target"], "met": e["met"]})
    for name, e in (res.get("e2e") or {}).items():
        if e.get("target_s"):
            out.append({"id": e["target_id"], "description": "%s default run, wall s (modern)" % name,
                        "value": e["wall_s"]["median"], "target": "≤ %g" % e["target_s"], "met": e["met"]})
    for label, e in (res.get("startup") or {}).items():
        if label == "modern":
            out.append({"id": "startup", "description": "python -m compat start-up overhead, s (modern)",
                        "value": e["overhead_s"], "target": "≤ %g" % e["target_s"], "met": e["met"]})
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
