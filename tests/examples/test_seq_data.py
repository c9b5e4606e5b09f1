"""The seq_data.xlsx stand-in (tf1_examples/data/seq_data.py) and the --data reader.

The generator must write the same values on every runtime (hash pinned below), and the reader
must give the same series from .xlsx, .xls and .csv files, as pd.read_excel / read_csv read them.
"""

import hashlib

import numpy as np
import pytest

from tf1_examples.data import DataError, seq_data

# sha256 of the 1344 generated values printed as "%.3f", one per line
VALUES_SHA256 = "0e7702cb0919407d386837827632ff25beee66f416de054d7dd736c504814e01"


def _digest(values):
    return hashlib.sha256("\n".join("%.3f" % v for v in values).encode()).hexdigest()


def test_generator_is_deterministic():
    values = seq_data.values()
    assert len(values) == seq_data.ROWS >= 1000
    assert _digest(values) == VALUES_SHA256
    assert np.array_equal(values, seq_data.values())


def test_generator_has_the_documented_shape():
    values = seq_data.values()
    days = values[: 14 * 96].reshape(14, 96)
    # daily cycle: the same time of day correlates across days far more than across half a day
    assert np.corrcoef(days[1], days[2])[0, 1] > 0.8
    # weekly: days 5 and 6 of each week sit lower; trend: week 2 above week 1
    weekday, weekend = days[[0, 1, 2, 3, 4]].mean(), days[[5, 6]].mean()
    assert weekday - weekend > 4
    assert days[7:12].mean() > days[0:5].mean()


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".xls"])
def test_written_file_reads_back(tmp_path, suffix):
    if suffix == ".xls":
        pytest.importorskip("xlwt", reason="writing the .xls fixture needs xlwt (requirements: xlwt==1.3.0)")
    path = seq_data.write(tmp_path / ("seq_data" + suffix))
    frame = seq_data.read(path, min_rows=106)
    assert list(frame.columns) == [seq_data.COLUMN]
    assert frame.shape == (seq_data.ROWS, 1)
    assert _digest(frame.values[:, 0]) == VALUES_SHA256


def test_reader_takes_the_first_numeric_column(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("when,value,other\n" + "".join("t%d,%d,%d\n" % (i, i * 2, -i) for i in range(150)))
    frame = seq_data.read(path, min_rows=106)
    assert list(frame.columns) == ["value"] and frame.values[3, 0] == 6


def test_reader_refuses_short_series(tmp_path):
    path = seq_data.write(tmp_path / "short.csv", rows=105)
    with pytest.raises(DataError, match="105 data rows, seq_data_lstm needs at least 106"):
        seq_data.read(path, min_rows=106)


def test_command_line(tmp_path):
    assert seq_data.main([str(tmp_path / "out.csv")]) == 0
    assert (tmp_path / "out.csv").read_text().startswith("load\n38.259\n")
    assert seq_data.main(["out.txt"]) == 2
