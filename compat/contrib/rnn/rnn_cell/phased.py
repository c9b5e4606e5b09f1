"""tf.contrib.rnn's PhasedLSTMCell (Neil et al., 2016, arXiv:1610.09513), on TF 2.x.

As TF 1.15 defined it (tensorflow/contrib/rnn/python/ops/rnn_cell.py): same arguments and
defaults, variables `mask_gates/kernel|bias`, `new_input/kernel|bias`, `output_gate/kernel|bias`,
then `period`, `phase`, `ratio_on` in the cell's scope, same maths and op order. Inputs are a pair
(time [batch, 1], float32 or float64; features [batch, n]); a time gate k opens each unit's update
for a fraction `ratio_on` of its period and leaks (`leak`) otherwise.
"""

from tensorflow.compat import v1 as tf

from compat.contrib.rnn.rnn_cell.building_blocks import Linear, LSTMStateTuple, RNNCell

__all__ = ["PhasedLSTMCell"]


def log_uniform_initializer(minval, maxval, seed=None, dtype=tf.float32):
    """exp(U(log minval, log maxval)): periods spread evenly over orders of magnitude."""

    def initializer(shape, dtype=dtype, partition_info=None):
        del partition_info  # unused, part of the initializer signature
        return tf.exp(tf.random_uniform(shape, tf.log(minval), tf.log(maxval), dtype, seed=seed))

    return initializer


def gradient_passing_mod(x, y):
    """x mod y whose gradient with respect to x is 1 (the mod's jumps are not differentiated)."""
    return tf.stop_gradient(tf.floormod(x, y) - x) + x


class PhasedLSTMCell(RNNCell):
    """Phased LSTM: an LSTM whose state updates only while each unit's time gate is open.

    period ~ exp(U(log period_init_min, log period_init_max)), phase ~ U(0, period); ratio_on is
    trainable unless trainable_ratio_on=False. The state is an LSTMStateTuple(c, h)."""

    def __init__(self, num_units, use_peepholes=False, leak=0.001, ratio_on=0.1, trainable_ratio_on=True,
                 period_init_min=1.0, period_init_max=1000.0, reuse=None):
        # autocast=False: time may be float64 while the features are float32.
        super(PhasedLSTMCell, self).__init__(_reuse=reuse, autocast=False)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._leak = leak
        self._ratio_on = ratio_on
        self._trainable_ratio_on = trainable_ratio_on
        self._period_init_min = period_init_min
        self._period_init_max = period_init_max
        self._reuse = reuse
        self._linear1 = None
        self._linear2 = None
        self._linear3 = None

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self):
        return self._num_units

    def _get_cycle_ratio(self, time, phase, period):
        """Where each unit is in its cycle, in [0, 1), computed in time's dtype, as float32."""
        phase = tf.cast(phase, dtype=time.dtype)
        period = tf.cast(period, dtype=time.dtype)
        cycle_ratio = gradient_passing_mod(time - phase, period) / period
        return tf.cast(cycle_ratio, dtype=tf.float32)

    def call(self, inputs, state):
        c_prev, h_prev = state
        time, x = inputs
        units = self._num_units

        mask_inputs = [x, h_prev] + ([c_prev] if self._use_peepholes else [])
        with tf.variable_scope("mask_gates"):
            if self._linear1 is None:
                self._linear1 = Linear(mask_inputs, 2 * units, True)
            mask_gates = tf.sigmoid(self._linear1(mask_inputs))
            input_gate, forget_gate = tf.split(axis=1, num_or_size_splits=2, value=mask_gates)
        with tf.variable_scope("new_input"):
            if self._linear2 is None:
                self._linear2 = Linear([x, h_prev], units, True)
            new_input = tf.tanh(self._linear2([x, h_prev]))
        new_c = c_prev * forget_gate + input_gate * new_input

        output_inputs = [x, h_prev] + ([new_c] if self._use_peepholes else [])
        with tf.variable_scope("output_gate"):
            if self._linear3 is None:
                self._linear3 = Linear(output_inputs, units, True)
            output_gate = tf.sigmoid(self._linear3(output_inputs))
        new_h = tf.tanh(new_c) * output_gate

        period = tf.get_variable("period", [units], initializer=log_uniform_initializer(
            self._period_init_min, self._period_init_max))
        phase = tf.get_variable("phase", [units],
                                initializer=tf.random_uniform_initializer(0., period.initial_value))
        ratio_on = tf.get_variable("ratio_on", [units], initializer=tf.constant_initializer(self._ratio_on),
                                   trainable=self._trainable_ratio_on)
        cycle_ratio = self._get_cycle_ratio(time, phase, period)

        # The time gate k: rises 0 -> 1 over the first half of the open phase, falls back over
        # the second half, then stays at leak * cycle_ratio while closed.
        k_up = 2 * cycle_ratio / ratio_on
        k_down = 2 - k_up
        k_closed = self._leak * cycle_ratio
        k = tf.where(cycle_ratio < ratio_on, k_down, k_closed)
        k = tf.where(cycle_ratio < 0.5 * ratio_on, k_up, k)

        new_c = k * new_c + (1 - k) * c_prev
        new_h = k * new_h + (1 - k) * h_prev
        return new_h, LSTMStateTuple(new_c, new_h)
