"""tf.contrib.rnn's fused-RNN interface (TF 1.15: contrib/rnn/python/ops/fused_rnn_cell.py).

A fused RNN cell runs a whole time-major sequence in one call:
`cell(inputs, initial_state=None, dtype=None, sequence_length=None, scope=None)` returns
(outputs, final state), outputs of the same kind as inputs (a [time, batch, depth] tensor or a
list of [batch, depth] tensors). FusedRNNCellAdaptor turns an ordinary RNNCell into one (through
tf.nn.static_rnn or dynamic_rnn, so its variables are named as those name them);
TimeReversedFusedRNN runs one backwards in time.
"""

import abc

from tensorflow.compat import v1 as tf

__all__ = ["FusedRNNCell", "FusedRNNCellAdaptor", "TimeReversedFusedRNN"]


class FusedRNNCell(metaclass=abc.ABCMeta):
    """Abstract: an RNN over the entire time dimension, called as described in the module."""

    @abc.abstractmethod
    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
        """Run on `inputs` ([time, batch, depth] or a list of [batch, depth]) from
        `initial_state` (zeros of `dtype` if None): (outputs like inputs, final state)."""


class FusedRNNCellAdaptor(FusedRNNCell):
    """Runs an RNNCell as a FusedRNNCell, with dynamic_rnn (time-major) or static_rnn."""

    def __init__(self, cell, use_dynamic_rnn=False):
        self._cell = cell
        self._use_dynamic_rnn = use_dynamic_rnn

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
        is_list = isinstance(inputs, list)
        if self._use_dynamic_rnn:
            outputs, state = tf.nn.dynamic_rnn(
                self._cell, tf.stack(inputs) if is_list else inputs, sequence_length=sequence_length,
                initial_state=initial_state, dtype=dtype, time_major=True, scope=scope)
            return (tf.unstack(outputs) if is_list else outputs), state
        outputs, state = tf.nn.static_rnn(
            self._cell, inputs if is_list else tf.unstack(inputs), initial_state=initial_state,
            dtype=dtype, sequence_length=sequence_length, scope=scope)
        return (outputs if is_list else tf.stack(outputs)), state


class TimeReversedFusedRNN(FusedRNNCell):
    """Runs a FusedRNNCell backwards in time: inputs reversed (each sequence within its
    `sequence_length`, when given), then outputs reversed back. The final state is the wrapped
    cell's, i.e. after the first time step."""

    def __init__(self, cell):
        self._cell = cell

    def _reverse(self, t, lengths):
        """Reverse the leading (time) dimension of a tensor, or a list's order."""
        if isinstance(t, list):
            return list(reversed(t))
        if lengths is None:
            return tf.reverse_v2(t, [0])
        return tf.reverse_sequence(t, lengths, 0, 1)

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
        outputs, state = self._cell(self._reverse(inputs, sequence_length), initial_state=initial_state,
                                    dtype=dtype, sequence_length=sequence_length, scope=scope)
        return self._reverse(outputs, sequence_length), state
