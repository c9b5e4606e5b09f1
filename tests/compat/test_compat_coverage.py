"""docs/compat-coverage.md is generated from the code (compat/coverage.py), and stays so.

On TF 2.x the doc and README's counts are regenerated in memory and must equal the committed
files; after a change to what compat provides, regenerate them (the command is in the failure).
On TF 1.15 the data the generator starts from, compat/tf115_names.py, must equal what this
TensorFlow's modules list now: it is TF 1.15's own dir().
"""

import pytest

from conftest import REPO, TF1

from compat import _moved, coverage
from compat.tf115_names import NAMES

DOC = REPO / "docs" / "compat-coverage.md"
README = REPO / "README.md"
REGENERATE = ".venv/bin/python -m compat.coverage --write docs/compat-coverage.md --readme README.md"
modern_only = pytest.mark.skipif(TF1, reason="compat's own modules exist on TF 2.x only; on TF 1.15 the "
                                             "tests check the TF 1.15 names the doc is generated from")


@pytest.fixture(scope="module")
def report():
    return coverage.coverage()


@modern_only
def test_doc_and_readme_are_up_to_date(report):
    assert coverage.regenerate(DOC.read_text(), report) == DOC.read_text(), \
        "docs/compat-coverage.md is stale; regenerate it: " + REGENERATE
    assert coverage.readme_with_counts(README.read_text(), report) == README.read_text(), \
        "README's coverage counts are stale; regenerate them: " + REGENERATE


@modern_only
def test_every_tf115_name_is_classified_from_the_table_and_modules(report):
    moved = {m.name for m in _moved.CONTRIB_MOVES}
    refused = {n.name: n.why for n in _moved.NOT_PROVIDED}
    assert [p.name for p, _, _ in report] == [p.name for p in coverage.PACKAGES]
    for package, rows, _ in report:
        assert [r.name for r in rows] == NAMES[package.name]
        for row in rows:
            key = package.name.split(".", 1)[1] + "." + row.name
            if key in moved:
                assert row.provided and row.where.startswith("moved: ")
            elif key in refused:
                assert row == coverage.Row(row.name, False, refused[key])
            elif not row.provided:
                assert row.where.startswith(coverage.NOT_YET), (package.name, row)
    mnist = dict((p.name, rows) for p, rows, _ in report)["tf.contrib.learn.datasets.mnist"]
    assert all(r.provided for r in mnist)


@modern_only
def test_a_not_provided_reason_and_a_missing_package(monkeypatch):
    rnn = coverage.PACKAGES[0]
    monkeypatch.setattr(_moved, "NOT_PROVIDED", (_moved.NotProvided("contrib.rnn.NoSuchCell", "use X instead"),))
    rows, _ = coverage.classify(rnn, ["NoSuchCell", "BasicLSTMCell"])
    assert rows[0] == coverage.Row("NoSuchCell", False, "use X instead") and rows[1].provided
    nowhere = coverage.Package("tf.contrib.nowhere", "", "compat.contrib.nowhere", True)
    assert coverage.classify(nowhere, ["x"])[0] == [coverage.Row("x", False, "not yet (no compat module)")]


def test_regeneration_keeps_the_hand_maintained_tail():
    fake = [(coverage.PACKAGES[0], [coverage.Row("A", True, "`m`"), coverage.Row("B", False, "not yet")], [])]
    old = "stale generated text\n" + coverage.HAND_MARKER + "\n\n## Real scripts run by hand\n| a | b |\n"
    new = coverage.regenerate(old, fake)
    assert new.endswith(coverage.HAND_MARKER + "\n\n## Real scripts run by hand\n| a | b |\n")
    assert "stale" not in new and "1 of 2 names are provided" in new
    assert "| `B` | **not provided** | not yet |" in new
    assert coverage.regenerate(new, fake) == new
    assert "1 of 2 public" in coverage.readme_with_counts(
        "x ([docs/compat-coverage.md](docs/compat-coverage.md)): 7 of 9 public names\n", fake)
    assert DOC.read_text().count(coverage.HAND_MARKER) == 1
    assert "## Real scripts run by hand" in DOC.read_text().split(coverage.HAND_MARKER)[1]


@pytest.mark.skipif(not TF1, reason="the names are TF 1.15's: checked against it on the legacy runtime")
def test_names_are_tf115s_own():
    assert coverage.tf115_names() == NAMES


def test_compat_list_shows_the_moves_and_refusals(capsys):
    """`python -m compat --list` tells the same truth as the doc: every CONTRIB_MOVES entry."""
    from compat.__main__ import main

    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    for moved in _moved.CONTRIB_MOVES:
        assert "tf.%-36s -> %s" % (moved.name, moved.target) in out
    for refused in _moved.NOT_PROVIDED:
        assert refused.why in out
    assert "python -m compat.coverage --names" in out
