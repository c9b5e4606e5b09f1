"""The grid, time-frequency, convolutional and phased cells build TF 1.15's ops in TF 1.15's order
(what deriving graph-level seeds from op counts relies on): each static case of
tests/parity_cases/rnn_cells_grid_conv.py against the op types TF 1.15 recorded in its golden.

Two differences are TensorFlow's own, not the cells': TF 2.x's `+` is AddV2 (TF 1.15: Add) and
its constants are created differently, so Add counts as AddV2 and Const ops are left out. Cases
run by dynamic_rnn are skipped: dynamic_rnn's own TensorArray ops differ between the versions.
"""

import pytest

import symbol_parity
from conftest import tf
from parity_cases import rnn_cells_grid_conv

CASES = list(rnn_cells_grid_conv.cases)
STATIC_CASES = [case for case in CASES if not case.name.endswith("_dynamic")]

pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def comparable(op_types):
    return ["AddV2" if t == "Add" else t for t in op_types if t != "Const"]


def test_static_and_dynamic_cases_are_both_present():
    assert 0 < len(STATIC_CASES) < len(CASES)


@pytest.mark.parametrize("case", STATIC_CASES, ids=repr)
def test_op_types_in_tf115_order(case):
    meta, _ = symbol_parity.load(case)
    graph = tf.Graph()
    with graph.as_default():  # as symbol_parity.Built records them, without its training ops
        tf.set_random_seed(symbol_parity.GRAPH_SEED)
        case.build()
    assert comparable([op.type for op in graph.get_operations()]) == comparable(meta["op_types"])
