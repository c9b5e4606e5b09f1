"""Shared test plumbing. The same test files run on both runtimes:

    .venv/bin/python -m pytest tests        # modern: TF 2.x through compat
    .venv-tf1/bin/python -m pytest tests    # legacy: TF 1.15, compat passes straight through

so a test written against `import compat.v1 as tf` proves, on TF 1.15, that it describes TF 1.x
behaviour, and on TF 2.x that compat reproduces it.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
# The layout mirrors the packages (tests/compat/, tests/examples/, ...); the helpers every folder
# imports (symbol_parity, estimator_helpers, ...) are in tests/support/, the parity cases in tests/parity_cases/.
# The repo goes first: with only tests/ on the path (plain `pytest`, a test run as a script) the
# folder tests/compat/ would be taken for the package `compat` (a namespace package).
for _folder in (TESTS / "support", TESTS, REPO):
    if str(_folder) in sys.path:
        sys.path.remove(str(_folder))
    sys.path.insert(0, str(_folder))
SHARED = REPO.parent / "shared"
LEGACY_PYTHON = REPO / ".venv-tf1" / "bin" / "python"
MODERN_PYTHON = REPO / ".venv" / "bin" / "python"

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TF's C++ start-up chatter out of test logs

import compat.v1 as tf  # noqa: E402  (after TF_CPP_MIN_LOG_LEVEL)

TF1 = tf.__version__.startswith("1.")
RUNTIME = "legacy" if TF1 else "modern"


@pytest.fixture
def graph():
    """A fresh default graph with a fixed graph-level seed, for tests that build ops."""
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(1234)
        yield g


@pytest.fixture
def session(graph):
    with tf.Session(graph=graph) as sess:
        yield sess


def _other_python(path, name):
    if not path.exists():
        pytest.skip("%s runtime not built (%s missing): run `make test` to build it" % (name, path))
    return path


@pytest.fixture(scope="session")
def legacy_python():
    """The TF 1.15 interpreter, for tests that compare against it from the modern runtime."""
    return _other_python(LEGACY_PYTHON, "legacy")


@pytest.fixture(scope="session")
def modern_python():
    return _other_python(MODERN_PYTHON, "modern")


def run_python(python, *args, cwd=None, env=None, timeout=600, input=None):
    """Run `python args...` as a real subprocess and return the CompletedProcess (text)."""
    full_env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONDONTWRITEBYTECODE="1")
    full_env.update(env or {})
    return subprocess.run([str(python)] + [str(a) for a in args], cwd=cwd, env=full_env, input=input,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                          timeout=timeout)


@pytest.fixture
def this_python():
    return Path(sys.executable)
