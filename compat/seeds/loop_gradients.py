"""Counting rules for gradients built inside a tf.while_loop that TF 2.x builds with other ops than
TF 1.15, where forward shapes have a None dimension: tf.atan2 (TF 1.15 did not reduce its
gradient) and tf.where_v2 (TF 1.15 reduced each branch before making the next select). Measured
against TF 1.15's op sequences (tests/parity_cases/seeds_loop_gradients.py)."""

import weakref

from compat.seeds.gradients import (extra_ops_at, forward_op, gradient_scope, gradient_scope_ops, places_by_name,
                                    scope_extra_ops, select_v2_gradient, stack_op_names)
from compat.seeds.rule import Rule
from compat.seeds.script_gradients import is_dropout_mask

# TF 2.x's shape handling in Atan2's gradient; gradients.broadcast_gradient counts these ops
# themselves (TF 1.15 made none of them), not what TF 2.x made under their names.
_ATAN2_SHAPE_OPS = ("Shape/", "Shape_1/", "BroadcastGradientArgs/")


def atan2_gradient_in_loop(op, graph, count):
    """Atan2's gradient: TF 1.15 did not reduce it at all. Inside a while loop TF 2.x's reduction
    also made, under its ops' names, a stack per Shape op a BroadcastGradientArgs reads (6 ops)
    and, as it builds under a control dependency on the incoming gradient, an Identity per Shape
    op and an Enter: one op fewer each."""
    if "Atan2_grad/" not in op.name:
        return 0
    scope = gradient_scope(op.name)
    if scope is None or not scope.endswith("Atan2_grad"):
        return 0
    leaf = op.name[len(scope) + 1:]
    if not leaf.startswith(_ATAN2_SHAPE_OPS):
        return 0
    forward = forward_op(graph, scope)
    return -1 if forward is not None and forward.type == "Atan2" else 0


def _unknown(tensor):
    return not tensor.shape.is_fully_defined()


def _stacks(name, stacked):
    """The stacks a BroadcastGradientArgs named `name` read `stacked` shapes from."""
    return stack_op_names(name)[:6 * stacked] + stack_op_names(name, "_1")[:6 * max(stacked - 1, 0)]


def _tf115_select_layout(select, leaves):
    """TF 1.15's ops, in order, of tf.where_v2's gradient in a while loop but its tuple: zeros, the
    first select, the branch's Shape, the output's Shape_1 (made once), a BroadcastGradientArgs,
    Sum and Reshape; then the second select, Shape_2, BroadcastGradientArgs_1, Sum_1, Reshape_1.
    A shape with a None dimension was a Shape op kept on a stack where a BroadcastGradientArgs
    first read it; the selects' own stacks (the condition) are TF 2.x's, the same on both."""
    x, y, output = select.inputs[1], select.inputs[2], select.outputs[0]

    def with_own_stacks(name):
        return [name] + [leaf for leaf in leaves if leaf.startswith(name + "/")]

    return (["zeros"] + with_own_stacks("SelectV2") + ["Shape", "Shape_1", "BroadcastGradientArgs"]
            + _stacks("BroadcastGradientArgs", _unknown(x) + _unknown(output)) + ["Sum", "Reshape"]
            + with_own_stacks("SelectV2_1") + ["Shape_2", "BroadcastGradientArgs_1"]
            + _stacks("BroadcastGradientArgs_1", int(_unknown(y))) + ["Sum_1", "Reshape_1"])


def _select_extra_ops(op, scope, graph):
    """{op name: extra ops} for TF 2.x's ops of a where_v2 gradient in a while loop, each placed
    where TF 1.15 made the op of its name (an op TF 1.15 did not make: at the op before), the last
    one at TF 1.15's last place; empty when the scope is not such a gradient."""
    from tensorflow.python.ops import control_flow_util

    select = forward_op(graph, scope)
    if (select is None or select.type != "SelectV2" or is_dropout_mask(select)
            or not control_flow_util.IsInWhileLoop(select)):
        return {}  # a dropout mask: script_gradients.dropout_mask_gradient lays it out as TF 1.15's Muls
    operations = gradient_scope_ops(op, scope)
    leaves = [operation.name[len(scope) + 1:] for operation in operations]
    return extra_ops_at(operations, places_by_name(leaves, _tf115_select_layout(select, leaves)))


_SELECT_GRADIENTS = weakref.WeakKeyDictionary()  # count -> {gradient scope: {op name: extra ops}}


def select_v2_gradient_in_loop(op, graph, count):
    """tf.where_v2's gradient in a while loop: TF 1.15 made the second select after the first
    branch's reduction and kept each shape with a None dimension on a stack once (the output's:
    once for both branches); TF 2.x makes both selects first and stacks shapes only where it could
    not infer the axes. Each TF 2.x op is placed where TF 1.15 made the op of its name, which also
    counts the difference; what gradients.select_v2_gradient counts for it is taken back."""
    extra = scope_extra_ops(op, count, _SELECT_GRADIENTS, lambda op, scope: _select_extra_ops(op, scope, graph))
    return 0 if extra is None else extra - select_v2_gradient(op, graph, count)


RULES = (
    Rule("gradients of Atan2 inside a while loop on shapes with a None dimension", "TF 1.15's gradient "
         "did not reduce; TF 2.x's reduction also kept its shapes on stacks and read them through "
         "Identity/Enter", atan2_gradient_in_loop),
    Rule("gradients of tf.where_v2 inside a while loop on shapes with a None dimension", "TF 1.15 reduced "
         "each branch before the next select and stacked every shape with a None dimension once",
         select_v2_gradient_in_loop),
)
