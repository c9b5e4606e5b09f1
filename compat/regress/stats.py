"""The arithmetic of the regression engine: seed envelopes, values at a step, the Mann-Whitney
U test, number formatting. Pure functions on plain lists (numpy for medians; scipy only inside
`mann_whitney`), so they can be tested on synthetic numbers.
"""

from collections import OrderedDict, namedtuple

Envelope = namedtuple("Envelope", "steps min median max n")
MannWhitney = namedtuple("MannWhitney", "u p method min_attainable_p flagged")

ALPHA = 0.01          # Mann-Whitney: flag p < ALPHA (strict)
MAX_ENVELOPE_POINTS = 1000


def median(values):
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
        med.append(median(values))
        hi.append(float(max(values)))
        n.append(len(values))
    return Envelope(steps, lo, med, hi, n)


def at_step(series, step, window=0):
    """The seeds' values at `step`, or with window=h at every step within [step-h, step+h]
    (seeds that did not log a step are left out)."""
    if not window:
        return [one[step] for one in series if step in one]
    return [v for one in series for s, v in one.items() if abs(s - step) <= window]


def thinned_indexes(steps, keep=(), most=MAX_ENVELOPE_POINTS):
    """Indexes of at most about `most` of `steps` (evenly spaced; the `keep` steps and the last
    step kept), in order: what report.json shows of a long series."""
    n = len(steps)
    if n <= most:
        return list(range(n))
    stride = -(-n // most)
    return sorted(set(range(0, n, stride)) | {n - 1} | {i for i, s in enumerate(steps) if s in keep})


def thin(env, keep=(), most=MAX_ENVELOPE_POINTS):
    """Envelope -> dict with its steps thinned (thinned_indexes), for report.json."""
    idx = thinned_indexes(env.steps, keep, most)
    return OrderedDict((k, [getattr(env, k)[i] for i in idx]) for k in ("steps", "min", "median", "max", "n"))


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
