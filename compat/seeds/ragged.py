"""Counting rule for RaggedTensor.to_tensor: TF 2.x converts with one RaggedTensorToTensor kernel,
TF 1.15 built the dense tensor from ~60 ops per ragged dimension (ragged_tensor.py's to_tensor,
measured on lookup/index_tables and lookup/ragged_ids_to_dense)."""

from compat.seeds.rule import Rule

# TF 1.15's ops per ragged dimension, whatever the inputs: row lengths (two slices and a Sub: 9),
# nrows (Shape, a slice, Sub: 7), ncols (reduce_max of a list: 7, Maximum: 2), the values' shape
# (1) and two slices of it (8), row starts and limits (a slice and an ExpandDims each: 12),
# range(0, ncols) and its ExpandDims (5), values + default (Pack, ConcatV2: 3), Add, Less,
# Pack + Fill, Select, GatherV2 (8).
_OPS_PER_DIMENSION = 61
_INT64_RANGE_CASTS = 2     # range(0, ncols) cast its int32 start and delta to int64 row splits
_DEFAULT_ZEROS = 2         # no default_value: zeros(value_shape) (Const, Fill)
_DEFAULT_BROADCAST = 6     # a default of another rank than a value: shape(values)[1:] (5), BroadcastTo


def _tf115_ops(ragged_rank, flat_rank, default_rank, default_given, int64_splits):
    """Ops TF 1.15's to_tensor made after converting default_value: it converted the ragged
    values first (recursively, innermost dimension first), then the outer dimension."""
    made = 0
    for level in range(ragged_rank):
        values_rank = None if flat_rank is None else flat_rank + level
        made += _OPS_PER_DIMENSION + (_INT64_RANGE_CASTS if int64_splits else 0)
        if not default_given:
            made += _DEFAULT_ZEROS
        elif values_rank is None or default_rank is None or values_rank != default_rank + 1:
            made += _DEFAULT_BROADCAST
    return made


def _made_for(op):
    """The ops TF 2.x's to_tensor made for `op` in its name scope (the shape Const, the zeros of a
    missing default, nrows of value_rowids), without default_value, which both made."""
    scope = op.name.rpartition("/")[0] + "/"
    made, pending = set(), [op]
    while pending:
        for tensor in pending.pop().inputs:
            source = tensor.op
            if source.name.startswith(scope) and source.name not in made:
                made.add(source.name)
                pending.append(source)
    made.discard(scope + "default_value")
    return 1 + len(made)


def ragged_to_tensor(op, graph, count):
    """RaggedTensor.to_tensor (no `shape`: TF 1.15 had none): TF 1.15's op count minus TF 2.x's,
    all before the RaggedTensorToTensor, which stands for TF 1.15's final GatherV2."""
    if op.type != "RaggedTensorToTensor":
        return 0
    types = [t.decode() if isinstance(t, bytes) else t for t in op.get_attr("row_partition_types")]
    scope = op.name.rpartition("/")[0] + "/"
    shape = op.inputs[0]
    if shape.op.type != "Const" or shape.shape.rank != 0:
        return 0  # a `shape` given: TF 2.x only
    default = op.inputs[2]
    tf115 = _tf115_ops(ragged_rank=len(types) - types.count("FIRST_DIM_SIZE"), flat_rank=op.inputs[1].shape.rank,
                       default_rank=default.shape.rank, default_given=default.op.name != scope + "zeros",
                       int64_splits=op.get_attr("Tindex").name == "int64")
    return tf115 - _made_for(op)


RULES = (
    Rule("RaggedTensor.to_tensor", "TF 2.x converts with one RaggedTensorToTensor kernel; TF 1.15 built "
         "the dense tensor with 61-69 ops per ragged dimension", ragged_to_tensor),
)
