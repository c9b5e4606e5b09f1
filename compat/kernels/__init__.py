"""Compiled kernels for ops TF 1.15 had and TF 2.x no longer ships: today GatherTree
(tf.contrib.seq2seq.gather_tree, which every BeamSearchDecoder runs once per decode).

The C++ source (gather_tree.cc, the project's own) is compiled against the installed TensorFlow by
`python -m compat.kernels` (tools/build_venv.sh runs it for the modern venv) into
`<sys.prefix>/share/tf1-legacy/kernels/tensorflow-<version>/`; the file name carries a hash of
the source, so a library built from other source or for another TensorFlow is never loaded.
compat loads what is built when it switches TF 2.x to TF 1.x behaviour (`load()`), so a graph or
meta graph TF 1.15 wrote with a GatherTree op imports too. Without a built library everything
still works: gather_tree composes the same result from core ops, slower.

TF1_LEGACY_KERNELS=0 turns the compiled kernels off; TF1_LEGACY_KERNELS_DIR=DIR builds into and
loads from DIR instead of the default folder.
"""

import hashlib
import os
import sys

SWITCH_VAR = "TF1_LEGACY_KERNELS"
DIR_VAR = "TF1_LEGACY_KERNELS_DIR"
SOURCES = {"GatherTree": "gather_tree.cc"}  # op -> its source file beside this module

_loaded = None  # op name -> (the loaded library's module, its path), after load()
_why_not = {}  # op name -> why it is not loaded


def enabled():
    return os.environ.get(SWITCH_VAR, "1").strip().lower() not in ("0", "off", "false", "no")


def source_path(op):
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), SOURCES[op])


def default_directory():
    """Where libraries for the installed TensorFlow are built and looked for."""
    import tensorflow

    base = os.environ.get(DIR_VAR) or os.path.join(sys.prefix, "share", "tf1-legacy", "kernels")
    return os.path.join(base, "tensorflow-" + tensorflow.__version__)


def source_stem(op):
    """gather_tree for GatherTree: what its library and build log are named after."""
    return os.path.splitext(SOURCES[op])[0]


def library_name(op):
    """<source stem>-<12 hex digits of the source's sha256>.so"""
    with open(source_path(op), "rb") as source:
        digest = hashlib.sha256(source.read()).hexdigest()[:12]
    return "%s-%s.so" % (source_stem(op), digest)


def library_path(op, directory=None):
    return os.path.join(directory or default_directory(), library_name(op))


def load():
    """Load every built library once (TF 2.x only; compat calls this as it switches TF to TF 1.x
    behaviour). A library that is missing or fails to load leaves its op to the composed
    fallback; `status()` says why."""
    global _loaded
    if _loaded is not None:
        return _loaded
    _loaded = {}
    if not enabled():
        _why_not.update((op, "turned off (%s=%s)" % (SWITCH_VAR, os.environ[SWITCH_VAR])) for op in SOURCES)
        return _loaded
    import tensorflow

    for op in SOURCES:
        path = library_path(op)
        if not os.path.exists(path):
            _why_not[op] = "not built (%s); build it with: python -m compat.kernels" % path
            continue
        try:
            _loaded[op] = (tensorflow.load_op_library(path), path)
        except Exception as error:  # an ABI mismatch shows as NotFoundError (undefined symbol)
            _why_not[op] = "failed to load %s: %s" % (path, str(error).strip().splitlines()[0])
    return _loaded


def op_module(op):
    """The loaded library's Python module for op (its wrapper functions), or None."""
    loaded = load().get(op)
    return loaded[0] if loaded else None


def status():
    """[(op, description)] for `python -m compat --list`."""
    loaded = load()
    return [(op, "compiled: %s" % loaded[op][1] if op in loaded
             else "composed from core ops: " + _why_not.get(op, "not loaded")) for op in SOURCES]

