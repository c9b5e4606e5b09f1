"""Statistics and formatting helpers (pure Python, no TensorFlow; valid on Python 3.7)."""

import math


def finite(value):
    """True for a real, finite number (not None, NaN, inf, or a bool)."""
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def median(values):
    """Median of the finite values (mean of the middle two for an even count); None if none."""
    xs = sorted(v for v in values if finite(v))
    if not xs:
        return None
    mid = len(xs) // 2
    return float(xs[mid]) if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2.0


def summarize(values):
    """{"median", "min", "max", "n", "values"} over the finite values; n counts them, and the
    figures are None when there are none."""
    values = list(values)
    xs = [float(v) for v in values if finite(v)]
    return {
        "median": median(xs),
        "min": min(xs) if xs else None,
        "max": max(xs) if xs else None,
        "n": len(xs),
        "values": [float(v) if finite(v) else None for v in values],
    }


def steady_rate(n1, t1, n2, t2):
    """Steps per second after warm-up from two runs of n1 < n2 steps with loop times t1, t2:
    (n2 - n1) / (t2 - t1). The warm-up (the first steps' graph optimisation, caches) is in both
    runs and cancels. None when the difference is not a positive time (noise swamped it)."""
    if not (finite(n1) and finite(n2) and finite(t1) and finite(t2)) or n2 <= n1:
        return None
    dt = t2 - t1
    if dt <= 0:
        return None
    return (n2 - n1) / float(dt)


def ratio(numerator, denominator):
    """numerator / denominator, or None when either is missing or the denominator is not > 0."""
    if not (finite(numerator) and finite(denominator)) or denominator <= 0:
        return None
    return numerator / float(denominator)


def paired_ratios(numerators, denominators):
    """numerators[i] / denominators[i] for every position where both are there (see ratio):
    per-repeat ratios of two series measured in turn, so each pair shares the same minutes."""
    pairs = (ratio(n, d) for n, d in zip(numerators, denominators))
    return [r for r in pairs if r is not None]


def meets(value, target, higher_is_better):
    """True/False against the target; None when the value is missing."""
    if not finite(value):
        return None
    return value >= target if higher_is_better else value <= target


def fmt_num(value, digits=3):
    """A number with `digits` significant figures (no exponent for everyday sizes); "–" if missing."""
    if not finite(value):
        return "–"
    value = float(value)
    if value == 0:
        return "0"
    magnitude = int(math.floor(math.log10(abs(value))))
    decimals = max(0, digits - 1 - magnitude)
    text = "%.*f" % (decimals, value)
    return text


def fmt_summary(summary, digits=3):
    """"median [min–max]" ("median" alone for one value); "–" when there are no values."""
    if not summary or not finite(summary.get("median")):
        return "–"
    med = fmt_num(summary["median"], digits)
    if summary.get("n", 0) <= 1 or summary["min"] == summary["max"]:
        return med
    return "%s [%s–%s]" % (med, fmt_num(summary["min"], digits), fmt_num(summary["max"], digits))


def fmt_met(met):
    return {True: "yes", False: "**no**", None: "–"}[met]


def markdown_table(header, rows):
    """A GitHub markdown table; cells are str()-ed and `|` escaped."""
    def line(cells):
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"

    out = [line(header), "|" + "|".join("---" for _ in header) + "|"]
    out.extend(line(r) for r in rows)
    return "\n".join(out)


def mb(kilobytes):
    """ru_maxrss (KiB on Linux) -> MiB, None-safe."""
    return None if not finite(kilobytes) else kilobytes / 1024.0
