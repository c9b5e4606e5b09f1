"""Counting rules for TF core constructs that TF 2.x builds with other ops than TF 1.15:
split, TensorArray.stack, tensordot, dropout, scalar reductions, tf.zeros of tensor dimensions,
clip_by_global_norm."""

import re

from compat.seeds.rule import Rule, op_exists
from compat.seeds.variable_reductions import reduced_a_variable


def split(op, graph, count):
    return 1 if op.type == "Split" else 0


def tensor_array_stack(op, graph, count):
    if op.type != "TensorArrayGatherV3" or not op.name.endswith("TensorArrayStack/TensorArrayGatherV3"):
        return 0
    scope = op.name.rpartition("/")[0]
    # a size given as a Python int: TF 2.x makes it a Const in TF 1.15's TensorArraySizeV3's place
    return 0 if op_exists(graph, scope + "/TensorArraySizeV3") or op_exists(graph, scope + "/Const") else 1


def tensordot_side_ops(operand, scope):
    """How many ops TF 2.x made to bring one operand of a tensordot to its MatMul: 0 to 4 for an
    operand of known shape (a transpose and a reshape, each with its Const, left out when they
    change nothing), None for one with unknown dimensions (reshaped to a stacked shape: TF 1.15's
    ops, the same on both)."""
    made, op = 0, operand.op
    if op.type == "Reshape" and op.name.startswith(scope):
        if op.inputs[1].op.type != "Const":
            return None
        made, op = 2, op.inputs[0].op
    if op.type == "Transpose" and op.name.startswith(scope):
        made += 2
    return made


def tensordot(op, graph, count):
    """TF 1.15 transposed and reshaped each operand of known shape (perm, transpose, shape,
    reshape) even where that changed nothing; TF 2.x leaves those out. Operands of unknown
    dimensions (a [None, None, n] input of tf.layers.dense) get the same ops on both."""
    if op.type != "MatMul" or not op.name.endswith("Tensordot/MatMul"):
        return 0
    scope = op.name[:-len("MatMul")]
    sides = [tensordot_side_ops(operand, scope) for operand in op.inputs]
    return sum(4 - made for made in sides if made is not None)


def dropout(op, graph, count):
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
        return 4 if op_exists(graph, scope + "/Mul") else 5
    return 0


_REDUCTIONS = frozenset(("Sum", "Mean", "Prod", "Max", "Min", "All", "Any", "EuclideanNorm"))


def scalar_reduction(op, graph, count):
    """A reduction of a scalar tensor over all axes (tf.losses' weighted sum, tf.assert_equal's
    All): TF 1.15 reduced over a Const of no axes, TF 2.x, whose rank 0 tests false, over
    Rank + range(start, delta): three ops more. A Variable (noted: compat/seeds/variable_reductions.py)
    took that way on TF 1.15 as well."""
    if op.type != "Range" or [t.op.name for t in (op.inputs[0], op.inputs[2])] != [op.name + "/start", op.name + "/delta"]:
        return 0
    limit = op.inputs[1].op  # `Rank`, `Rank_1`, ... in the Range's scope (the root scope too)
    if limit.type != "Const" or not re.match(r"Rank(_\d+)?$", limit.name.rpartition("/")[2]):
        return 0
    from tensorflow.python.framework import tensor_util

    if tensor_util.MakeNdarray(limit.get_attr("value")) != 0:
        return 0
    reductions = [c for c in op.outputs[0].consumers() if c.type in _REDUCTIONS]
    if not reductions or reduced_a_variable(graph, op):
        return 0
    return -3


def variable_reduction(op, graph, count):
    """tf.reduce_*(v) of a Variable itself over all axes: a Variable is no Tensor to TF 1.15's
    _ReductionDims, which took the axes from Rank and range(start, delta) (a resource variable's
    Rank read it once more: 4 ops); TF 2.x makes one Const of the axes: 3 ops fewer. Counted for the
    axes noted as a Variable's: a reference variable's `v.value()` is the same tensor on TF 2.x, and TF
    1.15 reduced it over a Const."""
    if op.type not in _REDUCTIONS or len(op.inputs) != 2 or op.inputs[1].op.type != "Const":
        return 0
    if not reduced_a_variable(graph, op.inputs[1].op):
        return 0
    return 4 if op.inputs[0].op.type == "ReadVariableOp" else 3


def zeros_of_tensor_dims(op, graph, count):
    """tf.zeros / tf.ones of a shape list holding tensors: TF 1.15 first tried `np.prod(shape) <
    1000`, which, on its Tensors, made a Mul (and a Const for a Python int) per dimension after the
    first and a Const and a Less, before giving up; TF 2.x's Tensors refuse numpy at once."""
    if op.type != "Fill" or not re.match(r"(zeros|ones)(_\d+)?$", op.name.rpartition("/")[2]):
        return 0
    packed = op.inputs[0].op
    if packed.type != "Pack" or packed.name != op.name + "/packed":
        return 0
    is_int = [d.op.type == "Const" and d.op.name.startswith(packed.name + "/") for d in packed.inputs]
    made, product_is_int = 0, is_int[0]
    for dimension_is_int in is_int[1:]:
        if not (product_is_int and dimension_is_int):
            made += 2 if (product_is_int or dimension_is_int) else 1
            product_is_int = False
    return made + (0 if product_is_int else 2)


def clip_by_global_norm(op, graph, count):
    """TF 1.15 turned a non-finite norm into NaN with IsFinite, a NaN Const and a Select; TF 2.x
    adds `norm - norm` instead (Sub, AddV2): one op fewer."""
    scope, _, leaf = op.name.rpartition("/")
    if op.type != "AddV2" or leaf != "add" or not scope.rpartition("/")[2].startswith("clip_by_global_norm"):
        return 0
    return 0 if op_exists(graph, scope + "/IsFinite") else 1


RULES = (
    Rule("array_ops.split with a number of splits", "TF 1.15 made a Const of num_or_size_splits even when "
         "it was a Python int (every RNN cell that splits its gates)", split),
    Rule("TensorArray.stack (dynamic_rnn's outputs)", "TF 1.15 read the array's size with a "
         "TensorArraySizeV3 op; TF 2.x uses the static size (a Const when it was a Python int)",
         tensor_array_stack),
    Rule("tensordot with known shapes (tf.layers.dense on 3-D inputs)", "TF 1.15 always made the "
         "transpose and reshape of an operand of known shape, TF 2.x skips the identity ones", tensordot),
    Rule("tf.nn.dropout, tf.layers.dropout, DropoutWrapper", "TF 1.15 built the mask with "
         "random_uniform's affine ops and a multiply, TF 2.x with a select", dropout),
    Rule("reductions of a scalar over all axes (tf.losses' weighted mean, tf.assert_equal)", "TF 1.15 "
         "reduced over a Const of no axes, TF 2.x (rank 0 tests false) over a Rank and a range",
         scalar_reduction),
    Rule("tf.reduce_mean(v) / reduce_sum(v) of a tf.Variable itself, with no axis", "TF 1.15 took the axes "
         "from Rank and range(start, delta) for a Variable, TF 2.x makes one Const", variable_reduction),
    Rule("tf.zeros / tf.ones of a shape list holding tensors", "TF 1.15 tried `np.prod(shape) < 1000` "
         "on its Tensors first, which made a Mul per dimension and a Less", zeros_of_tensor_dims),
    Rule("tf.clip_by_global_norm", "TF 1.15 made a non-finite norm NaN with IsFinite, a Const and a "
         "Select, TF 2.x with `+ (norm - norm)`", clip_by_global_norm),
)
