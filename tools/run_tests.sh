#!/usr/bin/env bash
# `make test`: the same test suite on the modern runtime and on the legacy one (TF 1.15), plus the
# quick regress profile. The legacy runtime is built here when a Python 3.7 can be found; if none
# can, its tests are reported as skipped, with how to enable them, and the exit status reflects
# the tests that ran.
#
# Both venvs are built first, side by side (pip is mostly one core's work: unpacking, byte-
# compiling); then the legacy suite runs alongside the modern suite and the
# quick regress: much of each is one Python thread (TensorFlow start-up, subprocesses, plotting),
# so two cores take the pair in well under the sequential time. The legacy output is kept in a
# log and printed after the modern side's. TEST_JOBS=1 runs them one after the other, live.
set -u
cd "$(dirname "$0")/.."
pytest_args=("$@")
jobs=${TEST_JOBS:-2}

work=$(mktemp -d "${TMPDIR:-/tmp}/tf1-legacy-tests.XXXXXX")
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
status=0

run_suite() {  # name python summary-file: pytest on one runtime, its last line into summary-file
  local name=$1 python=$2 summary=$3 log rc line
  log="$work/$name.pytest.log"
  echo "== $name runtime: $("$python" -c 'import sys, tensorflow as tf; print("Python %d.%d.%d, TensorFlow %s" % (sys.version_info[:3] + (tf.__version__,)))' 2>/dev/null)"
  # each suite its own --basetemp: two pytest sessions never share (or clean up) the other's tmp dirs
  "$python" -m pytest tests --basetemp="$work/$name.tmp" --durations=15 "${pytest_args[@]}" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  line=$(grep -E '^(=+ )?[0-9]+ (passed|failed|error|skipped|deselected).* in [0-9.]+s|no tests ran' "$log" | tail -n 1 | sed -E 's/^=+ //; s/ =+$//')
  echo "$name: ${line:-pytest exited $rc}" >> "$summary"
  return "$rc"
}

legacy_skip="" legacy_pid="" legacy_built=""
: > "$work/legacy.summary"
# both venvs are built before either suite starts: the modern suite also drives the legacy runtime
# (parity, portability, benchmarks) and must not find it half-installed
build_pid=""
if py37=$(tools/find_py37.sh); then
  make --no-print-directory .venv-tf1/.installed > "$work/legacy.build.log" 2>&1 &
  build_pid=$!
else
  if [ $? = 2 ]; then status=2; why="PY37=$PY37 is not a Python 3.7"; else why="no Python 3.7 found"; fi
  legacy_skip="legacy (TF 1.15) tests SKIPPED: $why; enable them with PY37=/path/to/python3.7 make test, or run pytest inside the conda env (conda env create -f environment.yml)"
fi
make --no-print-directory .venv/.installed || { wait; cat "$work/legacy.build.log" 2>/dev/null; exit 2; }
if [ -n "$build_pid" ]; then
  wait "$build_pid"; rc=$?
  cat "$work/legacy.build.log"
  if [ "$rc" = 0 ]; then
    legacy_built=1
    if [ "$jobs" -gt 1 ]; then
      run_suite legacy .venv-tf1/bin/python "$work/legacy.summary" > "$work/legacy.log" 2>&1 &
      legacy_pid=$!
    fi
  else
    echo "legacy: FAILED to build .venv-tf1 (see the output above)" >> "$work/legacy.summary"
    status=1
  fi
fi

: > "$work/modern.summary"
run_suite modern .venv/bin/python "$work/modern.summary" || status=1

# The regression check against the published figures, quick profile (seeds 0..2, ~2 min).
echo "== regress --profile quick (modern runtime)"
if .venv/bin/python -m tf1_examples regress --profile quick --out runs/regress/make-test; then
  echo "regress (quick, modern): all verdicts pass; report in runs/regress/make-test/report.md" >> "$work/modern.summary"
else
  echo "regress (quick, modern): FAILED; see runs/regress/make-test/report.md" >> "$work/modern.summary"
  status=1
fi

if [ -n "$legacy_pid" ]; then
  echo "== legacy runtime (ran alongside the modern one; its output follows)"
  wait "$legacy_pid" || status=1
  cat "$work/legacy.log"
elif [ -n "$legacy_built" ]; then
  run_suite legacy .venv-tf1/bin/python "$work/legacy.summary" || status=1
fi

echo
echo "== summary"
cat "$work/modern.summary" "$work/legacy.summary" | sed 's/^/   /'
[ -z "$legacy_skip" ] || echo "   $legacy_skip"
exit $status
