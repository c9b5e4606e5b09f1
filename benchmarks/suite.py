"""The measurements. Each one runs real child processes (benchmarks/child.py) and returns plain
dicts that go into results.json as they are.

- steps:   training steps/s after warm-up per example and runtime. Each repeat runs
           `python -m tf1_examples run NAME --steps N1` and `--steps N2` (N1 < N2) on each runtime,
           alternating runtimes run by run, and takes (N2 - N1) / (loop_time(N2) - loop_time(N1))
           from the two run.json files: what both runs spend on warm-up (the first sess.run's graph
           optimisation, caches) cancels. In --smoke, one short run per runtime and its run.json
           steps_per_s (warm-up included): tiny runs are too noisy for a difference.
- graph:   the training step alone, in one process, alternating runtimes
           (benchmarks/graph_step.py): S1 without its plotting, S4 (rnn_words) with its own
           Session config (XLA on TF 2.x), to compare per-iteration time with the floor.
           Both give steps/s per repeat and runtime; the ratio modern/legacy is the median of
           the per-repeat ratios (_compare), each from two runs made one after the other.
- e2e:     the example's default (full) run on the modern runtime, headless (MPLBACKEND=Agg):
           the child process's wall time, start to exit.
- quick:   the example's --quick profile on the modern runtime, headless, wall time (target
           <= 30 s each: `make demo` and the tests run these).
- startup: `python -m compat SCRIPT` (SCRIPT = benchmarks/probes/tf1_startup.py: `import tensorflow`
           through compat's hook, touch one name, exit) against `python -c "import tensorflow"`,
           alternating, per runtime.
- cells:   compat's own symbols (LSTMBlockCell ...), one training step of a small model each,
           alternating runtimes: benchmarks/cells.py (rows, child and measurement).
- estimators: Estimator.train steps/s (tf.contrib.learn, TPUEstimator), alternating runtimes:
           benchmarks/estimators.py. Both row groups' entries come from row_entry.
Every child's peak RSS is its own (os.wait4), see child.py.
"""

import json
import os
import shutil
from pathlib import Path

from benchmarks import stats
from benchmarks.child import run_child, tail
from tf1_examples.registry import BY_NAME

HERE = Path(__file__).resolve().parent
PROBE = HERE / "probes" / "tf1_startup.py"

RATIO_TARGET = 1.3             # modern steps/s over legacy steps/s, every example
STARTUP_TARGET_S = 0.3         # python -m compat SCRIPT minus python -c "import tensorflow"
E2E_TARGETS = {                # default run on the modern runtime, wall seconds
    "lstm_regression": ("S1", 8.0),
    "rnn_words": ("S4", 480.0),
}
QUICK_TARGET_S = 30.0          # every --quick profile, wall seconds (modern runtime)
# each example's unit, the (N1, N2) lengths of the steps measurement, the --smoke length and the
# graph-only row's (timed steps, warm-up steps): its registry record (Example.unit, .benchmark)

STEP_TIMEOUT_S = 1800
E2E_TIMEOUT_S = 3600
STARTUP_TIMEOUT_S = 300


class Failed(Exception):
    """A child run failed; str() says which and how (the last lines of its stderr)."""


class Context(object):
    """What every measurement needs: the runtimes, where children write, how to report."""

    def __init__(self, runtimes, workdir, echo, env_extra=None, seed=None):
        self.runtimes = runtimes        # [(label, python)], modern first
        self.workdir = Path(workdir)
        self.echo = echo                # echo(text): one progress line
        self.seed = seed
        self.errors = []
        self._count = 0
        env = dict(os.environ)
        env.update(MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="2", PYTHONUNBUFFERED="1")
        env.pop("PYTHONSTARTUP", None)
        env.update(env_extra or {})
        self.env = env

    def child(self, label, argv, timeout, cwd=None):
        """Run argv in a fresh folder under workdir; returns (ChildResult, folder)."""
        self._count += 1
        folder = self.workdir / ("%03d-%s" % (self._count, label))
        folder.mkdir(parents=True)
        res = run_child(argv, folder / "stdout.txt", folder / "stderr.txt", env=self.env,
                        cwd=cwd or folder, timeout=timeout)
        return res, folder


def _failure(what, res):
    if res.timed_out:
        return "%s: timed out" % what
    return "%s: exit status %d: %s" % (what, res.returncode, tail(res.stderr_path) or "(no stderr)")


def _run_example(ctx, runtime, python, name, steps, timeout, tag):
    """One `python -m tf1_examples run` child; returns its record (error set on failure).
    steps: a number, None (the default run) or "quick" (the --quick profile)."""
    argv = [python, "-m", "tf1_examples", "run", name, "--no-progress"]
    if steps == "quick":
        argv.append("--quick")
    elif steps is not None:
        argv += ["--steps", str(steps)]
    if ctx.seed is not None and tag not in ("e2e", "quick"):
        argv += ["--seed", str(ctx.seed)]
    res, folder = ctx.child("%s-%s-%s" % (tag, name, runtime), argv + ["--out", "run"], timeout)
    record = {"runtime": runtime, "steps": steps, "wall_s": res.wall_s, "cpu_s": res.cpu_s,
              "peak_rss_mb": stats.mb(res.peak_rss_kb), "returncode": res.returncode, "error": None}
    run_json = folder / "run" / "run.json"
    if res.returncode != 0 or not run_json.is_file():
        record["error"] = _failure("%s on %s" % (name, runtime), res)
        ctx.errors.append(record["error"])
        return record
    info = json.loads(run_json.read_text(encoding="utf-8"))
    record.update(steps=info.get("steps"), loop_time_s=info.get("loop_time_s"),
                  steps_per_s=info.get("steps_per_s"), run_wall_time_s=info.get("wall_time_s"),
                  versions=info.get("runtime"))
    shutil.rmtree(str(folder / "run"), ignore_errors=True)   # checkpoints, GIFs: not needed
    return record


def lengths_for(name, smoke, override=None):
    """The run lengths of the steps measurement: --lengths, else --smoke's one, else the registry's."""
    if override:
        return tuple(override)
    return (BY_NAME[name].benchmark["smoke"],) if smoke else BY_NAME[name].benchmark["lengths"]


def measure_steps(ctx, name, repeats, lengths):
    """Steps/s per runtime for one example over `lengths` (N1, N2), or (N,) for one run per
    runtime; see the module docstring."""
    lengths = tuple(lengths)
    per_runtime = {label: {"runs": []} for label, _ in ctx.runtimes}
    for r in range(repeats):
        for n in lengths:
            for label, python in ctx.runtimes:           # alternate runtimes run by run
                rec = _run_example(ctx, label, python, name, n, STEP_TIMEOUT_S, "steps")
                rec["repeat"] = r + 1
                per_runtime[label]["runs"].append(rec)
                ctx.echo("steps  %-16s %-6s r%d/%d %5d %s: %s" % (
                    name, label, r + 1, repeats, n, BY_NAME[name].unit, _brief(rec)))
    for label, entry in per_runtime.items():
        runs = entry["runs"]
        rates = []
        for r in range(repeats):
            by_len = {x["steps"]: x for x in runs if x["repeat"] == r + 1 and not x["error"]}
            if len(lengths) == 1:
                x = by_len.get(lengths[0])
                rates.append(x.get("steps_per_s") if x else None)
            else:
                a, b = by_len.get(lengths[0]), by_len.get(lengths[1])
                rates.append(stats.steady_rate(lengths[0], a["loop_time_s"], lengths[1], b["loop_time_s"])
                             if a and b else None)
        entry["steps_per_s"] = stats.summarize(rates)
        longest = [x.get("steps_per_s") for x in runs if x["steps"] == lengths[-1] and not x["error"]]
        entry["run_json_steps_per_s"] = stats.summarize(longest)
        entry["peak_rss_mb"] = _max(x["peak_rss_mb"] for x in runs)
    out = {
        "unit": BY_NAME[name].unit,
        "lengths": list(lengths),
        "method": ("single run: run.json steps_per_s (warm-up included)" if len(lengths) == 1 else
                   "(N2-N1)/(loop_time(N2)-loop_time(N1)) per repeat, warm-up excluded"),
        "runtimes": per_runtime,
    }
    out.update(_compare(per_runtime))
    return out


def _compare(per_runtime):
    """modern / legacy steps/s: "ratio" is the median of the per-repeat ratios ("ratios": their
    summary), not the ratio of the two medians ("ratio_of_medians", kept for reference). A
    repeat's two runs follow each other, so its ratio holds even when the machine's speed drifts
    between repeats (this VM's does, by tens of percent within an hour)."""
    def rates(label):
        return per_runtime.get(label, {}).get("steps_per_s", {})

    ratios = stats.summarize(stats.paired_ratios(rates("modern").get("values", []),
                                                 rates("legacy").get("values", [])))
    return {"ratio": ratios["median"], "ratios": ratios,
            "ratio_of_medians": stats.ratio(rates("modern").get("median"), rates("legacy").get("median")),
            "target": RATIO_TARGET,
            "met": stats.meets(ratios["median"], RATIO_TARGET, higher_is_better=True)}


def json_child_record(ctx, tag, argv, timeout, repeat, what):
    """Run a child whose last stdout line is a JSON object: its record for repeat `repeat`, with
    that object's keys, or with `error` set (naming `what`) when it failed or printed no JSON."""
    res, folder = ctx.child(tag, argv, timeout)
    rec = {"repeat": repeat, "wall_s": res.wall_s, "cpu_s": res.cpu_s,
           "peak_rss_mb": stats.mb(res.peak_rss_kb), "returncode": res.returncode, "error": None}
    try:
        if res.returncode != 0:
            raise ValueError
        rec.update(json.loads((folder / "stdout.txt").read_text().strip().splitlines()[-1]))
    except (ValueError, IndexError):
        rec["error"] = _failure(what, res)
        ctx.errors.append(rec["error"])
    return rec


def alternating_json_children(ctx, repeats, tag, argv_of, timeout, what, head, tail, describe):
    """Each runtime's JSON child (json_child_record) once per repeat, runtimes alternating, so a
    repeat's runs follow each other: {label: {"runs": [record, ...]}}. argv_of(python) is the
    child's command; the progress line is `<head> <label> r<k>/<n> <tail>: <describe(record)>`."""
    per_runtime = {label: {"runs": []} for label, _ in ctx.runtimes}
    for r in range(repeats):
        for label, python in ctx.runtimes:
            rec = json_child_record(ctx, "%s-%s" % (tag, label), argv_of(python), timeout, r + 1,
                                    "%s on %s" % (what, label))
            per_runtime[label]["runs"].append(rec)
            ctx.echo("%s %-6s r%d/%d %s: %s" % (head, label, r + 1, repeats, tail, rec["error"] or describe(rec)))
    return per_runtime


def summarize_runs(per_runtime):
    """Add to each runtime's entry ({"runs": [record, ...]}) the summaries of its runs: steps/s, ms
    and CPU ms per step, peak RSS, and the fused-kernel op counts when the children report them."""
    for entry in per_runtime.values():
        ok = [x if not x.get("error") else {} for x in entry["runs"]]
        for key in ("steps_per_s", "per_step_ms", "cpu_per_step_ms"):
            entry[key] = stats.summarize(x.get(key) for x in ok)
        entry["peak_rss_mb"] = _max(x.get("peak_rss_mb") for x in entry["runs"])
        if any("kernel_ops" in x for x in entry["runs"]):
            entry["kernel_ops"] = next((x["kernel_ops"] for x in ok if "kernel_ops" in x), None)
    return per_runtime


def row_entry(per_runtime, **fields):
    """The results.json entry of one row of a row group (benchmarks/cells.py, estimators.py) from
    its runs per runtime (alternating_json_children): `fields` (symbol, what, steps, ...), the
    runtimes with their summaries (summarize_runs), and modern / legacy steps/s as the median
    [min-max] of the repeats' own ratios."""
    summarize_runs(per_runtime)

    def rates(label):
        return per_runtime.get(label, {}).get("steps_per_s", {}).get("values", [])

    ratios = stats.summarize(stats.paired_ratios(rates("modern"), rates("legacy")))
    entry = dict(fields)
    entry.update(runtimes=per_runtime, ratio=ratios["median"], ratios=ratios)
    return entry



def measure_row_group(ctx, module, rows, repeats, steps, warmup, timeout, head, kind, extra_args=()):
    """{row name: row_entry} for `rows` (records with name, symbol, what) of a row group whose child
    is `python -m <module> --row NAME --steps S --warmup W [extra_args]` (benchmarks/cells.py,
    estimators.py), runtimes alternating; `head` starts the progress lines, `kind` names a row in
    errors ("row", "estimator row")."""
    group = module.rpartition(".")[2]
    out = {}
    for row in rows:
        per_runtime = alternating_json_children(
            ctx, repeats, "%s-%s" % (group, row.name),
            lambda python, row=row: [python, "-m", module, "--row", row.name, "--steps", str(steps),
                                     "--warmup", str(warmup)] + list(extra_args),
            timeout, "%s %s" % (row.name, kind), "%-6s %-18s" % (head, row.name), "%4d steps" % steps,
            lambda rec: "%.2f ms/step (CPU %.2f ms), %.1f/s" % (
                rec["per_step_ms"], rec["cpu_per_step_ms"], rec["steps_per_s"]))
        out[row.name] = row_entry(per_runtime, symbol=row.symbol, what=row.what, steps=steps, warmup_steps=warmup)
    return out

def measure_graph(ctx, name, repeats):
    """One example's training step alone, per runtime (benchmarks/graph_step.py)."""
    steps, warmup = BY_NAME[name].benchmark["graph_step"]
    unit = BY_NAME[name].unit
    per_runtime = alternating_json_children(
        ctx, repeats, "graph-%s" % name,
        lambda python: [python, "-m", "benchmarks.graph_step", "--example", name, "--steps", str(steps),
                        "--warmup", str(warmup)],
        STEP_TIMEOUT_S, "%s graph only" % name, "graph  %-16s" % name, "%5d %s" % (steps, unit),
        lambda rec: "%.2f ms/%s (CPU %.2f ms), %.1f/s%s" % (
            rec["per_step_ms"], unit, rec["cpu_per_step_ms"], rec["steps_per_s"], ", XLA" if rec.get("xla") else ""))
    summarize_runs(per_runtime)
    out = {"unit": BY_NAME[name].unit, "steps": steps, "warmup_steps": warmup,
           "method": "benchmarks/graph_step.py times %d sess.run steps after %d warm-up steps, in one "
                     "process" % (steps, warmup),
           "runtimes": per_runtime}
    out.update(_compare(per_runtime))
    return out


def _modern_runs(ctx, name, repeats, steps, tag, what):
    """Whole runs of one example on the modern runtime: the runs and their summaries."""
    label, python = ctx.runtimes[0]
    runs = []
    for r in range(repeats):
        rec = _run_example(ctx, label, python, name, steps, E2E_TIMEOUT_S, tag)
        rec["repeat"] = r + 1
        runs.append(rec)
        ctx.echo("%-6s %-16s %-6s r%d/%d %s: %s" % (tag, name, label, r + 1, repeats, what, _brief(rec)))
    return {
        "runtime": label,
        "steps": next((x["steps"] for x in runs if not x["error"]), None),
        "unit": BY_NAME[name].unit,
        "runs": runs,
        "wall_s": stats.summarize(x["wall_s"] if not x["error"] else None for x in runs),
        "loop_time_s": stats.summarize(x.get("loop_time_s") for x in runs),
        "cpu_s": stats.summarize(x["cpu_s"] if not x["error"] else None for x in runs),
        "peak_rss_mb": _max(x["peak_rss_mb"] for x in runs),
    }


def measure_e2e(ctx, name, repeats):
    """The default (full) run on the modern runtime."""
    out = _modern_runs(ctx, name, repeats, None, "e2e", "default run")
    target_id, target = E2E_TARGETS.get(name, (None, None))
    out.update(target_id=target_id, target_s=target,
               met=None if target is None else stats.meets(out["wall_s"]["median"], target,
                                                           higher_is_better=False))
    return out


def measure_quick(ctx, name, repeats):
    """The --quick profile on the modern runtime, wall time against QUICK_TARGET_S."""
    out = _modern_runs(ctx, name, repeats, "quick", "quick", "--quick")
    out.update(target_s=QUICK_TARGET_S,
               met=stats.meets(out["wall_s"]["median"], QUICK_TARGET_S, higher_is_better=False))
    return out


def measure_startup(ctx, repeats, runtimes):
    """python -m compat probes/tf1_startup.py against python -c "import tensorflow", per runtime."""
    out = {}
    for label, python in runtimes:
        out[label] = {"plain": {"runs": []}, "compat": {"runs": []}}
    for r in range(repeats):
        for label, python in runtimes:
            for kind, argv in (("plain", [python, "-c", "import tensorflow"]),
                               ("compat", [python, "-m", "compat", str(PROBE)])):
                res, _ = ctx.child("startup-%s-%s" % (kind, label), argv, STARTUP_TIMEOUT_S)
                rec = {"repeat": r + 1, "wall_s": res.wall_s, "cpu_s": res.cpu_s,
                       "peak_rss_mb": stats.mb(res.peak_rss_kb), "returncode": res.returncode, "error": None}
                if res.returncode != 0:
                    rec["error"] = _failure("start-up (%s) on %s" % (kind, label), res)
                    ctx.errors.append(rec["error"])
                out[label][kind]["runs"].append(rec)
                ctx.echo("start  %-16s %-6s r%d/%d: %s" % (
                    "python -c import" if kind == "plain" else "python -m compat", label, r + 1, repeats,
                    rec["error"] or "%.2f s (CPU %.2f s), peak RSS %.0f MB" % (
                        res.wall_s, res.cpu_s, rec["peak_rss_mb"])))
    for label, entry in out.items():
        for kind in ("plain", "compat"):
            runs = entry[kind]["runs"]
            entry[kind]["wall_s"] = stats.summarize(x["wall_s"] if not x["error"] else None for x in runs)
            entry[kind]["cpu_s"] = stats.summarize(x["cpu_s"] if not x["error"] else None for x in runs)
            entry[kind]["peak_rss_mb"] = _max(x["peak_rss_mb"] for x in runs)
        entry["plain"]["command"] = 'python -c "import tensorflow"'
        entry["compat"]["command"] = "python -m compat benchmarks/probes/tf1_startup.py"
        a, b = entry["compat"]["wall_s"]["median"], entry["plain"]["wall_s"]["median"]
        entry["overhead_s"] = (a - b) if stats.finite(a) and stats.finite(b) else None
        a, b = entry["compat"]["cpu_s"]["median"], entry["plain"]["cpu_s"]["median"]
        entry["cpu_overhead_s"] = (a - b) if stats.finite(a) and stats.finite(b) else None
        entry["target_s"] = STARTUP_TARGET_S
        entry["met"] = stats.meets(entry["overhead_s"], STARTUP_TARGET_S, higher_is_better=False)
    return out


def _brief(rec):
    if rec["error"]:
        return rec["error"]
    return "loop %.2f s (%s steps/s in run.json), process %.1f s (CPU %.1f s), peak RSS %.0f MB" % (
        rec["loop_time_s"] or 0, stats.fmt_num(rec.get("steps_per_s")), rec["wall_s"], rec["cpu_s"],
        rec["peak_rss_mb"])


def _max(values):
    xs = [v for v in values if stats.finite(v)]
    return max(xs) if xs else None
