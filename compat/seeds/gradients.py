"""Counting rule for the gradients of broadcasting binary ops (minimize, tf.gradients)."""

from compat.seeds.rule import Rule

# Gradients whose TF 1.15 version cached BroadcastGradientArgs' axes per pair of known shapes
# (math_grad.SmartBroadcastGradientArgs); the others made the op and reduced both operands.
_CACHING_BROADCAST_GRADIENTS = frozenset(("Add", "AddV2", "Sub", "Mul", "Pow", "SquaredDifference"))
_PLAIN_BROADCAST_GRADIENTS = {"RealDiv": 0, "Div": 0, "Maximum": 2, "Minimum": 2}  # -> ops of their own more


def _forward_op(graph, gradient_scope):
    """The op `.../gradients/<name>_grad` is the gradient of (its scope may sit in other scopes)."""
    parts = gradient_scope[:-len("_grad")].split("/")
    for start in range(1, len(parts)):
        try:
            return graph.get_operation_by_name("/".join(parts[start:]))
        except KeyError:
            continue
    return None


def broadcast_gradient(op, graph, count):
    """The gradient of a broadcasting binary op on fully known shapes. TF 2.x: the two shapes as
    Consts (`Shape`, `Shape_1`) and, per operand it reduces, Sum's axes, Sum, Reshape. TF 1.15:
    for Add/Sub/Mul/Pow/SquaredDifference a BroadcastGradientArgs on two Consts, only the first
    time its graph met that pair of shapes, and per reduced operand Sum's axes, Sum, Reshape's
    shape, Reshape; for RealDiv/Div/Maximum/Minimum Shape, Shape_1, a BroadcastGradientArgs and a
    Sum and Reshape for both operands (Maximum/Minimum: 2 more ops for their zeros and selects)."""
    scope, _, leaf = op.name.rpartition("/")
    if op.type != "Const" or leaf not in ("Shape_1", "zeros_like") or not scope.endswith("_grad"):
        return 0
    try:
        x_shape, y_shape = (graph.get_operation_by_name(scope + name) for name in ("/Shape", "/Shape_1"))
    except KeyError:
        return 0
    forward = _forward_op(graph, scope)
    if (x_shape.type != "Const" or y_shape.type != "Const" or forward is None
            or forward.type not in _CACHING_BROADCAST_GRADIENTS.union(_PLAIN_BROADCAST_GRADIENTS)
            or forward.outputs[0].shape.rank is None):
        return 0
    if forward.type in ("Maximum", "Minimum"):
        # TF 1.15 began with 3 shapes and zeros (Const, Fill) where TF 2.x makes zeros_like: 4 of
        # its more ops counted there, so that the ops in between line up
        first_ops = 4
        if leaf == "zeros_like":
            return first_ops
    elif leaf == "zeros_like":
        return 0
    else:
        first_ops = 0
    from tensorflow.python.framework import tensor_util

    shapes = [tuple(int(d) for d in tensor_util.MakeNdarray(o.get_attr("value"))) for o in (x_shape, y_shape)]
    output_shape = tuple(forward.outputs[0].shape.as_list())
    reduced = sum(1 for shape in shapes if shape != output_shape)
    if forward.type in _CACHING_BROADCAST_GRADIENTS:
        seen = count.broadcast_shapes_seen
        first_time = tuple(shapes) not in seen
        seen.add(tuple(shapes))
        return (3 if first_time else 0) + 4 * reduced - (2 + 3 * reduced)
    if forward.type in _PLAIN_BROADCAST_GRADIENTS:
        return 7 + _PLAIN_BROADCAST_GRADIENTS[forward.type] - (2 + 3 * reduced) - first_ops
    return 0


RULES = (
    Rule("gradients of broadcasting ops (minimize, tf.gradients)", "on known shapes TF 2.x infers the "
         "reduction axes in Python; TF 1.15 made a BroadcastGradientArgs (cached per graph for "
         "Add/Sub/Mul) and Consts of the shapes", broadcast_gradient),
)
