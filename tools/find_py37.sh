#!/usr/bin/env bash
# Print the absolute path of a working Python 3.7 interpreter for the legacy (TF 1.15) runtime.
# Order: $PY37 if set; else `python3.7` on PATH if it runs; else pyenv's 3.7.16
# (`PYENV_VERSION=3.7.16 python3.7`). Exit 1, printing nothing, when none is found.
# Exit 2 when $PY37 is set but is not a Python 3.7: the user asked for it, so say so.
set -u

probe() {  # run the given command; print sys.executable if it is CPython 3.7
  "$@" -c 'import sys; assert sys.version_info[:2] == (3, 7); print(sys.executable)' 2>/dev/null
}

if [ -n "${PY37:-}" ]; then
  if exe=$(probe "$PY37"); then echo "$exe"; exit 0; fi
  echo "PY37=$PY37 is not a working Python 3.7 interpreter; point PY37 at one (e.g. PY37=\$(pyenv root)/versions/3.7.16/bin/python3.7) or unset it." >&2
  exit 2
fi
if exe=$(probe python3.7); then echo "$exe"; exit 0; fi
if exe=$(PYENV_VERSION=3.7.16 probe python3.7); then echo "$exe"; exit 0; fi
exit 1
