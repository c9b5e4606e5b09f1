"""regress's pictures: per example one PNG (compat.regress.plots) of the seeds' envelopes per
runtime and variant, the published figures and the TF 1.15 golden curves of tests/golden/."""

import json
from collections import OrderedDict, namedtuple
from pathlib import Path

from compat.regress.plots import Curve, Panel, Point, draw
from tf1_examples.regress.cases import cases_of, figure_rules, final_column
from tf1_examples.registry import BY_NAME

GOLDEN_DIR = Path(__file__).resolve().parents[2] / "tests" / "golden"

# A TF 1.15 golden curve: `label` for the legend, logged `steps` and `values` of `column`;
# other_data is the file's "data" (None: the example's default data, as in these runs).
Golden = namedtuple("Golden", "example file column label steps values other_data")


def load_goldens(names, jobs, golden_dir=GOLDEN_DIR):
    """[Golden], [warnings]: <golden_dir>/<name>*.json; a file that does not parse is a warning."""
    goldens, warnings = [], []
    if not golden_dir.is_dir():
        return goldens, warnings
    for name in names:
        for path in sorted(golden_dir.glob(name + "*.json")):
            try:
                goldens.append(_golden(name, path, jobs))
            except (OSError, ValueError, AttributeError, TypeError) as exc:
                warnings.append("golden %s skipped: %s" % (path, exc))
    return goldens, warnings


def _golden(name, path, jobs):
    data = json.loads(path.read_text(encoding="utf-8"))
    values = data.get("values", data.get("costs"))
    if not isinstance(values, list) or not values or not all(isinstance(v, (int, float)) for v in values):
        raise ValueError('no "values" (or "costs") list of numbers')
    column = data.get("column") or BY_NAME[name].loss_column
    steps = data.get("steps")
    if steps is None:       # the steps of the first N logged rows of that column in these runs
        logged = next((list(j.series(column)) for j in jobs
                       if j.case.example == name and j.ok and j.series(column)), [])
        steps = logged[:len(values)] if len(logged) >= len(values) else list(range(len(values)))
    if not isinstance(steps, list) or len(steps) != len(values):
        raise ValueError('"steps" is not a list as long as "values"')
    bits = [data.get("label") or "TF %s golden" % data.get("tensorflow", "1.15")]
    if data.get("seed") is not None:
        bits.append("seed %s" % data["seed"])
    return Golden(name, path, column, ", ".join(bits) + " (%s)" % path.name,
                  [float(s) for s in steps], [float(v) for v in values], data.get("data"))


def plot_example(name, runtimes, jobs, goldens, target, profile, seeds):
    """One PNG per example, one panel per column (published figures' columns, the final
    figure's, a golden's). A golden trained on other data than these runs is left out."""
    example = BY_NAME[name]
    goldens = [g for g in goldens if g.example == name and g.other_data is None]
    columns = list(OrderedDict.fromkeys([f.column for f in example.published] + [final_column(name, profile)]
                                        + [g.column for g in goldens]))
    ok_jobs = [j for j in jobs if j.case.example == name and j.ok]
    missing = [c for c in columns if not any(j.series(c) for j in ok_jobs)
               and not any(g.column == c for g in goldens)]
    columns = [c for c in columns if c not in missing] or columns[:1]
    # a figure of a variant other than the default (first) case is drawn in the second style,
    # named in the legend by that case's options
    default = example.cases[0].variant
    others = [" ".join(c.full) for c in example.cases if c.variant != default]
    panels = []
    for column in columns:
        groups = []
        for runtime in runtimes:
            for case in cases_of(name, profile):
                series = [j.series(column) for j in ok_jobs if j.runtime == runtime and j.case.id == case.id]
                groups.append(("%s%s" % (runtime, "" if case.variant is None else " " + case.variant),
                               [s for s in series if s]))
        points = [Point(f.step, f.value, f.label, f.variant != default)
                  for f, _, _ in figure_rules(example) if f.column == column]
        curves = [Curve(g.steps, g.values, g.label) for g in goldens if g.column == column]
        panels.append(Panel(column, groups, points, curves))
    title = "%s: %s profile, seeds %d-%d%s" % (
        name, profile, seeds[0], seeds[-1], "\n(not logged at this length: %s)" % ", ".join(missing) if missing else "")
    draw(target, panels, title, alternate_name=", ".join(others) or None)
