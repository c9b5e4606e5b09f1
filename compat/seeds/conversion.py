"""Counting rule for an empty Python list given as an integer input (`tf.reshape(x, [])`,
`tf.fill([], v)`, and every scalar's gradient that Sum's gradient reshapes to `[]`): TF 2.x
converts it to a float32 Const first, which it leaves unused, then to the int32 Const the op
takes; TF 1.15 made the second only."""

from compat.seeds.rule import Rule, op_exists


def _is_empty_vector(tensor_proto):
    dims = tensor_proto.tensor_shape.dim
    return len(dims) == 1 and dims[0].size == 0


def unused_empty_list_const(op, graph, count):
    if op.type != "Const" or op.outputs[0].consumers() or not op_exists(graph, op.name + "_1"):
        return 0
    from tensorflow.python.framework import dtypes

    if op.get_attr("dtype") != dtypes.float32 or not _is_empty_vector(op.get_attr("value")):
        return 0
    return -1


RULES = (
    Rule("an empty list as an integer input (tf.reshape(x, []), a scalar sum's gradient)", "TF 2.x first "
         "converts it to a float32 Const that it leaves unused", unused_empty_list_const),
)
