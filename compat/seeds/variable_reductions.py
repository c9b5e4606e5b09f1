"""tf.reduce_*(v) of a tf.Variable itself, with no axis. TF 1.15's math_ops._ReductionDims took
the fast path (a Const of the axes) only for a Tensor; a Variable got Rank + range(start, delta),
whatever its rank. On TF 2.x a reference variable's `v.value()` (and `tf.convert_to_tensor(v)`)
is the very tensor the Sum reads for `v`, so the ops alone cannot tell `reduce_sum(v)` from
`reduce_sum(v.value())`, which TF 1.15 built differently. Noted as TF 2.x picks the axes; the
reduction rules of compat/seeds/core.py count only the axes noted here as a Variable's.
reduce_logsumexp is the other way round: TF 1.15 converted a Variable first, TF 2.x hands it on."""

import functools
import weakref

from compat.seeds import graph_count

_AXES_OF_A_VARIABLE = weakref.WeakKeyDictionary()  # graph -> names of the axes ops made for a Variable


def reduced_a_variable(graph, axes_op):
    """Whether `axes_op` (a reduction's axes: a Const, or a Range) was made for a tf.Variable."""
    return axes_op.name in _AXES_OF_A_VARIABLE.get(graph, ())


def noting_variable_axes(reduction_dims, variables, context):
    """Wrap math_ops._ReductionDims(x, axis): note the axes it makes, with no axis given, for a
    Variable (TF 1.15 went the Rank + range way for those)."""
    @functools.wraps(reduction_dims)
    def reduction_dims_noted(x, axis, *args, **kwargs):
        axes = reduction_dims(x, axis, *args, **kwargs)
        if axis is None and isinstance(x, variables.Variable) and not context.executing_eagerly():
            _AXES_OF_A_VARIABLE.setdefault(axes.graph, set()).add(axes.op.name)
        return axes

    return reduction_dims_noted


def logsumexp_of_a_tensor(reduce_logsumexp, ops, variables, context):
    """Wrap math_ops.reduce_logsumexp (tf.reduce_logsumexp calls it): TF 1.15 converted a Variable
    to a Tensor first, so its reduce_max and reduce_sum got a Tensor and a resource variable was
    read once; TF 2.x hands the Variable to reduce_max and to the subtraction (two reads)."""
    @functools.wraps(reduce_logsumexp)
    def logsumexp(input_tensor, axis=None, keepdims=False, name=None):
        if not isinstance(input_tensor, variables.Variable) or context.executing_eagerly():
            return reduce_logsumexp(input_tensor, axis, keepdims, name)
        graph = ops.get_default_graph()
        noted_before = set(_AXES_OF_A_VARIABLE.get(graph, ()))
        made_before = len(graph.get_operations())
        result = reduce_logsumexp(input_tensor, axis, keepdims, name)
        _AXES_OF_A_VARIABLE[graph] = noted_before  # TF 1.15's reductions here got a Tensor
        reads = [op for op in graph.get_operations()[made_before:] if op.type == "ReadVariableOp"]
        if len(reads) > 1:  # a resource variable: TF 1.15 read it once, before its reductions
            graph_count.note(graph, reads[1].name, 1 - len(reads))
        return result

    return logsumexp


def install(ops, context):
    """Note, as TF 2.x's reductions pick their axes, which were picked for a Variable (as TF 1.15
    would have: not inside reduce_logsumexp)."""
    from tensorflow.python.ops import math_ops, variables

    math_ops._ReductionDims = noting_variable_axes(math_ops._ReductionDims, variables, context)
    math_ops.reduce_logsumexp = logsumexp_of_a_tensor(math_ops.reduce_logsumexp, ops, variables, context)
