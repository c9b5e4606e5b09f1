"""`python -m tf1_examples regress`: the four examples as cases of the regression engine
(compat/regress/). The command line and report.json's schema: tf1_examples/regress/cli.py;
the cases, jobs and verdicts: cases.py; the pictures: drawing.py; here the run as a whole."""

import os
import shutil
import sys
import time
from collections import OrderedDict

from compat.regress import report as reporting
from compat.regress.jobs import run_jobs
from compat.regress.rules import FAIL, summary
from compat.regress.stats import ALPHA, fmt
from compat.regress.usage import UsageError
from tf1_examples.regress.cases import RunJob, case_records, cases_of, equivalence, judge_all
from tf1_examples.regress.cli import ERROR_PREFIX, MARKER, SCHEMA, parse
from tf1_examples.regress.drawing import load_goldens, plot_example
from tf1_examples.registry import BY_NAME

REPLACED = ("runs", "plots", ".logs", "report.md", "report.json")   # of an earlier report in --out


def progress_line(job, k, total):
    head = "regress: [%d/%d] %s %s seed %d: %.1f s" % (k, total, job.runtime, job.id, job.seed, job.wall)
    if job.ok:
        step, value = job.final()
        return "%s, %s %s (step %s)" % (head, job.final_column, fmt(value), step)
    tail = job.stderr_tail()
    return "%s, FAILED (%s)%s" % (head, job.error.split(":")[0],
                                  "".join("\n    " + line for line in tail) or " with no stderr")


def versions(runtime, python, jobs):
    """The runtime's versions, as its first run's run.json recorded them."""
    record = next((j.record for j in jobs if j.runtime == runtime and j.record), None) or {}
    info = record.get("runtime") or {}
    return OrderedDict([("interpreter", python), ("python", info.get("python")),
                        ("tensorflow", info.get("tensorflow")), ("numpy", info.get("numpy"))])


def regress(opts, say=None):
    """Run, judge, write the report; returns (exit status, report dict)."""
    say = say or (lambda line: (sys.stderr.write(line + "\n"), sys.stderr.flush()))
    started = time.time()
    reporting.prepare_folder(opts.out, opts.replace, MARKER, opts.command, REPLACED)
    jobs = [RunJob(runtime, opts.pythons[runtime], case, seed, opts.profile, opts.out)
            for runtime in opts.runtimes for name in opts.names for case in cases_of(name, opts.profile)
            for seed in opts.seeds]
    say("regress: %d runs (%s profile, seeds %d-%d, runtime %s, %d in parallel) into %s" % (
        len(jobs), opts.profile, opts.seeds[0], opts.seeds[-1], "+".join(opts.runtimes),
        opts.jobs, opts.out))
    try:
        run_jobs(jobs, opts.jobs, lambda job, k, total: say(progress_line(job, k, total)))
    finally:
        shutil.rmtree(str(opts.out / ".logs"), ignore_errors=True)

    rows = judge_all(opts.names, opts.runtimes, jobs, opts.profile)
    equiv = equivalence(opts.names, jobs, opts.profile) if len(opts.runtimes) == 2 else []
    goldens, warnings = load_goldens(opts.names, jobs)
    for w in warnings:
        say("regress: warning: " + w)
    plots = OrderedDict()
    for name in opts.names:
        target = opts.out / "plots" / (name + ".png")
        try:
            plot_example(name, opts.runtimes, jobs, goldens, target, opts.profile, opts.seeds)
            plots[name] = str(target.relative_to(opts.out))
        except Exception as exc:             # a plot must not hide the verdicts
            warnings.append("plot %s failed: %s: %s" % (name, type(exc).__name__, exc))
            say("regress: warning: " + warnings[-1])
    failed = any(r["verdict"] == FAIL for r in rows + equiv)
    report = OrderedDict([
        ("schema", SCHEMA), ("status", "finished"), ("command", opts.command),
        ("profile", opts.profile), ("examples", list(opts.names)), ("seeds", list(opts.seeds)),
        ("jobs", opts.jobs),
        ("started", time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started))),
        ("wall_time_s", round(time.time() - started, 3)),
        ("cpu_time_s", round(sum(j.cpu or 0.0 for j in jobs), 3)),
        ("exit_status", 1 if failed else 0),
        ("runtimes", OrderedDict((r, versions(r, opts.pythons[r], jobs)) for r in opts.runtimes)),
        ("cases", case_records(opts.names, opts.runtimes, jobs, opts.profile)),
        ("verdicts", rows), ("equivalence", equiv),
        ("goldens", [OrderedDict([("example", g.example), ("file", str(g.file)), ("column", g.column),
                                  ("label", g.label), ("n", len(g.values)), ("data", g.other_data)])
                     for g in goldens]),
        ("warnings", warnings),
        ("outputs", OrderedDict([("report_md", "report.md"), ("report_json", "report.json"),
                                 ("plots", plots)])),
        ("summary", summary(rows, equiv)),
    ])
    reporting.write_text(opts.out / "report.md", markdown(report, jobs))
    reporting.write_json(opts.out / "report.json", report)
    return report["exit_status"], report


def markdown(report, jobs):
    lines = ["# Regression report: %s profile" % report["profile"], ""]
    lines += ["- command: `%s`" % report["command"],
              "- started %s, wall time %.1f s (the runs' CPU time %.1f s), %d parallel run(s), seeds %s" % (
                  report["started"], report["wall_time_s"], report["cpu_time_s"], report["jobs"],
                  ", ".join(str(s) for s in report["seeds"])),
              "- result: %(pass)d pass, %(fail)d fail, %(not_comparable)d not comparable at this length"
              % report["summary"] + " (exit status %d)" % report["exit_status"], ""]
    lines += reporting.runtimes_section(report["runtimes"])
    lines += ["## Verdicts", "",
              "Envelope = the seeds' min / median / max at the figure's step. Intervals are closed "
              "(a value on an edge passes); the sanity rule is strict. `not comparable at this "
              "length`: the figure's step lies beyond this profile's runs (neither pass nor fail; "
              "the case's sanity rule applies instead).", "",
              reporting.verdict_table(report["verdicts"], markdown=True), ""]
    lines += reporting.equivalence_section(report["equivalence"], ALPHA)
    notes = [(n, BY_NAME[n].rule_note) for n in report["examples"] if BY_NAME[n].rule_note]
    if notes:
        lines += ["## Rule notes", ""] + ["- %s: %s" % note for note in notes] + [""]
    lines += reporting.final_values_section(report["cases"], report["seeds"])
    lines += reporting.failed_runs_section(jobs)
    lines += ["", "## Goldens", ""]
    if report["goldens"]:
        lines += ["- %s: %s, %d values of `%s`%s" % (
            g["example"], g["file"], g["n"], g["column"],
            "" if g["data"] is None else " (not drawn: trained on other data than these runs: %s)" % g["data"])
            for g in report["goldens"]]
    else:
        lines.append("No TF 1.15 golden for these examples (tests/golden/<name>*.json).")
    lines += ["- warning: " + w for w in report["warnings"]]
    lines += ["", "## Outputs", "", "- report.json (schema `%s`)" % report["schema"]]
    lines += ["- %s" % p for p in report["outputs"]["plots"].values()]
    lines += ["- runs/<runtime>/<name>[/<variant>]/seed<k>/: each run's folder (metrics.csv, run.json, "
              "regress.stdout.txt, regress.stderr.txt)", ""]
    return "\n".join(lines)


def print_summary(report, out):
    print(reporting.verdict_table(report["verdicts"], markdown=False))
    for e in report["equivalence"]:
        print(reporting.equivalence_line(e))
    print("%(pass)d pass, %(fail)d fail, %(not_comparable)d not comparable at this length" % report["summary"]
          + "; wall time %.1f s, the runs' CPU time %.1f s" % (report["wall_time_s"], report["cpu_time_s"]))
    print(out / "report.md")
    print(out / "report.json")
    for p in report["outputs"]["plots"].values():
        print(out / p)
    print(out / "runs")


def main(argv=None):
    """CLI entry: 0 all verdicts pass, 1 some fail, 2 bad input, 130 interrupted."""
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        opts = parse(argv)
    except UsageError as exc:
        sys.stderr.write(ERROR_PREFIX + str(exc).replace("\n", " ") + "\n")
        return 2
    except SystemExit as exc:            # --help
        return exc.code or 0
    try:
        status, report = regress(opts)
    except KeyboardInterrupt:
        sys.stderr.write("tf1_examples: interrupted; the runs so far are in %s\n" % opts.out)
        return 130
    print_summary(report, opts.out)
    return status
