#!/usr/bin/env bash
# `make test`: the same test suite on the modern runtime, then on the legacy one (TF 1.15).
# The legacy runtime is built here when a Python 3.7 can be found; if none can, its tests are
# reported as skipped, with how to enable them, and the exit status reflects the tests that ran.
set -u
cd "$(dirname "$0")/.."
pytest_args=("$@")

summary=()
status=0

run_suite() {  # name python
  local name=$1 python=$2 log rc line
  log=$(mktemp)
  echo "== $name runtime: $("$python" -c 'import sys, tensorflow as tf; print("Python %d.%d.%d, TensorFlow %s" % (sys.version_info[:3] + (tf.__version__,)))' 2>/dev/null)"
  "$python" -m pytest tests "${pytest_args[@]}" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line=$(grep -E '^(=+ )?[0-9]+ (passed|failed|error|skipped|deselected).* in [0-9.]+s|no tests ran' "$log" | tail -n 1 | sed -E 's/^=+ //; s/ =+$//')
  rm -f "$log"
  summary+=("$name: ${line:-pytest exited $rc}")
  [ "$rc" = 0 ] || status=1
}

run_suite modern .venv/bin/python

# The regression check against the published figures, quick profile (seeds 0..2, ~2 min).
echo "== regress --profile quick (modern runtime)"
if .venv/bin/python -m tf1_examples regress --profile quick --out runs/regress/make-test; then
  summary+=("regress (quick, modern): all verdicts pass; report in runs/regress/make-test/report.md")
else
  summary+=("regress (quick, modern): FAILED; see runs/regress/make-test/report.md")
  status=1
fi

legacy_skip=""
if py37=$(tools/find_py37.sh); then
  if make --no-print-directory .venv-tf1/.installed; then
    run_suite legacy .venv-tf1/bin/python
  else
    summary+=("legacy: FAILED to build .venv-tf1 (see the output above)")
    status=1
  fi
else
  if [ $? = 2 ]; then status=2; why="PY37=$PY37 is not a Python 3.7"; else why="no Python 3.7 found"; fi
  legacy_skip="legacy (TF 1.15) tests SKIPPED: $why; enable them with PY37=/path/to/python3.7 make test, or run pytest inside the conda env (conda env create -f environment.yml)"
fi

echo
echo "== summary"
for s in "${summary[@]}"; do echo "   $s"; done
[ -z "$legacy_skip" ] || echo "   $legacy_skip"
exit $status
