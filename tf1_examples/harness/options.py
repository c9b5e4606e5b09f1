"""The command line of `python -m tf1_examples run NAME`: the options every example has, plus
the ones its registry record lists (Example.flags); argparse errors become one UsageError line
(compat.regress.usage.Parser, which regress's command line uses too)."""

import argparse

from compat.regress.usage import Parser, positive_int
from tf1_examples.harness.errors import PROG
from tf1_examples.registry import BY_NAME


def seed(text):
    # numpy's global seed takes 0 .. 2**32 - 1 only; a seed it refuses would fail after TF's import
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2 ** 32:
        raise argparse.ArgumentTypeError("must be a whole number from 0 to %d, not %r" % (2 ** 32 - 1, text))
    return value


def layers(text):
    if text not in ("1", "2"):
        raise argparse.ArgumentTypeError("must be 1 or 2, not %r" % text)
    return int(text)


# the argument types a registry Flag may name
ARGUMENT_TYPES = {"positive_int": positive_int, "seed": seed, "layers": layers}


def build_parser(name):
    example = BY_NAME[name]
    default, quick = example.steps
    p = Parser(prog="python -m %s run %s" % (PROG, name), description=example.title)
    p.add_argument("--steps", type=positive_int, metavar="N",
                   help="training length in %ss (default: the original's %d; --quick: %d)"
                        % (example.unit, default, quick))
    p.add_argument("--seed", type=seed, metavar="S",
                   help="seed TensorFlow's graph, numpy and random: a rerun repeats the run exactly "
                        "(default: unseeded, like the original)")
    p.add_argument("--out", metavar="DIR",
                   help="run folder (default: runs/%s/<timestamp>/ under the current directory)" % name)
    p.add_argument("--quick", action="store_true", help="short profile for tests and `make demo`")
    p.add_argument("--show", action="store_true", help="open the original's matplotlib window(s)")
    p.add_argument("--resume", action="store_true",
                   help="continue the run in --out (default: the latest runs/%s/ folder) from its "
                        "checkpoint" % name)
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.add_argument("--verbose", action="store_true",
                   help="also show TensorFlow's start-up logs and deprecation warnings (hidden by default)")
    p.add_argument("--save-initial", action="store_true",
                   help="also save the freshly initialised variables to <run>/initial/")
    p.add_argument("--init-from", metavar="DIR",
                   help="start from the variables of the checkpoint in DIR (an earlier run's initial/ "
                        "folder, or a checkpoint prefix) instead of fresh random ones: how the parity "
                        "tests give both runtimes the same start")
    for flag in example.flags:
        options = dict(flag.options)
        if isinstance(options.get("type"), str):
            options["type"] = ARGUMENT_TYPES[options["type"]]
        p.add_argument(flag.flag, **options)
    return p


def example_options(name):
    """The argparse dests of example `name`'s own flags (the continue command repeats them)."""
    return [flag.flag.lstrip("-").replace("-", "_") for flag in BY_NAME[name].flags]
