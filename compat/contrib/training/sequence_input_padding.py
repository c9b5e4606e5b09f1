"""batch_sequences_with_states' sequence preparation: pad=True pads every sequence along time to a
multiple of num_unroll; pad=False checks at run time that each already is one."""

import collections

from tensorflow.compat import v1 as tf
from tensorflow.python.ops import control_flow_ops

from compat.contrib.training.sequence_input_checks import asserted, multiple_of_unroll_condition

__all__ = ["pad_to_unroll", "checked_multiples_of_unroll"]


def pad_to_unroll(sequences, num_unroll):
    """(length, sequences padded with 0 / "" along time to a multiple of num_unroll)."""
    if not isinstance(num_unroll, int):
        raise ValueError("Unsupported num_unroll expected int, got: %s" % str(num_unroll))
    if not isinstance(sequences, dict):
        raise TypeError("Unsupported sequences expected dict, got: %s" % str(sequences))
    for key in sequences:
        if not isinstance(key, str):
            raise TypeError("Unsupported sequences key expected string, got: %s" % str(key))
    if not sequences:
        return 0, {}
    sequences = collections.OrderedDict((k, tf.convert_to_tensor(v)) for k, v in sorted(sequences.items()))
    lengths = [tf.shape(v)[0] for v in sequences.values()]
    length = lengths[0]
    same = [tf.Assert(tf.equal(other, length), [tf.string_join(
        ["All sequence lengths must match, but received lengths: ", tf.as_string(lengths)])]) for other in lengths]
    length = control_flow_ops.with_dependencies(same, length)
    unroll = tf.constant(num_unroll)
    padded_length = length + ((unroll - (length % unroll)) % unroll)
    padded = {}
    for k, v in sequences.items():
        shape = tf.concat(([padded_length - tf.shape(v)[0]], tf.shape(v)[1:]), 0)
        filler = tf.constant("" if v.dtype == tf.string else 0, dtype=v.dtype)
        padded[k] = tf.concat([v, tf.fill(dims=shape, value=filler)], 0)
    return length, padded


def checked_multiples_of_unroll(sequences, num_unroll):
    """pad=False: each sequence, checked at run time to have a non-zero multiple of num_unroll steps."""
    checked = {}
    for k, v in sequences.items():
        if not isinstance(v, tf.Tensor):
            try:
                v = tf.convert_to_tensor(v)
            except TypeError:
                raise TypeError("Unsupported input_sequences expected Tensor or SparseTensor values, got: %s for "
                                "key %s" % (str(type(v)), k))
        steps = tf.shape(v)[0]
        condition, message = multiple_of_unroll_condition(steps, num_unroll, "Tensor %s first dimension" % k,
                                                          remainder=steps % num_unroll)  # op "mod", as TF 1.15
        checked[k] = asserted(v, condition, message, "multiple_of_checked")
    return checked
