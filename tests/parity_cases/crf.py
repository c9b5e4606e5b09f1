"""tf.contrib.crf against TF 1.15: a BiLSTM-CRF tagger (embeddings, bidirectional LSTM, dense
scores, crf_log_likelihood's own `transitions`) trained 3 Adam steps, decoded with crf_decode."""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("crf")

BATCH, STEPS, VOCAB, EMBED, UNITS, TAGS = 2, 5, 10, 4, 3, 4


def tagger_inputs():
    rng = np.random.RandomState(3)
    words = tf.constant(rng.randint(0, VOCAB, (BATCH, STEPS)).astype(np.int32))
    tags = tf.constant(rng.randint(0, TAGS, (BATCH, STEPS)).astype(np.int32))
    return words, tags, tf.constant([5, 3], tf.int32)


@cases.case
def bilstm_crf_tagger():
    words, tags, lengths = tagger_inputs()
    embeddings = tf.get_variable("embeddings", [VOCAB, EMBED])
    embedded = tf.nn.embedding_lookup(embeddings, words)
    (forward, backward), _ = tf.nn.bidirectional_dynamic_rnn(
        tf.contrib.rnn.LSTMCell(UNITS), tf.contrib.rnn.LSTMCell(UNITS), embedded, sequence_length=lengths,
        dtype=tf.float32)
    scores = tf.layers.dense(tf.concat([forward, backward], axis=-1), TAGS)
    log_likelihood, transitions = tf.contrib.crf.crf_log_likelihood(scores, tags, lengths)
    decoded, best = tf.contrib.crf.crf_decode(scores, transitions, lengths)
    loss = tf.reduce_mean(-log_likelihood)
    return Spec({"log_likelihood": log_likelihood, "decoded": decoded, "best_score": best}, loss=loss,
                optimizer=tf.train.AdamOptimizer(0.1), steps=3)


@cases.case
def crf_scores_given_transitions():
    """The free functions on a given transition matrix, a padded batch, int64 tags."""
    rng = np.random.RandomState(5)
    unary = tf.constant(rng.randn(3, 4, TAGS).astype(np.float32))
    tags = tf.constant(rng.randint(0, TAGS, (3, 4)).astype(np.int64))
    lengths = tf.constant([4, 1, 0], tf.int64)
    transitions = tf.get_variable("transitions", [TAGS, TAGS], initializer=tf.random_normal_initializer(seed=2))
    crf = tf.contrib.crf
    bitmap = tf.constant(rng.rand(3, 4, TAGS) < 0.5)
    outputs = {
        "sequence": crf.crf_sequence_score(unary, tags, lengths, transitions),
        "log_norm": crf.crf_log_norm(unary, lengths, transitions),
        "multitag": crf.crf_multitag_sequence_score(unary, bitmap, lengths, transitions),
        "decode": crf.crf_decode(unary, transitions, tf.cast(lengths, tf.int32)),
    }
    loss = -tf.reduce_sum(crf.crf_log_likelihood(unary, tags, lengths, transitions)[0])
    return Spec(outputs, loss=loss, optimizer=tf.train.GradientDescentOptimizer(0.1), steps=2)
