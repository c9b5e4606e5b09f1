# tf1-legacy: two runtimes, two commands.
#   make demo   build what is missing, run the four reproductions' quick profiles (modern runtime)
#   make test   build what is missing, run the test suite on both runtimes
# Each runtime is a venv whose stamp file is written only after a complete install, so an
# interrupted build is detected and redone, and a second `make` reinstalls nothing.

SHELL       := /bin/bash
PYTHON      ?= python3
VENV        := .venv
VENV_TF1    := .venv-tf1
MODERN      := $(VENV)/.installed
LEGACY      := $(VENV_TF1)/.installed
PYTEST_ARGS ?=

.PHONY: demo test test-modern test-legacy venv venv-tf1 bench goldens clean help

help:
	@sed -n '2,5p' Makefile

demo: $(MODERN)
	$(VENV)/bin/python -m tf1_examples demo

# builds both venvs itself, side by side (tools/run_tests.sh)
test:
	@tools/run_tests.sh $(PYTEST_ARGS)

test-modern: $(MODERN)
	$(VENV)/bin/python -m pytest tests $(PYTEST_ARGS)

test-legacy: $(LEGACY)
	$(VENV_TF1)/bin/python -m pytest tests $(PYTEST_ARGS)

venv: $(MODERN)
venv-tf1: $(LEGACY)

$(MODERN): requirements.txt pyproject.toml tools/wheel_with_pth.py tools/tf1_legacy_compat.pth
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "the modern runtime needs Python 3.10+; set PYTHON=/path/to/python3.1x")'
	tools/build_venv.sh $(VENV) $(PYTHON) requirements.txt

# Python 3.7 comes from $PY37, else python3.7 on PATH, else pyenv's 3.7.16 (tools/find_py37.sh).
$(LEGACY): requirements-tf1.txt pyproject.toml tools/wheel_with_pth.py tools/tf1_legacy_compat.pth
	@py37=$$(tools/find_py37.sh) || { rc=$$?; [ $$rc = 2 ] || echo "No Python 3.7 found: set PY37=/path/to/python3.7, or use the conda route (README)." >&2; exit 2; }; \
	tools/build_venv.sh $(VENV_TF1) "$$py37" requirements-tf1.txt

bench: $(MODERN)
	@tools/find_py37.sh >/dev/null && $(MAKE) --no-print-directory $(LEGACY) || true
	$(VENV)/bin/python -m benchmarks

# The TF 1.15 parity goldens (tests/golden/, compared by tests/examples/test_parity.py): rewrite them after a
# change to an example's graph or batches; tests/examples/test_parity.py says when they are stale. Then
# compat's per-symbol goldens (tests/golden/compat/, tests/compat/test_symbol_parity.py); one group of
# them alone: .venv-tf1/bin/python tests/support/symbol_parity.py GROUP
goldens: $(LEGACY)
	$(VENV_TF1)/bin/python tests/golden/generate.py
	$(VENV_TF1)/bin/python tests/support/symbol_parity.py

clean:
	rm -rf $(VENV) $(VENV_TF1) .pytest_cache
