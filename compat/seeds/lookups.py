"""Counting rules for tf.one_hot and tf.nn.embedding_lookup_sparse, which TF 2.x builds with fewer
ops than TF 1.15 (measured on layers_more/input_from_feature_columns_mixed and in
tests/compat/test_seeds_rules_lookups_slicing.py)."""

from compat.seeds.rule import Rule

_SPARSE_SEGMENT_REDUCTIONS = frozenset(("SparseSegmentSum", "SparseSegmentMean", "SparseSegmentSqrtN"))


def one_hot_of_values(op, graph, count):
    """tf.one_hot with on_value / off_value given as Python numbers: TF 1.15 converted each once to
    learn its dtype (`one_hot/Const`, kept by TF 2.x as the op's input) and once more in the op
    (`one_hot/on_value`, `one_hot/off_value`); TF 2.x passes the first Consts on."""
    if op.type != "OneHot":
        return 0
    scope = op.name + "/"
    return sum(1 for value in op.inputs[2:4]
               if value.op.type == "Const" and value.op.name.startswith(scope)
               and value.op.name[len(scope):].startswith("Const"))


def embedding_lookup_sparse_unweighted(op, graph, count):
    """tf.nn.embedding_lookup_sparse without weights: TF 1.15 cast int64 segment ids to int32 (TF
    2.x's SparseSegment ops take int64), and over one parameter tensor without max_norm TF 2.x
    reduces the parameters directly, where TF 1.15 looked each distinct id up once first (Unique,
    then embedding_lookup's axis Const, GatherV2 and Identity): up to 5 ops more."""
    if op.type not in _SPARSE_SEGMENT_REDUCTIONS or not op.name.endswith("embedding_lookup_sparse"):
        return 0
    cast = 0 if op.inputs[2].dtype.name == "int32" else 1
    looked_up_first = op.inputs[0].op.name.startswith(op.name + "/")  # TF 2.x's slow path, as TF 1.15
    return cast + (0 if looked_up_first else 4)


RULES = (
    Rule("tf.one_hot with on_value / off_value given as numbers", "TF 1.15 converted them twice (a "
         "Const for their dtype, a Const for the op), TF 2.x once", one_hot_of_values),
    Rule("tf.nn.embedding_lookup_sparse without weights (safe_embedding_lookup_sparse, contrib "
         "embedding columns)", "TF 1.15 cast the segment ids to int32 and looked the ids up (Unique, "
         "Const, GatherV2, Identity) where TF 2.x reduces the parameters directly", embedding_lookup_sparse_unweighted),
)
