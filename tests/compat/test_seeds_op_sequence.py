"""The record of what matches, op by op: every parity case's graph against the op types TF 1.15
built for it (record.json of its golden), so a construct that TF 2.x builds with other ops is
caught where it starts, not only by a value that differs further on.

On TF 1.15 the case must rebuild exactly the recorded sequence. On TF 2.x, compat/seeds/'s
rules say which TF 1.15 op each TF 2.x op stands for (its op id); the case matches when that
accounts for TF 1.15's op count and every stretch of ops lines up with TF 1.15's types (a rule
that replaces ops, e.g. dropout's select for a multiply and a cast, leaves a few unaligned).
docs/seeds.md lists what matches.
"""

import pytest

import symbol_parity
from conftest import REPO, TF1

# Op types TF 2.x renamed without changing what TF 1.15 built there.
SAME_OP = {"AddV2": "Add", "SelectV2": "Select"}
# A rule that replaces ops leaves a few unaligned in a row (at most 6, measured in Maximum's
# gradient, which TF 2.x also makes in another order); a drift leaves the ops after it out of
# line but for chance agreements. Out of line from an op: fewer than half of it and the next
# WINDOW - 1 ops line up.
WINDOW = 20

# Cases TF 2.x builds with another op count than TF 1.15 (docs/seeds.md, "What does not match
# yet"); their random ops may still match when they come before the difference. Strict: the
# test fails when one starts to match, so this list and the doc stay true.
KNOWN_OP_DRIFT = {
    # same op count: the 22 ops of TF 2.x's reduction in the loop stand for no op of TF 1.15's
    "seeds_loop_gradients/atan2_in_while_loop_minimize": "TF 2.x reduces Atan2's gradient, TF 1.15 did not",
}

CASES = symbol_parity.all_cases()


def _marks(case):
    if not TF1 and repr(case) in KNOWN_OP_DRIFT:
        return [pytest.mark.xfail(strict=True, reason=KNOWN_OP_DRIFT[repr(case)])]
    return []


def _recorded(case):
    """TF 1.15's op types for the case, or a skip: a golden not written yet, or written before
    record.json had op types."""
    if not (case.folder / "record.json").exists():
        pytest.skip("no golden yet for %r" % case)
    meta, _ = symbol_parity.load(case)
    if "op_types" not in meta:
        pytest.skip("the golden of %r records no op types: rewrite it with TF 1.15" % case)
    return meta["op_types"]


def _same_op(tf115_type, tf2_type):
    return SAME_OP.get(tf115_type, tf115_type) == SAME_OP.get(tf2_type, tf2_type)


def first_out_of_line(aligned, window=WINDOW):
    """Index of the first op that does not line up and from which most ops do not, or None."""
    for index, ok in enumerate(aligned):
        if not ok:
            ahead = aligned[index:index + window]
            if sum(ahead) * 2 < len(ahead):
                return index
    return None


@pytest.mark.parametrize("case", [pytest.param(c, marks=_marks(c), id=repr(c)) for c in CASES])
def test_op_sequence_matches_tf115s_record(case):
    check_op_sequence(case, _recorded(case))


def check_op_sequence(case, recorded):
    built = symbol_parity.built(case)
    if TF1:
        assert built.op_types == recorded, "TF 1.15 no longer builds what its golden recorded"
        return
    from compat import seeds

    operations = built.graph.get_operations()[:len(built.op_types)]
    positions, tf115_count = seeds.tf115_positions(built.graph, operations)
    aligned = [0 <= p < len(recorded) and _same_op(recorded[p], op.type) for p, op in zip(positions, operations)]
    first = first_out_of_line(aligned)
    where = ""
    if first is not None:
        op = operations[first]
        where = "; out of line from op %d %s (%s), which stands for TF 1.15's op %d (%s)" % (
            first, op.name, op.type, positions[first],
            recorded[positions[first]] if 0 <= positions[first] < len(recorded) else "none")
    assert (tf115_count, first) == (len(recorded), None), (
        "compat counts %d ops where TF 1.15 made %d%s" % (tf115_count, len(recorded), where))


def test_a_missing_op_is_caught_where_it_is():
    """The check can fail, and names the place: a real case against its record with one op
    (the first dense layer's bias initializer) taken out."""
    case = next(c for c in CASES if repr(c) == "seeds/dense_and_dropout")
    recorded = _recorded(case)
    missing = recorded.index("Const", recorded.index("VariableV2"))
    with pytest.raises(AssertionError) as failure:
        check_op_sequence(case, recorded[:missing] + recorded[missing + 1:])
    if not TF1:
        assert "out of line from op %d dense/bias/Initializer/zeros (Const)" % missing in str(failure.value)


def test_the_doc_lists_exactly_the_known_op_drifts():
    """docs/seeds.md's "What does not match yet" names a parity case if and only if it is in
    KNOWN_OP_DRIFT (or test_seeds' KNOWN_DRIFT): a case fixed in the code leaves the doc too."""
    from test_seeds import KNOWN_DRIFT

    doc = (REPO / "docs" / "seeds.md").read_text(encoding="utf-8")
    not_matching = doc.split("## What does not match yet", 1)[1].split("\n## ", 1)[0]
    names = {repr(c) for c in CASES}
    listed = {name for name in names if name in not_matching}
    assert set(KNOWN_OP_DRIFT) <= names
    assert listed == set(KNOWN_OP_DRIFT) | set(KNOWN_DRIFT), "docs/seeds.md and KNOWN_OP_DRIFT disagree"
