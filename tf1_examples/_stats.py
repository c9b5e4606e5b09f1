"""The arithmetic of `regress`: seed envelopes, the verdict rules, the Mann-Whitney U test.

Pure functions on plain lists (numpy for medians; scipy only inside `mann_whitney`), so the
rules can be tested on synthetic numbers. Every rule's interval is CLOSED: a published value
exactly on an edge passes (`band`, `range`, `ratio`, `at_least`); the sanity rule's comparison
is strict (equal first and last values do not count as improving).

Rule kinds (Rule.kind, Rule.params):
    band      {"factor": f}          published in [min/f, max*f] of the seeds' values at the step
    range     {}                     published in [min, max] of the seeds' values at the step
              (band and range take an optional {"window": h}: the seeds' values at every step
              within [step-h, step+h], for figures that are one noisy per-batch value)
    ratio     {"low": a, "high": b}  median of the seeds' values in [a*published, b*published]
    at_least  {"threshold": t}       median of the seeds' values >= t
    improves  {"direction": "down"|"up", "fraction": q}
                                     every seed: the mean of the last q of its logged values of
                                     the column is below ("down") / above ("up") the mean of its
                                     first q (at least one value each)
"""

from collections import namedtuple

PASS, FAIL, NOT_COMPARABLE = "pass", "fail", "not comparable at this length"

Rule = namedtuple("Rule", "kind params")
Envelope = namedtuple("Envelope", "steps min median max n")
MannWhitney = namedtuple("MannWhitney", "u p method min_attainable_p flagged")

ALPHA = 0.01          # Mann-Whitney: flag p < ALPHA (strict)


def _median(values):
    import numpy as np

    return float(np.median(np.asarray(values, dtype=float)))


def envelope(series):
    """series: one {step: value} dict per seed -> Envelope over the union of their steps.
    A step's min/median/max/n are over the seeds that logged it (median of an even count: the
    mean of the middle two)."""
    steps = sorted(set(s for one in series for s in one))
    lo, med, hi, n = [], [], [], []
    for step in steps:
        values = [one[step] for one in series if step in one]
        lo.append(float(min(values)))
        med.append(_median(values))
        hi.append(float(max(values)))
        n.append(len(values))
    return Envelope(steps, lo, med, hi, n)


def at_step(series, step, window=0):
    """The seeds' values at `step`, or with window=h at every step within [step-h, step+h]
    (seeds that did not log a step are left out)."""
    if not window:
        return [one[step] for one in series if step in one]
    return [v for one in series for s, v in one.items() if abs(s - step) <= window]


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
    lo, hi, med = min(values), max(values), _median(values)
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


# --- Mann-Whitney U ------------------------------------------------------------------------------

def _exact_counts(n1, n2):
    """Number of arrangements with each U value (U = 0..n1*n2) for samples of n1 and n2 without
    ties: the classic recursion c(n1, n2, u) = c(n1-1, n2, u-n2) + c(n1, n2-1, u)."""
    # table[j][u] for the current i
    prev = [[1] + [0] * (n1 * n2) for _ in range(n2 + 1)]     # i = 0: only U = 0
    for i in range(1, n1 + 1):
        cur = [[1] + [0] * (n1 * n2)]                             # j = 0: only U = 0
        for j in range(1, n2 + 1):
            row = [0] * (n1 * n2 + 1)
            for u in range(n1 * n2 + 1):
                row[u] = (prev[j][u - j] if u - j >= 0 else 0) + cur[j - 1][u]
            cur.append(row)
        prev = cur
    return prev[n2]


def exact_p(u, n1, n2):
    """Two-sided exact p-value of U (no ties): 2 * P(U' <= min(u, n1*n2 - u)), capped at 1."""
    counts = _exact_counts(n1, n2)
    total = float(sum(counts))
    k = min(u, n1 * n2 - u)
    return min(1.0, 2.0 * sum(counts[:int(k) + 1]) / total)


def min_attainable_p(n1, n2):
    """Smallest two-sided exact p with samples of n1 and n2 (complete separation)."""
    if n1 < 1 or n2 < 1:
        return None
    return exact_p(0, n1, n2)


def mann_whitney(a, b, alpha=ALPHA):
    """Two-sided Mann-Whitney U of samples a and b -> MannWhitney(u, p, method, min_attainable_p,
    flagged = p < alpha). scipy.stats.mannwhitneyu with the exact distribution when there are
    no ties (scipy >= 1.7; older scipy has only the normal approximation, so the exact p is
    computed here, the same number), else its normal approximation with tie correction.
    Fewer than 1 value in a sample: p None, not flagged."""
    a, b = [float(x) for x in a], [float(x) for x in b]
    if not a or not b:
        return MannWhitney(None, None, "not tested (a sample is empty)", None, False)
    floor = min_attainable_p(len(a), len(b))
    if len(set(a + b)) == 1:
        return MannWhitney(len(a) * len(b) / 2.0, 1.0, "all values equal", floor, False)
    from scipy.stats import mannwhitneyu

    ties = len(set(a + b)) < len(a) + len(b)
    method = "asymptotic" if ties else "exact"
    u = sum(1.0 if x > y else 0.5 if x == y else 0.0 for x in a for y in b)   # U of sample a
    try:
        p = float(mannwhitneyu(a, b, alternative="two-sided", method=method).pvalue)
    except TypeError:                                   # scipy < 1.7: no `method`, normal approx. only
        p = float(mannwhitneyu(a, b, alternative="two-sided").pvalue)
        if not ties:
            p = exact_p(u, len(a), len(b))
    return MannWhitney(u, p, method, floor, p < alpha)


def fmt(value):
    """A number as the report prints it: 4 significant digits."""
    if value is None:
        return "-"
    try:
        return "%.4g" % value
    except TypeError:
        return str(value)
