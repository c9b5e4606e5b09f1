"""python -m tf1_examples regress [NAME ...] [--seeds K] [--runtime modern|legacy|both]
                                 [--profile quick|full] [--jobs J] [--out DIR]

Regression against the published figures (tf1_examples/published.py) and the TF 1.15 goldens.
Each example runs K times (seeds 0..K-1) as `python -m tf1_examples run NAME --seed S --out
DIR/runs/<runtime>/<name>[/<variant>]/seed<S> --no-progress <profile options>` in real
subprocesses, J at a time, on the chosen runtime(s); then only their metrics.csv and run.json
are read. Per logged step the seeds give an envelope (min, median, max); each published figure
gets a verdict under a rule, printed beside it.

Profiles (the options each run gets after --seed/--out; see CASES):
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

Rules (intervals closed: a value exactly on an edge passes; see tf1_examples/_stats.py):
    lstm_regression  every printed cost (steps 0, 20, ..., 160): published within [min/3, max*3]
                     of the seeds' costs at steps within +-10 of it (the print interval); the
                     last printed one (step 180, the published "final cost"): within [min, max]
                     of the seeds' costs at steps 170..190. (The window is a measured change of
                     the issue's single-step rule: see RULE_NOTES below and in report.md.)
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
import json
import os
import shutil
import subprocess
import sys
import time
from collections import OrderedDict, namedtuple
from pathlib import Path

from tf1_examples import _checks, _common, _files, _stats
from tf1_examples._stats import FAIL, NOT_COMPARABLE, PASS, Rule
from tf1_examples.published import BY_NAME, EXAMPLES

PROG = "python -m tf1_examples regress"
SCHEMA = "tf1_examples.regress/1"
REPO = Path(__file__).resolve().parents[1]
GOLDEN_DIR = REPO / "tests" / "golden"
MARKER = ".tf1_examples-regress"          # written first into DIR: marks a regress report folder
RUNTIMES = ("modern", "legacy")
DEFAULT_SEEDS = {"full": 5, "quick": 3}
MAX_ENVELOPE_POINTS = 1000
STDERR_TAIL = 12

# One case = one example with one set of options (rnn_words has two: --layers 2 and 1).
# quick, measured on this 2-core machine (CPU seconds of one seeded run, TF 2.21): lstm_regression
# 200 steps 13 s; sin_predict 3000 steps 14 s (1000 steps: 11 s, so quick keeps the book's 3000
# and all its figures stay comparable); seq_data_lstm 3 epochs 15 s; rnn_words 1000 iterations
# 37 s with 2 layers, 18 s with 1 (about 29 and 12 ms an iteration after ~8 s of start-up), so
# quick runs 500 (23 s and 11 s; no display step yet: the sanity rule reads the per-iteration
# loss). Three seeds of all five, measured: 238 CPU s (S3 18 s a run, more than the single run
# above), i.e. about 2 minutes on two free cores.
# cost: those seconds (full, quick), only to start the longest runs first.
Case = namedtuple("Case", "example variant full quick cost")
CASES = (
    Case("lstm_regression", None, (), (), (13, 13)),
    Case("sin_predict", None, ("--steps", "3000"), ("--steps", "3000"), (14, 14)),
    Case("seq_data_lstm", None, (), ("--steps", "3"), (160, 18)),
    Case("rnn_words", "layers2", ("--layers", "2"), ("--layers", "2", "--steps", "500"), (1450, 22)),
    Case("rnn_words", "layers1", ("--layers", "1"), ("--layers", "1", "--steps", "500"), (700, 12)),
)
# the run's final figure (progress line, seeds' final values, Mann-Whitney), and the column of
# the sanity rule and of a golden curve
FINAL_COLUMN = {"lstm_regression": "cost", "sin_predict": "rmse", "seq_data_lstm": "loss",
                "rnn_words": "average_accuracy"}
# quick runs too short to log the final column: rnn_words' 500 iterations end before its first
# display step (1000), so its quick final figure is the last iteration's loss
QUICK_FINAL_COLUMN = {"rnn_words": "loss"}
LOSS_COLUMN = {"lstm_regression": "cost", "sin_predict": "loss", "seq_data_lstm": "loss",
               "rnn_words": "loss"}
BAND = Rule("band", {"factor": 3.0})
# lstm_regression's printed costs are single-batch costs: judged against the seeds' costs over the
# print interval around the step (+-10 of the 20 between prints), see RULE_NOTES
S1_BAND = Rule("band", {"factor": 3.0, "window": 10})
S1_FINAL = Rule("range", {"window": 10})
SANITY_FRACTION = 0.1


# Why a rule differs from the first draft: the evidence, printed in report.md.
RULE_NOTES = {
    "lstm_regression": (
        "The issue's rule compared each printed cost with the seeds' costs at exactly that step "
        "([min/3, max*3]; the final one within [min, max]). Every printed cost is the cost of one "
        "batch, which jumps by 2-5x from step to step, and one unseeded run printed them. Measured "
        "on 10 seeds per runtime (200 steps): the published final cost 0.335 lies above all 10 "
        "modern seeds' costs at step 180 (max 0.285) and above 9 of the 10 TF 1.15 seeds'; and "
        "taking each of our own runs in turn as the \"published\" one against K other seeds of "
        "the same runtime, that rule passes only 32% (modern, K=3) / 56% (K=5) and 28% / 52% "
        "(TF 1.15) of them: a [min, max] of K draws misses one more draw from the same "
        "distribution with probability 2/(K+1) by itself. Comparing with the seeds' costs over the "
        "print interval around the step (+-10 steps, the same factor 3 and the same [min, max] "
        "for the final cost) passes our own runs 89% / 98% (modern, K=3 / 5) and 59% / 76% (TF "
        "1.15, whose seeds spread wider: some end near 0.005), passes the published run with "
        "seeds 0..K-1 on both runtimes, and still fails a run that does not learn (100%) or "
        "learns 3x slower (79-91%)."),
}


def case_id(case):
    return case.example if case.variant is None else "%s/%s" % (case.example, case.variant)


def cases_of(name):
    found = [c for c in CASES if c.example == name]
    return found or [Case(name, None, (), ("--quick",), (100, 30))]


def final_column(name, profile="full"):
    if profile == "quick" and name in QUICK_FINAL_COLUMN:
        return QUICK_FINAL_COLUMN[name]
    if name in FINAL_COLUMN:
        return FINAL_COLUMN[name]
    figures = BY_NAME[name].published
    return figures[-1].column if figures else "loss"


def loss_column(name):
    return LOSS_COLUMN.get(name, "loss")


def figure_rules(example):
    """[(figure, case id, Rule)] for every published figure of `example` (an Example)."""
    figures = example.published
    out = []
    if example.name == "lstm_regression":
        last = max(f.step for f in figures if f.step is not None) if figures else None
        for f in figures:
            out.append((f, "lstm_regression", S1_FINAL if f.step == last else S1_BAND))
    elif example.name == "sin_predict":
        for f in figures:
            out.append((f, "sin_predict",
                        Rule("ratio", {"low": 0.3, "high": 3.0}) if f.column == "rmse" else BAND))
    elif example.name == "rnn_words":
        for f in figures:
            one = "--layers 1" in f.label or "1 layer" in f.label
            cid = "rnn_words/layers1" if one else "rnn_words/layers2"
            if f.column == "average_accuracy":
                rule = Rule("at_least", {"threshold": 80.0 if one else 85.0})
            elif f.column == "average_loss":
                rule = Rule("ratio", {"low": 0.3, "high": 3.0})
            else:
                rule = BAND
            out.append((f, cid, rule))
    else:
        cid = case_id(cases_of(example.name)[0])
        out.extend((f, cid, BAND) for f in figures)
    return out


# --- the command line ----------------------------------------------------------------------------

def build_parser():
    doc = __doc__.split("\n\n", 1)[1]
    p = _checks._Parser(prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter,
                        description=doc.split("\nreport.json, schema")[0].rstrip(),
                        epilog="report.json's schema: see the docstring of tf1_examples/regress.py.")
    names = ", ".join(e.name for e in EXAMPLES)
    p.add_argument("names", nargs="*", metavar="NAME", help="examples to run (default: all: %s)" % names)
    p.add_argument("--seeds", type=_checks._positive_int, metavar="K",
                   help="runs per example and runtime, seeds 0..K-1 (default: full 5, quick 3)")
    p.add_argument("--runtime", choices=("modern", "legacy", "both"), default="modern",
                   help="TF 2.x through compat (modern, default), TF 1.15 (legacy), or both")
    p.add_argument("--profile", choices=("quick", "full"), default="full",
                   help="full: the published setups (default; hours: rnn_words is 50 000 "
                        "iterations); quick: ~240 CPU s, about 2 minutes on 2 free "
                        "cores")
    p.add_argument("--jobs", type=_checks._positive_int, metavar="J",
                   help="runs in parallel (default: os.cpu_count() = %s)" % os.cpu_count())
    p.add_argument("--out", metavar="DIR",
                   help="report folder (default: runs/regress/<timestamp>/); an existing one must "
                        "be empty or an earlier regress report, which is replaced")
    return p


Options = namedtuple("Options", "names seeds runtimes profile jobs out pythons replace command")


def parse(argv):
    """argv -> Options; raises UsageError before anything is written."""
    args = build_parser().parse_args(argv)
    names = []
    for name in args.names:
        if name not in BY_NAME:
            raise _common.UsageError("unknown example %r; choose from: %s (python -m tf1_examples list)"
                                     % (name, ", ".join(e.name for e in EXAMPLES)))
        if name not in names:
            names.append(name)
    names = names or [e.name for e in EXAMPLES]
    runtimes = RUNTIMES if args.runtime == "both" else (args.runtime,)
    pythons = OrderedDict((r, interpreter(r)) for r in runtimes)
    out, replace = output_folder(args.out)
    return Options(names, list(range(args.seeds or DEFAULT_SEEDS[args.profile])), runtimes,
                   args.profile, args.jobs or os.cpu_count() or 1, out, pythons, replace,
                   " ".join([PROG] + list(argv)))


def interpreter(runtime):
    if runtime == "legacy":
        path = os.environ.get("TF1_LEGACY_PYTHON") or str(REPO / ".venv-tf1" / "bin" / "python")
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            raise _common.UsageError("the legacy runtime (TF 1.15) is missing: no %s; build it with "
                                     "`make venv-tf1` (or set TF1_LEGACY_PYTHON), or use --runtime modern"
                                     % path)
        return path
    path = os.environ.get("TF1_MODERN_PYTHON")
    if path:
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            raise _common.UsageError("TF1_MODERN_PYTHON=%s is not an executable file; point it at the modern "
                                     "runtime's python, or unset it" % path)
        return path
    venv = REPO / ".venv" / "bin" / "python"
    return str(venv) if venv.is_file() else sys.executable


def is_report(folder):
    if (folder / MARKER).is_file():
        return True
    try:
        return json.loads((folder / "report.json").read_text(encoding="utf-8")).get("schema", "") \
            .startswith("tf1_examples.regress/")
    except (OSError, ValueError, AttributeError):
        return False


def output_folder(out):
    """-> (absolute folder, whether it holds an earlier report to replace)."""
    if out:
        folder = Path(out).absolute()
        if folder.exists() and not folder.is_dir():
            raise _common.UsageError("--out %s is a file, not a folder; pass a new or empty folder "
                                     "(or an earlier regress report's)" % out)
        if folder.is_dir() and any(folder.iterdir()):
            if not is_report(folder):
                raise _common.UsageError("--out %s is not empty and holds no regress report; choose a "
                                         "new or empty folder" % out)
            return folder, True
        return folder, False
    base = Path("runs") / "regress"
    for parent in (Path("runs"), base):
        if parent.exists() and not parent.is_dir():
            raise _common.UsageError("%s is a file, not a folder; move it away or pass --out DIR" % parent)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    folder, n = base / stamp, 1
    while folder.exists():
        folder, n = base / ("%s-%d" % (stamp, n)), n + 1
    return folder.absolute(), False


# --- running the examples ------------------------------------------------------------------------

class Job(object):
    """One `python -m tf1_examples run` subprocess: runtime x case x seed."""

    def __init__(self, runtime, python, case, seed, profile, out):
        self.runtime, self.python, self.case, self.seed = runtime, python, case, seed
        self.id = case_id(case)
        self.out = out
        self.folder = out.joinpath("runs", runtime, *self.id.split("/")).joinpath("seed%d" % seed)
        self.profile = profile
        self.args = list(case.quick if profile == "quick" else case.full)
        self.cost = case.cost[profile == "quick"]
        self.cmd = [python, "-m", "tf1_examples", "run", case.example, "--seed", str(seed),
                    "--out", str(self.folder), "--no-progress"] + self.args
        self.logs = out / ".logs" / ("%s-%s-seed%d" % (runtime, self.id.replace("/", "-"), seed))
        self.proc = None
        self.started = self.wall = self.cpu = None
        self.returncode = None
        self.metrics, self.record, self.error = [], None, None

    def start(self):
        self.logs.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        env["MPLBACKEND"] = "Agg"
        with open(str(self.logs) + ".stdout", "wb") as so, open(str(self.logs) + ".stderr", "wb") as se:
            self.started = time.time()
            self.proc = subprocess.Popen(self.cmd, stdout=so, stderr=se, stdin=subprocess.DEVNULL,
                                         cwd=str(self.out), env=env)

    def finished(self):
        """Has the process ended? (os.wait4 where there is one, for the run's CPU time.)"""
        if not hasattr(os, "wait4"):
            return self.proc.poll() is not None
        try:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
        except ChildProcessError:
            return self.proc.poll() is not None
        if pid == 0:
            return False
        self.cpu = usage.ru_utime + usage.ru_stime
        self.proc.returncode = (os.WEXITSTATUS(status) if os.WIFEXITED(status)
                                else -os.WTERMSIG(status) if os.WIFSIGNALED(status) else 1)
        return True

    def collect(self):
        """After the process ended: move its logs into the run folder, read what it wrote."""
        self.wall = time.time() - self.started
        self.returncode = self.proc.returncode
        self.folder.mkdir(parents=True, exist_ok=True)
        for stream in ("stdout", "stderr"):
            os.replace(str(self.logs) + "." + stream, str(self.folder / ("regress.%s.txt" % stream)))
        try:
            self.record = json.loads((self.folder / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.record = None
        self.metrics = _files.read_metrics(self.folder / "metrics.csv")
        if self.returncode != 0:
            self.error = "exit status %d" % self.returncode
        elif self.record is None or self.record.get("status") != "finished":
            self.error = "no finished run.json"
        elif not self.metrics:
            self.error = "empty metrics.csv"
        if self.error:
            tail = self.stderr_tail()
            self.error += (": " + " | ".join(tail)) if tail else ""

    @property
    def ok(self):
        return self.returncode == 0 and self.error is None

    def stderr_tail(self, n=STDERR_TAIL):
        try:
            text = (self.folder / "regress.stderr.txt").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
        return [line.rstrip() for line in text.splitlines() if line.strip()][-n:]

    def final(self):
        """(step, value) of the last logged value of the example's final column, or (None, None)."""
        column = final_column(self.case.example, self.profile)
        for row in reversed(self.metrics):
            if column in row:
                return row["step"], float(row[column])
        return None, None

    def series(self, column):
        return OrderedDict((row["step"], float(row[column])) for row in self.metrics
                           if column in row and isinstance(row[column], (int, float)))

    def summary(self):
        result = OrderedDict([
            ("seed", self.seed), ("ok", self.ok),
            ("exit_status", self.returncode), ("wall_time_s", round(self.wall or 0.0, 3)),
            ("cpu_time_s", None if self.cpu is None else round(self.cpu, 3)),
            ("folder", str(self.folder.relative_to(self.out))),
        ])
        step, value = self.final() if self.ok else (None, None)
        result["final_step"], result["final"] = step, value
        result["steps_per_s"] = (self.record or {}).get("steps_per_s")
        result["error"] = self.error
        return result


def run_jobs(jobs, parallel, say):
    """Run the jobs, `parallel` at a time, longest first; one progress line per finished run."""
    pending = sorted(jobs, key=lambda j: -j.cost)
    running, finished = [], 0
    try:
        while pending or running:
            while pending and len(running) < parallel:
                job = pending.pop(0)
                job.start()
                running.append(job)
            time.sleep(0.1)
            for job in [j for j in running if j.finished()]:
                running.remove(job)
                job.collect()
                finished += 1
                say(progress_line(job, finished, len(jobs)))
    except BaseException:
        for job in running:                       # only the processes started here, by pid
            if job.proc.poll() is None:
                job.proc.terminate()
        for job in running:
            try:
                job.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                job.proc.kill()
                job.proc.wait()
            try:
                job.collect()              # its stdout/stderr into its run folder
            except Exception:
                pass
        raise


def progress_line(job, k, total):
    head = "regress: [%d/%d] %s %s seed %d: %.1f s" % (k, total, job.runtime, job.id, job.seed, job.wall)
    if job.ok:
        step, value = job.final()
        return "%s, %s %s (step %s)" % (head, final_column(job.case.example, job.profile), _stats.fmt(value), step)
    tail = job.stderr_tail()
    return "%s, FAILED (%s)%s" % (head, job.error.split(":")[0],
                                  "".join("\n    " + line for line in tail) or " with no stderr")


# --- verdicts ------------------------------------------------------------------------------------

def _row(runtime, case, kind, rule, verdict, detail, figure=None, column=None, step=None,
         published=None, values=()):
    values = list(values)
    return OrderedDict([
        ("runtime", runtime), ("example", case.split("/")[0]), ("case", case), ("kind", kind),
        ("figure", figure), ("column", column), ("step", step), ("published", published),
        ("min", min(values) if values else None),
        ("median", _stats._median(values) if values else None),
        ("max", max(values) if values else None), ("n", len(values)),
        ("rule", rule if isinstance(rule, str) else _stats.describe(rule, published)),
        ("rule_kind", "run" if isinstance(rule, str) else rule.kind),
        ("rule_params", {} if isinstance(rule, str) else dict(rule.params)),
        ("verdict", verdict), ("detail", detail),
    ])


def judge_all(names, runtimes, jobs):
    """Every verdict row: published figures, sanity rules, failed runs."""
    rows = []
    for runtime in runtimes:
        for name in names:
            example = BY_NAME[name]
            by_case = OrderedDict((case_id(c), [j for j in jobs if j.runtime == runtime and j.case == c])
                                  for c in cases_of(name))
            sanity = set() if example.published else set(by_case)
            for figure, cid, rule in figure_rules(example):
                ok = [j for j in by_case.get(cid, []) if j.ok]
                series = [j.series(figure.column) for j in ok]
                last = max([row["step"] for j in ok for row in j.metrics] or [None])
                kw = dict(figure=figure.label, column=figure.column, step=figure.step, published=figure.value)
                if not ok:
                    rows.append(_row(runtime, cid, "figure", rule, FAIL, "no successful run", **kw))
                    continue
                if figure.step is None:
                    values = [list(s.values())[-1] for s in series if s]
                elif last is not None and figure.step > last:
                    rows.append(_row(runtime, cid, "figure", rule, NOT_COMPARABLE,
                                     "the runs end at step %d; full-profile rule shown" % last, **kw))
                    sanity.add(cid)
                    continue
                else:
                    values = _stats.at_step(series, figure.step, rule.params.get("window", 0))
                verdict, detail = _stats.judge(rule, figure.value, values)
                rows.append(_row(runtime, cid, "figure", rule, verdict, detail, values=values, **kw))
            for cid in by_case:
                if cid not in sanity:
                    continue
                column = loss_column(name)
                rule = Rule("improves", {"direction": "down", "fraction": SANITY_FRACTION, "column": column})
                sequences = [list(j.series(column).values()) for j in by_case[cid] if j.ok]
                verdict, detail = _stats.judge_improves(rule, sequences)
                finals = [s[-1] for s in sequences if s]
                rows.append(_row(runtime, cid, "sanity", rule, verdict, detail, column=column,
                                 values=finals))
            for cid, case_jobs in by_case.items():
                for j in case_jobs:
                    if not j.ok:
                        rows.append(_row(runtime, cid, "run", "the run exits 0 with a finished run.json",
                                         FAIL, "seed %d: %s" % (j.seed, j.error)))
    return rows


def equivalence(names, jobs, profile="full"):
    """--runtime both: Mann-Whitney U on the seeds' final figures, per case."""
    rows = []
    for name in names:
        for case in cases_of(name):
            samples = {r: [j.final()[1] for j in jobs if j.runtime == r and j.case == case and j.ok]
                       for r in RUNTIMES}
            mw = _stats.mann_whitney(samples["modern"], samples["legacy"])
            rows.append(OrderedDict([
                ("case", case_id(case)), ("example", name), ("column", final_column(name, profile)),
                ("modern", samples["modern"]), ("legacy", samples["legacy"]),
                ("u", mw.u), ("p", mw.p), ("method", mw.method), ("min_attainable_p", mw.min_attainable_p),
                ("alpha", _stats.ALPHA), ("flagged", mw.flagged),
                ("verdict", "not tested" if mw.p is None else FAIL if mw.flagged else PASS),
            ]))
    return rows


# --- report --------------------------------------------------------------------------------------

def thin(env, keep):
    """Envelope -> dict with at most MAX_ENVELOPE_POINTS steps (evenly spaced, `keep` steps and
    the last step kept)."""
    n = len(env.steps)
    if n > MAX_ENVELOPE_POINTS:
        stride = -(-n // MAX_ENVELOPE_POINTS)
        idx = sorted(set(range(0, n, stride)) | {n - 1} | {i for i, s in enumerate(env.steps) if s in keep})
    else:
        idx = range(n)
    return OrderedDict((k, [getattr(env, k)[i] for i in idx]) for k in ("steps", "min", "median", "max", "n"))


def case_columns(name, cid, profile="full"):
    cols = [f.column for f, c, _ in figure_rules(BY_NAME[name]) if c == cid]
    cols += [final_column(name, profile), loss_column(name)]
    return list(OrderedDict.fromkeys(cols))


# A TF 1.15 golden curve: `label` for the legend, logged `steps` and `values` of `column`;
# other_data is the file's "data" (None: the example's default data, as in these runs).
Golden = namedtuple("Golden", "example file column label steps values other_data")


def load_goldens(names, jobs):
    """[Golden], [warnings]"""
    goldens, warnings = [], []
    if not GOLDEN_DIR.is_dir():
        return goldens, warnings
    for name in names:
        for path in sorted(GOLDEN_DIR.glob(name + "*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                values = data.get("values", data.get("costs"))
                if not isinstance(values, list) or not values or \
                        not all(isinstance(v, (int, float)) for v in values):
                    raise ValueError('no "values" (or "costs") list of numbers')
                column = data.get("column") or loss_column(name)
                steps = data.get("steps")
                if steps is None:
                    logged = next((list(j.series(column)) for j in jobs
                                   if j.case.example == name and j.ok and j.series(column)), [])
                    steps = logged[:len(values)] if len(logged) >= len(values) else list(range(len(values)))
                if not isinstance(steps, list) or len(steps) != len(values):
                    raise ValueError('"steps" is not a list as long as "values"')
                bits = [data.get("label") or "TF %s golden" % data.get("tensorflow", "1.15")]
                if data.get("seed") is not None:
                    bits.append("seed %s" % data["seed"])
                goldens.append(Golden(name, path, column, ", ".join(bits) + " (%s)" % path.name,
                                      [float(s) for s in steps], [float(v) for v in values], data.get("data")))
            except (OSError, ValueError, AttributeError, TypeError) as exc:
                warnings.append("golden %s skipped: %s" % (path, exc))
    return goldens, warnings


def plot_example(name, runtimes, jobs, goldens, target, profile, seeds):
    """One PNG per example, one panel per column (published figures' columns, the final
    figure's, a golden's): per runtime (and variant) the seeds' band min-max with the median
    line, the published points, the golden curve. A column logged once per run (sin_predict's
    rmse, rnn_words' average accuracy in a short run) is drawn as a strip of the seeds' values
    per runtime against the published values as horizontal lines."""
    from matplotlib.figure import Figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    example = BY_NAME[name]
    goldens = [g for g in goldens if g.other_data is None]    # trained on other data: no reference here
    columns = list(OrderedDict.fromkeys([f.column for f in example.published] + [final_column(name, profile)]
                                        + [g.column for g in goldens if g.example == name]))
    groups = [(runtime, case) for runtime in runtimes for case in cases_of(name)]
    ok_jobs = [j for j in jobs if j.case.example == name and j.ok]
    missing = [c for c in columns if not any(j.series(c) for j in ok_jobs)
               and not any(g.example == name and g.column == c for g in goldens)]
    columns = [c for c in columns if c not in missing] or columns[:1]
    fig = Figure(figsize=(7.5, 1.0 + 3.2 * len(columns)))
    FigureCanvasAgg(fig)
    colors = ["tab:blue", "tab:orange", "tab:green", "tab:purple"]
    for k, column in enumerate(columns):
        ax = fig.add_subplot(len(columns), 1, k + 1)
        data = []
        for g, (runtime, case) in enumerate(groups):
            ok = [j for j in jobs if j.runtime == runtime and j.case == case and j.ok]
            series = [s for s in (j.series(column) for j in ok) if s]
            label = "%s%s" % (runtime, "" if case.variant is None else " " + case.variant)
            data.append((label, colors[g % len(colors)], series))
        values = [v for _, _, series in data for s in series for v in s.values()]
        strip = bool(values) and all(len(s) <= 1 for _, _, series in data for s in series)
        figs = [(f, cid) for f, cid, _ in figure_rules(example) if f.column == column]
        if strip:
            for x, (label, color, series) in enumerate(data):
                ys = [list(s.values())[0] for s in series]
                if not ys:
                    continue
                xs = [x + 0.2 * (i / max(1, len(ys) - 1) - 0.5) for i in range(len(ys))]
                ax.plot(xs, ys, "o", color=color, alpha=0.7, ms=6)
                ax.plot([x - 0.25, x + 0.25], [_stats._median(ys)] * 2, "-", color=color, lw=2,
                        label="%s: seeds and median (n=%d, step %s)" % (
                            label, len(ys), "/".join(sorted({str(list(s)[0]) for s in series}))))
            ax.set_xticks(range(len(data)))
            ax.set_xticklabels([d[0] for d in data])
            ax.set_xlim(-0.6, len(data) - 0.4)
            for f, cid in figs:
                one = cid.endswith("layers1")
                ax.axhline(f.value, ls="--" if not one else ":", lw=1, color="crimson" if one else "black")
                ax.annotate("%s (step %s)" % (f.label, f.step), (-0.55, f.value), fontsize=6,
                            va="bottom", color="crimson" if one else "black")
        else:
            for label, color, series in data:
                if not series:
                    continue
                env = _stats.envelope(series)
                ax.fill_between(env.steps, env.min, env.max, color=color, alpha=0.25, lw=0)
                ax.plot(env.steps, env.median, "-", color=color, lw=1.2,
                        label="%s: median, band min-max (n=%d)" % (label, len(series)))
            for f, cid in figs:
                if f.step is not None:
                    one = cid.endswith("layers1")
                    ax.plot([f.step], [f.value], "P" if one else "*", color="crimson" if one else "black",
                            ms=11, zorder=5)
            if figs:
                ax.plot([], [], "*", color="black", ms=11, label="published" + (
                    " (+: --layers 1)" if any(c.endswith("layers1") for _, c in figs) else ""))
            ax.set_xlabel("step")
        for g in goldens:
            if g.example == name and g.column == column and not strip:
                ax.plot(g.steps, g.values, "k--", lw=1, label=g.label)
        shown = values + [f.value for f, _ in figs]
        if shown and min(shown) > 0 and max(shown) / min(shown) > 50:
            ax.set_yscale("log")
        ax.set_ylabel(column)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7, loc="best")
        ax.grid(alpha=0.3)
    fig.suptitle("%s: %s profile, seeds %d-%d%s" % (
        name, profile, seeds[0], seeds[-1],
        "\n(not logged at this length: %s)" % ", ".join(missing) if missing else ""))
    fig.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _files._atomic(target) as tmp:
        fig.savefig(str(tmp), format="png", dpi=90)


def versions(runtime, python, jobs):
    record = next((j.record for j in jobs if j.runtime == runtime and j.record), None) or {}
    info = record.get("runtime") or {}
    return OrderedDict([("interpreter", python), ("python", info.get("python")),
                        ("tensorflow", info.get("tensorflow")), ("numpy", info.get("numpy"))])


def _cell(v):
    return "-" if v is None else _stats.fmt(v) if isinstance(v, float) else str(v)


def verdict_table(rows, markdown):
    head = ["runtime", "case", "figure", "published", "min", "median", "max", "verdict", "rule"]
    body = []
    for r in rows:
        figure = r["figure"] or ("sanity: " + r["column"] if r["kind"] == "sanity" else "run")
        verdict = r["verdict"].upper() if r["verdict"] in (PASS, FAIL) else r["verdict"]
        body.append([r["runtime"], r["case"], figure, _cell(r["published"]), _cell(r["min"]),
                     _cell(r["median"]), _cell(r["max"]), verdict,
                     r["rule"] + ("; " + r["detail"] if r["detail"] else "")])
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in body]
        return "\n".join(lines)
    # terminal: the rule on its own indented line, the rest in columns
    head = head[:-1]
    width = [max(len(x) for x in col) for col in zip(head, *[row[:-1] for row in body])]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, width))]
    for row in body:
        out.append("  ".join(c.ljust(w) for c, w in zip(row[:-1], width)).rstrip())
        out.append("      rule: " + row[-1])
    return "\n".join(out)


def write_markdown(report, jobs, target):
    lines = ["# Regression report: %s profile" % report["profile"], ""]
    lines += ["- command: `%s`" % report["command"],
              "- started %s, wall time %.1f s (the runs' CPU time %.1f s), %d parallel run(s), seeds %s" % (
                  report["started"], report["wall_time_s"], report["cpu_time_s"], report["jobs"],
                  ", ".join(str(s) for s in report["seeds"])),
              "- result: %(pass)d pass, %(fail)d fail, %(not_comparable)d not comparable at this length"
              % report["summary"] + " (exit status %d)" % report["exit_status"], ""]
    lines += ["## Runtimes", "", "| runtime | python | tensorflow | numpy | interpreter |", "|---|---|---|---|---|"]
    for r, v in report["runtimes"].items():
        lines.append("| %s | %s | %s | %s | `%s` |" % (r, v["python"], v["tensorflow"], v["numpy"],
                                                       v["interpreter"]))
    lines += ["", "## Verdicts", "",
              "Envelope = the seeds' min / median / max at the figure's step. Intervals are closed "
              "(a value on an edge passes); the sanity rule is strict. `not comparable at this "
              "length`: the figure's step lies beyond this profile's runs (neither pass nor fail; "
              "the case's sanity rule applies instead).", "",
              verdict_table(report["verdicts"], markdown=True), ""]
    if report["equivalence"]:
        lines += ["## Runtime equivalence (Mann-Whitney U, two-sided, flag p < %g)" % _stats.ALPHA, "",
                  "| case | final figure | modern | legacy | U | p | smallest attainable p | verdict |",
                  "|---|---|---|---|---|---|---|---|"]
        for e in report["equivalence"]:
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                e["case"], e["column"], ", ".join(_stats.fmt(v) for v in e["modern"]),
                ", ".join(_stats.fmt(v) for v in e["legacy"]), _cell(e["u"]), _cell(e["p"]),
                _cell(e["min_attainable_p"]), e["verdict"] + (" (flagged)" if e["flagged"] else "")))
        lines += ["", "With K seeds a side the smallest attainable two-sided p is 2/C(2K, K) "
                  "(K=3: 0.1, K=4: 0.029, K=5: 0.0079, K=6: 0.0022): below K=5 the test cannot flag "
                  "at 0.01, and at K=5 it flags only a complete separation of the two runtimes' "
                  "seeds. A pass therefore means \"no difference this K can detect\", not "
                  "equivalence.", ""]
    notes = [(n, RULE_NOTES[n]) for n in report["examples"] if n in RULE_NOTES]
    if notes:
        lines += ["## Rule notes", ""] + ["- %s: %s" % note for note in notes] + [""]
    lines += ["## Seeds' final values", ""]
    seeds = report["seeds"]
    lines += ["| runtime | case | final figure | " + " | ".join("seed %d" % s for s in seeds)
              + " | wall time per run (s) | CPU time per run (s) | steps/s |",
              "|" + "---|" * (len(seeds) + 6)]
    for case in report["cases"]:
        for runtime, runs in case["runs"].items():
            cells = []
            for r in runs:
                cells.append(_stats.fmt(r["final"]) + (" (step %s)" % r["final_step"] if r["ok"] else "")
                             if r["ok"] else "FAILED")
            walls = sorted(r["wall_time_s"] for r in runs)
            cpus = sorted(r["cpu_time_s"] for r in runs if r["cpu_time_s"] is not None)
            sps = [r["steps_per_s"] for r in runs if r["steps_per_s"]]
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                runtime, case["case"], case["final_column"], " | ".join(cells),
                "%.1f-%.1f" % (walls[0], walls[-1]) if walls else "-",
                "%.1f-%.1f" % (cpus[0], cpus[-1]) if cpus else "-",
                _stats.fmt(sorted(sps)[len(sps) // 2]) if sps else "-"))
    failed = [j for j in jobs if not j.ok]
    if failed:
        lines += ["", "## Failed runs", ""]
        for j in failed:
            lines += ["### %s %s seed %d: %s" % (j.runtime, j.id, j.seed, j.error.split(":")[0]), "",
                      "`%s`" % " ".join(j.cmd), "", "```"] + j.stderr_tail() + ["```", ""]
    lines += ["", "## Goldens", ""]
    if report["goldens"]:
        lines += ["- %s: %s, %d values of `%s`%s" % (
            g["example"], g["file"], g["n"], g["column"],
            "" if g["data"] is None else " (not drawn: trained on other data than these runs: %s)" % g["data"])
            for g in report["goldens"]]
    else:
        lines.append("No TF 1.15 golden for these examples (tests/golden/<name>*.json).")
    for w in report["warnings"]:
        lines.append("- warning: " + w)
    lines += ["", "## Outputs", "", "- report.json (schema `%s`)" % report["schema"]]
    lines += ["- %s" % p for p in report["outputs"]["plots"].values()]
    lines += ["- runs/<runtime>/<name>[/<variant>]/seed<k>/: each run's folder (metrics.csv, run.json, "
              "regress.stdout.txt, regress.stderr.txt)", ""]
    _files.write_text(target, "\n".join(lines))


# --- main ----------------------------------------------------------------------------------------

def prepare_folder(opts):
    out = opts.out
    if opts.replace:
        for child in ("runs", "plots", ".logs", "report.md", "report.json"):
            p = out / child
            if p.is_dir():
                shutil.rmtree(str(p))
            elif p.exists():
                p.unlink()
    out.mkdir(parents=True, exist_ok=True)
    _files.write_text(out / MARKER, opts.command + "\n")


def regress(opts, say=None):
    """Run, judge, write the report; returns (exit status, report dict)."""
    say = say or (lambda line: (sys.stderr.write(line + "\n"), sys.stderr.flush()))
    started = time.time()
    prepare_folder(opts)
    jobs = [Job(runtime, opts.pythons[runtime], case, seed, opts.profile, opts.out)
            for runtime in opts.runtimes for name in opts.names for case in cases_of(name)
            for seed in opts.seeds]
    say("regress: %d runs (%s profile, seeds %d-%d, runtime %s, %d in parallel) into %s" % (
        len(jobs), opts.profile, opts.seeds[0], opts.seeds[-1], "+".join(opts.runtimes),
        opts.jobs, opts.out))
    try:
        run_jobs(jobs, opts.jobs, say)
    finally:
        shutil.rmtree(str(opts.out / ".logs"), ignore_errors=True)

    rows = judge_all(opts.names, opts.runtimes, jobs)
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
    failed = any(r["verdict"] == FAIL for r in rows) or any(e["verdict"] == FAIL for e in equiv)
    cases = []
    for name in opts.names:
        for case in cases_of(name):
            cid = case_id(case)
            keep = {f.step for f, c, _ in figure_rules(BY_NAME[name]) if c == cid}
            envs = OrderedDict()
            for runtime in opts.runtimes:
                ok = [j for j in jobs if j.runtime == runtime and j.case == case and j.ok]
                envs[runtime] = OrderedDict()
                for column in case_columns(name, cid, opts.profile):
                    series = [s for s in (j.series(column) for j in ok) if s]
                    if series:
                        envs[runtime][column] = thin(_stats.envelope(series), keep)
            cases.append(OrderedDict([
                ("case", cid), ("example", name), ("variant", case.variant),
                ("args", list(case.quick if opts.profile == "quick" else case.full)),
                ("final_column", final_column(name, opts.profile)),
                ("runs", OrderedDict((r, [j.summary() for j in jobs if j.runtime == r and j.case == case])
                                     for r in opts.runtimes)),
                ("envelopes", envs),
            ]))
    report = OrderedDict([
        ("schema", SCHEMA), ("status", "finished"), ("command", opts.command),
        ("profile", opts.profile), ("examples", list(opts.names)), ("seeds", list(opts.seeds)),
        ("jobs", opts.jobs),
        ("started", time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started))),
        ("wall_time_s", round(time.time() - started, 3)),
        ("cpu_time_s", round(sum(j.cpu or 0.0 for j in jobs), 3)),
        ("exit_status", 1 if failed else 0),
        ("runtimes", OrderedDict((r, versions(r, opts.pythons[r], jobs)) for r in opts.runtimes)),
        ("cases", cases), ("verdicts", rows), ("equivalence", equiv),
        ("goldens", [OrderedDict([("example", g.example), ("file", str(g.file)), ("column", g.column),
                                  ("label", g.label), ("n", len(g.values)), ("data", g.other_data)])
                     for g in goldens]),
        ("warnings", warnings),
        ("outputs", OrderedDict([("report_md", "report.md"), ("report_json", "report.json"),
                                 ("plots", plots)])),
        ("summary", OrderedDict([("pass", sum(r["verdict"] == PASS for r in rows + equiv)),
                                 ("fail", sum(r["verdict"] == FAIL for r in rows + equiv)),
                                 ("not_comparable", sum(r["verdict"] == NOT_COMPARABLE for r in rows))])),
    ])
    write_markdown(report, jobs, opts.out / "report.md")
    _files.write_text(opts.out / "report.json", json.dumps(report, indent=1) + "\n")
    return report["exit_status"], report


def print_summary(report, out):
    print(verdict_table(report["verdicts"], markdown=False))
    for e in report["equivalence"]:
        print("equivalence %s (%s): modern %s vs legacy %s: U=%s p=%s (smallest attainable %s) -> %s" % (
            e["case"], e["column"], ", ".join(_stats.fmt(v) for v in e["modern"]),
            ", ".join(_stats.fmt(v) for v in e["legacy"]), _cell(e["u"]), _cell(e["p"]),
            _cell(e["min_attainable_p"]), e["verdict"].upper() + (" (p < %g)" % e["alpha"] if e["flagged"] else "")))
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
    except _common.UsageError as exc:
        sys.stderr.write(_common.error_line(exc) + "\n")
        return 2
    except SystemExit as exc:            # --help
        return exc.code or 0
    try:
        status, report = regress(opts)
    except KeyboardInterrupt:
        sys.stderr.write("%s: interrupted; the runs so far are in %s\n" % (_common.PROG, opts.out))
        return 130
    print_summary(report, opts.out)
    return status


if __name__ == "__main__":
    sys.exit(main())
