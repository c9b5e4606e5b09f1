"""Counting rule for `tensor[...]` slices that hold a tensor: TF 2.x makes Consts where TF 1.15
had Python ints (measured on resample_at_rate's `counts[i:i + 1]` and on the patterns of
tests/compat/test_seeds_rules_lookups_slicing.py)."""

from compat.seeds.rule import Rule

_STACKS = ("stack", "stack_1", "stack_2")


def _packed_lists(op):
    """The Pack/Const ops of the slice's begin, end and strides (under any Cast), and the Casts;
    None unless `op` is a StridedSlice made by `tensor[...]` (Tensor.__getitem__)."""
    lists, casts = [], 0
    for value, stack in zip(op.inputs[1:4], _STACKS):
        made = value.op
        if made.type == "Cast" and made.name.startswith(op.name + "/Cast"):
            casts += 1
            made = made.inputs[0].op
        if made.type not in ("Pack", "Const") or made.name != op.name + "/" + stack:
            return None, 0
        lists.append(made)
    return lists, casts


def _made_by_tf2(element, mask_bit, is_stride):
    """Whether TF 2.x's __getitem__ made this Const itself, for a bound or step left out (TF 1.15
    appended the Python int 0 or 1 there): begin/end ones are marked in the slice's masks."""
    if element.op.type != "Const":
        return False
    if is_stride:
        value = element.op.get_attr("value")
        return len(value.tensor_shape.dim) == 0 and list(value.int_val or value.int64_val) == [1]
    return mask_bit


def tensor_slice(op, graph, count):
    """`tensor[...]` with a tensor in a slice: TF 2.x (tensor_getitem_override) makes a Const of the
    tensor's dtype for each bound or step left out of that slice (`x[i:]`: end 0, step 1); TF 1.15
    kept the Python int, so a list of only such ints became one Const (an int32 one, cast when
    another list was int64) where TF 2.x packs its Consts: one op fewer per such Const, plus or
    minus the Casts."""
    if op.type != "StridedSlice":
        return 0
    lists, tf2_casts = _packed_lists(op)
    if lists is None:
        return 0
    masks = (op.get_attr("begin_mask"), op.get_attr("end_mask"), 0)
    tf2_ops = tf115_ops = 0
    dtypes = []
    for index, packed in enumerate(lists):
        if packed.type == "Const":  # only Python ints on both runtimes
            tf2_ops += 1
            tf115_ops += 1
            dtypes.append(packed.outputs[0].dtype.name)
            continue
        inner = [e for e in packed.inputs if e.op.name.startswith(packed.name + "/")]
        made = [e for position, e in enumerate(packed.inputs) if not e.op.name.startswith(packed.name + "/")
                and _made_by_tf2(e, masks[index] >> position & 1, index == 2)]
        tf2_ops += len(made) + len(inner) + 1
        if len(made) + len(inner) == len(packed.inputs):
            tf115_ops += 1
            dtypes.append("int32")
        else:
            tf115_ops += len(made) + len(inner) + 1
            dtypes.append(packed.outputs[0].dtype.name)
    tf115_casts = sum(1 for d in dtypes if d != "int64") if "int64" in dtypes else 0
    return tf115_ops + tf115_casts - tf2_ops - tf2_casts


RULES = (
    Rule("`tensor[...]` slices holding a tensor (x[i:i + 1], x[:, :n])", "TF 2.x makes a Const of the "
         "tensor's dtype for each bound or step left out; TF 1.15 kept Python ints, one Const per list",
         tensor_slice),
)
