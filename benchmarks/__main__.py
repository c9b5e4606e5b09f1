"""python -m benchmarks: see benchmarks/__init__.py and `python -m benchmarks --help`."""

import sys

from benchmarks.cli import main

if __name__ == "__main__":
    sys.exit(main())
