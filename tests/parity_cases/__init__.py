"""Parity cases, one module per compat surface (tests/support/symbol_parity.py says what a case is).

Each module defines `cases = symbol_parity.Registry("<module name>")` and registers build
functions with `@cases.case`; tests/compat/test_symbol_parity.py checks every case of every module here
against its golden in tests/golden/compat/<module>/<case>/, and `make goldens` rewrites them.
"""
