"""The progress bar: tqdm on stderr, only when stderr is a terminal (and not --no-progress)."""

import contextlib
import sys


class NullBar(object):
    def update(self, n=1):
        pass

    def set_postfix_str(self, s):
        pass


@contextlib.contextmanager
def progress_bar(total, desc, unit, enabled=True):
    """Yields a bar (a NullBar when off); stdout lines printed meanwhile go above it, unchanged."""
    if not enabled or not sys.stderr.isatty():
        yield NullBar()
        return
    from tqdm import tqdm
    from tqdm.contrib import DummyTqdmFile

    saved_stdout = sys.stdout
    sys.stdout = DummyTqdmFile(sys.stdout)
    bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False)
    try:
        yield bar
    finally:
        bar.close()
        sys.stdout = saved_stdout
