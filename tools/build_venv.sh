#!/usr/bin/env bash
# Build a virtual environment from scratch: tools/build_venv.sh DIR PYTHON REQUIREMENTS
#
# The stamp DIR/.installed is written only after every step succeeded, and the Makefile's
# target is that stamp, so an interrupted or failed install leaves no stamp and the next
# `make` wipes the half-built DIR and starts over instead of using it.
set -euo pipefail
dir=$1 python=$2 reqs=$3
stamp="$dir/.installed"

if [ -d "$dir" ]; then
  if [ -f "$stamp" ]; then
    echo "== $dir: requirements changed since it was built; rebuilding"
  else
    echo "== $dir: incomplete (no $stamp: an earlier install was interrupted or failed); rebuilding"
  fi
  rm -rf "$dir"
fi

echo "== building $dir with $python from $reqs"
"$python" -m venv "$dir"
pip=("$dir/bin/python" -m pip --disable-pip-version-check)
if "$dir/bin/python" -c 'import sys; sys.exit(sys.version_info >= (3, 8))'; then
  # Python 3.7's bundled pip/setuptools predate editable installs from pyproject.toml (PEP 660);
  # these are the last releases that support 3.7.
  "${pip[@]}" install -q 'pip==24.0' 'setuptools==68.0.0' 'wheel==0.42.0'
fi
"${pip[@]}" install -q -r "$reqs"
# the editable install writes tf1_legacy.egg-info into the source tree: one build at a time there
# (`make test` builds both venvs side by side)
mkdir -p build
if command -v flock >/dev/null; then
  flock build/.editable-install.lock "${pip[@]}" install -q --no-deps -e .
else
  "${pip[@]}" install -q --no-deps -e .
fi
"$dir/bin/python" -c 'import compat, tf1_examples'
# the project's wheel put tf1_legacy_compat.pth into site-packages (compat for a compat run's child processes)
TF1_COMPAT=1 "$dir/bin/python" -c 'import sys; from compat.child_processes import InstallOnFirstImport as F
sys.exit(0 if any(isinstance(f, F) for f in sys.meta_path) else "tf1_legacy_compat.pth was not installed")'
# compat's compiled kernels (compat/kernels/: TF 1.15's GatherTree for TF 2.x). Optional: without a
# C++ compiler beam search composes the op from core ops, slower; the venv is complete either way.
"$dir/bin/python" -m compat.kernels \
  || echo "== $dir: compat's compiled kernels were not built (optional; reason above); beam search uses composed ops"
{ echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) from $reqs"; sha256sum "$reqs" pyproject.toml; } > "$stamp"
echo "== $dir ready"
