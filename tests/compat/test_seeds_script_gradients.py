"""compat/seeds/script_gradients.py's rule for the gradient of a dropout mask. The op-sequence record
(test_seeds_op_sequence.py) cannot take it: TF 2.x selects where TF 1.15 multiplied, 10 ops in
place of 2, more than its window lets out of line. So the count is checked here, at a random op
made after minimizing through tf.nn.dropout: on TF 1.15 its op seed is its index in the graph, and
TF 2.x through compat must give the same number."""

import numpy as np
import pytest

from conftest import TF1, tf

# The random op's index in TF 1.15's graph (checked by index on TF 1.15 below).
TF115_OP_SEED = 79


def _last_random_op():
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(5)
        hidden = tf.layers.dense(tf.constant(np.ones([2, 3], np.float32)), 4)
        dropped = tf.nn.dropout(hidden, keep_prob=0.8)
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(tf.square(dropped)))
        tf.random_uniform([2])
    operations = graph.get_operations()
    random_op = [op for op in operations if op.type == "RandomUniform"][-1]
    return random_op, operations.index(random_op)


def test_a_random_op_after_minimizing_through_dropout_gets_tf115s_op_seed():
    random_op, index = _last_random_op()
    assert random_op.get_attr("seed2") == TF115_OP_SEED
    if TF1:
        assert index == TF115_OP_SEED


@pytest.mark.skipif(TF1, reason="TF 1.15 is the reference: its op seed is the op's index")
def test_tf2_builds_other_ops_before_the_random_op():
    """The check can fail: TF 2.x's own graph has another number of ops before the random op, so
    its op seed comes from compat's count, not from the graph's length."""
    _, index = _last_random_op()
    assert index != TF115_OP_SEED
