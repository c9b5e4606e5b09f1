"""tf.contrib.legacy_seq2seq's models, decoders and model_with_buckets, against TF 1.15.

Several models share a graph where they are small (each under its own scope), to keep the
suite fast; every one of the 13 functions is built by some case.
"""

import copy

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("legacy_seq2seq")
s2s = tf.contrib.legacy_seq2seq
rnn = tf.contrib.rnn

BATCH, STEPS, INPUT, UNITS, SYMBOLS, EMBEDDING = 2, 3, 3, 4, 6, 3
SHORT = 2  # sequence length in the largest graphs (feed_previous under tf.cond builds each decoder twice)


def vectors(seed, count=STEPS, width=INPUT):
    rng = np.random.RandomState(seed)
    return [tf.constant(rng.randn(BATCH, width).astype(np.float32)) for _ in range(count)]


def symbols(seed, count=STEPS, vocabulary=SYMBOLS):
    rng = np.random.RandomState(seed)
    return [tf.constant(rng.randint(0, vocabulary, size=BATCH).astype(np.int32)) for _ in range(count)]


def short(seed, vocabulary=SYMBOLS):
    return symbols(seed, count=SHORT, vocabulary=vocabulary)


def logits_loss(outputs, targets):
    weights = [tf.ones([BATCH]) for _ in targets]
    return s2s.sequence_loss(outputs, targets, weights)


def sgd(outputs, loss, steps=3):
    return Spec(outputs, loss=loss, optimizer=tf.train.GradientDescentOptimizer(0.2), steps=steps)


@cases.case
def rnn_basic_and_tied():
    """rnn_decoder with a loop_function, basic_rnn_seq2seq (LSTM), tied_rnn_seq2seq (GRU, looping)."""
    feed_back = lambda prev, i: prev[:, :INPUT] * 0.5  # noqa: E731
    decoded, decoded_state = s2s.rnn_decoder(vectors(0), tf.zeros([BATCH, UNITS]), rnn.GRUCell(UNITS),
                                             loop_function=feed_back)
    basic, basic_state = s2s.basic_rnn_seq2seq(vectors(1), vectors(2), rnn.BasicLSTMCell(UNITS))
    tied, tied_state = s2s.tied_rnn_seq2seq(vectors(3), vectors(4), rnn.GRUCell(INPUT), loop_function=feed_back)
    loss = sum(tf.reduce_mean(tf.square(o[-1] - 0.5)) for o in (decoded, basic, tied))
    return sgd({"decoded": decoded, "decoded_state": decoded_state, "basic": basic, "basic_state": basic_state,
                "tied": tied, "tied_state": tied_state}, loss)


@cases.case
def embedding_rnn_models():
    """embedding_rnn_seq2seq (feed_previous a tensor; then a bool with an output projection),
    embedding_rnn_decoder on its own, embedding_tied_rnn_seq2seq (LSTM state, both kinds)."""
    targets = short(9, vocabulary=4)  # valid for every model's logits (4 or 6 symbols)
    switched, switched_state = s2s.embedding_rnn_seq2seq(
        short(0), short(1), rnn.GRUCell(UNITS), SYMBOLS, SYMBOLS, EMBEDDING, feed_previous=tf.constant(True))
    projection = (tf.get_variable("proj_w", [UNITS, SYMBOLS]), tf.get_variable("proj_b", [SYMBOLS]))
    projected, _ = s2s.embedding_rnn_seq2seq(short(2), short(3), rnn.GRUCell(UNITS), SYMBOLS, SYMBOLS,
                                             EMBEDDING, output_projection=projection, feed_previous=True,
                                             scope="projected")
    projected = [tf.nn.xw_plus_b(o, *projection) for o in projected]
    alone, _ = s2s.embedding_rnn_decoder(short(4), tf.zeros([BATCH, UNITS]),
                                         rnn.OutputProjectionWrapper(rnn.GRUCell(UNITS), SYMBOLS), SYMBOLS,
                                         EMBEDDING, feed_previous=True, update_embedding_for_previous=False)
    tied, tied_state = s2s.embedding_tied_rnn_seq2seq(
        short(5), short(6), rnn.BasicLSTMCell(UNITS), SYMBOLS, EMBEDDING, num_decoder_symbols=4,
        feed_previous=tf.constant(False))
    tied_looping, _ = s2s.embedding_tied_rnn_seq2seq(short(7), short(8), rnn.GRUCell(UNITS), SYMBOLS,
                                                     EMBEDDING, feed_previous=True, scope="tied_looping")
    loss = sum(logits_loss(o, targets) for o in (switched, projected, alone, tied, tied_looping))
    return sgd({"switched": switched, "switched_state": switched_state, "projected": projected, "alone": alone,
                "tied": tied, "tied_state": tied_state, "tied_looping": tied_looping}, loss)


@cases.case
def attention_models():
    """attention_decoder (2 heads, initial_state_attention, LSTM state as the query, a loop
    function), embedding_attention_decoder (output projection, feed_previous) and
    embedding_attention_seq2seq (feed_previous a tensor)."""
    targets = short(9)
    attention_states = tf.constant(np.random.RandomState(0).randn(BATCH, 4, 5).astype(np.float32))
    initial = rnn.LSTMStateTuple(*vectors(1, count=2, width=UNITS))
    attended, attended_state = s2s.attention_decoder(
        vectors(2, count=SHORT), initial, attention_states, rnn.BasicLSTMCell(UNITS), output_size=3, num_heads=2,
        loop_function=lambda prev, i: tf.tanh(prev), initial_state_attention=True)
    projection = (tf.get_variable("proj_w", [UNITS, SYMBOLS]), tf.get_variable("proj_b", [SYMBOLS]))
    embedded, _ = s2s.embedding_attention_decoder(
        short(3), vectors(4, count=1, width=UNITS)[0], attention_states, rnn.GRUCell(UNITS), SYMBOLS,
        EMBEDDING, output_projection=projection, feed_previous=True)
    embedded = [tf.nn.xw_plus_b(o, *projection) for o in embedded]
    full, full_state = s2s.embedding_attention_seq2seq(
        short(5), short(6), rnn.GRUCell(UNITS), SYMBOLS, SYMBOLS, EMBEDDING, num_heads=2,
        feed_previous=tf.constant(True))
    loss = (tf.reduce_mean(tf.square(attended[-1])) + logits_loss(embedded, targets)
            + logits_loss(full, targets))
    return sgd({"attended": attended, "attended_state": attended_state, "embedded": embedded, "full": full,
                "full_state": full_state}, loss)


@cases.case
def one2many():
    """Two decoders (each cell takes the encoder's state, so the same kind) on one encoder."""
    decoders = {"short": symbols(1, count=2), "long": symbols(2, count=3, vocabulary=4)}
    outputs, states = s2s.one2many_rnn_seq2seq(
        symbols(0), decoders, rnn.GRUCell(UNITS), {"short": rnn.GRUCell(UNITS), "long": rnn.GRUCell(UNITS)},
        SYMBOLS, {"short": SYMBOLS, "long": 4}, EMBEDDING, feed_previous=tf.constant(True))
    loss = logits_loss(outputs["short"], symbols(3, count=2)) + logits_loss(outputs["long"], symbols(4, vocabulary=4))
    return sgd({"outputs": outputs, "states": states}, loss)


@cases.case
def buckets_per_example():
    """model_with_buckets over embedding_rnn_seq2seq, per-example losses, default softmax."""
    decoder_inputs = symbols(1, count=4)
    weights = [tf.constant(w) for w in np.random.RandomState(2).rand(3, BATCH).astype(np.float32)]
    outputs, losses = s2s.model_with_buckets(
        symbols(0), decoder_inputs, decoder_inputs[1:], weights, [(2, 2), (3, 3)],
        lambda x, y: s2s.embedding_rnn_seq2seq(x, y, rnn.GRUCell(UNITS), SYMBOLS, SYMBOLS, EMBEDDING),
        per_example_loss=True)
    return sgd({"outputs": outputs, "losses": losses}, tf.reduce_sum(losses[0]) + tf.reduce_sum(losses[1]))


@cases.case
def translate_buckets_sampled_softmax():
    """The translate tutorial's model: embedding_attention_seq2seq in two buckets, an output
    projection and a sampled softmax loss (explicit op seed), five SGD steps."""
    source, target, samples = 8, 10, 4
    buckets = [(2, 2), (3, 3)]
    encoder_inputs = symbols(0, count=3, vocabulary=source)
    decoder_inputs = symbols(1, count=4, vocabulary=target)
    weights = [tf.constant(w) for w in np.random.RandomState(2).rand(3, BATCH).astype(np.float32)]
    w_t = tf.get_variable("proj_w", [target, UNITS])
    b = tf.get_variable("proj_b", [target])
    projection = (tf.transpose(w_t), b)

    def sampled_loss(labels, logits):
        return tf.nn.sampled_softmax_loss(weights=w_t, biases=b, labels=tf.reshape(labels, [-1, 1]), inputs=logits,
                                          num_sampled=samples, num_classes=target, seed=7)

    cell = rnn.MultiRNNCell([rnn.GRUCell(UNITS) for _ in range(2)])
    outputs, losses = s2s.model_with_buckets(
        encoder_inputs, decoder_inputs, decoder_inputs[1:], weights, buckets,
        lambda x, y: s2s.embedding_attention_seq2seq(x, y, copy.deepcopy(cell), source, target, UNITS,
                                                     output_projection=projection),
        softmax_loss_function=sampled_loss)
    return sgd({"outputs": outputs, "losses": losses}, losses[0] + losses[1], steps=5)
