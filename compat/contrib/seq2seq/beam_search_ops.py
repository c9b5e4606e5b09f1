"""tf.contrib.seq2seq.gather_tree on TensorFlow 2.x (TF 1.15: .../seq2seq/python/ops/beam_search_ops.py).

TF 1.15 computed it with a contrib C++ kernel (GatherTree) that TF 2.x does not ship (not in
tf.raw_ops). compat has its own (compat/kernels/gather_tree.cc, built by `python -m
compat.kernels`) and uses it when it is built. Otherwise the result is composed from core ops,
running few of them per call (on small beams the op count, not the arithmetic, is the cost): each
final beam's ancestors by composing the parent maps over doubling spans (log2(max_time) rounds of
a while_loop), everything else vectorised, then every step after a beam's first end_token set to
end_token. In a graph those ops are the body of a function named GatherTree, so the graph gets one
op of TF 1.15's type and name where TF 1.15 made its GatherTree (what graph-level seeds are
counted from: docs/seeds.md).
"""

from tensorflow.compat import v1 as tf
from tensorflow.python.framework import function  # TF 1.x functions: a call op's type is the function's name

from compat import kernels

__all__ = ["gather_tree"]  # and gather_tree_from_array, for BeamSearchDecoder


def gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token, name=None):
    """The full beams, [max_time, batch_size, beam_width], traced back from the last step.

    For each batch entry b, steps at or past min(max_time, max_sequence_lengths[b]) are end_token,
    and so is every step after a beam's first end_token. A parent id outside [0, beam_width) on a
    traced path raises InvalidArgumentError when run (as TF 1.15's kernel did)."""
    with tf.name_scope(name, "GatherTree", [step_ids, parent_ids, max_sequence_lengths, end_token]) as scope:
        step_ids = tf.convert_to_tensor(step_ids, name="step_ids")
        parent_ids = tf.convert_to_tensor(parent_ids, dtype=step_ids.dtype, name="parent_ids")
        max_sequence_lengths = tf.convert_to_tensor(max_sequence_lengths, dtype=tf.int32,
                                                    name="max_sequence_lengths")
        end_token = tf.convert_to_tensor(end_token, dtype=step_ids.dtype, name="end_token")
        if step_ids.dtype != tf.int32:
            raise TypeError("gather_tree: step_ids must be int32 (the only type TF 1.15's kernel "
                            "had), got %s" % step_ids.dtype.name)
        step_ids.shape.with_rank(3)
        step_ids.shape.assert_is_compatible_with(parent_ids.shape)
        max_sequence_lengths.shape.with_rank(1)
        end_token.shape.with_rank(0)
        compiled = kernels.op_module("GatherTree")
        if compiled is not None:
            return compiled.gather_tree(step_ids=step_ids, parent_ids=parent_ids,
                                        max_sequence_lengths=max_sequence_lengths, end_token=end_token, name=scope)
        if tf.executing_eagerly():
            return _traced_beams(step_ids, parent_ids, max_sequence_lengths, end_token)
        return _GATHER_TREE(step_ids, parent_ids, max_sequence_lengths, end_token, name=scope)


def _traced_beams(step_ids, parent_ids, max_sequence_lengths, end_token):
    """gather_tree's ops (checked inputs; in a graph, the body of the GatherTree function). Each
    op runs every decode, so the body is kept short (one Unpack for the dimensions; inside a
    function they are not known when it is built)."""
    max_time, _, beam_width = tf.unstack(tf.shape(step_ids), num=3)
    time_steps = tf.range(max_time)
    times = tf.reshape(time_steps, [-1, 1, 1])
    in_length = times < tf.reshape(max_sequence_lengths, [1, -1, 1])  # (times < max_time already)
    # Everything but the pointer chasing is done once, vectorised: parents at or past a beam's
    # length (and at time 0, never followed) point to the beam itself, so each final beam
    # starts at its own last step; invalid ones do too (a gather must not fail) and are
    # reported below if a traced path used them.
    followed = tf.logical_and(times > 0, in_length)
    valid = tf.logical_and(followed, tf.logical_and(parent_ids >= 0, parent_ids < beam_width))
    invalid = tf.not_equal(followed, valid)
    pointers = tf.where_v2(valid, parent_ids, tf.range(beam_width))

    last = max_time - 1

    def compose(span, ancestors):
        """ancestors[t] maps each beam at t + span to its ancestor at t; double the span.
        ancestors[last] is the identity, so it stands for every map past the end. (Gathers,
        not tf.roll: Roll's CPU kernel costs tens of microseconds even on tiny tensors.)"""
        later = tf.gather(ancestors, tf.minimum(time_steps + span, last))
        return span * 2, tf.gather(ancestors, later, batch_dims=2)

    # ancestors[t] starts as the parent map of step t + 1, and the last step's as pointers[0]:
    # the identity. Composing maps over doubling spans takes log2(max_time) rounds.
    first = tf.gather(pointers, tf.floormod(time_steps + 1, tf.maximum(max_time, 1)))
    _, beams = tf.while_loop(lambda span, _: span < max_time, compose, (1, first), back_prop=False)
    check = tf.Assert(tf.logical_not(tf.reduce_any(tf.gather(invalid, beams, batch_dims=2))),
                      ["gather_tree: saw an invalid parent id (outside [0, beam_width)) on a traced beam"])
    with tf.control_dependencies([check]):
        ids = tf.gather(step_ids, beams, batch_dims=2)
    ids = tf.where_v2(in_length, ids, end_token)
    # A beam is over after its first end_token: what follows is padding.
    ended_before = tf.cumsum(tf.cast(tf.equal(ids, end_token), tf.int32), axis=0, exclusive=True) > 0
    ids = tf.where_v2(ended_before, end_token, ids)
    ids.set_shape(step_ids.shape)
    return ids


def _gather_tree_body(step_ids, parent_ids, max_sequence_lengths, end_token):
    """The function's body: one definition for every call (dimensions are read at run time)."""
    for tensor, rank in ((step_ids, 3), (parent_ids, 3), (max_sequence_lengths, 1), (end_token, 0)):
        tensor.set_shape([None] * rank)
    return _traced_beams(step_ids, parent_ids, max_sequence_lengths, end_token)


# Defined once per process and added to each graph that calls it; the call op gets step_ids'
# static shape.
_GATHER_TREE = function.Defun(tf.int32, tf.int32, tf.int32, tf.int32, func_name="GatherTree",
                              shape_func=lambda op: [op.inputs[0].shape])(_gather_tree_body)


def gather_tree_from_array(t, parent_ids, sequence_length):
    """Reorder a stacked TensorArray [time, batch * beam (or batch, beam), ...] along the beams'
    back-pointers, as gather_tree does for the ids."""
    max_time = parent_ids.shape.dims[0].value or tf.shape(parent_ids)[0]
    batch_size = parent_ids.shape.dims[1].value or tf.shape(parent_ids)[1]
    beam_width = parent_ids.shape.dims[2].value or tf.shape(parent_ids)[2]
    beam_ids = tf.tile(tf.expand_dims(tf.expand_dims(tf.range(beam_width), 0), 0), [max_time, batch_size, 1])
    max_lengths = tf.cast(tf.reduce_max(sequence_length, axis=1), tf.int32)
    sorted_beam_ids = gather_tree(step_ids=beam_ids, parent_ids=parent_ids, max_sequence_lengths=max_lengths,
                                  end_token=beam_width + 1)
    # Steps past a beam's end keep their own beam.
    in_bounds = tf.transpose(tf.sequence_mask(sequence_length, maxlen=max_time), perm=[2, 0, 1])
    sorted_beam_ids = tf.where(in_bounds, x=sorted_beam_ids, y=beam_ids)
    time_index = tf.tile(tf.reshape(tf.range(max_time), [-1, 1, 1]), [1, batch_size, beam_width])
    batch_index = tf.transpose(tf.tile(tf.reshape(tf.range(batch_size), [-1, 1, 1]), [1, max_time, beam_width]),
                               perm=[1, 0, 2])
    indices = tf.stack([time_index, batch_index, sorted_beam_ids], -1)
    final_shape = tf.shape(t)
    ordered = tf.gather_nd(tf.reshape(t, [max_time, batch_size, beam_width, -1]), indices)
    return tf.reshape(ordered, final_shape)
