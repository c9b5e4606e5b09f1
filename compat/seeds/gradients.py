"""Counting rules for gradients (minimize, tf.gradients) that TF 2.x builds with other ops than
TF 1.15: broadcasting binary ops (on known shapes, on shapes with a None batch, inside while loops),
tf.where_v2, Mean on unknown shapes, batched matmul, tensordot. Measured against TF 1.15's op
sequences (tests/parity_cases/seeds.py, the `core_` cases)."""

import weakref

from compat.seeds.core import tensordot_side_ops
from compat.seeds.rule import Rule, op_exists

# Gradients whose TF 1.15 version cached BroadcastGradientArgs' axes per pair of fully known shapes
# (math_grad.SmartBroadcastGradientArgs); on other shapes they made Shape, Shape_1, the op and a
# Sum and Reshape per operand: 7 ops.
_CACHING_BROADCAST_GRADIENTS = frozenset(("Add", "AddV2", "Sub", "Mul", "Pow", "SquaredDifference"))
# The others: how many ops of their shape handling TF 1.15 made, always (Shape, Shape_1,
# BroadcastGradientArgs, Sum + Reshape per operand; Maximum/Minimum: a Shape_2 and zeros of it,
# 2 ops more than TF 2.x's zeros_like; Atan2: no reduction at all).
_PLAIN_BROADCAST_GRADIENTS = {"RealDiv": 7, "Div": 7, "FloorMod": 7, "DivNoNan": 7, "MulNoNan": 7,
                              "Maximum": 9, "Minimum": 9, "Atan2": 0}
# Where the shape handling begins in TF 2.x's gradient: the second operand's shape (a Const for a
# known shape, else a Shape op); for Maximum/Minimum, their zeros_like, made before it.
_SHAPE_OPS = ("Const", "Shape")
_ZEROS_LIKE_OPS = ("Const", "ZerosLike")
_MAXIMUM_FIRST_OPS = 4  # of Maximum/Minimum's more ops, counted at zeros_like so that its selects line up


def forward_op(graph, gradient_scope):
    """The op `.../gradients/<name>_grad` is the gradient of (its scope may sit in other scopes)."""
    parts = gradient_scope[:-len("_grad")].split("/")
    for start in range(1, len(parts)):
        try:
            return graph.get_operation_by_name("/".join(parts[start:]))
        except KeyError:
            continue
    return None


def _tf2_reduces(x_shape, y_shape):
    """Which operands TF 2.x's gradient reduces (math_grad.SmartBroadcastGradientArgs), or None
    when the reduction axes are decided at run time (a BroadcastGradientArgs op, as on TF 1.15)."""
    if x_shape.rank is None or y_shape.rank is None:
        return None
    x_dims, y_dims = x_shape.as_list(), y_shape.as_list()
    rank = max(len(x_dims), len(y_dims))
    x_dims = [1] * (rank - len(x_dims)) + x_dims
    y_dims = [1] * (rank - len(y_dims)) + y_dims
    x_axes = y_axes = False
    for x_dim, y_dim in zip(x_dims, y_dims):
        if x_dim == 1 and y_dim != 1:
            x_axes = True
        elif y_dim == 1 and x_dim != 1:
            y_axes = True
        elif x_dim is None or y_dim is None:
            return None
    return (x_axes or x_shape.rank < y_shape.rank), (y_axes or y_shape.rank < x_shape.rank)


def _tf2_shape_ops(x_shape, y_shape, reduce_y=True):
    """Ops TF 2.x's shape handling made for a pair of operands: Shape, Shape_1 and, per reduced
    operand, Sum's axes, Sum, Reshape; on run-time axes a BroadcastGradientArgs and Sum, Reshape."""
    reduces = _tf2_reduces(x_shape, y_shape)
    if reduces is None:
        return 3 + (4 if reduce_y else 2)
    return 2 + 3 * sum(1 for reduced in reduces[:2 if reduce_y else 1] if reduced)


def _fully_known(shape):
    return shape.is_fully_defined()


STACK_OPS = 6  # a forward value kept for a while loop's gradient: Const, f_acc, Enter, push, pop, Enter


def _loop_stack_ops(forward):
    """Inside a while loop, each Shape op of a forward value that a BroadcastGradientArgs reads is
    kept on a stack for the gradient loop (6 ops). TF 1.15's caching gradients took both shapes
    with Shape ops on its run-time path, the others one per shape with a None dimension; TF 2.x
    one per such shape, and only where it made a BroadcastGradientArgs. How many TF 1.15 made more."""
    from tensorflow.python.ops import control_flow_util

    if not control_flow_util.IsInWhileLoop(forward):
        return 0
    shapes = [operand.shape for operand in forward.inputs[:2]]
    unknown = sum(1 for shape in shapes if not _fully_known(shape))
    if forward.type in _CACHING_BROADCAST_GRADIENTS:
        tf115 = 2 if unknown else 0
    else:
        tf115 = unknown
    tf2 = unknown if _tf2_reduces(*shapes) is None else 0
    return STACK_OPS * (tf115 - tf2)


# TF 1.15's ops, in order, in the gradients it built with a BroadcastGradientArgs: always for
# _ALWAYS_LAID_OUT, for the others where a shape had a None dimension. TF 2.x makes the same
# ops but for the shapes' (inferred in Python where it can), its own first and the shapes after:
# each op of TF 2.x is given its TF 1.15 place, so that the record lines up.
_TF115_LAYOUTS = {
    "Add": ("Shape", "Shape_1", "BroadcastGradientArgs", "Sum", "Reshape", "Sum_1", "Reshape_1"),
    "Sub": ("Shape", "Shape_1", "BroadcastGradientArgs", "Sum", "Reshape", "Neg", "Sum_1", "Reshape_1"),
    "Mul": ("Shape", "Shape_1", "BroadcastGradientArgs", "Mul", "Sum", "Reshape", "Mul_1", "Sum_1", "Reshape_1"),
    "SquaredDifference": ("scalar", "Mul", "sub", "mul_1", "Shape", "Shape_1", "BroadcastGradientArgs",
                          "Sum", "Reshape", "Sum_1", "Reshape_1", "Neg"),
    "RealDiv": ("Shape", "Shape_1", "BroadcastGradientArgs", "RealDiv", "Sum", "Reshape", "Neg", "RealDiv_1",
                "RealDiv_2", "mul", "Sum_1", "Reshape_1"),
    "DivNoNan": ("Shape", "Shape_1", "BroadcastGradientArgs", "div_no_nan", "Sum", "Reshape", "Neg",
                 "div_no_nan_1", "div_no_nan_2", "mul", "Sum_1", "Reshape_1"),
    "FloorMod": ("Shape", "Shape_1", "BroadcastGradientArgs", "FloorDiv", "Sum", "Reshape", "Neg", "mul", "Sum_1",
                 "Reshape_1"),
    "MulNoNan": ("Shape", "Shape_1", "BroadcastGradientArgs", "MulNoNan", "Sum", "Reshape", "MulNoNan_1", "Sum_1",
                 "Reshape_1"),
}
_ALWAYS_LAID_OUT = frozenset(("RealDiv", "DivNoNan", "FloorMod", "MulNoNan"))
_TF115_LAYOUTS["AddV2"] = _TF115_LAYOUTS["Add"]
_TF2_ONLY = frozenset(("Sum/reduction_indices", "Sum_1/reduction_indices"))  # axes inferred in Python


def gradient_scope(op_name):
    """`.../<name>_grad` for an op made by a gradient function (not its tuple), else None."""
    parts = op_name.split("/")
    for end in range(len(parts) - 1, 0, -1):
        if parts[end - 1].endswith("_grad"):
            return None if parts[end] == "tuple" else "/".join(parts[:end])
    return None


def gradient_scope_ops(op, scope):
    """The ops of `op`'s gradient scope but its tuple, in the order TF 2.x made them: a gradient
    function makes them one after another, so they are neighbours in the graph's op ids."""
    nodes, prefix = op.graph._nodes_by_id, scope + "/"

    def inside(op_id):
        if op_id not in nodes:
            return False
        name = nodes[op_id].name
        return name.startswith(prefix) and not name.startswith(prefix + "tuple/")

    first = last = op._id
    while inside(first - 1):
        first -= 1
    while inside(last + 1):
        last += 1
    return [nodes[op_id] for op_id in range(first, last + 1)]


def _with_loop_stacks(layout, leaves, more_stacked):
    """The layout with each op's stacks after it, inside a while loop: the ops TF 2.x made under
    the op's name (the same on both: Const, f_acc, Enter, StackPushV2, StackPopV2 and its Enter,
    the loop's b_sync), and the `more_stacked` ops TF 1.15's BroadcastGradientArgs had more."""
    full = []
    for name in layout:
        full.append(name)
        full.extend(leaf for leaf in leaves if leaf.startswith(name + "/") and leaf not in _TF2_ONLY)
        if name == "BroadcastGradientArgs":
            full.extend(("",) * more_stacked)
    return tuple(full)


def _tf115_places(forward, operations, scope):
    """TF 1.15's index in the gradient for each of TF 2.x's ops, or None when TF 1.15 did not build
    this gradient by a known layout (then `broadcast_gradient` counts it). The last op takes TF
    1.15's last place, so that the count after the gradient is TF 1.15's."""
    layout = _TF115_LAYOUTS.get(forward.type)
    if layout is None or len(forward.inputs) != 2:
        return None
    if (forward.type not in _ALWAYS_LAID_OUT and _fully_known(forward.inputs[0].shape)
            and _fully_known(forward.inputs[1].shape)):
        return None
    leaves = [operation.name[len(scope) + 1:] for operation in operations]
    if "Shape" not in leaves:
        return None  # equal known shapes: no shape handling on either (MulNoNan)
    layout = _with_loop_stacks(layout, leaves, _loop_stack_ops(forward))
    places = []
    for leaf in leaves:
        if leaf in layout:
            places.append(layout.index(leaf))
        elif leaf in _TF2_ONLY:
            places.append(places[-1] + 1 if places else 0)
        else:
            return None  # an op no layout names: counted by broadcast_gradient, not laid out
    places[-1] = len(layout) - 1
    return places


def _laid_out_extra_ops(op, scope, graph):
    """{op name: extra ops} for each TF 2.x op of a laid out gradient scope (empty if not laid out)."""
    forward = forward_op(graph, scope)
    if forward is None or forward.type not in _TF115_LAYOUTS:
        return {}
    operations = gradient_scope_ops(op, scope)
    places = _tf115_places(forward, operations, scope)
    return {} if places is None else extra_ops_at(operations, places)


def stack_op_names(name, suffix=""):
    """The ops keeping a forward value on a stack for a while loop's gradient, named as TF made
    them under `name` (6: STACK_OPS)."""
    leaves = [leaf + suffix for leaf in ("Const", "f_acc", "Enter", "StackPushV2", "StackPopV2")]
    return ["%s/%s" % (name, leaf) for leaf in leaves + [leaves[-1] + "/Enter"]]


def places_by_name(tf115_names, layout):
    """The index in TF 1.15's `layout` of each name (one a TF 2.x op stands for, in TF 2.x's
    order; a name TF 1.15 did not make: the place before); the last op takes TF 1.15's last place,
    so that the count after the gradient is TF 1.15's."""
    places = []
    for name in tf115_names:
        places.append(layout.index(name) if name in layout else (places[-1] if places else 0))
    places[-1] = len(layout) - 1
    return places


def extra_ops_at(operations, places):
    """{op name: extra ops} for a gradient scope's TF 2.x ops (in order) placed at `places` in TF
    1.15's layout: how many ops TF 1.15 made before each one, beyond one per op."""
    offsets = [place - index for index, place in enumerate(places)]
    return {operation.name: offset - (offsets[index - 1] if index else 0)
            for index, (operation, offset) in enumerate(zip(operations, offsets))}


def scope_extra_ops(op, count, memo, extra_ops_of):
    """op's entry in its gradient scope's {op name: extra ops}, worked out once per scope and count
    by extra_ops_of(op, scope) and kept in `memo` (a WeakKeyDictionary); None when op is in no
    gradient scope or has no entry. A scope's ops all exist when its first op is read (a gradient
    function makes no random op), so every read gives the same."""
    if "_grad/" not in op.name:
        return None
    scope = gradient_scope(op.name)
    if scope is None:
        return None
    scopes = memo.setdefault(count, {})
    if scope not in scopes:
        scopes[scope] = extra_ops_of(op, scope)
    return scopes[scope].get(op.name)


_LAID_OUT = weakref.WeakKeyDictionary()  # count -> {gradient scope: {op name: extra ops}}


def laid_out_gradient(op, graph, count):
    """Gradients TF 1.15 built by a layout of _TF115_LAYOUTS: each TF 2.x op is placed where TF
    1.15 made it (by name), which also counts the ops TF 1.15 made more."""
    return scope_extra_ops(op, count, _LAID_OUT, lambda op, scope: _laid_out_extra_ops(op, scope, graph)) or 0


def broadcast_gradient(op, graph, count):
    """The gradient of a broadcasting binary op. TF 2.x infers the reduction axes in Python
    wherever the static shapes tell (also with a None batch dimension against a bias); TF 1.15 did
    only for Add/Sub/Mul/Pow/SquaredDifference on fully known shapes (a BroadcastGradientArgs on
    two Consts the first time its graph met the pair of shapes, then cached; per reduced operand
    Sum's axes, Sum, Reshape's shape, Reshape) and otherwise made Shape, Shape_1, a
    BroadcastGradientArgs and a Sum and Reshape per operand (see _PLAIN_BROADCAST_GRADIENTS)."""
    scope, _, leaf = op.name.rpartition("/")
    if not scope.endswith("_grad") or not ((leaf == "Shape_1" and op.type in _SHAPE_OPS)
                                           or (leaf == "zeros_like" and op.type in _ZEROS_LIKE_OPS)):
        return 0
    forward = forward_op(graph, scope)
    if forward is None or len(forward.inputs) != 2 or not (
            forward.type in _CACHING_BROADCAST_GRADIENTS or forward.type in _PLAIN_BROADCAST_GRADIENTS):
        return 0
    if (forward.type in _TF115_LAYOUTS
            and _tf115_places(forward, gradient_scope_ops(op, scope), scope) is not None):
        return 0  # laid_out_gradient
    first_ops = _MAXIMUM_FIRST_OPS if forward.type in ("Maximum", "Minimum") else 0
    if leaf == "zeros_like":
        return first_ops
    x_shape, y_shape = forward.inputs[0].shape, forward.inputs[1].shape
    tf2_ops = _tf2_shape_ops(x_shape, y_shape)
    if forward.type in _PLAIN_BROADCAST_GRADIENTS:
        stacked = _loop_stack_ops(forward) if forward.type != "Atan2" else 0
        return _PLAIN_BROADCAST_GRADIENTS[forward.type] + stacked - tf2_ops - first_ops
    if not (_fully_known(x_shape) and _fully_known(y_shape)):
        return 7 + _loop_stack_ops(forward) - tf2_ops
    shapes = (tuple(x_shape.as_list()), tuple(y_shape.as_list()))
    output_shape = tuple(forward.outputs[0].shape.as_list())
    reduced = sum(1 for shape in shapes if shape != output_shape)
    first_time = shapes not in count.broadcast_shapes_seen
    count.broadcast_shapes_seen.add(shapes)
    return (3 if first_time else 0) + 4 * reduced - tf2_ops


def select_v2_gradient(op, graph, count):
    """tf.where_v2's gradient: TF 1.15 made the output's Shape once and per branch a Shape, a
    BroadcastGradientArgs, Sum and Reshape; TF 2.x infers the axes where the shapes tell."""
    scope, _, leaf = op.name.rpartition("/")
    if leaf not in ("Shape_1", "Shape_3") or op.type not in _SHAPE_OPS or not scope.endswith("_grad"):
        return 0
    forward = forward_op(graph, scope)
    if forward is None or forward.type != "SelectV2":
        return 0
    branch = forward.inputs[1 if leaf == "Shape_1" else 2]
    return (5 if leaf == "Shape_1" else 4) - _tf2_shape_ops(branch.shape, forward.outputs[0].shape, reduce_y=False)


def mean_gradient(op, graph, count):
    """Mean's gradient on an unknown input shape: TF 1.15 divided the input's size by the output's
    (two Prods, a Maximum and a floordiv: 9 ops), TF 2.x gathers the reduced dimensions (8, one
    more when the axes are cast). Counted at TF 2.x's Prod."""
    scope, _, leaf = op.name.rpartition("/")
    if op.type != "Prod" or leaf != "Prod" or not scope.endswith("_grad"):
        return 0
    forward = forward_op(graph, scope)
    if forward is None or forward.type != "Mean" or not op_exists(graph, scope + "/mod"):
        return 0
    return 0 if op_exists(graph, scope + "/Cast_1") else 1


def batch_matmul_gradient(op, graph, count):
    """tf.matmul's gradient on 3-D tensors: TF 1.15 reduced over broadcast batch dimensions (Shape,
    Shape_1, two strided slices, BroadcastGradientArgs, Sum and Reshape per operand: 15 ops) unless
    both shapes were fully known and equal; TF 2.x also skips it when the batch dimensions are
    known and equal. Counted at the second matmul."""
    scope, _, leaf = op.name.rpartition("/")
    if op.type != "BatchMatMulV2" or leaf != "MatMul_1" or not scope.endswith("_grad"):
        return 0
    forward = forward_op(graph, scope)
    if forward is None or forward.type != "BatchMatMulV2" or op_exists(graph, scope + "/Shape"):
        return 0
    x_shape, y_shape = forward.inputs[0].shape, forward.inputs[1].shape
    if _fully_known(x_shape) and _fully_known(y_shape) and x_shape == y_shape:
        return 0
    return 15


# Where TF 2.x's gradient of Max/Min/Prod on a known input shape leaves out TF 1.15's ops: the
# kept-dims shape by reduced_shape (Size, add, mod, Shape_1, range's 3, Fill's 2, DynamicStitch:
# 10 ops), which TF 2.x computes in numpy and converts per reshape (a Const each), or, with
# keepdims, takes from the output (Max/Min; TF 1.15 then also reshaped y and the gradient to it);
# Prod's Tile of the shapes' quotient (Maximum/y, Maximum, floordiv, Reshape, Tile) for TF 2.x's
# Reshape and BroadcastTo. {(forward type, keepdims): {TF 2.x op: extra ops before it}}, the
# extra placed so that the ops after line up.
_REDUCTION_GRADIENTS = {
    ("Max", False): {"Reshape/shape": 9, "Reshape_1/shape": -1, "Reshape_2/shape": -1},
    ("Max", True): {"Shape_1": 9, "Equal": 2},
    ("Prod", False): {"Reshape_1/shape": 12},
}


def reduction_gradient(op, graph, count):
    """Max/Min/Prod's gradient on a known input shape: TF 1.15 made reduced_shape's ops (see
    _REDUCTION_GRADIENTS), TF 2.x computes the kept-dims shape in numpy."""
    if "_grad/" not in op.name or not (op.type == "Const" or op.type == "Equal"):
        return 0
    scope = gradient_scope(op.name)
    if scope is None or not scope.endswith(("Max_grad", "Min_grad", "Prod_grad")):
        return 0
    forward = forward_op(graph, scope)
    if forward is None or forward.type not in ("Max", "Min", "Prod") or not _fully_known(forward.inputs[0].shape):
        return 0
    kind = "Max" if forward.type == "Min" else forward.type
    extra = _REDUCTION_GRADIENTS.get((kind, forward.get_attr("keep_dims")), {})
    return extra.get(op.name[len(scope) + 1:], 0)


def _differentiated(operand, gradient_prefix, graph):
    """Whether TF 1.15's gradient went through this operand: a variable's value, or an op whose
    gradient TF 2.x built (its `<prefix>/<name>_grad` scope has ops)."""
    op = operand.op
    while op.type in ("Identity", "ReadVariableOp") and op.inputs:
        op = op.inputs[0].op
    if op.type in ("VariableV2", "VarHandleOp"):
        return True
    scope = "%s/%s_grad/" % (gradient_prefix, operand.op.name)
    return any(o.name.startswith(scope) for o in graph.get_operations())


def tensordot_gradient(op, graph, count):
    """The gradient of a tensordot: for each operand of known shape the gradient reaches, TF 1.15
    made the gradients of the transpose and reshape TF 2.x left out (InvertPermutation and
    Transpose; Shape and Reshape: 2 ops each), after the MatMul's gradient: counted at its last op
    (the second MatMul, or the tuple minimize groups the two gradients in)."""
    scope, _, leaf = op.name.rpartition("/")
    if scope.endswith("Tensordot/MatMul_grad/tuple") and leaf == "control_dependency_1":
        scope = scope[:-len("/tuple")]
    elif op.type != "MatMul" or leaf != "MatMul_1" or op_exists(graph, scope + "/tuple/control_dependency_1"):
        return 0
    if not scope.endswith("Tensordot/MatMul_grad"):
        return 0
    forward = forward_op(graph, scope)
    if forward is None or forward.type != "MatMul":
        return 0
    prefix = scope[:-len(forward.name + "_grad") - 1]
    tensordot_scope = forward.name[:-len("MatMul")]
    extra = 0
    for operand in forward.inputs:
        made = tensordot_side_ops(operand, tensordot_scope)
        if made is not None and made < 4:
            # TF 1.15's side op in front of the MatMul: the gradient reached the operand through it
            if _differentiated(_tensordot_operand(operand, tensordot_scope), prefix, graph):
                extra += 4 - made
    return extra


def _tensordot_operand(operand, scope):
    """The tensor a tensordot's MatMul input came from before its transpose and reshape."""
    op = operand.op
    while op.type in ("Reshape", "Transpose") and op.name.startswith(scope):
        operand = op.inputs[0]
        op = operand.op
    return operand


RULES = (
    Rule("gradients of broadcasting ops on shapes with a None dimension, RealDiv, DivNoNan", "TF 1.15 made "
         "Shape ops and a BroadcastGradientArgs first, TF 2.x its own ops first: each op placed where "
         "TF 1.15 made it", laid_out_gradient),
    Rule("gradients of broadcasting ops (minimize, tf.gradients)", "TF 2.x infers the reduction axes "
         "in Python where the static shapes tell (also for a None batch against a bias); TF 1.15 made "
         "a BroadcastGradientArgs (cached per graph for Add/Sub/Mul on fully known shapes) and Shape ops",
         broadcast_gradient),
    Rule("gradients of tf.where_v2 (SelectV2)", "TF 1.15 made a BroadcastGradientArgs per branch, "
         "TF 2.x infers the axes in Python", select_v2_gradient),
    Rule("gradients of tf.reduce_mean on unknown shapes", "TF 1.15 divided the input's size by the "
         "output's, TF 2.x gathers the reduced dimensions: one op fewer", mean_gradient),
    Rule("gradients of tf.matmul on 3-D tensors (BatchMatMulV2)", "TF 1.15 reduced over the batch "
         "dimensions unless both shapes were known and equal, TF 2.x also skips it when the batch "
         "dimensions are known and equal", batch_matmul_gradient),
    Rule("gradients of reduce_max/min/prod on known shapes", "TF 1.15 computed the kept-dims shape with "
         "reduced_shape's ops, TF 2.x in numpy", reduction_gradient),
    Rule("gradients of tensordot with known shapes (tf.layers.dense on 3-D inputs)", "TF 1.15 made "
         "the gradients of the transposes and reshapes TF 2.x leaves out", tensordot_gradient),
)
