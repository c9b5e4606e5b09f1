"""Metrics from a run's log: the lines a training script prints (stdout) and TensorFlow's INFO
lines (an Estimator's `loss = ..., step = ...`, on stderr). No TensorFlow here.

Detection: every `label SEP number` pair on a line, SEP being `:`, `=` or spaces, label one to
four words (`cost:  0.335`, `loss = 0.0041`, `Iter= 49000, Average Loss= 0.528684, Average
Accuracy= 88.50%`, `Mean Square Error is:0.009076`, `step 100, training accuracy 0.94`). A pair
whose label is a counter (step, iter, iteration, epoch, `Number of iterations`, global_step)
gives the step of the line's other values; without one a value's step is its occurrence index.
A label counts as a metric when it comes with a number on two or more lines, or once with an
explicit `:`/`=` (in TensorFlow's INFO lines only these); timings (time, sec, elapsed, .../sec) are left out: they differ by machine.
`--metric REGEX` instead: its first group is the value (a group named `step`, if any, the step).
"""

import re
from collections import OrderedDict, namedtuple

NUMBER = r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf)"
WORD = r"[A-Za-z][A-Za-z0-9_]*"
PAIR = re.compile(r"(?<![A-Za-z0-9_./])(%s(?: %s){0,3})(\s*[:=]\s*|\s+)(%s)(%%?)(?![A-Za-z0-9_./])"
                  % (WORD, WORD, NUMBER), re.IGNORECASE)
COUNTER = re.compile(r"^(?:global[ _]?step|step|steps|iter|iters|iteration|iterations|epoch|epochs|"
                     r"number of (?:iterations|steps|epochs))$", re.IGNORECASE)
TIMING = re.compile(r"(?:^|[ _])(?:time|sec|secs|seconds|elapsed|duration)$|/sec", re.IGNORECASE)
LOG_PREFIX = re.compile(r"^INFO:tensorflow:")
TRAILING = re.compile(r"\s+(?:is|was|of|at)$", re.IGNORECASE)

# name: the metric's column (lower case, underscores); label: as printed; lines: where it was seen
Metric = namedtuple("Metric", "name label pattern lines")


def log_lines(stdout, stderr):
    """The lines metrics are read from: all of stdout, and stderr's TensorFlow INFO lines
    (without their prefix; not the C++ runtime's start-up lines), each as (stream, text)."""
    lines = [("stdout", line) for line in stdout.splitlines()]
    for line in stderr.splitlines():
        if LOG_PREFIX.match(line):
            lines.append(("stderr", LOG_PREFIX.sub("", line)))
    return lines


def name_of(label):
    return re.sub(r"\W+", "_", TRAILING.sub("", label.strip())).strip("_").lower()


def pairs(text, stream="stdout"):
    """[(label, number, explicit separator)] in the line, left to right. In TensorFlow's INFO
    lines (stream "stderr") only `label = number` / `label: number` count (not `Saving
    checkpoints for 200`)."""
    out = []
    for m in PAIR.finditer(text):
        if stream != "stdout" and not m.group(2).strip():
            continue
        label = TRAILING.sub("", m.group(1).strip())
        try:
            value = float(m.group(3))
        except ValueError:
            continue
        out.append((label, value, bool(m.group(2).strip())))
    return out


def detect(lines):
    """[Metric] found in the lines of one run's log (stream, text)."""
    seen = OrderedDict()      # name -> [label, count, explicit, example lines]
    for stream, text in lines:
        for label, _, explicit in pairs(text, stream):
            name = name_of(label)
            if not name or COUNTER.match(label) or TIMING.search(label):
                continue
            entry = seen.setdefault(name, [label, 0, False, []])
            entry[1] += 1
            entry[2] = entry[2] or explicit
            if len(entry[3]) < 2:
                entry[3].append(text.strip())
    return [Metric(name, e[0], None, e[3]) for name, e in seen.items() if e[1] >= 2 or e[2]]


def explicit_metrics(regexes):
    """--metric REGEX... -> [Metric]; ValueError naming the bad one."""
    metrics = []
    for k, text in enumerate(regexes):
        try:
            pattern = re.compile(text)
        except re.error as exc:
            raise ValueError("--metric %r is not a regular expression (%s)" % (text, exc))
        if pattern.groups < 1:
            raise ValueError("--metric %r has no group; put the number in parentheses, e.g. "
                             "'cost: +([-+.0-9eE]+)'" % text)
        label = re.split(r"[(\\\[.*+?{]", text, 1)[0].strip(" :=") or "metric%d" % (k + 1)
        metrics.append(Metric(name_of(label) or "metric%d" % (k + 1), label, pattern, []))
    return metrics


def rows(lines, metrics):
    """The run's values as rows {"step": int, NAME: value}: one row per (step, metric)."""
    by_name = {m.name: m for m in metrics}
    found = OrderedDict((m.name, []) for m in metrics)      # name -> [(counter step or None, value)]
    for stream, text in lines:
        step, values = None, []
        for m in metrics:
            if m.pattern is None:
                continue
            for match in m.pattern.finditer(text):
                try:
                    value = float(match.group(1))
                except (TypeError, ValueError):
                    continue
                given = match.groupdict().get("step")
                values.append((m.name, value, int(float(given)) if given else None))
        for label, value, _ in pairs(text, stream):
            if COUNTER.match(label) and value == int(value):
                step = int(value)
            elif name_of(label) in by_name and by_name[name_of(label)].pattern is None:
                values.append((name_of(label), value, None))
        for name, value, given in values:
            found[name].append((given if given is not None else step, value))
    out = []
    for name, points in found.items():
        steps = [s for s, _ in points]
        # the line's own counter when every value has one and they increase; else 0, 1, 2, ...
        if None in steps or any(b <= a for a, b in zip(steps, steps[1:])):
            steps = list(range(len(points)))
        out.extend({"step": s, name: v} for s, (_, v) in zip(steps, points))
    return out
