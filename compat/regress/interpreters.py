"""Finding the two runtimes' pythons: legacy = TF 1.15 (this project's .venv-tf1, or one the user
names), modern = TF 2.x through compat."""

import os
import sys
from pathlib import Path

from compat.regress.usage import UsageError

REPO = Path(__file__).resolve().parents[2]
LEGACY_VENV = REPO / ".venv-tf1" / "bin" / "python"
MODERN_VENV = REPO / ".venv" / "bin" / "python"


def is_executable(path):
    return Path(path).is_file() and os.access(str(path), os.X_OK)


def legacy_python(given=None, env_var="TF1_LEGACY_PYTHON", how_else="or use --runtime modern"):
    """`given` (an option), else $env_var, else <repo>/.venv-tf1/bin/python; UsageError if it is
    not an executable file, saying how to get one."""
    path = given or os.environ.get(env_var) or str(LEGACY_VENV)
    if not is_executable(path):
        raise UsageError("the legacy runtime (TF 1.15) is missing: no %s; build it with `make venv-tf1` "
                         "(or set %s), %s" % (path, env_var, how_else))
    return path


def modern_python(env_var="TF1_MODERN_PYTHON"):
    """$env_var, else <repo>/.venv/bin/python, else this python."""
    path = os.environ.get(env_var)
    if path:
        if not is_executable(path):
            raise UsageError("%s=%s is not an executable file; point it at the modern runtime's python, "
                             "or unset it" % (env_var, path))
        return path
    return str(MODERN_VENV) if MODERN_VENV.is_file() else sys.executable
