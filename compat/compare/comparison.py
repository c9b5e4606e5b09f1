"""compare's verdicts, report and pictures on the regression engine (compat/regress/): per
metric the two runtimes' seed envelopes, the overlap rule and Mann-Whitney U on the final
values, the logged steps, and published points (--published) under regress's band rule."""

import csv
from collections import OrderedDict, namedtuple

from compat.compare import pairing
from compat.regress import report as reporting
from compat.regress import rules
from compat.regress.plots import Panel, Point, draw
from compat.regress.rules import FAIL, Rule
from compat.regress.stats import ALPHA, envelope, fmt, thin
from compat.regress.usage import UsageError

OVERLAP = Rule("overlap", {"factor": 1.5})
PUBLISHED_RULE = Rule("band", {"factor": 3.0})
PUBLISHED_HEADER = ["metric", "step", "value", "source"]
Published = namedtuple("Published", "metric step value source")


def read_published(path):
    """--published FILE (CSV metric,step,value,source; step empty = the last logged) -> [Published]."""
    where = "--published %s" % path
    try:
        with open(str(path), newline="", encoding="utf-8") as f:
            table = list(csv.reader(f))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError("%s cannot be read (%s); pass a CSV file with the header %s"
                         % (where, exc, ",".join(PUBLISHED_HEADER)))
    if not table or [c.strip().lower() for c in table[0]] != PUBLISHED_HEADER:
        raise UsageError("%s: line 1 is not the header %s; put it first, then one published value a "
                         "line" % (where, ",".join(PUBLISHED_HEADER)))
    points = []
    for k, row in enumerate(table[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != 4:
            raise UsageError("%s: line %d has %d columns, not 4 (%s)" % (where, k, len(row), ",".join(PUBLISHED_HEADER)))
        metric, step, value, source = (c.strip() for c in row)
        if not metric:
            raise UsageError("%s: line %d, column metric is empty; name the metric as the report lists it" % (where, k))
        try:
            step = int(step) if step else None
        except ValueError:
            raise UsageError("%s: line %d, column step: %r is not a whole number; write the logged step "
                             "(or leave it empty for the last one)" % (where, k, step))
        try:
            value = float(value)
        except ValueError:
            raise UsageError("%s: line %d, column value: %r is not a number" % (where, k, value))
        points.append(Published(metric.lower(), step, value, source))
    return points


def judge(jobs, metrics, runtimes, published):
    """-> (verdict rows, equivalence rows)."""
    rows, equiv = [], []
    case = jobs[0].id if jobs else "script"
    for runtime in runtimes:
        for j in jobs:
            if j.runtime == runtime and not j.ok:
                last = (j.stderr_tail(1) or ["no stderr"])[0]
                rows.append(rules.verdict_row(runtime, case, "run", "the run exits 0", FAIL, "seed %d: %s; %s" % (
                    j.seed, j.failure(), last)))
    for m in metrics:
        series = OrderedDict((r, [j.series(m.name) for j in jobs if j.runtime == r and j.ok]) for r in runtimes)
        finals = OrderedDict((r, [list(s.values())[-1] for s in series[r] if s]) for r in runtimes)
        if len(runtimes) == 2:
            steps = OrderedDict((r, sorted(set(k for s in series[r] for k in s))) for r in runtimes)
            a, b = runtimes
            if steps[a] != steps[b]:
                rows.append(rules.verdict_row("+".join(runtimes), case, "steps", "both runtimes log the same steps",
                                              FAIL, "%s" % "; ".join("%s logged %d step(s)%s" % (
                                                  r, len(steps[r]), ", last %d" % steps[r][-1] if steps[r] else "")
                                                  for r in runtimes), figure="steps of " + m.label, column=m.name))
            verdict, detail = rules.judge_overlap(OVERLAP, finals[a], finals[b], (a, b))
            rows.append(rules.verdict_row("+".join(runtimes), case, "final", OVERLAP, verdict, detail,
                                          figure="final " + m.label, column=m.name, step=_last(steps[a] + steps[b]),
                                          values=finals[a] + finals[b]))
            equiv.append(rules.equivalence_row(case, case, m.name, finals["modern"], finals["legacy"]))
        for p in published:
            if p.metric != m.name:
                continue
            for r in runtimes:
                ok = [s for s in series[r]]
                last = _last([k for s in ok for k in s])
                verdict, detail, values = rules.judge_figure(PUBLISHED_RULE, p.value, p.step, ok, last)
                rows.append(rules.verdict_row(r, case, "figure", PUBLISHED_RULE, verdict, detail,
                                              figure="%s (%s)" % (m.label, p.source or "published"), column=m.name,
                                              step=p.step, published=p.value, values=values))
    names = {m.name for m in metrics}
    for p in published:
        if p.metric not in names:
            rows.append(rules.verdict_row("+".join(runtimes), case, "figure", PUBLISHED_RULE, FAIL,
                                          "no run logged a metric %r" % p.metric, figure=p.metric,
                                          column=p.metric, step=p.step, published=p.value))
    return rows, equiv


def _last(steps):
    return max(steps) if steps else None


def first_difference(rows, equiv):
    """The one line that names what differs, or None."""
    for r in rows:
        if r["verdict"] == FAIL:
            what = r["column"] or "a %s run" % r["runtime"]
            at = " at step %s" % r["step"] if r["step"] is not None else ""
            return "%s%s: %s" % (what, at, r["detail"])
    for e in equiv:
        if e["verdict"] == FAIL:
            return "%s final value (Mann-Whitney p=%s < %g)" % (e["column"], fmt(e["p"]), e["alpha"])
    return None


def case_records(jobs, metrics, runtimes):
    """report.json "cases": one per metric, each runtime's runs and envelope."""
    cases = []
    for m in metrics:
        envs = OrderedDict()
        for r in runtimes:
            series = [s for s in (j.series(m.name) for j in jobs if j.runtime == r and j.ok) if s]
            if series:
                envs[r] = OrderedDict([(m.name, thin(envelope(series)))])
        cases.append(OrderedDict([
            ("case", m.name), ("label", m.label), ("final_column", m.name),
            ("runs", OrderedDict((r, [j.summary(m.name) for j in jobs if j.runtime == r]) for r in runtimes)),
            ("envelopes", envs)]))
    return cases


def plot(jobs, metric, runtimes, published, target, seeds):
    groups = [(r, [s for s in (j.series(metric.name) for j in jobs if j.runtime == r and j.ok) if s])
              for r in runtimes]
    points = [Point(p.step, p.value, p.source or "published", False) for p in published if p.metric == metric.name]
    draw(target, [Panel(metric.label, groups, points, [])],
         "%s: %s, seeds %d-%d" % (jobs[0].script.name, metric.label, seeds[0], seeds[-1]))


def markdown(report, jobs):
    lines = ["# compare: %s" % report["script"], "",
             "- command: `%s`" % report["command"],
             "- started %s, wall time %.1f s (the runs' CPU time %.1f s), %d parallel run(s), seeds %s" % (
                 report["started"], report["wall_time_s"], report["cpu_time_s"], report["jobs"],
                 ", ".join(str(s) for s in report["seeds"])),
             "- verdict: %s (exit status %d)" % (report["verdict"], report["exit_status"])]
    if report["paired"]:
        lines += ["- run against run: " + report["paired"]["summary"]]
        lines += ["- finding: " + f for f in report["paired"]["findings"]]
    lines += [""]
    lines += reporting.runtimes_section(report["runtimes"])
    lines += ["## Metrics", ""]
    for m in report["metrics"]:
        lines.append("- `%s` (%s), e.g. %s" % (m["name"], "--metric " + m["pattern"] if m["pattern"] else
                                                 "detected", "; ".join("`%s`" % l for l in m["lines"]) or "-"))
    lines += [""] + ["- note: " + w for w in report["warnings"]] + [""]
    lines += ["## Verdicts", "", reporting.verdict_table(report["verdicts"], markdown=True), ""]
    lines += reporting.equivalence_section(report["equivalence"], ALPHA)
    lines += pairing.markdown_lines(report["paired"])
    lines += reporting.final_values_section(report["cases"], report["seeds"])
    lines += reporting.failed_runs_section(jobs)
    lines += ["", "## Outputs", "", "- report.json (schema `%s`)" % report["schema"]]
    lines += ["- %s" % p for p in report["outputs"]["plots"].values()]
    lines += ["- runs/<runtime>/seed<k>/: stdout.txt, stderr.txt, record.json, work/ (the run's copy of the "
              "script's folder)", ""]
    return "\n".join(lines)
