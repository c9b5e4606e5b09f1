"""tf.contrib.rnn's own cells, first half (LSTM and gated variants, IndRNNs, wrappers), against TF 1.15."""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("rnn_cells")

BATCH, STEPS, INPUT, UNITS = 2, 3, 4, 4


def inputs(steps=STEPS):
    """`steps` constants of [BATCH, INPUT] from a fixed numpy stream (the same on both runtimes)."""
    rng = np.random.RandomState(0)
    return [tf.constant(rng.randn(BATCH, INPUT).astype(np.float32)) for _ in range(steps)]


def train(outputs, state, steps=3):
    loss = tf.reduce_mean(tf.square(outputs[-1] - 0.5))
    return Spec({"outputs": outputs, "state": state}, loss=loss,
                optimizer=tf.train.GradientDescentOptimizer(0.1), steps=steps)


# Most cases use static_rnn, whose graphs (and gradients) are far smaller than dynamic_rnn's while
# loops: the cells' math is the same in both; dynamic_rnn covers sequence lengths and loop scoping.
def static(cell, steps=STEPS, **kwargs):
    outputs, state = tf.nn.static_rnn(cell, inputs(steps), dtype=tf.float32, **kwargs)
    return train(outputs, state)


def dynamic(cell, **kwargs):
    outputs, state = tf.nn.dynamic_rnn(cell, tf.stack(inputs(), axis=1), dtype=tf.float32, **kwargs)
    return train(tf.unstack(outputs, axis=1), state)


@cases.case
def coupled_input_forget_gate_lstm_all_options_static():
    return static(tf.contrib.rnn.CoupledInputForgetGateLSTMCell(
        UNITS, use_peepholes=True, num_proj=3, proj_clip=0.3, num_unit_shards=2, num_proj_shards=2,
        forget_bias=0.5, layer_norm=True, norm_gain=0.9, norm_shift=0.1), steps=2)


@cases.case
def coupled_input_forget_gate_lstm_concat_state_static():
    return static(tf.contrib.rnn.CoupledInputForgetGateLSTMCell(UNITS, state_is_tuple=False))


@cases.case
def layer_norm_basic_lstm_dropout_dynamic():
    """One iteration at a time: with parallel iterations, the order in which TF 1.15 draws the
    steps' dropout masks is up to its scheduler (not reproducible even on TF 1.15)."""
    cell = tf.contrib.rnn.LayerNormBasicLSTMCell(UNITS, dropout_keep_prob=0.6, dropout_prob_seed=7)
    return dynamic(cell, sequence_length=[3, 2], parallel_iterations=1)


@cases.case
def layer_norm_basic_lstm_without_norm_static():
    return static(tf.contrib.rnn.LayerNormBasicLSTMCell(UNITS, forget_bias=0.0, layer_norm=False))


@cases.case
def nas_projection_bias_static():
    return static(tf.contrib.rnn.NASCell(UNITS, num_proj=3, use_bias=True))


@cases.case
def ugrnn_static():
    return static(tf.contrib.rnn.UGRNNCell(UNITS, forget_bias=0.5))


@cases.case
def intersection_rnn_stacked_static():
    """The documented pattern: the first layer projects its inputs to num_units."""
    cells = [tf.contrib.rnn.IntersectionRNNCell(UNITS + 1, num_in_proj=UNITS + 1),
             tf.contrib.rnn.IntersectionRNNCell(UNITS + 1)]
    return static(tf.contrib.rnn.MultiRNNCell(cells), steps=2)


@cases.case
def sru_dynamic_with_lengths():
    return dynamic(tf.contrib.rnn.SRUCell(UNITS), sequence_length=[1, 3])


@cases.case
def ind_rnn_static():
    return static(tf.contrib.rnn.IndRNNCell(UNITS, activation=tf.nn.relu))


@cases.case
def indy_gru_static():
    return static(tf.contrib.rnn.IndyGRUCell(UNITS))


@cases.case
def indy_lstm_dynamic():
    return dynamic(tf.contrib.rnn.IndyLSTMCell(UNITS, forget_bias=0.5))


@cases.case
def glstm_groups_projection_static():
    return static(tf.contrib.rnn.GLSTMCell(UNITS, num_proj=2, number_of_groups=2), steps=2)


@cases.case
def highway_uncoupled_static():
    cell = tf.contrib.rnn.HighwayWrapper(tf.contrib.rnn.GRUCell(INPUT), couple_carry_transform_gates=False,
                                         carry_bias_init=0.5)
    return static(cell)


@cases.case
def highway_coupled_multi_static():
    """Each layer's highway weights live in its MultiRNNCell scope (`.../cell_0/carry_w`)."""
    cells = [tf.contrib.rnn.HighwayWrapper(tf.contrib.rnn.BasicLSTMCell(INPUT)) for _ in range(2)]
    return static(tf.contrib.rnn.MultiRNNCell(cells), steps=2)


@cases.case
def attention_wrapper_dynamic():
    cell = tf.contrib.rnn.AttentionCellWrapper(tf.contrib.rnn.LSTMCell(UNITS), attn_length=2)
    return dynamic(cell)


@cases.case
def attention_wrapper_concat_state_static():
    cell = tf.contrib.rnn.AttentionCellWrapper(tf.contrib.rnn.GRUCell(UNITS), attn_length=3, attn_size=3,
                                               attn_vec_size=2, input_size=5, state_is_tuple=False)
    return static(cell, steps=2)


@cases.case
def compiled_wrapper_static():
    return static(tf.contrib.rnn.CompiledWrapper(tf.contrib.rnn.BasicRNNCell(UNITS)), steps=2)
