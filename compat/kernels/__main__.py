"""python -m compat.kernels [--out DIR] [--compiler CXX] [--force]: compile compat's kernels
(today GatherTree, for tf.contrib.seq2seq's beam search) against the installed TensorFlow 2.x.

Optional: without them compat composes the same results from core ops, slower. On TensorFlow 1.x
there is nothing to build (TF 1.15 has the ops). Bad input, a missing compiler or a failed
compile end with one line, `compat: error: <what is wrong>; <what to do>`, exit status 2.
"""

import os
import shutil
import sys

from compat import kernels
from compat.regress.usage import Parser, UsageError

PROG = "python -m compat.kernels"


def parse(argv):
    p = Parser(prog=PROG, description=__doc__.split("\n\n")[0])
    p.add_argument("--out", metavar="DIR", help="build into DIR instead of the folder compat loads from "
                   "($%s or %s/share/tf1-legacy/kernels, then tensorflow-VERSION/)" % (kernels.DIR_VAR, sys.prefix))
    p.add_argument("--compiler", metavar="CXX", default=os.environ.get("CXX", "g++"),
                   help="the C++17 compiler (default: $CXX, else g++)")
    p.add_argument("--force", action="store_true", help="rebuild even if this source is already built")
    opts = p.parse_args(argv)
    found = shutil.which(opts.compiler)
    if not found:
        raise UsageError("C++ compiler %s not found; install g++ (Debian/Ubuntu: apt install g++) or pass "
                         "--compiler PATH" % opts.compiler)
    opts.compiler = found
    if opts.out and os.path.exists(opts.out) and not os.access(opts.out, os.W_OK):
        raise UsageError("--out %s is not writable; pass --out with a folder you can write to" % opts.out)
    return opts


def main(argv):
    try:
        opts = parse(argv)
        from compat._runtime import import_tensorflow, tf_major

        if tf_major() < 2:
            print("compat.kernels: TensorFlow %s has these ops itself; nothing to build"
                  % import_tensorflow().__version__)
            return 0
        from compat.kernels.build import build

        directory = opts.out or kernels.default_directory()
        for op in kernels.SOURCES:
            path, seconds = build(op, directory, opts.compiler, force=opts.force)
            if seconds is None:
                print("compat.kernels: %s is up to date: %s" % (op, path))
            else:
                print("compat.kernels: built %s in %.1f s: %s" % (op, seconds, path))
    except UsageError as error:
        sys.stderr.write("compat: error: %s\n" % error)
        return 2
    except SystemExit as exit:  # --help
        return exit.code or 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
