"""The verdict rules of the regression engine, and the rows regress's and compare's reports hold.

Every rule's interval is CLOSED: a published value exactly on an edge passes (`band`, `range`,
`ratio`, `at_least`); the sanity rule's comparison is strict (equal first and last values do
not count as improving).

Rule kinds (Rule.kind, Rule.params):
    band      {"factor": f}          published in [min/f, max*f] of the seeds' values at the step
    range     {}                     published in [min, max] of the seeds' values at the step
              (band and range take an optional {"window": h}: the seeds' values at every step
              within [step-h, step+h], for figures that are one noisy per-batch value)
    ratio     {"low": a, "high": b}  median of the seeds' values in [a*published, b*published]
    at_least  {"threshold": t}       median of the seeds' values >= t
    overlap   {"factor": f}          two runtimes' seed ranges [min/f, max*f] overlap (compare's
                                     rule on a metric's final values; plain [min, max] when a
                                     value is not positive)
    improves  {"direction": "down"|"up", "fraction": q}
                                     every seed: the mean of the last q of its logged values of
                                     the column is below ("down") / above ("up") the mean of its
                                     first q (at least one value each)
"""

from collections import OrderedDict, namedtuple

from compat.regress.stats import ALPHA, at_step, fmt, mann_whitney, median

PASS, FAIL, NOT_COMPARABLE = "pass", "fail", "not comparable at this length"
SANITY_FRACTION = 0.1

Rule = namedtuple("Rule", "kind params")


def describe(rule, published=None):
    """The rule as the report prints it beside the verdict."""
    p = rule.params
    where = ("at this step" if not p.get("window") else
             "at steps within \u00b1%d of this one" % p["window"])
    if rule.kind == "band":
        return ("published within [min/%g, max\u00d7%g] of the seeds' values %s "
                "(edges inclusive)" % (p["factor"], p["factor"], where))
    if rule.kind == "range":
        return "published within [min, max] of the seeds' values %s (edges inclusive)" % where
    if rule.kind == "ratio":
        text = "median within [%g\u00d7, %g\u00d7] of the published value" % (p["low"], p["high"])
        if published is not None:
            text += " = [%s, %s]" % (fmt(p["low"] * published), fmt(p["high"] * published))
        return text + " (edges inclusive)"
    if rule.kind == "at_least":
        return "median \u2265 %g (inclusive)" % p["threshold"]
    if rule.kind == "overlap":
        return ("the runtimes' seed ranges [min, max] overlap once each is widened to [min/%g, max\u00d7%g] "
                "(edges inclusive; non-positive values: plain overlap)" % (p["factor"], p["factor"]))
    if rule.kind == "improves":
        word = "below" if p["direction"] == "down" else "above"
        return ("sanity: in every seed the mean of the last %d%% of the logged %s values is %s the "
                "mean of the first %d%% (strict)" % (round(100 * p["fraction"]), p.get("column", "metric"),
                                                      word, round(100 * p["fraction"])))
    raise ValueError("unknown rule kind %r" % rule.kind)


def judge(rule, published, values):
    """Verdict of a figure rule on the seeds' values at the figure's step.
    Returns (verdict, detail); no values -> FAIL."""
    if not values:
        return FAIL, "no seed logged this figure"
    lo, hi, med = min(values), max(values), median(values)
    p = rule.params
    if rule.kind == "band":
        a, b = lo / p["factor"], hi * p["factor"]
        ok = a <= published <= b
        return (PASS if ok else FAIL), "band [%s, %s]" % (fmt(a), fmt(b))
    if rule.kind == "range":
        ok = lo <= published <= hi
        return (PASS if ok else FAIL), "range [%s, %s]" % (fmt(lo), fmt(hi))
    if rule.kind == "ratio":
        a, b = p["low"] * published, p["high"] * published
        ok = min(a, b) <= med <= max(a, b)
        return (PASS if ok else FAIL), "median %s, %.3g\u00d7 published" % (fmt(med), med / published
                                                                          if published else float("nan"))
    if rule.kind == "at_least":
        ok = med >= p["threshold"]
        return (PASS if ok else FAIL), "median %s vs threshold %g" % (fmt(med), p["threshold"])
    raise ValueError("rule kind %r is not a figure rule" % rule.kind)


def judge_improves(rule, sequences):
    """The sanity rule. sequences: one list of logged values (in step order) per seed."""
    if not sequences:
        return FAIL, "no successful run"
    fraction, down = rule.params["fraction"], rule.params["direction"] == "down"
    worse, seen = [], []
    for k, seq in enumerate(sequences):
        if len(seq) < 2:
            worse.append("seed #%d logged %d value(s)" % (k, len(seq)))
            continue
        m = max(1, int(len(seq) * fraction))
        first, last = sum(seq[:m]) / m, sum(seq[-m:]) / m
        seen.append("%s\u2192%s" % (fmt(first), fmt(last)))
        if not (last < first if down else last > first):
            worse.append("seed #%d: first %s, last %s" % (k, fmt(first), fmt(last)))
    if worse:
        return FAIL, "; ".join(worse)
    return PASS, "all %d seed(s) improve (first\u2192last means: %s)" % (len(sequences), ", ".join(seen))


def judge_overlap(rule, a, b, names=("a", "b")):
    """The overlap rule on two runtimes' values (a, b) -> (verdict, detail)."""
    if not a or not b:
        return FAIL, "a runtime has no value"
    f = rule.params["factor"]
    widen = (lambda lo, hi: (lo / f, hi * f)) if min(a + b) > 0 else (lambda lo, hi: (lo, hi))
    (a_lo, a_hi), (b_lo, b_hi) = widen(min(a), max(a)), widen(min(b), max(b))
    ok = a_lo <= b_hi and b_lo <= a_hi
    return (PASS if ok else FAIL), "%s [%s, %s] vs %s [%s, %s]" % (
        names[0], fmt(min(a)), fmt(max(a)), names[1], fmt(min(b)), fmt(max(b)))


def sanity_rule(column, direction="down"):
    """The rule a case gets when no published figure is comparable: its metric improves."""
    return Rule("improves", {"direction": direction, "fraction": SANITY_FRACTION, "column": column})


def judge_figure(rule, published, step, series, last_step):
    """A published figure against the seeds' series ({step: value} each, of successful runs)
    -> (verdict, detail, values). step None: each seed's last value. A step beyond last_step
    (the runs' last logged step, any metric) is not comparable (neither pass nor fail)."""
    if not series:
        return FAIL, "no successful run", []
    if step is None:
        values = [list(s.values())[-1] for s in series if s]
    elif last_step is not None and step > last_step:
        return NOT_COMPARABLE, "the runs end at step %d; full-profile rule shown" % last_step, []
    else:
        values = at_step(series, step, rule.params.get("window", 0))
    verdict, detail = judge(rule, published, values)
    return verdict, detail, values


def verdict_row(runtime, case, kind, rule, verdict, detail, figure=None, column=None, step=None,
                published=None, values=()):
    """One report.json "verdicts" row; rule is a Rule or, for a run's own verdict, a sentence."""
    values = list(values)
    return OrderedDict([
        ("runtime", runtime), ("example", case.split("/")[0]), ("case", case), ("kind", kind),
        ("figure", figure), ("column", column), ("step", step), ("published", published),
        ("min", min(values) if values else None),
        ("median", median(values) if values else None),
        ("max", max(values) if values else None), ("n", len(values)),
        ("rule", rule if isinstance(rule, str) else describe(rule, published)),
        ("rule_kind", "run" if isinstance(rule, str) else rule.kind),
        ("rule_params", {} if isinstance(rule, str) else dict(rule.params)),
        ("verdict", verdict), ("detail", detail),
    ])


def equivalence_row(case, example, column, modern, legacy, alpha=ALPHA):
    """One report.json "equivalence" row: Mann-Whitney U on the two runtimes' final values."""
    mw = mann_whitney(modern, legacy, alpha)
    return OrderedDict([
        ("case", case), ("example", example), ("column", column), ("modern", modern), ("legacy", legacy),
        ("u", mw.u), ("p", mw.p), ("method", mw.method), ("min_attainable_p", mw.min_attainable_p),
        ("alpha", alpha), ("flagged", mw.flagged),
        ("verdict", "not tested" if mw.p is None else FAIL if mw.flagged else PASS),
    ])


def summary(rows, equivalence):
    """report.json's "summary": counts of pass / fail / not comparable."""
    both = list(rows) + list(equivalence)
    return OrderedDict([("pass", sum(r["verdict"] == PASS for r in both)),
                        ("fail", sum(r["verdict"] == FAIL for r in both)),
                        ("not_comparable", sum(r["verdict"] == NOT_COMPARABLE for r in rows))])
