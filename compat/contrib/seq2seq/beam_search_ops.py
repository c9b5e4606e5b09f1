"""tf.contrib.seq2seq.gather_tree on TensorFlow 2.x (TF 1.15: .../seq2seq/python/ops/beam_search_ops.py).

TF 1.15 computed it with a contrib C++ kernel (GatherTree) that TF 2.x does not ship (not in
tf.raw_ops), so it is built here from core ops: one backward scan over time following each final
beam's parent pointers, then everything after a beam's first end_token set to end_token.
"""

from tensorflow.compat import v1 as tf

__all__ = ["gather_tree"]  # and gather_tree_from_array, for BeamSearchDecoder


def gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token, name=None):
    """The full beams, [max_time, batch_size, beam_width], traced back from the last step.

    For each batch entry b, steps at or past min(max_time, max_sequence_lengths[b]) are end_token,
    and so is every step after a beam's first end_token. A parent id outside [0, beam_width) on a
    traced path raises InvalidArgumentError when run (as TF 1.15's kernel did)."""
    with tf.name_scope(name, "gather_tree", [step_ids, parent_ids, max_sequence_lengths, end_token]):
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

        shape = tf.shape(step_ids)
        max_time, beam_width = shape[0], shape[2]
        lengths = tf.minimum(max_sequence_lengths, max_time)[:, None]  # [batch, 1]
        own_beam = tf.broadcast_to(tf.range(beam_width)[None, :], shape[1:])  # [batch, beam]

        def trace_one_step(carried, step):
            """At time t: which beam each final beam passes through, its id there, and the
            parent pointer that leads to t - 1."""
            _, pointer = carried
            time, ids_t, parents_t = step
            beam = tf.where(tf.broadcast_to(time >= lengths - 1, tf.shape(pointer)), own_beam, pointer)
            valid = tf.logical_and(tf.greater_equal(beam, 0), tf.less(beam, beam_width))
            check = tf.Assert(tf.reduce_all(valid), ["gather_tree: saw an invalid parent id (outside "
                                                     "[0, beam_width)) at time", time])
            with tf.control_dependencies([check]):
                return tf.gather(ids_t, beam, batch_dims=1), tf.gather(parents_t, beam, batch_dims=1)

        times = tf.range(max_time)
        traced, _ = tf.scan(trace_one_step, (times, step_ids, parent_ids),
                            initializer=(own_beam, own_beam), reverse=True, back_prop=False)
        in_range = tf.less(times[:, None, None], lengths[None, :, :])
        beams = tf.where(tf.broadcast_to(in_range, shape), traced, tf.fill(shape, end_token))
        # A beam is over after its first end_token: what follows is padding.
        ended_before = tf.cumsum(tf.cast(tf.equal(beams, end_token), tf.int32), axis=0, exclusive=True) > 0
        beams = tf.where(ended_before, tf.fill(shape, end_token), beams)
        beams.set_shape(step_ids.shape)
        return beams


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
