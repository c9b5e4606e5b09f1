"""How public TF 1.x scripts use the block and fused cells, in miniature (tiny sizes, a few steps):

- tensorflow/models tutorials/rnn/ptb/ptb_word_lm.py --rnn_mode=block: a MultiRNNCell of
  LSTMBlockCell(forget_bias=0.0) called step by step under a reused "RNN" scope, its state fed
  back each step, gradients clipped by global norm, and the graph moved through
  export_meta_graph / import_meta_graph (state tensors found again from collections);
- stefbraun/rnn_benchmarks 4x320-LSTM/bench_tensorflow_LSTMBlockCell.py: stacked bidirectional
  dynamic RNN of LSTMBlockCells with a fed sequence_length, tf.layers.dense on the last step, Adam;
- the same repository's 1x320-LSTM/bench_tensorflow_LSTMBlockFusedCell.py: LSTMBlockFusedCell on
  time-major input with a fed sequence_length.
"""

import numpy as np
import pytest

from conftest import tf

pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")

BATCH, STEPS, UNITS, VOCAB, LAYERS = 2, 3, 4, 7, 2


def ptb_like_graph():
    """The PTB model's training graph, tiny: returns (cost, train_op, initial_state, final_state)."""
    words = tf.constant(np.random.RandomState(0).randint(0, VOCAB, (BATCH, STEPS + 1)).astype(np.int32))
    with tf.variable_scope("Model", initializer=tf.random_uniform_initializer(-0.1, 0.1)):
        embedding = tf.get_variable("embedding", [VOCAB, UNITS])
        inputs = tf.nn.embedding_lookup(embedding, words[:, :STEPS])
        cell = tf.contrib.rnn.MultiRNNCell(
            [tf.contrib.rnn.LSTMBlockCell(UNITS, forget_bias=0.0) for _ in range(LAYERS)], state_is_tuple=True)
        initial_state = state = cell.zero_state(BATCH, tf.float32)
        outputs = []
        with tf.variable_scope("RNN"):
            for t in range(STEPS):
                if t > 0:
                    tf.get_variable_scope().reuse_variables()
                output, state = cell(inputs[:, t, :], state)
                outputs.append(output)
        logits = tf.nn.xw_plus_b(tf.reshape(tf.concat(outputs, 1), [-1, UNITS]),
                                 tf.get_variable("softmax_w", [UNITS, VOCAB]), tf.get_variable("softmax_b", [VOCAB]))
        cost = tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.reshape(words[:, 1:], [-1]), logits=logits)) / BATCH
        grads, _ = tf.clip_by_global_norm(tf.gradients(cost, tf.trainable_variables()), 5.0)
        train = tf.train.GradientDescentOptimizer(1.0).apply_gradients(zip(grads, tf.trainable_variables()))
    return cost, train, initial_state, state


def test_ptb_block_mode_names_meta_graph_round_trip_and_training():
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        cost, train, initial_state, final_state = ptb_like_graph()
        names = [v.op.name for v in tf.trainable_variables()]
        assert names == ["Model/embedding"] + [
            "Model/RNN/multi_rnn_cell/cell_%d/lstm_cell/%s" % (i, n) for i in range(LAYERS) for n in ("kernel", "bias")
        ] + ["Model/softmax_w", "Model/softmax_b"]
        tf.add_to_collection("cost", cost)
        tf.add_to_collection("train_op", train)
        for name, state in (("initial", initial_state), ("final", final_state)):
            for c_h in state:
                tf.add_to_collection(name, c_h.c)
                tf.add_to_collection(name, c_h.h)
        meta_graph = tf.train.export_meta_graph()
    with tf.Graph().as_default():
        tf.train.import_meta_graph(meta_graph)
        assert "LSTMBlockCellGrad" in {op.type for op in tf.get_default_graph().get_operations()}
        cost, train = tf.get_collection("cost")[0], tf.get_collection("train_op")[0]
        initial, final = tf.get_collection("initial"), tf.get_collection("final")
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            state = session.run(initial)
            costs = []
            for _ in range(8):
                value, state, _ = session.run([cost, final, train], dict(zip(initial, state)))
                costs.append(value)
    assert np.all(np.isfinite(costs)) and costs[-1] < costs[0], costs


def test_stacked_bidirectional_block_lstm_classifier():
    rng = np.random.RandomState(11)
    features, classes = 5, 3
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [None, None, features])
        x_len = tf.placeholder(tf.int32, [None])
        y = tf.placeholder(tf.int32, [None])
        h1, _, _ = tf.contrib.rnn.stack_bidirectional_dynamic_rnn(
            cells_fw=[tf.contrib.rnn.LSTMBlockCell(UNITS) for _ in range(LAYERS)],
            cells_bw=[tf.contrib.rnn.LSTMBlockCell(UNITS) for _ in range(LAYERS)],
            inputs=x, sequence_length=x_len, dtype=tf.float32)
        h2 = h1[:, -1, :]
        assert h2.shape.as_list() == [None, 2 * UNITS]
        logits = tf.layers.dense(h2, units=classes, activation=None, use_bias=False)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(logits=logits, labels=y))
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
        assert tf.trainable_variables(scope="dense/kernel:0")[0].shape.as_list() == [2 * UNITS, classes]
        feed = {x: rng.uniform(-1, 1, (4, STEPS, features)).astype(np.float32), x_len: [STEPS, STEPS, 2, 1],
                y: [0, 1, 2, 1]}
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            losses = [session.run([loss, train], feed)[0] for _ in range(10)]
    assert losses[-1] < 0.8 * losses[0], losses


def test_fused_block_lstm_classifier_on_time_major_input():
    rng = np.random.RandomState(11)
    features, classes = 5, 3
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [None, None, features])
        seq_len = tf.placeholder(tf.int32, [None])
        y = tf.placeholder(tf.int32, [None])
        h1, _ = tf.contrib.rnn.LSTMBlockFusedCell(UNITS)(x, sequence_length=seq_len, dtype=tf.float32)
        h2 = h1[-1, :, :]
        assert h2.shape.as_list() == [None, UNITS]
        logits = tf.layers.dense(h2, units=classes, activation=None, use_bias=False)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(logits=logits, labels=y))
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
        bx = np.transpose(rng.uniform(-1, 1, (4, STEPS, features)).astype(np.float32), (1, 0, 2))
        feed = {x: bx, seq_len: [STEPS] * 4, y: [0, 1, 2, 1]}
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            assert session.run(logits, feed).shape == (4, classes)
            losses = [session.run([loss, train], feed)[0] for _ in range(10)]
    assert losses[-1] < 0.8 * losses[0], losses
