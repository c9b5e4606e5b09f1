"""python -m compat SCRIPT.py [ARGS...]: run an unmodified TF 1.x script on this TensorFlow.

Runs SCRIPT as `python SCRIPT.py ARGS` would (__main__, sys.argv, sys.path[0] = the script's
folder) after `compat.install()`; `-m MODULE [ARGS...]` and `-c CODE [ARGS...]` run a module or
code as `python -m` / `python -c` would (a project's package, its test suite: `-m pytest`,
`-m unittest`). Python processes the run starts get compat too (compat/child_processes.py).
`python -m compat --list` prints what compat maps where; `python -m compat compare SCRIPT.py`
runs it seeded on TF 1.15 and here and compares the metrics it prints (compat/compare/).
`--quiet` (before the script) drops TensorFlow's C++ start-up lines and deprecation notices,
which TF 1.15 printed too (compat/quiet.py).
Bad input (no script, a missing one, an unknown option or module, a TF 1.x name compat does not
provide, IPython syntax such as `%load_ext compat`) ends with one line on stderr,
`compat: error: <what is wrong>; <what to do>`, exit status 2 (docs/errors.md). The program's
own errors keep Python's traceback, as `python SCRIPT.py` would.
"""

import builtins
import importlib
import importlib.machinery
import importlib.util
import os
import re
import runpy
import sys
import traceback
import types

USAGE = ("usage: python -m compat [--quiet] SCRIPT.py [ARGS...]   (or: -m MODULE [ARGS...], -c CODE [ARGS...], "
         "--list)")
MODULE_USAGE = "usage: python -m compat -m MODULE [ARGS...]"
CODE_USAGE = "usage: python -m compat -c CODE [ARGS...]"
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
    print("  of which TF 2.x objects (compat/_moved.py CONTRIB_MOVES):")
    for m in _moved.CONTRIB_MOVES:
        print("    tf.%-36s -> %s" % (m.name, m.target))
    for n in _moved.NOT_PROVIDED:
        print("  tf.%-28s not provided: %s" % (n.name, n.why))
    for alias, target in sorted(_moved.CONTRIB_MODULE_ALIASES.items()):
        print("  import %s -> %s" % (alias, target))
    print("  import tensorflow.examples.tutorials.mnist.input_data -> compat.examples.tutorials.mnist.input_data")
    if tf_major() >= 2:
        from compat import kernels

        print("  TF 1.15 ops TF 2.x dropped (compat/kernels/; build: python -m compat.kernels):")
        for op, state in kernels.status():
            print("    %-18s %s" % (op, state))
    print("Every TF 1.15 name of these packages, provided or not: python -m compat.coverage --names "
          "(docs/compat-coverage.md)")
    print("On TensorFlow 1.x, `tf` is tensorflow itself (this runtime: TensorFlow %s)." % __import__("tensorflow").__version__)


def _where(tb):
    """'script.py:12: ' for the innermost frame of the user's script, or ''."""
    frames = [f for f in traceback.extract_tb(tb)   # not compat's, nor the import system's
              if f.filename == "<string>" or not f.filename.startswith((os.path.dirname(__file__), "<"))]
    return _location(frames[-1].filename, frames[-1].lineno) if frames else ""


def _location(filename, lineno):
    """'script.py:12: ', or for python -m compat -c CODE '-c code, line 12: '."""
    if filename == "<string>":
        return "-c code, line %d: " % lineno
    return "%s:%d: " % (filename, lineno)


def _unprovided_import(exc):
    """'tensorflow.contrib.slim' for an ImportError of a name under tensorflow/compat, else None."""
    module = exc.name or ""
    if module.startswith("compat.contrib"):
        module = "tensorflow" + module[len("compat"):]
    if not module.startswith("tensorflow"):
        return None
    match = re.search(r"cannot import name '([^']+)'", str(exc))
    return module + "." + match.group(1) if match else module


def _ipython_syntax(exc):
    """The one-line error for a SyntaxError on an IPython line (`%load_ext compat`, `!pip ...`), else None."""
    line = (exc.text or "").strip()
    if not line.startswith(("%", "!")):
        return None
    if line.split() == ["%load_ext", "compat"]:
        what_to_do = "drop the line: under python -m compat, compat is already active"
    else:
        what_to_do = "run it in IPython or Jupyter, or drop the line"
    return "%s`%s` is IPython syntax, not Python; %s" % (_location(exc.filename, exc.lineno), line, what_to_do)


def _ipython_line_in(script):
    """_ipython_syntax() for the script's source, found before TensorFlow's import; else None."""
    try:
        with open(script, "rb") as f:
            compile(f.read(), script, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return _ipython_syntax(exc)
    except ValueError:  # null bytes: raised by the run itself, as python would
        pass
    return None         # other syntax errors too


def _module_missing(name):
    """True if `python -m name` would say "No module named ...": name or a package above it is absent."""
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError as exc:   # a package above `name` is missing, or fails on a missing import
        from compat.errors import CompatError

        if exc.name and (name + ".").startswith(exc.name + ".") and not isinstance(exc, CompatError):
            return True
        raise
    return spec is None


def _run_module(argv):
    name = argv[0][2:] or (argv[1] if len(argv) > 1 else "")
    args = argv[1:] if argv[0][2:] else argv[2:]
    if not name:
        return _error("-m needs a module name; %s" % MODULE_USAGE)
    top = name.partition(".")[0]
    # Top-level lookups run no code (a dotted name imports its packages): checked before install.
    if name.startswith(".") or _module_missing(top):
        return _no_module(name)
    if name == top and _package_without_main(importlib.util.find_spec(name)):
        return _not_runnable(name)

    def run():
        sys.argv = ["-m"] + args       # as python -m has it while the module is looked up
        if _module_missing(name):
            return _no_module(name)
        if _package_without_main(importlib.util.find_spec(name)):
            return _not_runnable(name)
        runpy.run_module(name, run_name="__main__", alter_sys=True)
        return 0
    return _run(run)


def _package_without_main(spec):
    locations = spec.submodule_search_locations
    return locations is not None and importlib.machinery.PathFinder.find_spec("__main__", locations) is None


def _not_runnable(package):
    return _error("%s is a package without a __main__ module, which python -m cannot run; "
                  "name the module to run: -m %s.MODULE" % (package, package))


def _no_module(name):
    return _error("no module named %s; run from the folder that holds it, or add that folder to PYTHONPATH"
                  % name)


def _run_code(argv):
    code = argv[0][2:] or (argv[1] if len(argv) > 1 else None)
    args = argv[1:] if argv[0][2:] else argv[2:]
    if code is None:
        return _error("-c needs the code to run; %s" % CODE_USAGE)
    try:
        compiled = compile(code, "<string>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        if _ipython_syntax(exc) is None:
            raise
        return _error(_ipython_syntax(exc))

    def run():
        sys.argv = ["-c"] + args
        if sys.path and sys.path[0] == os.getcwd():
            sys.path[0] = ""             # python -c puts "" first, python -m the folder's full path
        main_module = types.ModuleType("__main__")   # what python -c runs CODE in
        main_module.__builtins__ = builtins
        main_module.__loader__ = importlib.machinery.BuiltinImporter
        saved = sys.modules["__main__"]
        sys.modules["__main__"] = main_module
        try:
            exec(compiled, vars(main_module))
        finally:
            sys.modules["__main__"] = saved
        return 0
    return _run(run)


def _run_script(argv):
    script = argv[0]
    if script.startswith("-") and not os.path.exists(script):
        return _error("unknown option %s; %s" % (script, SHORT_USAGE))
    if os.path.isdir(script):
        return _error("%s is a folder, not a script; pass the .py file to run" % script)
    if not os.path.isfile(script):
        return _error("no such script: %s; check the path (%s)" % (script, SHORT_USAGE))
    ipython_line = _ipython_line_in(script)
    if ipython_line:
        return _error(ipython_line)

    def run():
        sys.argv = list(argv)
        sys.path[0] = os.path.dirname(os.path.abspath(script))
        runpy.run_path(script, run_name="__main__")
        return 0
    return _run(run)


def _run(run):
    """compat.install(), then run(); compat's own failures become one line, exit 2."""
    import compat
    from compat.errors import SUPPORTED_HINT, CompatError

    compat.install()
    from compat.compare import seeding

    seeding.apply_from_env()       # a `python -m compat compare` run: its seed, headless pyplot
    try:
        return run()
    except CompatError as exc:
        return _error("%s%s" % (_where(exc.__traceback__), exc))
    except SyntaxError as exc:
        if _ipython_syntax(exc) is None:
            raise
        return _error(_ipython_syntax(exc))
    except KeyboardInterrupt as exc:
        faults = sys.modules.get("compat.estimator.faults")
        if faults is None or not isinstance(exc, faults.TrainingInterrupted):
            raise
        print("compat: %s" % exc, file=sys.stderr)   # the checkpoint is saved: one line, not a traceback
        return 130
    except ImportError as exc:
        # `from tensorflow.contrib import slim` reaches the script as Python's own ImportError
        # ("cannot import name 'slim' from 'compat.contrib'"), which replaces compat's error.
        symbol = _unprovided_import(exc)
        if symbol is None:
            raise
        return _error("%s%s is not provided by compat on TensorFlow 2.x; %s"
                      % (_where(exc.__traceback__), symbol, SUPPORTED_HINT))


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
    if argv[0] == "compare":
        from compat.compare import cli

        return cli.main(argv[1:])
    if argv[0] == "--quiet":
        if len(argv) == 1:
            return _error("--quiet needs a script to run; %s" % SHORT_USAGE)
        from compat import quiet

        quiet.silence()
        argv = argv[1:]
    if argv[0].startswith("-m"):
        return _run_module(argv)
    if argv[0].startswith("-c"):
        return _run_code(argv)
    return _run_script(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
