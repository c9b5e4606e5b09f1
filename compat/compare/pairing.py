"""Run against run: when seed i prints the same first values on both runtimes, the two runs
share the random stream (compat derives TF 1.15's op seeds, docs/seeds.md), so they can be
compared value by value, not only as distributions over seeds.

Per seed the TF 1.15 run and the TF 2.x run are paired. The seed shares the stream when, for
every metric both runs logged, the values at the first step both logged agree within the
tolerance (relative: |a - b| / max(|a|, |b|) <= tolerance; default 1e-5, about what a float32
printed with 6-7 digits can tell apart). For the shared seeds each metric is compared at every
step both logged: the largest relative difference per step (over the seeds) and the first step
where it exceeds the tolerance. Float32 rounding of different kernels grows over training, so a
late departure is reported, not judged; one within the first EARLY logged values, after the first
value agreed, is a finding (a line of its own). The distribution verdicts are unchanged.
No TensorFlow here: plain numbers of finished runs.
"""

import math
from collections import OrderedDict

from compat.regress.stats import fmt, thinned_indexes

TOLERANCE = 1e-5
EARLY = 5                # a departure at logged value 2..EARLY is a finding
SHOWN_STEPS = 12         # per-step rows report.md shows per metric (report.json has them all)
SHARED, PARTLY, DIFFER, NOT_PAIRED = "shared", "partly shared", "differ", "not paired"


def value(number):
    """A logged value with the digits a float32 has (fmt's 4 would hide a difference of 1e-5)."""
    return "%.7g" % number


def relative_difference(a, b):
    """|a - b| / max(|a|, |b|); 0 for equal values (both NaN count as equal), inf when only one
    is NaN or infinite."""
    if a == b or (math.isnan(a) and math.isnan(b)):
        return 0.0
    if math.isnan(a) or math.isnan(b) or math.isinf(a) or math.isinf(b):
        return float("inf")
    return abs(a - b) / max(abs(a), abs(b))


def _common_steps(legacy, modern):
    return [s for s in legacy if s in modern]


def _seeds_text(seeds):
    return ", ".join(str(s) for s in seeds)


def pair(jobs, metrics, runtimes, tolerance=TOLERANCE):
    """The finished jobs -> report.json's "paired" record (see the module's docstring)."""
    record = OrderedDict([("tolerance", tolerance), ("early", EARLY), ("state", NOT_PAIRED),
                          ("shared_seeds", []), ("differing_seeds", []), ("seeds", []), ("metrics", []),
                          ("findings", []), ("notes", []), ("summary", None)])
    if list(runtimes) != ["legacy", "modern"]:
        record["summary"] = "not compared run against run: it needs both runtimes"
        return record
    by_seed = OrderedDict()
    for j in sorted(jobs, key=lambda j: j.seed):
        by_seed.setdefault(j.seed, {})[j.runtime] = j
    for seed, runs in by_seed.items():
        record["seeds"].append(_pair_seed(seed, runs, metrics, tolerance))
    shared = [s["seed"] for s in record["seeds"] if s["shared"] is True]
    differ = [s["seed"] for s in record["seeds"] if s["shared"] is False]
    record["shared_seeds"], record["differing_seeds"] = shared, differ
    record["state"] = (SHARED if shared and not differ else PARTLY if shared else DIFFER if differ else NOT_PAIRED)
    if shared:
        record["metrics"] = [_compare_metric(m, [by_seed[s] for s in shared], tolerance) for m in metrics]
        record["metrics"] = [m for m in record["metrics"] if m["compared_steps"]]
    record["findings"] = [_finding(m, tolerance) for m in record["metrics"] if m["early"]]
    own = sorted(set(x for j in jobs for x in j.script_seeds()))
    if shared and own:
        record["notes"].append("the script sets its own seeds (%s): the stream shared is the script's" % ", ".join(own))
    elif len(shared) > 1 and not own and _same_start_for_every_seed(record["seeds"], shared):
        record["notes"].append("the first values are the same for every seed: the start draws nothing random, "
                               "so their agreement shows the runs start alike rather than a shared random stream")
    record["summary"] = _summary(record, tolerance)
    return record


def _pair_seed(seed, runs, metrics, tolerance):
    entry = OrderedDict([("seed", seed), ("shared", None), ("reason", None), ("first", OrderedDict())])
    missing = [r for r in ("legacy", "modern") if r not in runs or not runs[r].ok]
    if missing:
        entry["reason"] = "no successful %s run" % " or ".join(missing)
        return entry
    for m in metrics:
        legacy, modern = runs["legacy"].series(m.name), runs["modern"].series(m.name)
        steps = _common_steps(legacy, modern)
        if not steps:
            continue
        a, b = legacy[steps[0]], modern[steps[0]]
        diff = relative_difference(a, b)
        entry["first"][m.name] = OrderedDict([("step", steps[0]), ("legacy", a), ("modern", b),
                                              ("relative_difference", diff), ("agree", diff <= tolerance)])
    if not entry["first"]:
        entry["reason"] = "the runs share no logged step of any metric"
        return entry
    entry["shared"] = all(f["agree"] for f in entry["first"].values())
    return entry


def _same_start_for_every_seed(seeds, shared):
    firsts = [s["first"] for s in seeds if s["seed"] in shared]
    return all(f[name]["legacy"] == firsts[0][name]["legacy"] for f in firsts for name in firsts[0] if name in f)


def _compare_metric(metric, pairs, tolerance):
    """One metric over the shared seeds' pairs ({runtime: job})."""
    largest = OrderedDict()          # step -> (relative difference, seed)
    departure = None
    for runs in pairs:
        legacy, modern = runs["legacy"].series(metric.name), runs["modern"].series(metric.name)
        for index, step in enumerate(_common_steps(legacy, modern), start=1):
            diff = relative_difference(legacy[step], modern[step])
            if step not in largest or diff > largest[step][0]:
                largest[step] = (diff, runs["legacy"].seed)
            if diff > tolerance and (departure is None or index < departure["index"]):
                departure = OrderedDict([("seed", runs["legacy"].seed), ("step", step), ("index", index),
                                         ("legacy", legacy[step]), ("modern", modern[step]),
                                         ("relative_difference", diff)])
    steps = sorted(largest)
    worst = max(steps, key=lambda s: largest[s][0]) if steps else None
    return OrderedDict([
        ("name", metric.name), ("label", metric.label), ("compared_steps", len(steps)),
        ("largest", None if worst is None else OrderedDict([("step", worst), ("seed", largest[worst][1]),
                                                            ("relative_difference", largest[worst][0])])),
        ("first_departure", departure), ("early", bool(departure and departure["index"] <= EARLY)),
        ("per_step", [OrderedDict([("step", s), ("max_relative_difference", largest[s][0]), ("seed", largest[s][1])])
                      for s in _thin(steps, departure)])])


def _thin(steps, departure):
    """The steps report.json keeps (stats.thinned_indexes; the first departure among them)."""
    return [steps[i] for i in thinned_indexes(steps, keep={departure["step"]} if departure else ())]


def _finding(metric, tolerance):
    d = metric["first_departure"]
    return ("%s departs run against run at step %s (logged value %d, seed %d): legacy %s vs modern %s, relative "
            "difference %s > %g, after its first value agreed; float32 rounding rarely grows this fast: look at "
            "what the script computes before that step" % (
                metric["name"], d["step"], d["index"], d["seed"], value(d["legacy"]), value(d["modern"]),
                fmt(d["relative_difference"]), tolerance))


def _summary(record, tolerance):
    if record["state"] == NOT_PAIRED:
        reasons = sorted(set(s["reason"] for s in record["seeds"] if s["reason"]))
        return "not compared run against run: %s" % ("; ".join(reasons) or "no seed ran on both runtimes")
    differing = [s for s in record["seeds"] if s["shared"] is False]
    if record["state"] == DIFFER:
        return ("the streams differ (the first logged values differ: %s): compared by distribution only"
                % _first_difference(differing[0]))
    head = "the runtimes share the random stream (seeds %s)" % _seeds_text(record["shared_seeds"])
    if record["state"] == PARTLY:
        head += "; seeds %s differ at their first values (%s)" % (
            _seeds_text(record["differing_seeds"]), _first_difference(differing[0]))
    parts = []
    for m in record["metrics"]:
        d, worst = m["first_departure"], m["largest"]
        if d is None:
            parts.append("%s within %g at %s (largest %s)" % (
                m["name"], tolerance, "all %d logged steps" % m["compared_steps"] if m["compared_steps"] > 1
                else "its one logged step", fmt(worst["relative_difference"])))
        else:
            parts.append("%s departs at step %s (logged value %d of %d; largest %s at step %s)" % (
                m["name"], d["step"], d["index"], m["compared_steps"], fmt(worst["relative_difference"]),
                worst["step"]))
    return head + "; value by value (relative tolerance %g): %s" % (tolerance, "; ".join(parts))


def _first_difference(seed_entry):
    name, f = next((n, f) for n, f in seed_entry["first"].items() if not f["agree"])
    return "seed %d, %s at step %s: legacy %s vs modern %s" % (seed_entry["seed"], name, f["step"],
                                                                value(f["legacy"]), value(f["modern"]))


def markdown_lines(record):
    """report.md's "Run against run" section."""
    if record is None:
        return []
    lines = ["## Run against run (relative tolerance %g)" % record["tolerance"], "", record["summary"]]
    more = ["- note: " + n for n in record["notes"]] + ["- finding: " + f for f in record["findings"]]
    lines += [""] + more if more else []
    seeds = [s for s in record["seeds"] if s["first"]]
    if seeds:
        lines += ["", "| seed | metric | first step | legacy | modern | relative difference | same stream |",
                  "|---|---|---|---|---|---|---|"]
        for s in seeds:
            for name, f in s["first"].items():
                lines.append("| %d | %s | %s | %s | %s | %s | %s |" % (
                    s["seed"], name, f["step"], value(f["legacy"]), value(f["modern"]),
                    fmt(f["relative_difference"]), "yes" if f["agree"] else "no"))
    for m in record["metrics"]:
        shown = m["per_step"] if len(m["per_step"]) <= SHOWN_STEPS else \
            m["per_step"][:SHOWN_STEPS - 2] + m["per_step"][-2:]
        lines += ["", "`%s`, the shared seeds' largest relative difference per step%s:" % (
            m["name"], "" if shown is m["per_step"] else " (first %d and last 2 of %d; all in report.json)"
            % (SHOWN_STEPS - 2, len(m["per_step"]))), "",
            "| step | largest relative difference | seed | within %g |" % record["tolerance"], "|---|---|---|---|"]
        lines += ["| %s | %s | %d | %s |" % (r["step"], fmt(r["max_relative_difference"]), r["seed"],
                                            "yes" if r["max_relative_difference"] <= record["tolerance"] else "no")
                  for r in shown]
    return lines + [""]
