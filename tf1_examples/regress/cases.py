"""The four examples as cases of the regression engine (compat/regress/), read from
tf1_examples/registry.py: each case's runs as `python -m tf1_examples run` children, their
verdicts, the runtimes' equivalence and the cases' report.json records."""

import json
import os
from collections import OrderedDict, namedtuple

from compat.regress import rules
from compat.regress.jobs import Job
from compat.regress.rules import FAIL, NOT_COMPARABLE, Rule
from compat.regress.stats import envelope, thin
from tf1_examples.harness.metrics_csv import read_metrics
from tf1_examples.registry import BY_NAME

RUNTIMES = ("modern", "legacy")
LOG_NAMES = ("regress.stdout.txt", "regress.stderr.txt")

# a registry Case in one profile: `args` the run's options after --seed/--out, `cost` its CPU
# seconds (only to start the longest runs first)
RegressCase = namedtuple("RegressCase", "example variant id args cost")


def case_id(name, variant):
    return name if variant is None else "%s/%s" % (name, variant)


def cases_of(name, profile):
    quick = profile == "quick"
    return [RegressCase(name, c.variant, case_id(name, c.variant), tuple(c.quick if quick else c.full),
                        c.cost[quick]) for c in BY_NAME[name].cases]


def figure_rules(example):
    """[(figure, case id, Rule)] for every published figure of `example` (a registry Example)."""
    return [(f, case_id(example.name, f.variant), Rule(*f.rule)) for f in example.published]


def final_column(name, profile):
    return BY_NAME[name].final_column[profile]


class RunJob(Job):
    """One `python -m tf1_examples run` child: runtime x case x seed; it writes metrics.csv and
    run.json into its own run folder."""

    def __init__(self, runtime, python, case, seed, profile, out):
        folder = out.joinpath("runs", runtime, *case.id.split("/")).joinpath("seed%d" % seed)
        cmd = [python, "-m", "tf1_examples", "run", case.example, "--seed", str(seed),
               "--out", str(folder), "--no-progress"] + list(case.args)
        logs = out / ".logs" / ("%s-%s-seed%d" % (runtime, case.id.replace("/", "-"), seed))
        env = {"TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2"), "MPLBACKEND": "Agg"}
        super(RunJob, self).__init__(runtime, case, case.id, seed, cmd, folder, out, logs, env=env,
                                     cost=case.cost, log_names=LOG_NAMES)
        self.final_column = final_column(case.example, profile)

    def read_results(self):
        try:
            self.record = json.loads((self.folder / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.record = None
        self.metrics = read_metrics(self.folder / "metrics.csv")

    def failure(self):
        why = super(RunJob, self).failure()
        if why is None and (self.record is None or self.record.get("status") != "finished"):
            why = "no finished run.json"
        if why is None and not self.metrics:
            why = "empty metrics.csv"
        return why

    def final(self):
        return self.last_value(self.final_column)


def judge_all(names, runtimes, jobs, profile):
    """Every verdict row: published figures, sanity rules, failed runs."""
    rows = []
    for runtime in runtimes:
        for name in names:
            example = BY_NAME[name]
            by_case = OrderedDict((c.id, [j for j in jobs if j.runtime == runtime and j.case.id == c.id])
                                  for c in cases_of(name, profile))
            sanity = set() if example.published else set(by_case)
            for figure, cid, rule in figure_rules(example):
                ok = [j for j in by_case.get(cid, []) if j.ok]
                last = max([row["step"] for j in ok for row in j.metrics] or [None])
                verdict, detail, values = rules.judge_figure(
                    rule, figure.value, figure.step, [j.series(figure.column) for j in ok], last)
                if verdict == NOT_COMPARABLE:
                    sanity.add(cid)
                rows.append(rules.verdict_row(runtime, cid, "figure", rule, verdict, detail, figure=figure.label,
                                              column=figure.column, step=figure.step, published=figure.value,
                                              values=values))
            for cid in by_case:
                if cid not in sanity:
                    continue
                rule = rules.sanity_rule(example.loss_column)
                sequences = [list(j.series(example.loss_column).values()) for j in by_case[cid] if j.ok]
                verdict, detail = rules.judge_improves(rule, sequences)
                rows.append(rules.verdict_row(runtime, cid, "sanity", rule, verdict, detail,
                                              column=example.loss_column, values=[s[-1] for s in sequences if s]))
            for cid, case_jobs in by_case.items():
                rows.extend(rules.verdict_row(runtime, cid, "run", "the run exits 0 with a finished run.json",
                                              FAIL, "seed %d: %s" % (j.seed, j.error))
                            for j in case_jobs if not j.ok)
    return rows


def equivalence(names, jobs, profile):
    """--runtime both: Mann-Whitney U on the seeds' final figures, per case."""
    rows = []
    for name in names:
        for case in cases_of(name, profile):
            samples = {r: [j.final()[1] for j in jobs if j.runtime == r and j.case.id == case.id and j.ok]
                       for r in RUNTIMES}
            rows.append(rules.equivalence_row(case.id, name, final_column(name, profile),
                                              samples["modern"], samples["legacy"]))
    return rows


def case_columns(name, cid, profile):
    cols = [f.column for f, c, _ in figure_rules(BY_NAME[name]) if c == cid]
    cols += [final_column(name, profile), BY_NAME[name].loss_column]
    return list(OrderedDict.fromkeys(cols))


def case_records(names, runtimes, jobs, profile):
    """report.json's "cases": each case's options, runs and per-column envelopes."""
    cases = []
    for name in names:
        for case in cases_of(name, profile):
            keep = {f.step for f, c, _ in figure_rules(BY_NAME[name]) if c == case.id}
            envs = OrderedDict()
            for runtime in runtimes:
                ok = [j for j in jobs if j.runtime == runtime and j.case.id == case.id and j.ok]
                envs[runtime] = OrderedDict()
                for column in case_columns(name, case.id, profile):
                    series = [s for s in (j.series(column) for j in ok) if s]
                    if series:
                        envs[runtime][column] = thin(envelope(series), keep)
            cases.append(OrderedDict([
                ("case", case.id), ("example", name), ("variant", case.variant), ("args", list(case.args)),
                ("final_column", final_column(name, profile)),
                ("runs", OrderedDict((r, [j.summary(j.final_column) for j in jobs
                                          if j.runtime == r and j.case.id == case.id]) for r in runtimes)),
                ("envelopes", envs),
            ]))
    return cases
