"""python -m compat compare SCRIPT.py [--seeds K] [--metric REGEX]... [--published FILE]
       [--runtimes legacy,modern] [--legacy-python PATH] [--jobs J] [--threads N|auto]
       [--timeout S] [--pair-tolerance REL] [--out DIR] [-- SCRIPT_ARGS...]

Does this TF 1.x script still train the same here as on TF 1.15? Runs the unmodified script K
times in each runtime (legacy = TF 1.15: --legacy-python, else $COMPAT_LEGACY_PYTHON, else this
project's .venv-tf1; modern = this python through compat), run i seeded with i (graph-level
seed of every graph, numpy, random; the script's own seeds win), each in its own scratch copy of
the script's folder, stdin from /dev/null, headless matplotlib, a timeout per run. Reads the
metrics the script prints (compat/compare/metrics.py), and per metric compares the runtimes'
seed envelopes: the final values' ranges must overlap (within a factor 1.5) and Mann-Whitney U
must not flag them (p < 0.01; needs K >= 5 to be able to), the logged steps must match, and
published points (--published CSV metric,step,value,source) must lie within [min/3, max*3] of
each runtime's seeds at their step. Run against run: when a seed's first logged values agree on
both runtimes (within --pair-tolerance, relative, default 1e-5) the runtimes share the random
stream, and the report gives per metric the largest relative difference per step and the first
step beyond the tolerance (a departure within the first 5 logged values is a finding; the
verdict and exit status stay those of the distributions: docs/regress.md). Writes report.md,
report.json and one PNG per metric into DIR (default runs/compare/<timestamp>/), prints their
paths and a one-line verdict.
--threads N gives every TensorFlow Session of each run N intra-op and N inter-op threads (unless
the script sets its own), so J parallel runs share the cores; auto (default) is the cores divided
by J, at least 1 (measured no slower than TensorFlow's defaults, with less CPU: docs/regress.md,
"compare: threads per child"); 0 leaves TensorFlow's defaults.
Exit status: 0 the runtimes agree, 1 they differ (or a run failed), 2 bad input, 130 Ctrl-C.
"""

import argparse
import os
import shutil
import sys
import time
from collections import OrderedDict
from pathlib import Path

from compat.compare import comparison, metrics as metric_lines, pairing
from compat.compare.runs import MARKER, CompareJob
from compat.regress import interpreters, report as reporting
from compat.regress.jobs import run_jobs
from compat.regress.rules import FAIL, summary
from compat.regress.usage import Parser, UsageError, positive_float, positive_int

PROG = "python -m compat compare"
SCHEMA = "compat.compare/1"
RUNTIMES = ("legacy", "modern")
LEGACY_ENV = "COMPAT_LEGACY_PYTHON"
THREADS_AUTO_DOC = "the cores divided by the jobs, at least 1"
REPLACED = ("runs", "plots", ".logs", "report.md", "report.json")


def thread_count(text):
    """argparse type of --threads: 'auto' or a whole number >= 0."""
    if text == "auto":
        return text
    if not text.isdigit():
        raise argparse.ArgumentTypeError("must be auto or a whole number (0: TensorFlow's defaults), not %r" % text)
    return int(text)


def relative_tolerance(text):
    """argparse type of --pair-tolerance: a number above 0 and below 1."""
    try:
        value = float(text)
    except ValueError:
        value = None
    if value is None or not 0 < value < 1:
        raise argparse.ArgumentTypeError("must be a relative tolerance above 0 and below 1 (e.g. 1e-4), not %r" % text)
    return value


def auto_threads(jobs, cores):
    """--threads auto: the children share the cores (one thread each at jobs = cores: as fast as
    TensorFlow's defaults on S1 and S4, with less CPU; docs/regress.md)."""
    return max(1, cores // jobs)


def build_parser():
    p = Parser(prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
               description=__doc__.split("\n\n", 1)[1])
    p.add_argument("script", metavar="SCRIPT.py")
    p.add_argument("--seeds", type=positive_int, default=3, metavar="K", help="runs per runtime (default 3)")
    p.add_argument("--metric", action="append", default=[], metavar="REGEX",
                   help="a metric to read instead of detecting them: its first group is the number")
    p.add_argument("--published", metavar="FILE", help="CSV metric,step,value,source of published values")
    p.add_argument("--runtimes", default="legacy,modern", help="legacy,modern (default), legacy or modern")
    p.add_argument("--legacy-python", metavar="PATH", help="the TF 1.15 python (default: $%s, else "
                   "this project's .venv-tf1)" % LEGACY_ENV)
    p.add_argument("--jobs", type=positive_int, metavar="J", help="runs in parallel (default: the cores, %s)"
                   % os.cpu_count())
    p.add_argument("--threads", type=thread_count, default="auto", metavar="N|auto",
                   help="intra- and inter-op threads of each run's sessions: auto (default: %s), "
                   "N, or 0 for TensorFlow's defaults" % THREADS_AUTO_DOC)
    p.add_argument("--timeout", type=positive_float, default=1800.0, metavar="S",
                   help="seconds a run may take (default 1800)")
    p.add_argument("--pair-tolerance", type=relative_tolerance, default=pairing.TOLERANCE, metavar="REL",
                   help="relative difference up to which two runs' values agree, run against run "
                   "(default %g: a float32 printed with 6-7 digits)" % pairing.TOLERANCE)
    p.add_argument("--out", metavar="DIR", help="report folder (default runs/compare/<timestamp>/)")
    return p


def parse(argv):
    """argv -> options namespace; UsageError before anything is written or run."""
    argv = list(argv)
    script_args = argv[argv.index("--") + 1:] if "--" in argv else []
    own = argv[:argv.index("--")] if "--" in argv else argv
    if not own:
        raise UsageError("compare needs a script; usage: %s SCRIPT.py [options] [-- SCRIPT_ARGS...]" % PROG)
    opts = build_parser().parse_args(own)
    script = Path(opts.script)
    if not script.exists():
        raise UsageError("compare: no such script: %s; check the path" % opts.script)
    if script.is_dir() or script.suffix != ".py":
        raise UsageError("compare: %s is not a .py script; pass the script to run" % opts.script)
    runtimes = [r.strip() for r in opts.runtimes.split(",") if r.strip()]
    if not runtimes or any(r not in RUNTIMES for r in runtimes) or len(set(runtimes)) != len(runtimes):
        raise UsageError("--runtimes %s names no runtime this tool knows; choose legacy,modern, legacy or modern" % opts.runtimes)
    opts.runtimes = [r for r in RUNTIMES if r in runtimes]
    try:
        opts.explicit = metric_lines.explicit_metrics(opts.metric)
    except ValueError as exc:
        raise UsageError(str(exc))
    opts.published = comparison.read_published(opts.published) if opts.published else []
    opts.pythons = OrderedDict()
    for r in opts.runtimes:
        opts.pythons[r] = (interpreters.legacy_python(
            opts.legacy_python, LEGACY_ENV, "or pass --legacy-python PATH (e.g. a conda env's python with "
            "tensorflow 1.15), or use --runtimes modern") if r == "legacy" else sys.executable)
    opts.out, opts.replace = reporting.output_folder(opts.out, MARKER, "compat.compare/", "compare",
                                                     os.path.join("runs", "compare"))
    opts.script, opts.script_args = script.resolve(), script_args
    opts.jobs = opts.jobs or os.cpu_count() or 1
    if opts.threads == "auto":
        opts.threads = auto_threads(opts.jobs, os.cpu_count() or 1)
    opts.seeds = list(range(opts.seeds))
    opts.command = " ".join([PROG] + argv)
    return opts


def compare(opts, say):
    """Run, judge, write the report -> (exit status, report, jobs)."""
    started = time.time()
    reporting.prepare_folder(opts.out, opts.replace, MARKER, opts.command, REPLACED)
    jobs = [CompareJob(r, opts.pythons[r], opts.script, opts.script_args, seed, opts.out, opts.timeout, opts.explicit,
                       opts.threads) for r in opts.runtimes for seed in opts.seeds]
    say("compare: %d runs of %s (seeds %d-%d, %s, %d in parallel, %s) into %s" % (
        len(jobs), opts.script.name, opts.seeds[0], opts.seeds[-1], "+".join(opts.runtimes), opts.jobs,
        "%d thread(s) per session" % opts.threads if opts.threads else "TensorFlow's threads", opts.out))

    def finished(job, k, total):
        say("compare: [%d/%d] %s seed %d: %.1f s%s" % (k, total, job.runtime, job.seed, job.wall,
                                                       "" if job.ok else ", FAILED (%s)" % job.failure()))
    interrupted = False
    try:
        run_jobs(jobs, opts.jobs, finished)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        shutil.rmtree(str(opts.out / ".logs"), ignore_errors=True)
    jobs = [j for j in jobs if j.returncode is not None]
    metrics = list(OrderedDict((m.name, m) for j in jobs if j.ok for m in j.detected).values())
    for j in jobs:
        j.read_metrics(metrics)
    rows, equiv = comparison.judge(jobs, metrics, opts.runtimes, opts.published)
    paired = pairing.pair(jobs, metrics, opts.runtimes, opts.pair_tolerance) if metrics else None
    warnings = ["%s seed %d set its own seeds (they win over compare's): %s" % (
        j.runtime, j.seed, ", ".join(j.script_seeds())) for j in jobs if j.script_seeds()]
    plots = OrderedDict()
    for m in metrics:
        target = opts.out / "plots" / (m.name + ".png")
        try:
            comparison.plot(jobs, m, opts.runtimes, opts.published, target, opts.seeds)
            plots[m.name] = str(target.relative_to(opts.out))
        except Exception as exc:             # a plot must not hide the verdicts
            warnings.append("plot %s failed: %s: %s" % (m.name, type(exc).__name__, exc))
    difference = comparison.first_difference(rows, equiv)
    if interrupted:
        status, verdict = 130, "interrupted: partial report of %d finished run(s)" % len(jobs)
    elif not metrics and any(j.ok for j in jobs):
        status, verdict = 2, None
    else:
        status = 1 if difference or any(r["verdict"] == FAIL for r in rows) else 0
        verdict = ("the runtimes differ: " + difference) if status else "the runtimes agree on %s" % ", ".join(
            m.name for m in metrics)
    seen = [text.strip() for j in jobs for _, text in j.lines if text.strip()]
    report = OrderedDict([
        ("schema", SCHEMA), ("status", "interrupted" if interrupted else "finished"), ("command", opts.command),
        ("script", str(opts.script)), ("args", list(opts.script_args)), ("seeds", opts.seeds), ("jobs", opts.jobs),
        ("threads", opts.threads),
        ("started", time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started))),
        ("wall_time_s", round(time.time() - started, 3)),
        ("cpu_time_s", round(sum(j.cpu or 0.0 for j in jobs), 3)),
        ("exit_status", status), ("verdict", verdict or "no metric found"),
        ("runtimes", OrderedDict((r, _versions(r, opts.pythons[r], jobs)) for r in opts.runtimes)),
        ("metrics", [OrderedDict([("name", m.name), ("label", m.label),
                                  ("pattern", m.pattern.pattern if m.pattern else None), ("lines", m.lines)])
                     for m in metrics]),
        ("cases", comparison.case_records(jobs, metrics, opts.runtimes)),
        ("verdicts", rows), ("equivalence", equiv), ("paired", paired), ("warnings", warnings),
        ("outputs", OrderedDict([("report_md", "report.md"), ("report_json", "report.json"), ("plots", plots)])),
        ("summary", summary(rows, equiv)),
    ])
    reporting.write_text(opts.out / "report.md", comparison.markdown(report, jobs))
    reporting.write_json(opts.out / "report.json", report)
    if status == 2:
        example = "; e.g. " + repr(seen[0][:80]) if seen else ""
        raise UsageError("compare: no metric found in the runs' output (%d line(s) seen%s); name one with "
                         "--metric REGEX, e.g. --metric 'loss: +([-+.0-9eE]+)' (report: %s)" % (
                             len(seen), example, opts.out / "report.md"))
    return status, report


def _versions(runtime, python, jobs):
    record = next((j.record for j in jobs if j.runtime == runtime and j.record), None) or {}
    info = record.get("runtime") or {}
    return OrderedDict([("interpreter", python), ("python", info.get("python")),
                        ("tensorflow", info.get("tensorflow")), ("numpy", info.get("numpy"))])


def main(argv):
    """python -m compat compare ... -> exit status."""
    def say(line):
        sys.stderr.write(line + "\n")
        sys.stderr.flush()

    try:
        opts = parse(argv)
        status, report = compare(opts, say)
    except UsageError as exc:
        sys.stderr.write("compat: error: %s\n" % str(exc).replace("\n", " "))
        return 2
    except SystemExit as exc:            # --help
        return exc.code or 0
    print(opts.out / "report.md")
    print(opts.out / "report.json")
    for p in report["outputs"]["plots"].values():
        print(opts.out / p)
    if report["paired"] and not report["status"] == "interrupted":
        print("compare: run against run: " + report["paired"]["summary"])
        for line in report["paired"]["findings"]:
            print("compare: finding: " + line)
    print("compare: " + report["verdict"])
    return status
