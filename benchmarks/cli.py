"""The `python -m benchmarks` command line: parse, check, run the suite, write the results."""

import argparse
import importlib.util
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import cells, estimators, machine, report, suite
from compat.regress.usage import positive_int
from tf1_examples.registry import BY_NAME, EXAMPLES

PROG = "benchmarks"
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_OUT = HERE / "results"
SMOKE_OUT = DEFAULT_OUT / "smoke"
DEFAULT_MODERN = REPO / ".venv" / "bin" / "python"
DEFAULT_LEGACY = REPO / ".venv-tf1" / "bin" / "python"
ALL_EXAMPLES = tuple(e.name for e in EXAMPLES)      # the registry's order
SMOKE_EXAMPLE = "lstm_regression"

DESCRIPTION = """\
Side-by-side timings of the four reproductions: compat on the modern runtime (TF 2.x) against
TensorFlow 1.15 (the legacy runtime), in one invocation:
  - training steps/s after warm-up per example, both runtimes alternating run by run, N repeats:
    median [min-max] per runtime, and modern/legacy as the median [min-max] of each repeat's own
    ratio (target >= %.1f); for lstm_regression
    (S1) and rnn_words (S4) also the training step alone ("graph only": S1 without its plotting,
    S4's ms per iteration against its floor)
  - start-up of `python -m compat SCRIPT` against `python -c "import tensorflow"` (target
    overhead <= %.1f s)
  - each example's default (full) run end to end on the modern runtime, headless (targets:
    S1 lstm_regression <= 8 s, S4 rnn_words <= 8 min; rnn_words' 50 000 iterations take minutes:
    leave it out with --e2e or --skip-e2e)
  - each example's --quick profile end to end on the modern runtime (target <= %g s each)
  - compat's own symbols (benchmarks/cells.py: LSTMBlockCell, LSTMBlockFusedCell, GRUBlockCellV2,
    seq2seq, crf, data): one training step of a small model around each, both runtimes
    alternating (--cells, --skip-cells, --only-cells)
  - Estimator.train steps/s (benchmarks/estimators.py: sin_predict's tf.contrib.learn Estimator,
    BERT's TPUEstimator with --bert-dir), both runtimes alternating (--estimators,
    --skip-estimators; --only-cells runs both row groups)
  - the peak RSS of every child process
and writes results.json and results.md (machine, versions, tables, every target and whether it
was met) into --out. Without the legacy runtime, the modern columns only, with a note.""" % (
    suite.RATIO_TARGET, suite.STARTUP_TARGET_S, suite.QUICK_TARGET_S)


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError("%s; see `python -m %s --help`" % (message, PROG))


def _names(text):
    names = [n.strip() for n in text.split(",") if n.strip()]
    if text.strip().lower() == "none":
        return []
    if text.strip().lower() == "all":
        return list(ALL_EXAMPLES)
    unknown = [n for n in names if n not in ALL_EXAMPLES]
    if unknown or not names:
        raise argparse.ArgumentTypeError("unknown example %r; choose from %s (comma-separated), or all"
                                         % (unknown[0] if unknown else text, ", ".join(ALL_EXAMPLES)))
    return [n for n in ALL_EXAMPLES if n in names]


def _row_list(row_names):
    """The argparse type of a row group's flag: comma-separated rows of row_names, all, or none."""
    def parse_rows(text):
        if text.strip().lower() == "none":
            return []
        if text.strip().lower() == "all":
            return list(row_names)
        names = [n.strip() for n in text.split(",") if n.strip()]
        unknown = [n for n in names if n not in row_names]
        if unknown or not names:
            raise argparse.ArgumentTypeError("unknown row %r; choose from %s (comma-separated), or all"
                                             % (unknown[0] if unknown else text, ", ".join(row_names)))
        return [n for n in row_names if n in names]
    return parse_rows


def _lengths(text):
    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        values = []
    if not (len(values) in (1, 2) and all(v > 0 for v in values) and values == sorted(set(values))):
        raise argparse.ArgumentTypeError("must be N1,N2 with 0 < N1 < N2 (or one N), not %r" % text)
    return values


def build_parser():
    p = _Parser(prog="python -m %s" % PROG, description=DESCRIPTION,
                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--repeats", type=positive_int, metavar="N",
                   help="repeats of every timed measurement (default: 5; --smoke: 1)")
    p.add_argument("--examples", type=_names, metavar="NAMES",
                   help="comma-separated examples, or all (default: all four; --smoke: %s)" % SMOKE_EXAMPLE)
    p.add_argument("--lengths", type=_lengths, metavar="N1,N2",
                   help="run lengths of the steps/s measurement for every selected example, in its own "
                        "unit (default per example: %s; --smoke: one run of %d)" % (
                            ", ".join("%s %d,%d" % ((e.name,) + e.benchmark["lengths"]) for e in EXAMPLES),
                            BY_NAME[SMOKE_EXAMPLE].benchmark["smoke"]))
    p.add_argument("--e2e", type=_names, metavar="NAMES",
                   help="examples whose default run is timed end to end (default: those of --examples)")
    p.add_argument("--e2e-repeats", type=positive_int, metavar="N", default=1,
                   help="repeats of each end-to-end run (default: 1)")
    p.add_argument("--skip-e2e", action="store_true", help="no end-to-end runs (--smoke implies it unless --e2e is given)")
    p.add_argument("--quick-runs", type=_names, metavar="NAMES",
                   help="examples whose --quick profile is timed end to end, one run each per "
                        "--e2e-repeats (default: those of --examples; --smoke: none)")
    p.add_argument("--skip-quick", action="store_true", help="no --quick profile runs")
    p.add_argument("--skip-startup", action="store_true", help="no start-up measurement")
    p.add_argument("--cells", type=_row_list(cells.ROW_NAMES), metavar="ROWS",
                   help="compat-symbol rows of benchmarks/cells.py, comma-separated, or all or none "
                        "(default: all; --smoke: none): %s" % ", ".join(cells.ROW_NAMES))
    p.add_argument("--skip-cells", action="store_true", help="no compat-symbol rows")
    p.add_argument("--estimators", type=_row_list(estimators.ROW_NAMES), metavar="ROWS",
                   help="Estimator rows of benchmarks/estimators.py (Estimator.train steps/s), comma-separated, "
                        "or all or none (default: all, bert_tiny only with --bert-dir; --smoke: none): %s"
                        % ", ".join(estimators.ROW_NAMES))
    p.add_argument("--skip-estimators", action="store_true", help="no Estimator rows")
    p.add_argument("--bert-dir", metavar="DIR", default=os.environ.get("BERT_DIR"),
                   help="a google-research/bert checkout, for the bert_tiny row (default: $BERT_DIR)")
    p.add_argument("--only-cells", action="store_true",
                   help="the row groups alone (compat-symbol and Estimator rows): no example, no start-up "
                        "measurement")
    p.add_argument("--seed", type=int, metavar="S",
                   help="pass --seed S to the timed training runs (seeded runs keep TensorFlow's default "
                        "thread pools, so only the data and initial values change). "
                        "Default: unseeded, as a user runs them")
    p.add_argument("--out", metavar="DIR",
                   help="where results.json and results.md go (default: benchmarks/results/; "
                        "--smoke: benchmarks/results/smoke/)")
    p.add_argument("--smoke", action="store_true",
                   help="prove the machinery in well under a minute: 1 repeat, %s only, %d steps, one "
                        "run per runtime (run.json steps/s), modern start-up only, no end-to-end run"
                        % (SMOKE_EXAMPLE, BY_NAME[SMOKE_EXAMPLE].benchmark["smoke"]))
    p.add_argument("--modern-python", metavar="PATH",
                   help="the TF 2.x interpreter (default: .venv/bin/python, else this one)")
    p.add_argument("--legacy-python", metavar="PATH",
                   help="the TF 1.15 interpreter (default: .venv-tf1/bin/python); a missing one "
                        "gives the modern columns only")
    p.add_argument("--keep-runs", action="store_true",
                   help="keep the children's run folders and logs (printed at the end)")
    return p


def parse(argv):
    args = build_parser().parse_args(argv)
    args.requested = set(args.examples or []) | set(args.e2e or []) | set(args.quick_runs or [])
    if args.only_cells and (args.skip_cells or args.examples is not None or args.e2e or args.quick_runs):
        raise UsageError("--only-cells runs the compat-symbol rows alone; leave out --skip-cells, "
                         "--examples, --e2e and --quick-runs")
    if args.skip_cells and args.cells:
        raise UsageError("--cells and --skip-cells contradict each other; give one")
    args.cells = [] if args.skip_cells else (
        args.cells if args.cells is not None else
        ([] if args.smoke and not args.only_cells else list(cells.ROW_NAMES)))
    _estimator_rows(args)
    if args.smoke:
        args.repeats = args.repeats or 1
        args.examples = args.examples or [SMOKE_EXAMPLE]
        args.skip_e2e = args.skip_e2e or args.e2e is None   # an explicit --e2e still runs
    args.repeats = args.repeats or 5
    args.examples = args.examples if args.examples is not None else list(ALL_EXAMPLES)
    if args.only_cells:
        args.examples, args.skip_startup = [], True
    if args.skip_e2e and args.e2e:
        raise UsageError("--e2e and --skip-e2e contradict each other; give one")
    args.e2e = [] if args.skip_e2e else (args.e2e if args.e2e is not None else list(args.examples))
    if args.skip_quick and args.quick_runs:
        raise UsageError("--quick-runs and --skip-quick contradict each other; give one")
    default_quick = [] if args.smoke else list(args.examples)
    args.quick_runs = [] if args.skip_quick else (
        args.quick_runs if args.quick_runs is not None else default_quick)
    out = Path(args.out) if args.out else (SMOKE_OUT if args.smoke else DEFAULT_OUT)
    if out.exists() and not out.is_dir():
        raise UsageError("--out %s is a file, not a folder; pass a folder (created if missing)" % out)
    args.out = out
    args.modern_python = Path(args.modern_python) if args.modern_python else (
        DEFAULT_MODERN if DEFAULT_MODERN.exists() else Path(sys.executable))
    args.legacy_python = Path(args.legacy_python) if args.legacy_python else DEFAULT_LEGACY
    if not args.modern_python.exists():
        raise UsageError("--modern-python %s does not exist; build it with `make venv` or pass the path "
                         "of a TF 2.x interpreter" % args.modern_python)
    return args


def _estimator_rows(args):
    """args.estimators from --estimators / --skip-estimators / --smoke; bert_tiny by default only
    with a BERT checkout, and named without one it is a usage error."""
    if args.skip_estimators and args.estimators:
        raise UsageError("--estimators and --skip-estimators contradict each other; give one")
    has_bert = estimators.bert_checkout(args.bert_dir)
    if args.estimators is None:
        default = [] if args.skip_estimators or (args.smoke and not args.only_cells) else list(estimators.ROW_NAMES)
        args.estimators = [n for n in default if has_bert or n not in estimators.NEEDS_BERT]
    elif any(n in estimators.NEEDS_BERT for n in args.estimators) and not has_bert:
        where = ("--bert-dir %s has no run_pretraining.py" % args.bert_dir) if args.bert_dir else "no --bert-dir"
        raise UsageError("%s (%s); pass a checkout of https://github.com/google-research/bert or leave "
                         "bert_tiny out of --estimators" % (estimators.BERT_NEEDED, where))


def _written(name):
    """True when tf1_examples/<name>.py exists (the examples are written one by one)."""
    return importlib.util.find_spec("tf1_examples." + name) is not None


def _runtimes(args, notes):
    info = {}
    try:
        modern = machine.runtime_versions(args.modern_python)
    except RuntimeError as exc:
        raise UsageError("the modern runtime does not run: %s; rebuild it with `make venv`" % exc)
    if not str(modern.get("tensorflow") or "").startswith("2."):
        raise UsageError("--modern-python %s has TensorFlow %s, not 2.x; pass the TF 2.x interpreter"
                         % (args.modern_python, modern.get("tensorflow")))
    modern.update(available=True, executable=str(args.modern_python))
    info["modern"] = modern
    runtimes = [("modern", str(args.modern_python))]
    legacy_note = None
    if not args.legacy_python.exists():
        legacy_note = ("legacy runtime not built (%s missing): modern columns only; build it with "
                       "`make venv-tf1` (needs Python 3.7) to compare against TF 1.15" % args.legacy_python)
    else:
        try:
            legacy = machine.runtime_versions(args.legacy_python)
            if not str(legacy.get("tensorflow") or "").startswith("1."):
                legacy_note = ("--legacy-python %s has TensorFlow %s, not 1.x: modern columns only"
                               % (args.legacy_python, legacy.get("tensorflow")))
        except RuntimeError as exc:
            legacy_note = "legacy runtime does not run (%s): modern columns only" % exc
    if legacy_note:
        notes.append(legacy_note)
        info["legacy"] = {"available": False, "note": legacy_note, "executable": str(args.legacy_python)}
    else:
        legacy.update(available=True, executable=str(args.legacy_python))
        info["legacy"] = legacy
        runtimes.append(("legacy", str(args.legacy_python)))
    return runtimes, info


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parse(argv)
        notes = []
        runtimes, runtime_info = _runtimes(args, notes)
        missing = sorted((n for n in set(args.examples) | set(args.e2e) | set(args.quick_runs)
                          if not _written(n)),
                         key=ALL_EXAMPLES.index)
        named = [n for n in missing if n in args.requested]
        if named:
            raise UsageError("%s: tf1_examples/%s.py is not written yet; leave it out of --examples/--e2e"
                             % (named[0], named[0]))
    except UsageError as exc:
        sys.stderr.write("%s: error: %s\n" % (PROG, str(exc).replace("\n", " ")))
        return 2
    for name in missing:
        notes.append("%s skipped: tf1_examples/%s.py is not written yet" % (name, name))
    examples = [n for n in args.examples if n not in missing]
    e2e = [n for n in args.e2e if n not in missing]
    args.quick_runs = [n for n in args.quick_runs if n not in missing]
    return _run(args, argv, runtimes, runtime_info, notes, examples, e2e)


def _echo(text):
    print(text)
    sys.stdout.flush()


def _run(args, argv, runtimes, runtime_info, notes, examples, e2e):
    desc = machine.describe()
    usable = desc.get("usable_cores") or 1
    if desc.get("load_average_start") and desc["load_average_start"][0] > 0.5 * usable:
        notes.append("the machine was busy at the start (load average %.2f on %d cores): timings are noisy"
                     % (desc["load_average_start"][0], usable))
    results = {
        "schema": 1,
        "status": "running",
        "mode": "smoke" if args.smoke else "full",
        "command": " ".join(["python", "-m", PROG] + argv),
        "machine": desc,
        "runtimes": runtime_info,
        "settings": {"repeats": args.repeats, "examples": examples, "e2e": e2e,
                     "e2e_repeats": args.e2e_repeats, "quick_runs": args.quick_runs,
                     "seed": args.seed, "smoke": args.smoke, "cells": args.cells,
                     "estimators": args.estimators,
                     "lengths": {n: list(suite.lengths_for(n, args.smoke, args.lengths)) for n in examples}},
        "notes": notes,
        "steps": {},
        "graph": {},
        "cells": {},
        "estimators": {},
        "e2e": {},
        "quick": {},
        "startup": {},
        "targets": [],
        "errors": [],
    }
    workdir = Path(tempfile.mkdtemp(prefix="benchmarks-"))
    ctx = suite.Context(runtimes, workdir, _echo, seed=args.seed)
    json_path, md_path = args.out / "results.json", args.out / "results.md"
    for note in notes:
        _echo("note: " + note)
    _echo("runtimes: " + "; ".join("%s = %s (TF %s)" % (lb, py, runtime_info[lb]["tensorflow"])
                                    for lb, py in runtimes))

    def save(status):
        results["status"] = status
        results["errors"] = list(ctx.errors)
        results["machine"]["load_average_end"] = machine.load_average()
        results["targets"] = report.targets(results)
        write = report.write_atomic
        write(json_path, report.to_json(results))
        write(md_path, report.render_markdown(results))

    status = 0
    try:
        for name in examples:
            results["steps"][name] = suite.measure_steps(
                ctx, name, args.repeats, suite.lengths_for(name, args.smoke, args.lengths))
            save("running")
        for name in [e.name for e in EXAMPLES if e.benchmark["graph_step"]]:
            if name in examples and not args.smoke:
                results["graph"][name] = suite.measure_graph(ctx, name, args.repeats)
                save("running")
        for name in args.cells:
            results["cells"].update(cells.measure(ctx, [name], args.repeats))
            save("running")
        for name in args.estimators:
            results["estimators"].update(estimators.measure(ctx, [name], args.repeats, bert_dir=args.bert_dir))
            save("running")
        if not args.skip_startup:
            results["startup"] = suite.measure_startup(ctx, args.repeats, runtimes[:1] if args.smoke else runtimes)
            save("running")
        for name in args.quick_runs:
            results["quick"][name] = suite.measure_quick(ctx, name, args.e2e_repeats)
            save("running")
        for name in e2e:
            results["e2e"][name] = suite.measure_e2e(ctx, name, args.e2e_repeats)
            save("running")
        save("finished" if not ctx.errors else "finished with errors")
        status = 0 if not ctx.errors else 1
    except KeyboardInterrupt:
        save("interrupted")
        _echo("%s: interrupted; partial results written" % PROG)
        status = 130
    finally:
        if args.keep_runs or ctx.errors:
            _echo("children's run folders and logs: %s" % workdir)
        else:
            shutil.rmtree(str(workdir), ignore_errors=True)
    _echo("")
    _echo(report.render_markdown(results).rstrip())
    _echo("")
    for err in ctx.errors:
        _echo("error: " + err)
    _echo("results: %s" % os.path.abspath(str(json_path)))
    _echo("         %s" % os.path.abspath(str(md_path)))
    return status
