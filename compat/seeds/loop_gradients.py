"""Counting rules for gradients built inside a tf.while_loop that TF 2.x builds with other ops than
TF 1.15, where forward shapes have a None dimension: tf.atan2 (TF 1.15 did not reduce its
gradient) and tf.where_v2 (TF 1.15 reduced each branch before making the next select). Measured
against TF 1.15's op sequences (tests/parity_cases/seeds_loop_gradients.py)."""

import weakref

from compat.seeds.gradients import forward_op, gradient_scope, gradient_scope_ops, select_v2_gradient
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


def _stack(name, suffix=""):
    """The ops keeping a value on a stack for the gradient loop, named as TF made them under `name`."""
    leaves = [leaf + suffix for leaf in ("Const", "f_acc", "Enter", "StackPushV2", "StackPopV2")]
    return ["%s/%s" % (name, leaf) for leaf in leaves + [leaves[-1] + "/Enter"]]


def _stacks(name, stacked):
    """The stacks a BroadcastGradientArgs named `name` read `stacked` shapes from."""
    return _stack(name)[:6 * stacked] + _stack(name, "_1")[:6 * max(stacked - 1, 0)]


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
    layout = _tf115_select_layout(select, leaves)
    places = []
    for leaf in leaves:
        places.append(layout.index(leaf) if leaf in layout else (places[-1] if places else 0))
    places[-1] = len(layout) - 1
    offsets = [place - index for index, place in enumerate(places)]
    return {operation.name: offset - (offsets[index - 1] if index else 0)
            for index, (operation, offset) in enumerate(zip(operations, offsets))}


_SELECT_GRADIENTS = weakref.WeakKeyDictionary()  # count -> {gradient scope: {op name: extra ops}}


def select_v2_gradient_in_loop(op, graph, count):
    """tf.where_v2's gradient in a while loop: TF 1.15 made the second select after the first
    branch's reduction and kept each shape with a None dimension on a stack once (the output's:
    once for both branches); TF 2.x makes both selects first and stacks shapes only where it could
    not infer the axes. Each TF 2.x op is placed where TF 1.15 made the op of its name, which also
    counts the difference; what gradients.select_v2_gradient counts for it is taken back."""
    if "_grad/" not in op.name:
        return 0
    scope = gradient_scope(op.name)
    if scope is None:
        return 0
    scopes = _SELECT_GRADIENTS.setdefault(count, {})
    if scope not in scopes:
        scopes[scope] = _select_extra_ops(op, scope, graph)
    if op.name not in scopes[scope]:
        return 0
    return scopes[scope][op.name] - select_v2_gradient(op, graph, count)


RULES = (
    Rule("gradients of Atan2 inside a while loop on shapes with a None dimension", "TF 1.15's gradient "
         "did not reduce; TF 2.x's reduction also kept its shapes on stacks and read them through "
         "Identity/Enter", atan2_gradient_in_loop),
    Rule("gradients of tf.where_v2 inside a while loop on shapes with a None dimension", "TF 1.15 reduced "
         "each branch before the next select and stacked every shape with a None dimension once",
         select_v2_gradient_in_loop),
)
