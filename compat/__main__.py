"""python -m compat SCRIPT.py [ARGS...]: run an unmodified TF 1.x script on this TensorFlow.

Runs SCRIPT as `python SCRIPT.py ARGS` would (__main__, sys.argv, sys.path[0] = the script's
folder) after `compat.install()`. `python -m compat --list` prints what compat maps where.
Bad input (no script, a missing one, an unknown option, a TF 1.x name compat does not provide)
ends with one line on stderr, `compat: error: <what is wrong>; <what to do>`, exit status 2
(docs/errors.md). The script's own errors keep Python's traceback, as `python SCRIPT.py` would.
"""

import importlib
import os
import re
import runpy
import sys
import traceback

USAGE = "usage: python -m compat SCRIPT.py [ARGS...]   (or: python -m compat --list)"
SHORT_USAGE = "usage: python -m compat SCRIPT.py [ARGS...], or --list for what compat provides"


def _error(message):
    print("compat: error: %s" % message, file=sys.stderr)
    return 2


def _print_table():
    from compat import _moved

    print("On TensorFlow 2.x, `tf` is tf.compat.v1 (v2 behaviour disabled) plus:")
    for m in _moved.MOVES:
        print("  tf.%-28s -> %-52s %s" % (m.name, m.target, m.why))
    for r in _moved.RENAMES:
        print("  tf.%-28s -> tf.%-49s %s (warns once)" % (r.name, r.new, r.why))
    from compat._runtime import tf_major

    if tf_major() < 2:  # compat.contrib needs TF 2.x (and tf_keras); name the packages only
        print("  tf.contrib packages (compat/contrib/): %s" % ", ".join(_moved.CONTRIB_MODULES))
    else:
        print("  tf.contrib packages (compat/contrib/), with what each provides:")
        for name in _moved.CONTRIB_MODULES:
            module = importlib.import_module("compat.contrib." + name)
            print("    tf.contrib.%-15s %s" % (name, ", ".join(module.__all__)))
    for alias, target in sorted(_moved.CONTRIB_MODULE_ALIASES.items()):
        print("  import %s -> %s" % (alias, target))
    print("On TensorFlow 1.x, `tf` is tensorflow itself (this runtime: TensorFlow %s)." % __import__("tensorflow").__version__)


def _where(tb):
    """'script.py:12: ' for the innermost frame of the user's script, or ''."""
    frames = [f for f in traceback.extract_tb(tb)   # not compat's, nor the import system's
              if not f.filename.startswith((os.path.dirname(__file__), "<"))]
    return "%s:%d: " % (frames[-1].filename, frames[-1].lineno) if frames else ""


def _unprovided_import(exc):
    """'tensorflow.contrib.slim' for an ImportError of a name under tensorflow/compat, else None."""
    module = exc.name or ""
    if module.startswith("compat.contrib"):
        module = "tensorflow" + module[len("compat"):]
    if not module.startswith("tensorflow"):
        return None
    match = re.search(r"cannot import name '([^']+)'", str(exc))
    return module + "." + match.group(1) if match else module


def main(argv):
    if not argv:
        return _error("no script given; %s" % SHORT_USAGE)
    if argv[0] in ("-h", "--help"):
        print(USAGE)
        print(__doc__.split("\n", 2)[2].rstrip())
        return 0
    if argv[0] == "--list":
        _print_table()
        return 0
    script = argv[0]
    if script.startswith("-") and not os.path.exists(script):
        return _error("unknown option %s; %s" % (script, SHORT_USAGE))
    if os.path.isdir(script):
        return _error("%s is a folder, not a script; pass the .py file to run" % script)
    if not os.path.isfile(script):
        return _error("no such script: %s; check the path (%s)" % (script, SHORT_USAGE))

    import compat
    from compat.errors import SUPPORTED_HINT, CompatError

    compat.install()
    sys.argv = list(argv)
    sys.path[0] = os.path.dirname(os.path.abspath(script))
    try:
        runpy.run_path(script, run_name="__main__")
    except CompatError as exc:
        return _error("%s%s" % (_where(exc.__traceback__), exc))
    except ImportError as exc:
        # `from tensorflow.contrib import slim` reaches the script as Python's own ImportError
        # ("cannot import name 'slim' from 'compat.contrib'"), which replaces compat's error.
        symbol = _unprovided_import(exc)
        if symbol is None:
            raise
        return _error("%s%s is not provided by compat on TensorFlow 2.x; %s"
                      % (_where(exc.__traceback__), symbol, SUPPORTED_HINT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
