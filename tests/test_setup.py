"""The set-up tooling behind `make`: Python 3.7 discovery and half-built venv detection."""

import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO

FIND_PY37 = str(REPO / "tools" / "find_py37.sh")
BUILD_VENV = str(REPO / "tools" / "build_venv.sh")


def run(args, **env):
    return subprocess.run(args, cwd=str(REPO), env=dict(os.environ, **env), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=120)


def test_py37_that_is_not_37_is_a_clear_error():
    proc = run([FIND_PY37], PY37=sys.executable if sys.version_info[:2] != (3, 7) else "/bin/false")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "is not a working Python 3.7 interpreter" in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_no_py37_anywhere_exits_1_silently(tmp_path):
    proc = run([FIND_PY37], PATH="/usr/bin:/bin", PYENV_ROOT=str(tmp_path), PY37="")
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, "", "")


@pytest.mark.skipif(not shutil.which("pyenv") and not os.environ.get("PY37"), reason="no Python 3.7 source here")
def test_found_py37_is_a_37_interpreter():
    proc = run([FIND_PY37])
    assert proc.returncode == 0, proc.stderr
    version = subprocess.check_output([proc.stdout.strip(), "-c", "import sys; print(sys.version_info[:2])"])
    assert version.decode().strip() == "(3, 7)"


def test_half_built_venv_is_wiped_not_used(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "leftover").write_text("from an interrupted install")
    # /bin/false as "python": the rebuild fails at once, after the half-built venv is gone.
    proc = run([BUILD_VENV, str(venv), "/bin/false", "requirements.txt"])
    assert proc.returncode != 0
    assert "incomplete" in proc.stdout and "rebuilding" in proc.stdout
    assert not (venv / "bin" / "leftover").exists() and not (venv / ".installed").exists()


def test_built_runtimes_are_not_rebuilt():
    """`make -q` says the stamps are up to date, so a second `make test` installs nothing."""
    if not shutil.which("make") or not (REPO / ".venv" / ".installed").exists():
        pytest.skip("needs make and a venv built by make")
    proc = run(["make", "-q", ".venv/.installed"])
    assert proc.returncode == 0, "make would rebuild .venv: %s" % proc.stdout
