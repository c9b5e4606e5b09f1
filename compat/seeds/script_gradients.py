"""Counting rules for gradients that TF 2.x builds with other ops than TF 1.15, measured on seeded
public char-RNN scripts (docs/seeds.md, "Measured on real scripts"): the sparse softmax loss
(contrib.seq2seq.sequence_loss), slices (`outputs[:, -1]`), dynamic_rnn's TensorArrays, dropout
(also a DropoutWrapper's, inside dynamic_rnn's while loop) and embedding lookups. They come after
the model's initializers: they matter to the random ops made after a minimize."""

import re
import weakref

from compat.seeds.gradients import (STACK_OPS, extra_ops_at, forward_op, gradient_scope_ops, places_by_name,
                                    scope_extra_ops, select_v2_gradient, stack_op_names)
from compat.seeds.rule import Rule, op_exists


def sparse_softmax_gradient(op, graph, count):
    """TF 1.15 wrapped the sparse softmax loss's backprop in a PreventGradient; TF 2.x uses it as is."""
    scope, _, leaf = op.name.rpartition("/")
    if op.type != "Mul" or leaf != "mul" or not scope.endswith("_grad"):
        return 0
    return 1 if op.inputs[1].op.type == "SparseSoftmaxCrossEntropyWithLogits" else 0


def strided_slice_gradient(op, graph, count):
    """TF 2.x's StridedSlice gradient turns what it can evaluate (the input's shape, begin, end,
    strides) into Consts of its own; TF 1.15 used its Shape op and the slice's own begin, end and
    strides, of which, in a while loop (where a Const has a control input, the loop's pivot), it
    made copies in the gradient's loop as well."""
    if op.type != "StridedSliceGrad":
        return 0
    made = [t.op for t in op.inputs[:4] if t.op.type == "Const" and t.op.name.startswith(op.name + "/")]
    return -sum(1 for const in made if const.name == op.name + "/shape" or not const.control_inputs)


_TENSOR_ARRAY_WRITES = re.compile(r".*/TensorArray(Write|Scatter|Split)V3_grad$")


def tensor_array_write_gradient(op, graph, count):
    """The gradient of a TensorArray write, scatter or split: TF 2.x makes `flow_out`, an Identity of
    the forward flow (in a while loop: pushed on a stack, 6 ops more), and a `write_barrier` on it;
    TF 1.15 made neither. The grad loop's ControlTrigger `b_sync`, which TF 2.x makes for flow_out's
    stack, TF 1.15 made for the next value it stacked, just before the gradient's `tuple`."""
    scope, _, rest = op.name.partition("_grad/")
    scope += "_grad"
    if not rest or not _TENSOR_ARRAY_WRITES.match(scope):
        return 0
    if rest == "write_barrier" or rest == "flow_out" or rest.startswith("flow_out/"):
        return -1
    if rest == "tuple/group_deps" and op_exists(graph, scope + "/flow_out/b_sync"):
        return 1
    return 0


def is_dropout_mask(select):
    """A SelectV2 of x where a RandomUniform >= rate, else zero: TF 2.x's dropout, which TF 1.15 made
    as x * Cast(mask) (core.dropout counts the forward ops)."""
    condition = select.inputs[0].op
    return (condition.type == "GreaterEqual" and condition.inputs[0].op.type == "RandomUniform"
            and select.inputs[2].op.type == "Const")


def _tf115_mask_gradient_layout(select, in_loop):
    """TF 1.15's ops, in order, for the gradient of `x * Cast(mask)` (x and mask of one shape) but
    its tuple: Mul and Mul_1; where the shape is not fully known, first Shape, Shape_1 and a
    BroadcastGradientArgs, and a Sum and Reshape after each Mul. In a while loop each Mul's forward
    operand is kept on a stack, and so are both shapes."""
    stacks = (lambda *name: tuple(stack_op_names(*name))) if in_loop else (lambda name, suffix="": ())
    if select.outputs[0].shape.is_fully_defined():
        return ("Mul",) + stacks("Mul") + ("Mul_1",) + stacks("Mul_1")
    return (("Shape", "Shape_1", "BroadcastGradientArgs") + stacks("BroadcastGradientArgs")
            + stacks("BroadcastGradientArgs", "_1") + ("Mul",) + stacks("Mul") + ("Sum", "Reshape", "Mul_1")
            + stacks("Mul_1") + ("Sum_1", "Reshape_1"))


_TF115_MULS = {"SelectV2": "Mul", "SelectV2_1": "Mul_1"}  # TF 2.x's selects stand for TF 1.15's Muls


def _mask_gradient_extra_ops(op, scope, graph):
    """{op name: extra ops} for TF 2.x's ops of a dropout mask's gradient, each placed where TF 1.15
    made the op it stands for (by name; the others after the op before), the last one at TF 1.15's
    last place; empty when the scope is not such a gradient."""
    select = forward_op(graph, scope)
    if select is None or select.type != "SelectV2" or not is_dropout_mask(select):
        return {}
    shape = select.outputs[0].shape
    if select.inputs[1].shape != shape or select.inputs[0].shape != shape:
        return {}  # a noise_shape: TF 1.15's Mul reduced the mask's gradient (not measured)
    from tensorflow.python.ops import control_flow_util

    layout = _tf115_mask_gradient_layout(select, control_flow_util.IsInWhileLoop(select))
    operations = gradient_scope_ops(op, scope)
    tf115_names = []
    for operation in operations:
        head, _, rest = operation.name[len(scope) + 1:].partition("/")
        tf115_names.append(_TF115_MULS.get(head, head) + ("/" + rest if rest else ""))
    return extra_ops_at(operations, places_by_name(tf115_names, layout))


_MASK_GRADIENTS = weakref.WeakKeyDictionary()  # count -> {gradient scope: {op name: extra ops}}


def dropout_mask_gradient(op, graph, count):
    """The gradient of dropout's mask (no noise_shape): TF 1.15 multiplied by the cast mask, TF 2.x
    selects (zeros, 2 selects, 4 shapes, a reduction of the zero branch; in a while loop the
    condition on a stack). Each TF 2.x op is placed where TF 1.15 made the op it stands for, which
    counts what TF 1.15 made more; what gradients.select_v2_gradient counts for a tf.where_v2 is
    taken back."""
    if "SelectV2_grad/" not in op.name:
        return 0
    extra = scope_extra_ops(op, count, _MASK_GRADIENTS, lambda op, scope: (
        _mask_gradient_extra_ops(op, scope, graph) if scope.endswith("SelectV2_grad") else {}))
    return 0 if extra is None else extra - select_v2_gradient(op, graph, count)


def _dropout_scale(graph, scope):
    """The `x * scale` (scale a Const) whose gradient `scope` is, when a dropout mask selects it."""
    scaled = forward_op(graph, scope)
    if scaled is None or scaled.type != "Mul" or scaled.inputs[1].op.type != "Const":
        return None
    scaled_name = scaled.outputs[0].name
    if not any(c.type == "SelectV2" and c.inputs[1].name == scaled_name and is_dropout_mask(c)
               for c in scaled.outputs[0].consumers()):
        return None
    return scaled


_SCALE_GRADIENTS = weakref.WeakKeyDictionary()  # count -> {gradient scope: TF 1.15 met its shapes first}


def dropout_scale_gradient(op, graph, count):
    """The gradient of dropout's `x * scale`. In a while loop TF 1.15 computed the scale in the loop
    (1 / (1 - rate)) and kept it on a stack for the gradient (6 ops), TF 2.x's scale is a Const it
    copies (1 op): counted before Mul_1. On known shapes, gradients.broadcast_gradient counts TF
    1.15's BroadcastGradientArgs at Shape_1; TF 1.15 made it first: moved before Mul, so that the
    Muls line up."""
    scope, _, leaf = op.name.rpartition("/")
    if leaf not in ("Mul", "Mul_1", "Shape_1") or not scope.endswith("Mul_grad"):
        return 0
    scaled = _dropout_scale(graph, scope)
    if scaled is None:
        return 0
    extra = 0
    if leaf == "Mul_1" and op_exists(graph, scope + "/Mul/Const") and not op_exists(graph, scope + "/Mul/f_acc"):
        extra += STACK_OPS - 1  # TF 1.15's stacked scale for TF 2.x's copied Const
    x_shape, y_shape = scaled.inputs[0].shape, scaled.inputs[1].shape
    if x_shape.is_fully_defined() and y_shape.is_fully_defined():
        first_met = _SCALE_GRADIENTS.setdefault(count, {})
        if scope not in first_met:  # at Mul, before broadcast_gradient notes the shapes at Shape_1
            shapes = (tuple(x_shape.as_list()), tuple(y_shape.as_list()))
            first_met[scope] = shapes not in count.broadcast_shapes_seen
        if first_met[scope]:
            extra += {"Mul": 3, "Shape_1": -3}.get(leaf, 0)
    return extra


def dropout_gradient(op, graph, count):
    """The gradient of tf.nn.dropout's ops: its mask's select and its scale's Mul."""
    return dropout_mask_gradient(op, graph, count) + dropout_scale_gradient(op, graph, count)


def gather_gradient(op, graph, count):
    """The gradient of tf.gather / embedding_lookup: TF 1.15 took the params' shape as int64 and cast
    it to int32 (a Cast before the indices' Size); TF 2.x takes it as int32."""
    scope, _, leaf = op.name.rpartition("/")
    if op.type != "Const" or leaf != "Size" or not scope.endswith("_grad") or op_exists(graph, scope + "/Cast"):
        return 0
    forward = forward_op(graph, scope)
    return 1 if forward is not None and forward.type == "GatherV2" else 0


RULES = (
    Rule("gradient of sparse_softmax_cross_entropy_with_logits", "TF 1.15 made a PreventGradient",
         sparse_softmax_gradient),
    Rule("gradient of a strided slice (`outputs[:, -1]`)", "TF 2.x makes Consts of the shape, begin, "
         "end and strides it can evaluate", strided_slice_gradient),
    Rule("gradients of TensorArray write / scatter / split (dynamic_rnn)", "TF 2.x makes a `flow_out` "
         "Identity (stacked in a while loop) and a `write_barrier`", tensor_array_write_gradient),
    Rule("gradient of a dropout mask (tf.nn.dropout, DropoutWrapper)", "TF 1.15 multiplied by the cast "
         "mask (2 Muls), TF 2.x selects (10 ops); in a while loop TF 1.15 kept its computed scale on a "
         "stack, TF 2.x copies a Const", dropout_gradient),
    Rule("gradient of tf.gather / embedding_lookup", "TF 1.15 cast the params' shape from int64",
         gather_gradient),
)
