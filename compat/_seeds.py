"""Graph-level seeds on TF 2.x, derived as TF 1.15 derived them.

A random op created without its own seed under `tf.set_random_seed(N)` gets two seeds, (N, op
seed). TF 1.15 took the op seed from the graph's op count at that moment (`Graph._last_id`, the
number of operations created so far); TF 2.x takes it from a per-graph counter of such ops
(`random_seed._graph_to_seed_dict`). Same script, same N, other numbers. `install()` puts TF 1.15's
rule in TF 2.x's `random_seed.get_seed`, counting the ops of the graph plus, where TF 2.x builds a
construct with fewer or more ops than TF 1.15 did, the difference (RULES below, read off the ops
as they appear, or noted as TF 2.x builds them where the ops alone cannot tell: Keras convolution
layers), so the random ops after it get TF 1.15's seeds as well. Each rule was measured
against the op sequences TF 1.15 records in tests/golden/compat/ (docs/seeds.md: what matches).

Explicit op seeds (`seed=5`), eager code and TF 1.x are unchanged.
"""

import functools
import inspect
import re
import sys
import weakref

_COUNTS = weakref.WeakKeyDictionary()  # graph -> _Count
_INSTALLED = []


class _Count(object):
    """How far the graph's ops have been read, how many more ops TF 1.15 made up to there, and the
    shape pairs TF 1.15's graph had cached broadcast-gradient axes for (`_bcast_grad_args_cache`)."""

    def __init__(self):
        self.read = 0
        self.extra = 0
        self.broadcast_shapes_seen = set()
        self.noted = {}  # op name -> ops TF 1.15 made more for it, noted as TF 2.x built it
        self.affine_left_out_at = set()  # indexes of RandomUniform ops missing random_uniform's affine ops


def _count_of(graph):
    count = _COUNTS.get(graph)
    if count is None:
        count = _COUNTS[graph] = _Count()
    return count


def tf115_op_count(graph):
    """How many ops TF 1.15 would have created in `graph` by now (its `Graph._last_id`): the ops
    TF 2.x created, plus what each rule in RULES says TF 1.15 made more (or fewer) for them."""
    count = _count_of(graph)
    operations = graph.get_operations()
    for op in operations[count.read:]:
        for rule in RULES:
            count.extra += rule.extra_ops(op, graph, count)
    count.read = len(operations)
    return len(operations) + count.extra


def tf115_positions(graph, operations):
    """TF 1.15's index (its op id) of each op of `operations`, the first ops of `graph` in order,
    and how many ops TF 1.15 made up to their end: the rules replayed over them, for a record
    of what matches (tests/compat/test_seeds_op_sequence.py). Call after the graph's random ops drew
    their seeds (that is when random_uniform's missing ops are noted)."""
    noted = _count_of(graph)
    replay = _Count()
    replay.noted = noted.noted
    extra = 0
    positions = []
    for index, op in enumerate(operations):
        if index in noted.affine_left_out_at:
            extra += 2  # min and max, before the RandomUniform
        for rule in RULES:
            extra += rule.extra_ops(op, graph, replay)
        positions.append(index + extra)
        if index in noted.affine_left_out_at:
            extra += 3  # sub, mul, add, after it
    return positions, len(operations) + extra


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
            counted = _COUNTS[graph]
            counted.extra += 5
            counted.affine_left_out_at.add(counted.read)  # the RandomUniform is the graph's next op
        if op_seed is None and graph.seed is not None:
            op_seed = count
        return tf2_get_seed(op_seed)  # TF 2.x's own truncation and (0, 0) guard, now with TF 1.15's op seed

    get_seed.tf2_get_seed = tf2_get_seed
    return get_seed


def _called_by_a_keras_conv_layer(frame, depth=12):
    while frame is not None and depth:
        if frame.f_code.co_name == "convolution_op" and "tf_keras" in frame.f_code.co_filename:
            return True
        frame, depth = frame.f_back, depth - 1
    return False


def _noting_dilation_rate(convolution_internal, ops, context):
    """TF 1.15's Keras convolution layers (under tf.layers and contrib.layers) convolved through
    nn_ops.Convolution, which made a `dilation_rate` Const; TF 2.x's through tf.nn.convolution,
    which makes one only for dilated convolutions."""
    @functools.wraps(convolution_internal)
    def convolution(*args, **kwargs):
        if context.executing_eagerly() or not _called_by_a_keras_conv_layer(sys._getframe(1)):
            return convolution_internal(*args, **kwargs)
        graph = ops.get_default_graph()
        before = len(graph.get_operations())
        outputs = convolution_internal(*args, **kwargs)
        made = graph.get_operations()[before:]
        if made and not any(op.name.endswith("/dilation_rate") for op in made):
            _count_of(graph).noted[made[-1].name] = 1
        return outputs

    return convolution


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

    from tensorflow.python.ops import nn_ops

    random_uniform_code = inspect.unwrap(random_ops.random_uniform).__code__
    random_seed.get_seed = _tf115_get_seed(random_seed.get_seed, ops, context, random_uniform_code)
    nn_ops.convolution_internal = _noting_dilation_rate(nn_ops.convolution_internal, ops, context)
    _INSTALLED.append(True)


def _exists(graph, name):
    try:
        graph.get_operation_by_name(name)
    except KeyError:
        return False
    return True


class Rule(object):
    """Where TF 2.x's graph differs from TF 1.15's in op count: `extra_ops(op, graph, count)` is how many
    ops TF 1.15 created beside (before) `op` that TF 2.x did not (negative: TF 2.x made more).
    `construct` names what it is about (docs/seeds.md), `why` says where the difference comes from."""

    def __init__(self, construct, why, extra_ops):
        self.construct = construct
        self.why = why
        self.extra_ops = extra_ops


def _split(op, graph, count):
    return 1 if op.type == "Split" else 0


def _tensor_array_stack(op, graph, count):
    if op.type != "TensorArrayGatherV3" or not op.name.endswith("TensorArrayStack/TensorArrayGatherV3"):
        return 0
    scope = op.name.rpartition("/")[0]
    # a size given as a Python int: TF 2.x makes it a Const in TF 1.15's TensorArraySizeV3's place
    return 0 if _exists(graph, scope + "/TensorArraySizeV3") or _exists(graph, scope + "/Const") else 1


_TENSORDOT_BEFORE_MATMUL = ("transpose/perm", "transpose", "Reshape/shape", "Reshape",
                            "transpose_1/perm", "transpose_1", "Reshape_1/shape", "Reshape_1")


def _tensordot(op, graph, count):
    if op.type != "MatMul" or not op.name.endswith("Tensordot/MatMul"):
        return 0
    scope = op.name[:-len("MatMul")]
    if _exists(graph, scope + "Shape"):
        return 0  # unknown dimensions: both build the dynamic variant (not measured: see docs/seeds.md)
    return sum(1 for name in _TENSORDOT_BEFORE_MATMUL if not _exists(graph, scope + name))


def _dropout(op, graph, count):
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


_REDUCTIONS = frozenset(("Sum", "Mean", "Prod", "Max", "Min", "All", "Any"))


def _scalar_reduction(op, graph, count):
    """A reduction of a scalar tensor over all axes (tf.losses' weighted sum, tf.assert_equal's
    All): TF 1.15 reduced over a Const of no axes, TF 2.x, whose rank 0 tests false, over
    Rank + range(start, delta): three ops more. A Variable took that way on TF 1.15 as well."""
    if op.type != "Range" or not op.name.endswith("/range"):
        return 0
    limit = op.inputs[1].op
    if limit.type != "Const" or limit.name != op.name[:-len("range")] + "Rank":
        return 0
    from tensorflow.python.framework import tensor_util

    if tensor_util.MakeNdarray(limit.get_attr("value")) != 0:
        return 0
    reductions = [c for c in op.outputs[0].consumers() if c.type in _REDUCTIONS]
    if not reductions or reductions[0].inputs[0].op.type in ("VariableV2", "VarHandleOp"):
        return 0
    return -3


def _zeros_of_tensor_dims(op, graph, count):
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


def _broadcast_gradient(op, graph, count):
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


def _clip_by_global_norm(op, graph, count):
    """TF 1.15 turned a non-finite norm into NaN with IsFinite, a NaN Const and a Select; TF 2.x
    adds `norm - norm` instead (Sub, AddV2): one op fewer."""
    scope, _, leaf = op.name.rpartition("/")
    if op.type != "AddV2" or leaf != "add" or not scope.rpartition("/")[2].startswith("clip_by_global_norm"):
        return 0
    return 0 if _exists(graph, scope + "/IsFinite") else 1


def _noted(op, graph, count):
    return count.noted.get(op.name, 0)


RULES = (
    Rule("array_ops.split with a number of splits", "TF 1.15 made a Const of num_or_size_splits even when "
         "it was a Python int (every RNN cell that splits its gates)", _split),
    Rule("TensorArray.stack (dynamic_rnn's outputs)", "TF 1.15 read the array's size with a "
         "TensorArraySizeV3 op; TF 2.x uses the static size (a Const when it was a Python int)",
         _tensor_array_stack),
    Rule("tensordot with known shapes (tf.layers.dense on 3-D inputs)", "TF 1.15 always made both "
         "transposes and reshapes, TF 2.x skips the identity ones", _tensordot),
    Rule("tf.nn.dropout, tf.layers.dropout, DropoutWrapper", "TF 1.15 built the mask with "
         "random_uniform's affine ops and a multiply, TF 2.x with a select", _dropout),
    Rule("reductions of a scalar over all axes (tf.losses' weighted mean, tf.assert_equal)", "TF 1.15 "
         "reduced over a Const of no axes, TF 2.x (rank 0 tests false) over a Rank and a range",
         _scalar_reduction),
    Rule("tf.zeros / tf.ones of a shape list holding tensors", "TF 1.15 tried `np.prod(shape) < 1000` "
         "on its Tensors first, which made a Mul per dimension and a Less", _zeros_of_tensor_dims),
    Rule("gradients of broadcasting ops (minimize, tf.gradients)", "on known shapes TF 2.x infers the "
         "reduction axes in Python; TF 1.15 made a BroadcastGradientArgs (cached per graph for "
         "Add/Sub/Mul) and Consts of the shapes", _broadcast_gradient),
    Rule("tf.clip_by_global_norm", "TF 1.15 made a non-finite norm NaN with IsFinite, a Const and a "
         "Select, TF 2.x with `+ (norm - norm)`", _clip_by_global_norm),
    Rule("tf.layers.conv1d/2d/3d, contrib.layers.convolution (undilated)", "TF 1.15's tf.nn.convolution "
         "made a `dilation_rate` Const", _noted),
)
