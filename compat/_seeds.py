"""Graph-level seeds on TF 2.x, derived as TF 1.15 derived them.

A random op created without its own seed under `tf.set_random_seed(N)` gets two seeds, (N, op
seed). TF 1.15 took the op seed from the graph's op count at that moment (`Graph._last_id`, the
number of operations created so far); TF 2.x takes it from a per-graph counter of such ops
(`random_seed._graph_to_seed_dict`). Same script, same N, other numbers. `install()` puts TF 1.15's
rule in TF 2.x's `random_seed.get_seed`, counting the ops of the graph plus, where TF 2.x builds a
construct with fewer or more ops than TF 1.15 did, the difference (RULES below, read off the ops
as they appear), so the random ops after it get TF 1.15's seeds as well. Each rule was measured
against the op sequences TF 1.15 records in tests/golden/compat/ (docs/seeds.md: what matches).

Explicit op seeds (`seed=5`), eager code and TF 1.x are unchanged.
"""

import functools
import inspect
import sys
import weakref

_COUNTS = weakref.WeakKeyDictionary()  # graph -> _Count
_INSTALLED = []


class _Count(object):
    """How far the graph's ops have been read, and how many more ops TF 1.15 made up to there."""

    def __init__(self):
        self.read = 0
        self.extra = 0


def tf115_op_count(graph):
    """How many ops TF 1.15 would have created in `graph` by now (its `Graph._last_id`): the ops
    TF 2.x created, plus what each rule in RULES says TF 1.15 made more (or fewer) for them."""
    count = _COUNTS.get(graph)
    if count is None:
        count = _COUNTS[graph] = _Count()
    operations = graph.get_operations()
    for op in operations[count.read:]:
        for rule in RULES:
            count.extra += rule.extra_ops(op, graph)
    count.read = len(operations)
    return len(operations) + count.extra


def _tf115_get_seed(tf2_get_seed, ops, context, random_uniform_code):
    @functools.wraps(tf2_get_seed)
    def get_seed(op_seed):
        if context.executing_eagerly():
            return tf2_get_seed(op_seed)
        graph = ops.get_default_graph()
        count = tf115_op_count(graph)
        caller = sys._getframe(1)
        if caller.f_code is random_uniform_code and _affine_left_out(caller.f_locals):
            # TF 1.15 made `min` and `max` before this op and sub, mul, add after it (counted
            # with or without a seed: the ops after it are numbered from here on).
            count += 2
            _COUNTS[graph].extra += 5
        if op_seed is None and graph.seed is not None:
            op_seed = count
        return tf2_get_seed(op_seed)  # TF 2.x's own truncation and (0, 0) guard, now with TF 1.15's op seed

    get_seed.tf2_get_seed = tf2_get_seed
    return get_seed


def _affine_left_out(local_names):
    """TF 2.x's random_uniform skips min, max and `* (max - min) + min` for floats in [0, 1)."""
    return (local_names.get("minval_is_zero") and local_names.get("maxval_is_one")
            and not local_names["dtype"].is_integer)


def install():
    """Give TF 2.x's graph-mode random ops TF 1.15's op seeds (process-wide, idempotent)."""
    if _INSTALLED:
        return
    from tensorflow.python.eager import context
    from tensorflow.python.framework import ops, random_seed
    from tensorflow.python.ops import random_ops

    random_uniform_code = inspect.unwrap(random_ops.random_uniform).__code__
    random_seed.get_seed = _tf115_get_seed(random_seed.get_seed, ops, context, random_uniform_code)
    _INSTALLED.append(True)


def _exists(graph, name):
    try:
        graph.get_operation_by_name(name)
    except KeyError:
        return False
    return True


class Rule(object):
    """Where TF 2.x's graph differs from TF 1.15's in op count: `extra_ops(op, graph)` is how many
    ops TF 1.15 created beside (before) `op` that TF 2.x did not (negative: TF 2.x made more).
    `construct` names what it is about (docs/seeds.md), `why` says where the difference comes from."""

    def __init__(self, construct, why, extra_ops):
        self.construct = construct
        self.why = why
        self.extra_ops = extra_ops


def _split(op, graph):
    return 1 if op.type == "Split" else 0


def _tensor_array_stack(op, graph):
    if op.type != "TensorArrayGatherV3" or not op.name.endswith("TensorArrayStack/TensorArrayGatherV3"):
        return 0
    return 0 if _exists(graph, op.name.rpartition("/")[0] + "/TensorArraySizeV3") else 1


_TENSORDOT_BEFORE_MATMUL = ("transpose/perm", "transpose", "Reshape/shape", "Reshape",
                            "transpose_1/perm", "transpose_1", "Reshape_1/shape", "Reshape_1")


def _tensordot(op, graph):
    if op.type != "MatMul" or not op.name.endswith("Tensordot/MatMul"):
        return 0
    scope = op.name[:-len("MatMul")]
    if _exists(graph, scope + "Shape"):
        return 0  # unknown dimensions: both build the dynamic variant (not measured: see docs/seeds.md)
    return sum(1 for name in _TENSORDOT_BEFORE_MATMUL if not _exists(graph, scope + name))


def _dropout(op, graph):
    """TF 1.15's dropout: [rate], Shape, random_uniform, sub, truediv, GreaterEqual, mul, Cast, mul_1;
    TF 2.x's: a scale (Mul, or Sub + RealDiv for a tensor keep_prob), Shape, RandomUniform,
    GreaterEqual, SelectV2 (random_uniform's own difference is counted in get_seed). Split so that
    the RandomUniform, made in the middle, gets TF 1.15's op seed."""
    scope, _, leaf = op.name.rpartition("/")
    if not (scope == "dropout" or scope.endswith("/dropout") or scope.rpartition("/")[2].startswith("dropout_")):
        return 0
    if op.type == "Mul" and leaf == "Mul":              # float keep_prob or rate: TF 2.x made one more
        return -1
    if op.type == "RealDiv" and leaf == "RealDiv":      # tensor keep_prob: TF 2.x made three more
        return -3
    if op.type == "SelectV2" and leaf == "SelectV2":    # TF 1.15's mask ops after the RandomUniform
        return 4 if _exists(graph, scope + "/Mul") else 5
    return 0


def _weighted_loss_sum(op, graph):
    """tf.losses' final sum: TF 1.15 reduced over a Const of all axes, TF 2.x over
    Rank + range(start, delta) (three ops more)."""
    if op.type != "Range" or not op.name.endswith("/range"):
        return 0
    scope = op.name[:-len("/range")]
    return -3 if _exists(graph, scope + "/Rank") and _exists(graph, scope + "/num_present") else 0


RULES = (
    Rule("array_ops.split with a number of splits", "TF 1.15 made a Const of num_or_size_splits even when "
         "it was a Python int (every RNN cell that splits its gates)", _split),
    Rule("TensorArray.stack (dynamic_rnn's outputs)", "TF 1.15 read the array's size with a "
         "TensorArraySizeV3 op; TF 2.x uses the static size", _tensor_array_stack),
    Rule("tensordot with known shapes (tf.layers.dense on 3-D inputs)", "TF 1.15 always made both "
         "transposes and reshapes, TF 2.x skips the identity ones", _tensordot),
    Rule("tf.nn.dropout, tf.layers.dropout, DropoutWrapper", "TF 1.15 built the mask with "
         "random_uniform's affine ops and a multiply, TF 2.x with a select", _dropout),
    Rule("tf.losses.* (their weighted mean)", "TF 1.15 summed over a Const of the axes, TF 2.x over "
         "a Rank and a range", _weighted_loss_sum),
)
