"""metrics.csv: one row per logged step, a column per figure (read back by --resume, regress and
the tests). MetricsText renders it incrementally, since it is rewritten with every checkpoint."""

import csv
import io
from pathlib import Path


def cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def read_metrics(path):
    """metrics.csv -> list of dicts (numbers parsed; empty cells omitted)."""
    rows = []
    if not Path(path).is_file():
        return rows
    with open(str(path), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            parsed = {}
            for key, text in row.items():
                if text == "":
                    continue
                try:
                    parsed[key] = int(text)
                except ValueError:
                    try:
                        parsed[key] = float(text)
                    except ValueError:
                        parsed[key] = text
            rows.append(parsed)
    return rows


class MetricsText(object):
    """metrics.csv's text for a list of rows that only grows at its end (or is cut, by a
    --resume that drops rows past its checkpoint). The text of the rows before the newest one
    (which an example may still complete, as sin_predict does with rmse) is kept for the next
    call: a write at step 10 000 costs what one at step 100 does (it was 46 ms of CPU)."""

    def __init__(self):
        self.reset()

    def reset(self):
        self._columns, self._kept, self._head = ["step"], 0, None

    def render(self, metrics):
        columns, kept, head = self._columns, self._kept, self._head
        if kept > len(metrics):               # rows dropped
            columns, kept, head = ["step"], 0, None
        new = list(columns)
        for row in metrics[kept:]:
            new.extend(k for k in row if k not in new)
        if new != columns:                    # a new column: every row gets a cell for it
            columns, kept, head = new, 0, None

        def lines(rows):
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            for row in rows:
                writer.writerow([cell(row.get(c)) for c in columns])
            return text.getvalue()

        head = (lines([dict(zip(columns, columns))]) if head is None else head) + lines(metrics[kept:-1])
        self._columns, self._kept, self._head = columns, max(kept, len(metrics) - 1), head
        return head + lines(metrics[-1:])
