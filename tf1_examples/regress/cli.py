"""python -m tf1_examples regress [NAME ...] [--seeds K] [--runtime modern|legacy|both]
                                 [--profile quick|full] [--jobs J] [--out DIR]

Regression against the published figures (tf1_examples/registry.py) and the TF 1.15 goldens.
Each example runs K times (seeds 0..K-1) as `python -m tf1_examples run NAME --seed S --out
DIR/runs/<runtime>/<name>[/<variant>]/seed<S> --no-progress <profile options>` in real
subprocesses, J at a time, on the chosen runtime(s); then only their metrics.csv and run.json
are read. Per logged step the seeds give an envelope (min, median, max); each published figure
gets a verdict under a rule, printed beside it.

Profiles (the options each run gets after --seed/--out: each registry Example's cases):
    full   the published setups: lstm_regression 200 steps; sin_predict --steps 3000 (the book
           profile of 0.009076); seq_data_lstm 100 epochs; rnn_words 50 000 iterations with
           --layers 2 and with --layers 1. Default seeds: 5.
    quick  under 3 minutes for all four on 2 cores (it runs in `make test`): lstm_regression
           200 steps and sin_predict --steps 3000 as in full (both take seconds), seq_data_lstm
           --steps 3 (epochs), rnn_words --steps 500 with --layers 2 and 1 (its final figure is
           then the last iteration's loss: the first Average Accuracy comes at 1000).
           A figure whose step lies beyond the runs' last step is "not comparable at this
           length" (neither pass nor fail) and its case gets a sanity rule instead. Default
           seeds: 3.

Rules (each published figure's in the registry; intervals closed: a value exactly on an edge
passes; see compat/regress/rules.py):
    lstm_regression  every printed cost (steps 0, 20, ..., 160): published within [min/3, max*3]
                     of the seeds' costs at steps within +-10 of it (the print interval); the
                     last printed one (step 180, the published "final cost"): within [min, max]
                     of the seeds' costs at steps 170..190. (The window is a measured change of
                     the issue's single-step rule: see the registry's rule_note, printed in report.md.)
    sin_predict      rmse (3000 steps): median within [0.3x, 3x] of the published value;
                     loss at steps 1, 101, 1001, 2001, 3000: published within [min/3, max*3].
    rnn_words        Average Accuracy at 50k: median >= 85 (2 layers), >= 80 (--layers 1); the
                     article's log (2 layers): accuracy median >= 85, loss median within
                     [0.3x, 3x].
    sanity           (cases with a not-comparable figure, and seq_data_lstm, which has no
                     published figure) in every seed the mean of the last 10% of the logged
                     values of the case's loss column is below the mean of the first 10%.
    failed run       an example run that exits non-zero (or leaves no finished run.json) is a
                     failed verdict of its own, reported with the tail of its stderr.
    --runtime both   per case, the seeds' final figures of the two runtimes are compared with a
                     two-sided Mann-Whitney U test; p < 0.01 is flagged and fails. With K seeds a
                     side, the smallest attainable p (complete separation) is 2/C(2K, K): K=3
                     0.1, K=4 0.029, K=5 0.0079, K=6 0.0022, so the flag needs K >= 5, and at K=5
                     it fires only when every seed of one runtime beats every seed of the other.

Outputs in DIR (default runs/regress/<timestamp>/), full paths printed at the end:
    report.md                   verdict table, envelopes, seeds' final values, runtimes, wall time
    report.json                 the same as data (schema below)
    plots/<name>.png            per example: the seed band (min-max) with its median line per
                                runtime (and variant), the published points, and the TF 1.15
                                golden curve when tests/golden/<name>*.json exists
    runs/<runtime>/<name>[/<variant>]/seed<k>/    each run's folder, plus the run's
                                stdout/stderr as regress.stdout.txt / regress.stderr.txt
Exit status: 0 every verdict passes (or is not comparable), 1 some verdict fails, 2 bad input
(one line on stderr, nothing written), 130 interrupted.

Interpreters: modern = $TF1_MODERN_PYTHON, else <repo>/.venv/bin/python, else this Python;
legacy = $TF1_LEGACY_PYTHON, else <repo>/.venv-tf1/bin/python (missing: exit 2).

TF 1.15 goldens (optional, written by the parity tests): tests/golden/<name>*.json, a JSON object
    {"values": [number, ...]}      (or "costs": [...]) the first N logged values of a seeded run
    "steps": [int, ...]            optional, same length; default: the steps of the first N
                                   logged rows of that column in this report's runs
    "column": str                  optional, default: cost (lstm_regression), loss (others)
    "seed", "tensorflow", "label"  optional, shown in the legend
    "data"                         optional: set when the golden trained on other data than the
                                   example's default (seq_data_lstm's: the stand-in's first 113
                                   rows); such a curve is listed in the report, not drawn
A file that does not parse is skipped with a warning (stderr and report); no file, no curve.

report.json, schema "tf1_examples.regress/1" (keys may be added, never renamed or removed within
a schema version; missing numbers are null; paths are relative to the report's folder):
    schema        str   "tf1_examples.regress/1"
    status        str   "finished"
    command       str   the command line
    profile       str   "quick" | "full"
    examples      [str] the examples run, in order
    seeds         [int]
    jobs          int
    started       str   local time, YYYY-MM-DDTHH:MM:SS
    wall_time_s   float
    cpu_time_s    float the runs' CPU time (user + system), summed: load-independent
    exit_status   int   0 | 1
    runtimes      {RUNTIME: {interpreter: str, python: str|null, tensorflow: str|null,
                             numpy: str|null}}      RUNTIME is "modern" or "legacy"
    cases         [{case: str, example: str, variant: str|null, args: [str],
                    final_column: str,
                    runs: {RUNTIME: [{seed: int, ok: bool, exit_status: int, wall_time_s: float,
                                      cpu_time_s: float|null,
                                      folder: str, final_step: int|null, final: float|null,
                                      steps_per_s: float|null, error: str|null}]},
                    envelopes: {RUNTIME: {COLUMN: {steps: [int], min: [float],
                                median: [float], max: [float], n: [int]}}}}]
                        (envelope steps thinned evenly to at most 1000, figure steps kept)
    verdicts      [{runtime: str, example: str, case: str, kind: "figure"|"sanity"|"run",
                    figure: str|null, column: str|null, step: int|null, published: float|null,
                    min: float|null, median: float|null, max: float|null, n: int,
                    rule: str, rule_kind: "band"|"range"|"ratio"|"at_least"|"improves"|"run",
                    rule_params: {str: number|str},
                    verdict: "pass"|"fail"|"not comparable at this length", detail: str}]
    equivalence   [{case: str, example: str, column: str, modern: [float], legacy: [float],
                    u: float|null, p: float|null, method: str, min_attainable_p: float|null,
                    alpha: float, flagged: bool, verdict: "pass"|"fail"|"not tested"}]
                        (empty unless --runtime both)
    goldens       [{example: str, file: str, column: str, label: str, n: int, data: str|null}]
                  (data: the golden's "data", set when it trained on other data; not drawn)
    warnings      [str]
    outputs       {report_md: str, report_json: str, plots: {EXAMPLE: str}}
    summary       {pass: int, fail: int, not_comparable: int}
"""

import argparse
import os
import sys
from collections import OrderedDict, namedtuple

from compat.regress import interpreters, report
from compat.regress.usage import Parser, UsageError, positive_int
from tf1_examples.registry import BY_NAME, EXAMPLES

PROG = "python -m tf1_examples regress"
SCHEMA = "tf1_examples.regress/1"
MARKER = ".tf1_examples-regress"          # written first into DIR: marks a regress report folder
RUNTIMES = ("modern", "legacy")
DEFAULT_SEEDS = {"full": 5, "quick": 3}
ERROR_PREFIX = "tf1_examples: error: "


def build_parser():
    doc = sys.modules[__name__].__doc__.split("\n\n", 1)[1]
    p = Parser(prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
               description=doc.split("\nreport.json, schema")[0].rstrip(),
               epilog="report.json's schema: see the docstring of tf1_examples/regress/cli.py.")
    names = ", ".join(e.name for e in EXAMPLES)
    p.add_argument("names", nargs="*", metavar="NAME", help="examples to run (default: all: %s)" % names)
    p.add_argument("--seeds", type=positive_int, metavar="K",
                   help="runs per example and runtime, seeds 0..K-1 (default: full 5, quick 3)")
    p.add_argument("--runtime", choices=("modern", "legacy", "both"), default="modern",
                   help="TF 2.x through compat (modern, default), TF 1.15 (legacy), or both")
    p.add_argument("--profile", choices=("quick", "full"), default="full",
                   help="full: the published setups (default; hours: rnn_words is 50 000 "
                        "iterations); quick: ~240 CPU s, about 2 minutes on 2 free "
                        "cores")
    p.add_argument("--jobs", type=positive_int, metavar="J",
                   help="runs in parallel (default: os.cpu_count() = %s)" % os.cpu_count())
    p.add_argument("--out", metavar="DIR",
                   help="report folder (default: runs/regress/<timestamp>/); an existing one must "
                        "be empty or an earlier regress report, which is replaced")
    return p


Options = namedtuple("Options", "names seeds runtimes profile jobs out pythons replace command")


def output_folder(out):
    """-> (absolute folder, whether it holds an earlier report to replace)."""
    return report.output_folder(out, MARKER, "tf1_examples.regress/", "regress", os.path.join("runs", "regress"))


def parse(argv):
    """argv -> Options; raises UsageError before anything is written."""
    args = build_parser().parse_args(argv)
    names = []
    for name in args.names:
        if name not in BY_NAME:
            raise UsageError("unknown example %r; choose from: %s (python -m tf1_examples list)"
                             % (name, ", ".join(e.name for e in EXAMPLES)))
        if name not in names:
            names.append(name)
    names = names or [e.name for e in EXAMPLES]
    runtimes = RUNTIMES if args.runtime == "both" else (args.runtime,)
    pythons = OrderedDict((r, interpreters.legacy_python() if r == "legacy" else interpreters.modern_python())
                          for r in runtimes)
    out, replace = output_folder(args.out)
    return Options(names, list(range(args.seeds or DEFAULT_SEEDS[args.profile])), runtimes,
                   args.profile, args.jobs or os.cpu_count() or 1, out, pythons, replace,
                   " ".join([PROG] + list(argv)))
