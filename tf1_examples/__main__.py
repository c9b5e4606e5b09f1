"""python -m tf1_examples list | run NAME [options] | demo [--verbose] | regress [options]

    list    the four reproductions: name, original, published figure
    run     run one: python -m tf1_examples run NAME --help for its options
    demo    run the four --quick profiles on this runtime and print their run folders
    regress seeds x runtimes against the published figures: regress --help
--verbose (run, demo, regress) also shows TensorFlow's start-up logs and deprecation warnings.
"""

import logging
import os
import sys

from tf1_examples.harness import cli, quiet
from tf1_examples.harness.errors import Diverged, UsageError
from tf1_examples.registry import EXAMPLES

USAGE = ("usage: python -m tf1_examples {list | run NAME [--steps N] [--seed S] [--out DIR] [--quick] "
         "[--show] [--resume] [--no-progress] [--verbose] ... | demo | regress ...}")


def cmd_list():
    width = max(len(e.name) for e in EXAMPLES)
    for e in EXAMPLES:
        print("%-*s  %s" % (width, e.name, e.title))
        print("%-*s  original:  %s" % (width, "", e.original))
        print("%-*s  published: %s" % (width, "", e.summary))
    return 0


def cmd_demo(argv):
    if argv:
        raise UsageError("demo takes no options (got %s); use `run NAME --quick ...` for one example"
                         % " ".join(argv))
    folders = []
    for e in EXAMPLES:
        print("== %s (--quick)" % e.name)
        sys.stdout.flush()
        run = cli.prepare(e.name, ["--quick"])
        quiet.quiet_output()
        try:
            cli.execute(run)
        except (Diverged, KeyboardInterrupt) as exc:   # Ctrl-C: this run saved, the demo ends
            return cli.report(exc, run)
        folders.append((e.name, run.dir))
    print("\nrun folders:")
    for name, folder in folders:
        print("  %-16s %s" % (name, folder))
    return 0


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if not argv or argv[0] in ("-h", "--help", "help"):
            print(USAGE)
            print(__doc__.split("\n", 2)[2].rstrip())
            return 0
        command, rest = argv[0], argv[1:]
        if command in ("demo", "regress") and "--verbose" in rest:
            rest.remove("--verbose")               # for this process and its children
            os.environ[quiet.VERBOSE_ENV] = "1"
        if command == "list":
            return cmd_list()
        if command == "demo":
            return cmd_demo(rest)
        if command == "regress":
            from tf1_examples import regress

            return regress.main(rest)
        if command == "run":
            if not rest or rest[0].startswith("-"):
                raise UsageError("run needs an example name; choose one of: %s"
                                 % ", ".join(e.name for e in EXAMPLES))
            return cli.main(rest[0], rest[1:])
        raise UsageError("unknown command %r; use list, run NAME, demo or regress" % command)
    except UsageError as exc:
        return cli.report(exc)
    except KeyboardInterrupt as exc:     # before any run started (e.g. while TensorFlow loads)
        return cli.report(exc)


def exit_now(status):
    """End the process without the interpreter's teardown: with TensorFlow loaded that teardown
    takes ~1.3 s of CPU here (module and C++ destructors) and does nothing a finished command
    needs, since every file, writer, session and helper process is closed by then."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):   # a closed or broken pipe: nothing more can reach it
            pass
    logging.shutdown()
    os._exit(0 if status is None else status if isinstance(status, int) else 1)


if __name__ == "__main__":
    exit_now(main())
