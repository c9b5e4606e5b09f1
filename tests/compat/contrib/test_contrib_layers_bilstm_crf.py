"""The BiLSTM-CRF tagger pattern (guillaumegenthial/sequence_tagging, run by hand under compat):
a char-level BiLSTM over [batch * words, chars] whose final states join the word embeddings, a
word-level BiLSTM, a projection, crf_log_likelihood's `transitions`, Adam, numpy-side
viterbi_decode, and tf.contrib.framework.get_variables to re-initialize one scope. Checked
against brute force over all tag paths of the trained graph."""

import itertools

import numpy as np
import pytest

from conftest import tf

WORD_IDS = np.array([[1, 2, 3], [2, 4, 0]], np.int32)
CHAR_IDS = np.array([[[1, 2, 0], [3, 0, 0], [1, 1, 4]], [[2, 3, 0], [4, 4, 4], [0, 0, 0]]], np.int32)
WORD_LENGTHS = np.array([[2, 1, 3], [2, 3, 0]], np.int32)
LENGTHS = np.array([3, 2], np.int32)
LABELS = np.array([[0, 1, 2], [2, 1, 0]], np.int32)
TAGS, CHAR_HIDDEN, WORD_HIDDEN = 3, 2, 3


def build_tagger():
    word_ids, char_ids = tf.constant(WORD_IDS), tf.constant(CHAR_IDS)
    with tf.variable_scope("words"):
        table = tf.Variable(np.random.RandomState(0).randn(5, 4).astype(np.float32), name="_word_embeddings",
                            trainable=False)
        word_embeddings = tf.nn.embedding_lookup(table, word_ids, name="word_embeddings")
    with tf.variable_scope("chars"):
        chars_table = tf.get_variable("_char_embeddings", dtype=tf.float32, shape=[5, 2])
        char_embeddings = tf.nn.embedding_lookup(chars_table, char_ids, name="char_embeddings")
        s = tf.shape(char_embeddings)
        char_embeddings = tf.reshape(char_embeddings, shape=[s[0] * s[1], s[-2], 2])
        word_lengths = tf.reshape(tf.constant(WORD_LENGTHS), shape=[s[0] * s[1]])
        cell_fw = tf.contrib.rnn.LSTMCell(CHAR_HIDDEN, state_is_tuple=True)
        cell_bw = tf.contrib.rnn.LSTMCell(CHAR_HIDDEN, state_is_tuple=True)
        _, ((_, output_fw), (_, output_bw)) = tf.nn.bidirectional_dynamic_rnn(
            cell_fw, cell_bw, char_embeddings, sequence_length=word_lengths, dtype=tf.float32)
        output = tf.reshape(tf.concat([output_fw, output_bw], axis=-1), shape=[s[0], s[1], 2 * CHAR_HIDDEN])
        word_embeddings = tf.nn.dropout(tf.concat([word_embeddings, output], axis=-1), 1.0)
    with tf.variable_scope("bi-lstm"):
        (output_fw, output_bw), _ = tf.nn.bidirectional_dynamic_rnn(
            tf.contrib.rnn.LSTMCell(WORD_HIDDEN), tf.contrib.rnn.LSTMCell(WORD_HIDDEN), word_embeddings,
            sequence_length=tf.constant(LENGTHS), dtype=tf.float32)
        output = tf.concat([output_fw, output_bw], axis=-1)
    with tf.variable_scope("proj"):
        W = tf.get_variable("W", dtype=tf.float32, shape=[2 * WORD_HIDDEN, TAGS])
        b = tf.get_variable("b", shape=[TAGS], dtype=tf.float32, initializer=tf.zeros_initializer())
        nsteps = tf.shape(output)[1]
        logits = tf.reshape(tf.matmul(tf.reshape(output, [-1, 2 * WORD_HIDDEN]), W) + b, [-1, nsteps, TAGS])
    log_likelihood, transitions = tf.contrib.crf.crf_log_likelihood(logits, tf.constant(LABELS),
                                                                    tf.constant(LENGTHS))
    loss = tf.reduce_mean(-log_likelihood)
    train_op = tf.train.AdamOptimizer(0.05).minimize(loss)
    return logits, transitions, log_likelihood, loss, train_op


def path_score(emissions, transitions, tags):
    return emissions[np.arange(len(tags)), tags].sum() + sum(transitions[a, b] for a, b in zip(tags, tags[1:]))


@pytest.fixture(scope="module")
def trained():
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(7)
        logits, transitions, log_likelihood, loss, train_op = build_tagger()
        names = [v.op.name for v in tf.global_variables() if "Adam" not in v.op.name and "power" not in v.op.name]
        proj = tf.contrib.framework.get_variables("proj")
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            losses = [session.run([loss, train_op])[0] for _ in range(3)]
            values = session.run([logits, transitions, log_likelihood])
            bias = next(v for v in proj if v.op.name == "proj/b")
            assert np.any(session.run(bias) != 0)  # Adam moved it
            session.run(tf.variables_initializer(proj))  # sequence_tagging's reinitialize_weights
            bias_after_reinit = session.run(bias)
    return names, [v.op.name for v in proj], losses, values, bias_after_reinit


def test_variables_are_tf1_names(trained):
    names, proj, _, _, bias_after_reinit = trained
    cell = "/lstm_cell/"
    assert names == ["words/_word_embeddings", "chars/_char_embeddings",
                     "chars/bidirectional_rnn/fw" + cell + "kernel", "chars/bidirectional_rnn/fw" + cell + "bias",
                     "chars/bidirectional_rnn/bw" + cell + "kernel", "chars/bidirectional_rnn/bw" + cell + "bias",
                     "bi-lstm/bidirectional_rnn/fw" + cell + "kernel", "bi-lstm/bidirectional_rnn/fw" + cell + "bias",
                     "bi-lstm/bidirectional_rnn/bw" + cell + "kernel", "bi-lstm/bidirectional_rnn/bw" + cell + "bias",
                     "proj/W", "proj/b", "transitions"]
    # get_variables matches the scope prefix: Adam's slots of proj's variables are re-initialized too
    assert sorted(proj) == ["proj/W", "proj/W/Adam", "proj/W/Adam_1", "proj/b", "proj/b/Adam", "proj/b/Adam_1"]
    np.testing.assert_array_equal(bias_after_reinit, np.zeros(TAGS))  # trained, then re-initialized


def test_training_lowers_the_crf_loss(trained):
    losses = trained[2]
    assert losses[-1] < losses[0]


def test_log_likelihood_and_viterbi_against_brute_force(trained):
    logits, transitions, log_likelihood = trained[3]
    for i, length in enumerate(LENGTHS):
        emissions = logits[i, :length]
        paths = list(itertools.product(range(TAGS), repeat=int(length)))
        scores = np.array([path_score(emissions, transitions, p) for p in paths])
        log_norm = np.log(np.exp(scores - scores.max()).sum()) + scores.max()
        gold = path_score(emissions, transitions, LABELS[i, :length])
        np.testing.assert_allclose(log_likelihood[i], gold - log_norm, rtol=1e-5)
        sequence, score = tf.contrib.crf.viterbi_decode(emissions, transitions)
        assert list(sequence) == list(paths[int(np.argmax(scores))])
        np.testing.assert_allclose(score, scores.max(), rtol=1e-5)
