"""Every parity case of tests/parity_cases/ against its TF 1.15 golden (tests/support/symbol_parity.py).

On TF 1.15 this proves each golden is what TF 1.15 computes (reproducibly); on TF 2.x, that compat
restores TF 1.15's checkpoint by its variable names and computes the same within 1e-5 relative.
"""

import pytest

import symbol_parity

CASES = symbol_parity.all_cases()

# tf_keras's copies of the TF 1.x cells warn that they are deprecated (TF 1.15 only logged it).
pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_matches_tf115(case):
    symbol_parity.check(case)


def test_every_golden_has_a_case():
    """A golden left behind by a renamed or removed case is stale data: list it."""
    known = {(c.group, c.name) for c in CASES}
    on_disk = {(p.parent.parent.name, p.parent.name) for p in symbol_parity.GOLDEN_ROOT.glob("*/*/record.json")}
    assert on_disk - known == set()


def test_check_fails_on_a_changed_output(tmp_path, monkeypatch):
    """The check can fail: a golden whose recorded output is nudged by 1e-4 relative is rejected."""
    import numpy as np

    case = CASES[0]
    meta, record = symbol_parity.load(case)
    key = next(k for k, v in record.items() if v.dtype.kind == "f" and np.max(np.abs(v)) > 0)
    nudged = dict(record)
    nudged[key] = record[key] * (1 + 1e-4)
    monkeypatch.setattr(symbol_parity, "load", lambda c: (meta, nudged))
    with pytest.raises(AssertionError):
        symbol_parity.check(case)
