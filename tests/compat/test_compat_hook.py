"""The import hook: `tensorflow.contrib...` module paths after compat.install().

One subprocess per runtime (install() replaces sys.modules["tensorflow"], which must not leak
into the other tests) imports every path below and reports what each resolved to. On TF 1.15
the same paths are the real tf.contrib, which shows the provided ones are the ones TF 1.x has.
"""

import json
import sys

import pytest

from conftest import TF1, run_python

PROVIDED = [
    # (import path as old scripts write it, the compat module serving it on TF 2.x)
    ("tensorflow.contrib", "compat.contrib"),
    ("tensorflow.contrib.rnn", "compat.contrib.rnn"),
    ("tensorflow.contrib.layers", "compat.contrib.layers"),
    ("tensorflow.contrib.legacy_seq2seq", "compat.contrib.legacy_seq2seq"),
    ("tensorflow.contrib.framework", "compat.contrib.framework"),
    ("tensorflow.contrib.learn", "compat.contrib.learn"),
    ("tensorflow.contrib.learn.python.learn.estimators.estimator", "compat.contrib.learn"),
    ("tensorflow.contrib.learn.python.learn.datasets.mnist", "compat.contrib.learn.datasets.mnist"),
    ("tensorflow.examples.tutorials.mnist.input_data", "compat.examples.tutorials.mnist.input_data"),
    ("tensorflow.estimator", "compat.estimator"),
    ("tensorflow.estimator.inputs", "compat.estimator.inputs"),
]
MISSING = [
    # (import path, the first module of it that is missing, as the error must name it)
    ("tensorflow.contrib.slim", "tensorflow.contrib.slim"),
    ("tensorflow.contrib.slim.nets", "tensorflow.contrib.slim"),
    ("tensorflow.contrib.learn.no_such", "tensorflow.contrib.learn.no_such"),
    ("tensorflow.contrib.learn.no_such.deeper", "tensorflow.contrib.learn.no_such"),
    # below an alias of a provided package: the error names the path asked for, not its parent
    ("tensorflow.contrib.learn.python.learn.estimators.no_such",
     "tensorflow.contrib.learn.python.learn.estimators.no_such"),
    ("tensorflow.examples.saved_model", "tensorflow.examples.saved_model"),  # TF 1.15's other example
]

PROBE = r"""
import importlib, json, sys
import compat
compat.install()
from compat.errors import CompatError
out = {"provided": {}, "missing": {}}
for path in %r:
    module = importlib.import_module(path)
    out["provided"][path] = getattr(module, "__name__", None)
for path in %r:
    try:
        importlib.import_module(path)
        out["missing"][path] = None
    except ImportError as exc:   # what feature-detecting code catches
        out["missing"][path] = {"name": exc.name, "message": str(exc),
                                "compat_error": isinstance(exc, CompatError)}
from tensorflow.contrib.learn.python.learn.estimators.estimator import SKCompat
from tensorflow.contrib import rnn
out["SKCompat"] = SKCompat.__module__
out["rnn.BasicLSTMCell"] = rnn.BasicLSTMCell.__name__
print("RESULT " + json.dumps(out))
"""


@pytest.fixture(scope="module")
def probe():
    proc = run_python(sys.executable, "-c",
                      PROBE % ([p for p, _ in PROVIDED], [p for p, _ in MISSING]))
    assert proc.returncode == 0, proc.stderr[-2000:]
    line = [l for l in proc.stdout.splitlines() if l.startswith("RESULT ")][-1]
    return json.loads(line[len("RESULT "):])


@pytest.mark.parametrize("path,served_by", PROVIDED)
def test_provided_paths_import(probe, path, served_by):
    name = probe["provided"][path]
    if TF1:
        # the real tf.contrib module of that name (TF 1.15 ships it as tensorflow_core.*)
        assert name.replace("tensorflow_core.", "tensorflow.", 1) == path
    else:
        assert name == served_by


@pytest.mark.skipif(TF1, reason="on TF 1.15 these contrib modules exist (slim) or fail as TF does")
@pytest.mark.parametrize("path,missing", MISSING)
def test_missing_paths_name_the_missing_module(probe, path, missing):
    error = probe["missing"][path]
    assert error is not None, "%s imported, but compat does not provide it" % path
    assert error["compat_error"], error
    assert error["name"] == missing
    assert error["message"].startswith(missing + " is not provided by compat"), error["message"]


def test_from_imports_of_old_scripts(probe):
    assert probe["rnn.BasicLSTMCell"] == "BasicLSTMCell"
    if not TF1:
        assert probe["SKCompat"].startswith("compat.contrib.learn")
