"""Which of TF 1.15's tf.contrib names compat provides, name by name: docs/compat-coverage.md.

    python -m compat.coverage                      # the per-package counts (TF 2.x)
    python -m compat.coverage --names              # every name: provided where, or not and why
    python -m compat.coverage --write DOC [--readme README]   # regenerate the doc (and README's counts)
    python -m compat.coverage --dump               # TF 1.15 only: rewrite compat/tf115_names.py

The TF 1.15 names are data (compat/tf115_names.py, dumped from the legacy runtime), so this runs
on TF 2.x alone. A name is provided when compat/_moved.py maps it (CONTRIB_MOVES) or the compat
module serving the package lists it in __all__; otherwise it is not provided, with the reason
from compat/_moved.py's NOT_PROVIDED, or "not yet". The doc's hand-maintained tail (from
HAND_MARKER on) is kept by --write.
"""

import functools
import importlib
import os
import re
import sys
import types
from collections import namedtuple

Package = namedtuple("Package", "name tf115_module compat_module curated")
Row = namedtuple("Row", "name provided where")

# name as scripts write it | module on TF 1.15 | compat's module on TF 2.x | whether TF 1.15 pruned
# dir() to the documented API (contrib packages call remove_undocumented; the MNIST modules do not)
PACKAGES = (
    Package("tf.contrib.rnn", "tensorflow.contrib.rnn", "compat.contrib.rnn", True),
    Package("tf.contrib.legacy_seq2seq", "tensorflow.contrib.legacy_seq2seq", "compat.contrib.legacy_seq2seq",
            True),
    Package("tf.contrib.seq2seq", "tensorflow.contrib.seq2seq", "compat.contrib.seq2seq", True),
    Package("tf.contrib.layers", "tensorflow.contrib.layers", "compat.contrib.layers", True),
    Package("tf.contrib.framework", "tensorflow.contrib.framework", "compat.contrib.framework", True),
    Package("tf.contrib.learn", "tensorflow.contrib.learn", "compat.contrib.learn", True),
    Package("tf.contrib.crf", "tensorflow.contrib.crf", "compat.contrib.crf", True),
    Package("tf.contrib.training", "tensorflow.contrib.training", "compat.contrib.training", True),
    Package("tf.contrib.lookup", "tensorflow.contrib.lookup", "compat.contrib.lookup", True),
    Package("tf.contrib.data", "tensorflow.contrib.data", "compat.contrib.data", True),
    Package("tf.contrib.cudnn_rnn", "tensorflow.contrib.cudnn_rnn", "compat.contrib.cudnn_rnn", True),
    Package("tf.contrib.tensorboard.plugins.projector", "tensorflow.contrib.tensorboard.plugins.projector",
            "compat.contrib.tensorboard.plugins.projector", True),
    Package("tf.estimator", "tensorflow.estimator", "compat.estimator", True),
    Package("tf.contrib.tpu", "tensorflow.contrib.tpu", "compat.contrib.tpu", True),
    Package("tf.contrib.cluster_resolver", "tensorflow.contrib.cluster_resolver", "compat.contrib.cluster_resolver",
            True),
    Package("tf.contrib.learn.datasets", "tensorflow.contrib.learn.python.learn.datasets",
            "compat.contrib.learn.datasets", False),
    Package("tf.contrib.learn.datasets.mnist", "tensorflow.contrib.learn.python.learn.datasets.mnist",
            "compat.contrib.learn.datasets.mnist", False),
    Package("tensorflow.examples.tutorials.mnist.input_data", "tensorflow.examples.tutorials.mnist.input_data",
            "compat.examples.tutorials.mnist.input_data", False),
)

DATA_MODULE = "compat.tf115_names"
HAND_MARKER = "<!-- hand-maintained below: regeneration keeps everything from this line on -->"
NOT_YET = "not yet"


# --- TF 1.15: dump the names ---------------------------------------------------------------------

def _is_api(module, value):
    """For a module whose dir() TF 1.15 did not prune: leave out its helper imports (__future__
    flags, numpy/gzip/six, TensorFlow internals it uses), keep what it defines or re-exports."""
    if type(value).__name__ == "_Feature":  # from __future__ import ...
        return False
    if isinstance(value, types.ModuleType):
        return value.__name__.startswith(module.__name__.rpartition(".")[0] + ".")
    if callable(value):
        return getattr(value, "__module__", "").startswith(("tensorflow.contrib.", "tensorflow.examples."))
    return True


def tf115_names():
    """{package name: sorted public names} from the running TensorFlow 1.15."""
    names = {}
    for package in PACKAGES:
        module = importlib.import_module(package.tf115_module)
        names[package.name] = sorted(n for n in dir(module) if not n.startswith("_") and (
            package.curated or _is_api(module, getattr(module, n))))
    return names


def write_data_module(path):
    import tensorflow

    lines = ['"""Public names of the TF 1.15 modules compat/coverage.py reports on (generated data).',
             "", "Written by `.venv-tf1/bin/python -m compat.coverage --dump` on TensorFlow %s (Python %d.%d):"
             % (tensorflow.__version__, sys.version_info[0], sys.version_info[1]),
             "dir() of each module without _names; for the MNIST modules, whose dir() TF 1.15 did not prune,",
             "also without helper imports (coverage._is_api). Rewrite it that way, do not edit it by hand.",
             '"""', "", "TENSORFLOW_VERSION = %r" % tensorflow.__version__, "", "NAMES = {"]
    for package, names in tf115_names().items():
        lines.append("    %r: [" % package)
        line = "       "
        for name in names:
            if len(line) + len(name) + 4 > 110:
                lines.append(line.rstrip())
                line = "       "
            line += " %r," % name
        lines += [line.rstrip(), "    ],"]
    lines.append("}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


# --- TF 2.x: classify them -----------------------------------------------------------------------

def _compat_module(package):
    try:
        return importlib.import_module(package.compat_module)
    except ModuleNotFoundError as exc:
        if exc.name and package.compat_module.startswith(exc.name):
            return None  # compat has no such module (yet)
        raise


def _where(module, name):
    value = getattr(module, name)
    value = getattr(value, "func", value) if isinstance(value, functools.partial) else value
    if isinstance(value, types.ModuleType):
        return "`%s`" % value.__name__
    defined_in = getattr(value, "__module__", None)
    if callable(value) and defined_in and not defined_in.startswith("compat"):
        return "`%s`, TensorFlow's own (`%s`)" % (module.__name__, defined_in)
    if callable(value) and defined_in:
        return "`%s`" % defined_in
    return "`%s`" % module.__name__


def classify(package, names):
    """[Row] for the TF 1.15 names of one package, and the names compat adds that TF 1.15 lacks."""
    from compat import _moved

    key_prefix = package.name.split(".", 1)[1] + "."      # "contrib.rnn.", as _moved.py spells keys
    moved = {m.name: m for m in _moved.CONTRIB_MOVES}
    refused = {n.name: n for n in _moved.NOT_PROVIDED}
    module = _compat_module(package)
    own = set() if module is None else set(getattr(module, "__all__", None) or
                                           [n for n in dir(module) if not n.startswith("_")])
    rows = []
    for name in names:
        key = key_prefix + name
        if key in moved:
            rows.append(Row(name, True, "moved: `%s`" % moved[key].target))
        elif key in refused:
            rows.append(Row(name, False, refused[key].why))
        elif name in own:
            rows.append(Row(name, True, _where(module, name)))
        else:
            rows.append(Row(name, False, NOT_YET if module is not None else NOT_YET + " (no compat module)"))
    return rows, sorted(own - set(names) - {"__version__"})


def coverage():
    """[(Package, [Row], extras)] for every package, from compat/tf115_names.py."""
    data = importlib.import_module(DATA_MODULE)
    return [(p,) + classify(p, data.NAMES[p.name]) for p in PACKAGES]


def totals(report):
    rows = [r for _, package_rows, _ in report for r in package_rows]
    return sum(r.provided for r in rows), len(rows)


def render(report):
    """The generated part of docs/compat-coverage.md (markdown, ends with HAND_MARKER)."""
    data = importlib.import_module(DATA_MODULE)
    provided, total = totals(report)
    out = ["# What compat provides of TF 1.15's tf.contrib (and the MNIST reader)", "",
           "<!-- generated by `.venv/bin/python -m compat.coverage --write docs/compat-coverage.md "
           "--readme README.md`; edit compat/_moved.py or compat's modules, not this part -->", "",
           "Every public name of these TensorFlow %s modules (compat/tf115_names.py, dumped from the legacy "
           "runtime) and what `import tensorflow as tf` gives for it on TensorFlow 2.x under compat: "
           "**provided** (where it maps: a compat/_moved.py CONTRIB_MOVES target, or the compat module that "
           "defines it) or **not provided** (compat/_moved.py's reason, or \"not yet\"). On TensorFlow 1.x "
           "compat passes everything through. %d of %d names are provided." % (data.TENSORFLOW_VERSION,
                                                                                provided, total), "",
           "| package | TF 1.15 names | provided | not provided |", "|---|---:|---:|---:|"]
    for package, rows, _ in report:
        done = sum(r.provided for r in rows)
        out.append("| [`%s`](#%s) | %d | %d | %d |" % (package.name, _anchor(package.name), len(rows), done,
                                                     len(rows) - done))
    out += ["| **total** | **%d** | **%d** | **%d** |" % (total, provided, total - provided), ""]
    for package, rows, extras in report:
        out += ["## %s" % package.name, "", "Served by `%s`." % package.compat_module, "",
                "| name | status | where / why |", "|---|---|---|"]
        out += ["| `%s` | %s | %s |" % (r.name, "provided" if r.provided else "**not provided**",
                                        r.where.replace("|", "\\|")) for r in rows]
        if extras:
            out += ["", "Also in compat's module, not in TF 1.15's: %s." % ", ".join("`%s`" % e for e in extras)]
        out.append("")
    return "\n".join(out + [HAND_MARKER, ""])


def _anchor(title):
    return re.sub(r"[^a-z0-9_ -]", "", title.lower()).replace(" ", "-")


def regenerate(old_doc, report):
    """The doc with its generated part replaced and its hand-maintained tail kept."""
    tail = old_doc.split(HAND_MARKER, 1)[1].lstrip("\n") if HAND_MARKER in old_doc else ""
    return render(report) + "\n" + tail


README_COUNTS = re.compile(r"(docs/compat-coverage\.md\).*?)(\d+) of (\d+)")


def readme_with_counts(readme, report):
    """README's text with the "P of N" after its link to the doc set to the current counts."""
    provided, total = totals(report)
    new, count = README_COUNTS.subn(lambda m: "%s%d of %d" % (m.group(1), provided, total), readme, count=1)
    if not count:
        raise ValueError("README has no line linking docs/compat-coverage.md) followed by 'P of N'")
    return new


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m compat.coverage", description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", action="store_true", help="list every name")
    parser.add_argument("--write", metavar="DOC", help="regenerate this markdown file")
    parser.add_argument("--readme", metavar="README", help="with --write: update the counts in this README")
    parser.add_argument("--dump", action="store_true", help="TF 1.15: rewrite %s" % DATA_MODULE)
    args = parser.parse_args(argv)
    from compat._runtime import tf_major

    if args.dump:
        if tf_major() != 1:
            parser.error("--dump reads TF 1.15's modules; run it with the legacy runtime (.venv-tf1/bin/python)")
        write_data_module(os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf115_names.py"))
        return 0
    if tf_major() < 2:
        parser.error("on TensorFlow 1.x compat provides nothing of its own; run it with TensorFlow 2.x")
    report = coverage()
    if args.write:
        old = open(args.write).read() if os.path.exists(args.write) else ""
        with open(args.write, "w") as f:
            f.write(regenerate(old, report))
        if args.readme:
            text = readme_with_counts(open(args.readme).read(), report)
            with open(args.readme, "w") as f:
                f.write(text)
    for package, rows, _ in report:
        print("%-48s %3d of %3d provided" % (package.name, sum(r.provided for r in rows), len(rows)))
        for row in rows if args.names else ():
            print("    %-36s %s" % (row.name, row.where if row.provided else "not provided: " + row.where))
    print("%-48s %3d of %3d provided" % (("total",) + totals(report)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
