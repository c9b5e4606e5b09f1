"""A deterministic stand-in for seq_data.xlsx, and the reader `seq_data_lstm --data` uses.

The original tutorial trains on seq_data.xlsx, which was never published. Its shape can be read
off the code: one numeric column under a header row, of which rows 1..799 are used, windows of
time_step = 96 samples, i.e. one day of 15-minute readings (an electricity-load-like series).
The stand-in has that shape:

    load[t] = 50 + 0.004 t                                    trend
            + 12 sin(2 pi t / 96 - pi / 2) + 4 sin(4 pi t / 96)   daily cycle, 96 samples a day
            - 6 on days 5 and 6 of each week (t // 96 % 7 >= 5)    weekly cycle (a weekend dip)
            + N(0, 1.5) from numpy.random.RandomState(20200110)    noise
    rounded to 3 decimals, ROWS = 1344 rows (14 days), one column "load".

RandomState's stream is fixed across NumPy versions, so both runtimes write the same values
(tests/examples/test_seq_data.py pins their hash).

    python -m tf1_examples.data.seq_data seq_data.xlsx     # or .csv (.xls needs xlwt)
"""

import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from tf1_examples.data import DataError

ROWS = 1344          # 14 days of 96 samples: >= 1000 rows, two full weeks
PERIOD = 96          # samples a day (15-minute readings), = the original's time_step
SEED = 20200110
COLUMN = "load"
SUFFIXES = (".xlsx", ".xls", ".csv")


def values(rows=ROWS):
    """The stand-in series as a float64 array of `rows` values (deterministic)."""
    t = np.arange(rows, dtype=np.float64)
    trend = 50.0 + 0.004 * t
    daily = 12.0 * np.sin(2 * np.pi * t / PERIOD - np.pi / 2) + 4.0 * np.sin(4 * np.pi * t / PERIOD)
    weekly = np.where((t // PERIOD) % 7 >= 5, -6.0, 0.0)
    noise = np.random.RandomState(SEED).normal(0.0, 1.5, size=rows)
    return np.round(trend + daily + weekly + noise, 3)


def write(path, rows=ROWS):
    """Write the stand-in to `path` (.xlsx, .xls or .csv) with a header row; returns the Path."""
    import pandas as pd

    path = Path(path)
    frame = pd.DataFrame({COLUMN: values(rows)})
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataError("cannot write %s; use a name ending in .xlsx, .xls or .csv" % path)
    fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix="." + path.stem + ".", suffix=suffix)
    os.close(fd)
    try:        # written next to the target, then moved over it: never a half-written file
        if suffix == ".csv":
            frame.to_csv(tmp, index=False)
        elif suffix == ".xlsx":
            frame.to_excel(tmp, index=False, engine="openpyxl")
        else:
            _write_xls(tmp, frame)
        os.chmod(tmp, 0o644)
        os.replace(tmp, str(path))
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _write_xls(path, frame):
    # pandas 2 dropped its xlwt writer; write the legacy Excel format with xlwt itself.
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Sheet1")
    for col, name in enumerate(frame.columns):
        sheet.write(0, col, name)
        for row, value in enumerate(frame[name].tolist(), start=1):
            sheet.write(row, col, value)
    book.save(str(path))


def read(path, min_rows, used=None):
    """Read a sequence file as the original does (pd.read_excel; header row) -> DataFrame of the
    series: the first numeric column, or an earlier column that is mostly numbers (a typo in the
    series is then reported, not skipped in favour of the next numeric column). Raises DataError
    (one line: what is wrong; what to do) when the file is missing, empty or unreadable, has no
    numeric column, has non-numeric, empty, NaN or infinite cells, fewer than `min_rows` rows, or
    the same value in every row of `used` (a slice: the rows the example z-scores, which would
    divide by 0 and train on NaN). "Data row k" in the messages is the k-th row under the header.
    """
    path = Path(path)
    hint = "pass --data with an .xlsx, .xls or .csv file whose first numeric column is the series"
    if path.is_dir():
        raise DataError("--data %s is a folder; %s" % (path, hint))
    if not path.is_file():
        raise DataError("--data %s: no such file; %s" % (path, hint))
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataError("--data %s: unsupported file type %r; %s" % (path, suffix or "(none)", hint))
    if path.stat().st_size == 0:
        raise DataError("--data %s: the file is empty; %s" % (path, hint))
    import pandas as pd     # after the checks above, which need no pandas import

    try:
        if suffix == ".csv":
            frame = pd.read_csv(str(path))
        else:
            frame = pd.read_excel(str(path))
    except Exception as exc:  # each reader has its own error types; all mean "cannot use this file"
        raise DataError("--data %s: cannot be read as %s (%s); %s" % (path, suffix, _unreadable(suffix, exc), hint))
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise DataError("--data %s: no data rows under the header row; %s" % (path, hint))
    name = _series_column(pd, frame)
    if name is None:
        raise DataError("--data %s: no numeric column (columns: %s); %s"
                        % (path, ", ".join(str(c) for c in frame.columns[:5]), hint))
    cells = frame[name]
    numbers = pd.to_numeric(cells, errors="coerce").astype(np.float64).values
    for kind, bad, todo in (
            ("non-numeric", cells.notnull().values & np.isnan(numbers), "fix those cells or remove their rows"),
            ("empty or NaN", np.isnan(numbers), "fill those cells or remove their rows"),
            ("infinite", np.isinf(numbers), "replace them with finite numbers")):
        rows = np.flatnonzero(bad)
        if len(rows):
            shown = ", %r" % cells.iloc[rows[0]] if kind == "non-numeric" else ""
            raise DataError("--data %s: column %r has %d %s cell%s (first: data row %d%s); %s"
                            % (path, str(name), len(rows), kind, "" if len(rows) == 1 else "s", rows[0] + 1,
                               shown, todo))
    if len(numbers) < min_rows:
        raise DataError("--data %s: %d data rows, seq_data_lstm needs at least %d; use a longer series"
                        % (path, len(numbers), min_rows))
    rows = np.arange(len(numbers))[slice(None) if used is None else used]
    if len(rows) and np.ptp(numbers[rows]) == 0:
        raise DataError("--data %s: column %r holds the same value (%g) in all the data rows the example "
                        "uses (%d..%d), so its z-score divides by 0; use a series that varies"
                        % (path, str(name), numbers[rows[0]], rows[0] + 1, rows[-1] + 1))
    return pd.DataFrame({name: numbers}) if cells.dtype == object else frame[[name]]


def _series_column(pd, frame):
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            return name
        if column.dtype == object:      # numbers with a typo among them: still the series
            filled = int(column.notnull().sum())
            if filled and 2 * int(pd.to_numeric(column, errors="coerce").notnull().sum()) > filled:
                return name
    return None


def _unreadable(suffix, exc):
    """Why pandas could not read the file, in words that do not depend on the library versions."""
    if isinstance(exc, ImportError):
        return "pandas needs the %s package for it" % (exc.name or "missing")
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return {".csv": "not comma-separated text",
            ".xlsx": "not an Excel workbook, or a damaged one",
            ".xls": "not an Excel 97-2003 workbook, or a damaged one"}[suffix]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or Path(argv[0]).suffix.lower() not in SUFFIXES:
        sys.stderr.write("usage: python -m tf1_examples.data.seq_data OUT.xlsx|OUT.xls|OUT.csv\n")
        return 2
    print(write(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
