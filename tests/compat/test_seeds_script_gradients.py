"""compat/seeds/script_gradients.py's rule for the gradient of dropout. The op-sequence record
(test_seeds_op_sequence.py) cannot take it outside while loops: TF 2.x selects where TF 1.15
multiplied, 10 ops in place of 2, more than its window lets out of line. So the count is checked
here, at a random op made after minimizing through dropout: on TF 1.15 its op seed is its index in
the graph, and TF 2.x through compat must give the same number. (A DropoutWrapper in dynamic_rnn
on one cell: the parity cases seeds/dropout_wrapper_in_dynamic_rnn_*.)"""

import numpy as np
import pytest

from conftest import TF1, tf


def _dense_dropout():
    hidden = tf.layers.dense(tf.constant(np.ones([2, 3], np.float32)), 4)
    return tf.nn.dropout(hidden, keep_prob=0.8)


def _fed_dense_dropout():
    """A None batch: TF 1.15's Mul gradient made Shape ops and a BroadcastGradientArgs."""
    hidden = tf.layers.dense(tf.placeholder(tf.float32, [None, 3]), 4)
    return tf.nn.dropout(hidden, keep_prob=0.8)


def _all_dropouts_in_dynamic_rnn():
    """Input, state and output dropout in one while loop: three masks' and scales' gradients, the
    last two on shapes TF 1.15 had cached broadcast axes for."""
    cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(4), input_keep_prob=0.7, output_keep_prob=0.8,
                                         state_keep_prob=0.9)
    inputs = tf.constant(np.ones([2, 3, 3], np.float32))
    return tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32, parallel_iterations=1)[0]


# The random op's index in TF 1.15's graph (checked by index on TF 1.15 below).
CASES = {"dense": (_dense_dropout, 79), "fed_dense": (_fed_dense_dropout, 86),
         "all_dropouts_in_dynamic_rnn": (_all_dropouts_in_dynamic_rnn, 502)}


def _last_random_op(build):
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(5)
        dropped = build()
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(tf.square(dropped)))
        tf.random_uniform([2])
    operations = graph.get_operations()
    random_op = [op for op in operations if op.type == "RandomUniform"][-1]
    return random_op, operations.index(random_op)


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_random_op_after_minimizing_through_dropout_gets_tf115s_op_seed(name):
    build, tf115_op_seed = CASES[name]
    random_op, index = _last_random_op(build)
    assert random_op.get_attr("seed2") == tf115_op_seed
    if TF1:
        assert index == tf115_op_seed


@pytest.mark.skipif(TF1, reason="TF 1.15 is the reference: its op seed is the op's index")
@pytest.mark.parametrize("name", sorted(CASES))
def test_tf2_builds_other_ops_before_the_random_op(name):
    """The check can fail: TF 2.x's own graph has another number of ops before the random op, so
    its op seed comes from compat's count, not from the graph's length."""
    build, tf115_op_seed = CASES[name]
    _, index = _last_random_op(build)
    assert index != tf115_op_seed
