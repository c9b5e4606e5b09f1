"""Counting rules for gradients that TF 2.x builds with other ops than TF 1.15, measured on seeded
public char-RNN scripts (docs/seeds.md, "Measured on real scripts"): the sparse softmax loss
(contrib.seq2seq.sequence_loss), slices (`outputs[:, -1]`), dynamic_rnn's TensorArrays, dropout
masks and embedding lookups. They come after the model's initializers: they matter to the random
ops made after a minimize."""

import re

from compat.seeds.gradients import forward_op, select_v2_gradient
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


def _is_dropout_mask(select):
    """A SelectV2 of x where a RandomUniform >= rate, else zero: TF 2.x's dropout, which TF 1.15 made
    as x * Cast(mask) (core.dropout counts the forward ops)."""
    condition = select.inputs[0].op
    return (condition.type == "GreaterEqual" and condition.inputs[0].op.type == "RandomUniform"
            and select.inputs[2].op.type == "Const")


def dropout_mask_gradient(op, graph, count):
    """The gradient of dropout's mask, outside loops, on fully known shapes (no noise_shape): TF 1.15
    multiplied by the cast mask, whose gradient on equal shapes is 2 Muls; TF 2.x's SelectV2 gradient
    makes zeros, 2 selects, 4 shapes and a reduction of the zero branch: 10 ops. What
    gradients.select_v2_gradient counts there for a tf.where_v2 is taken back."""
    scope, _, leaf = op.name.rpartition("/")
    if leaf not in ("Shape_1", "Shape_3") or op.type != "Const" or not scope.endswith("SelectV2_grad"):
        return 0
    select = forward_op(graph, scope)
    if select is None or select.type != "SelectV2" or not _is_dropout_mask(select):
        return 0
    shape = select.outputs[0].shape
    if not shape.is_fully_defined() or select.inputs[1].shape != shape or select.inputs[0].shape != shape:
        return 0
    if any(t.op.type == "StackPopV2" for t in graph.get_operation_by_name(scope + "/SelectV2").inputs):
        return 0  # in a while loop (its mask on a stack): not measured
    return -select_v2_gradient(op, graph, count) - (8 if leaf == "Shape_3" else 0)


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
         "mask (2 Muls), TF 2.x selects (10 ops)", dropout_mask_gradient),
    Rule("gradient of tf.gather / embedding_lookup", "TF 1.15 cast the params' shape from int64",
         gather_gradient),
)
