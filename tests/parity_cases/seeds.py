"""Constructs of TF 1.x sequence-model code under a graph-level seed (tf.set_random_seed).

Each case ends with a `probe`: a random op created after the construct, whose op seed is TF 1.15's
op count at that point, so the check (tests/compat/test_seeds.py) sees whether compat counted the
construct's ops as TF 1.15 made them, not only whether the construct's own random ops matched.
docs/seeds.md lists what matches.
"""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("seeds")

BATCH, STEPS, INPUT, UNITS = 2, 4, 3, 5


def sequence():
    return tf.constant(np.random.RandomState(0).randn(BATCH, STEPS, INPUT).astype(np.float32))


def probed(outputs, loss=None, optimizer=None, steps=0):
    """The case's Spec, with a random op created last (its value is part of the outputs)."""
    return Spec({"outputs": outputs, "probe": tf.random_uniform([3], name="probe")},
                loss=loss, optimizer=optimizer, steps=steps)


@cases.case
def random_variables():
    a = tf.Variable(tf.random_normal([3, 4], stddev=0.1), name="a")
    b = tf.Variable(tf.truncated_normal([4], stddev=0.1), name="b")
    c = tf.get_variable("c", [3, 4])
    return probed([a, b, c, tf.random_shuffle(tf.range(6))])


@cases.case
def dense_and_dropout():
    x = tf.constant(np.random.RandomState(1).randn(BATCH, INPUT).astype(np.float32))
    hidden = tf.layers.dense(x, UNITS, activation=tf.nn.relu)
    hidden = tf.layers.dropout(hidden, rate=0.3, training=True)
    hidden = tf.nn.dropout(hidden, keep_prob=0.8)
    logits = tf.layers.dense(hidden, 2)
    return probed(logits)


@cases.case
def dense_on_sequences():
    return probed(tf.layers.dense(sequence(), UNITS))


@cases.case
def two_layer_lstm_dropout_adam():
    cells = [tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(UNITS), output_keep_prob=0.7)
             for _ in range(2)]
    # parallel_iterations=1: a dropout off the loop's critical path may run out of order, and then
    # draw its numbers in another order, on TF 1.15 as well
    outputs, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), sequence(), dtype=tf.float32,
                                   parallel_iterations=1)
    loss = tf.losses.mean_squared_error(tf.zeros_like(outputs[:, -1]), outputs[:, -1])
    return probed(outputs, loss, tf.train.AdamOptimizer(0.01), steps=5)


@cases.case
def bidirectional_lstm_gru():
    (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(tf.nn.rnn_cell.LSTMCell(UNITS), tf.nn.rnn_cell.GRUCell(UNITS),
                                                  sequence(), sequence_length=[4, 2], dtype=tf.float32)
    return probed(tf.concat([fw, bw], axis=2))


@cases.case
def static_rnn_then_output_layer():
    outputs, _ = tf.nn.static_rnn(tf.nn.rnn_cell.BasicLSTMCell(UNITS), tf.unstack(sequence(), axis=1),
                                  dtype=tf.float32)
    weights = tf.Variable(tf.random_normal([UNITS, 2]))
    return probed(tf.matmul(outputs[-1], weights))


@cases.case
def embedding_and_losses():
    embedding = tf.get_variable("embedding", [10, INPUT])
    inputs = tf.nn.embedding_lookup(embedding, [[1, 2, 3], [4, 5, 6]])
    logits = tf.layers.dense(tf.reshape(inputs, [BATCH, -1]), 4)
    labels = tf.constant([1, 3])
    losses = [tf.losses.sparse_softmax_cross_entropy(labels, logits),
              tf.losses.softmax_cross_entropy(tf.one_hot(labels, 4), logits),
              tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))]
    return probed(losses)


@cases.case
def rebuilt_after_reset():
    """tf.reset_default_graph() inside the case's own graph is not allowed; rebuild in a new graph
    instead, the way a script that resets then rebuilds gets a fresh op count."""
    first = tf.Graph()
    with first.as_default():
        tf.set_random_seed(7)
        tf.Variable(tf.random_normal([50]))  # ops that must not count towards the case's graph
    return probed(tf.Variable(tf.random_normal([3]), name="after"))


@cases.case
def random_op_after_minimize():
    """Gradients of broadcasting ops (Sub, Mul, Add, RealDiv, Maximum; a second Sub on the same
    shapes, which TF 1.15 took from its cache), clip_by_global_norm, Adam's slots, then a random op."""
    x = tf.constant(np.random.RandomState(2).randn(BATCH, INPUT).astype(np.float32))
    hidden = tf.maximum(tf.layers.dense(x, UNITS) * tf.constant([1.0, 0.5, 2.0, 1.0, 0.5]), 0.1)
    logits = tf.layers.dense(hidden, 2) + 0.5
    loss = tf.reduce_mean(tf.square(logits - 1.0)) + tf.reduce_mean(tf.square(logits - 2.0) / 4.0)
    optimizer = tf.train.AdamOptimizer(0.01)
    gradients, variables = zip(*optimizer.compute_gradients(loss))
    clipped, _ = tf.clip_by_global_norm(gradients, 1.0)
    optimizer.apply_gradients(zip(clipped, variables))
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)  # the same gradients again: all shapes cached
    return probed([logits, loss])


@cases.case
def convolutions():
    images = tf.constant(np.random.RandomState(3).randn(BATCH, 5, 5, INPUT).astype(np.float32))
    layered = tf.layers.conv2d(images, 2, 3, padding="same")
    contrib = tf.contrib.layers.conv2d(layered, 2, 3)
    dilated = tf.layers.conv2d(contrib, 2, 2, dilation_rate=2)
    sequence_conv = tf.layers.conv1d(sequence(), 2, 2)
    by_hand = tf.nn.conv2d(images, tf.ones([1, 1, INPUT, 2]), [1, 1, 1, 1], "SAME")
    return probed([dilated, sequence_conv, by_hand])


@cases.case
def zeros_of_a_fed_batch_and_assert_equal():
    """tf.zeros / tf.ones with a tensor in the shape, and an assert_equal on a scalar."""
    batch = tf.shape(sequence())[0]
    zeros = tf.zeros([batch, UNITS])
    ones = tf.ones([2, batch, 3])
    with tf.control_dependencies([tf.assert_equal(batch, BATCH)]):
        total = tf.reduce_sum(zeros) + tf.reduce_sum(ones)
    return probed(total)


def probed_with_feed(outputs, feed):
    return Spec({"outputs": outputs, "probe": tf.random_uniform([3], name="probe")}, feed=feed)


@cases.case
def core_fed_batch_minimize():
    """A placeholder with a None batch: gradients of a bias add and a scale against [UNITS] (TF 2.x
    infers their axes statically, TF 1.15 did not), of reduce_mean on an unknown shape, of a
    weighted loss's DivNoNan and of its scalar sum, then a random op."""
    x = tf.placeholder(tf.float32, [None, INPUT], name="x")
    w = tf.get_variable("w", [INPUT, UNITS])
    b = tf.get_variable("b", [UNITS], initializer=tf.zeros_initializer())
    scale = tf.get_variable("scale", [UNITS], initializer=tf.ones_initializer())
    hidden = (tf.matmul(x, w) + b) * scale
    loss = tf.reduce_mean(tf.square(hidden - 1.0)) + tf.losses.mean_squared_error(
        tf.zeros_like(hidden), hidden, weights=0.5)
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return probed_with_feed([hidden, loss], {x: np.random.RandomState(5).randn(BATCH, INPUT).astype(np.float32)})


@cases.case
def core_dense_on_fed_sequences_minimize():
    """tf.layers.dense on a [None, None, INPUT] placeholder (a tensordot of unknown dimensions)
    and two stacked dense layers on a known sequence, minimized: the tensordots' gradients."""
    x = tf.placeholder(tf.float32, [None, None, INPUT], name="x")
    fed = tf.layers.dense(x, UNITS)
    stacked = tf.layers.dense(tf.layers.dense(sequence(), UNITS, activation=tf.nn.tanh), 2)
    loss = tf.reduce_mean(tf.square(fed)) + tf.reduce_mean(tf.square(stacked))
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return probed_with_feed([fed, stacked, loss],
                            {x: np.random.RandomState(6).randn(BATCH, STEPS, INPUT).astype(np.float32)})


@cases.case
def core_dense_over_fed_dynamic_rnn():
    """The output layer of a seq2seq model: tf.layers.dense over dynamic_rnn's outputs of a fed
    [None, None, INPUT] batch (a tensordot of unknown dimensions)."""
    x = tf.placeholder(tf.float32, [None, None, INPUT], name="x")
    outputs, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(UNITS), x, dtype=tf.float32)
    logits = tf.layers.dense(outputs, 2)
    return probed_with_feed(logits, {x: np.random.RandomState(7).randn(BATCH, STEPS, INPUT).astype(np.float32)})


@cases.case
def core_attention_scores_minimize():
    """Attention scores with tf.matmul on 3-D tensors (BatchMatMulV2) against known and fed keys,
    a tf.where_v2 mask, minimized: the batched matmuls' and the select's gradients."""
    keys = tf.constant(np.random.RandomState(4).randn(BATCH, STEPS, UNITS).astype(np.float32))
    query = tf.get_variable("query", [BATCH, 1, UNITS])
    context = tf.matmul(tf.nn.softmax(tf.matmul(query, keys, transpose_b=True)), keys)
    fed = tf.placeholder(tf.float32, [None, STEPS, UNITS], name="fed")
    fed_scores = tf.matmul(query, fed, transpose_b=True)
    masked = tf.where_v2(tf.sequence_mask([4, 2], STEPS)[:, None, :], fed_scores, -1e9)
    loss = tf.reduce_sum(context) + tf.reduce_sum(tf.nn.softmax(masked))
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return probed_with_feed([context, masked, loss],
                            {fed: np.random.RandomState(8).randn(BATCH, STEPS, UNITS).astype(np.float32)})


@cases.case
def beam_search_decoder_then_variable():
    """tf.contrib.seq2seq's BeamSearchDecoder (its one_hot flags, its GatherTree), then a variable
    and a random op made after it: their op seeds count the decoder's ops as TF 1.15 made them."""
    s2s = tf.contrib.seq2seq
    vocab, beam_width = 6, 2
    embedding = tf.get_variable("embedding", [vocab, INPUT])
    cell = tf.nn.rnn_cell.GRUCell(UNITS)
    decoder = s2s.BeamSearchDecoder(cell, embedding, tf.fill([BATCH], 1), 0,
                                    cell.zero_state(BATCH * beam_width, tf.float32), beam_width,
                                    output_layer=tf.layers.Dense(vocab))
    outputs, state, _ = s2s.dynamic_decode(decoder, maximum_iterations=3)
    after = tf.get_variable("after", [2, 3])
    return probed([outputs.predicted_ids, outputs.beam_search_decoder_output.scores, state.log_probs, after])


@cases.case
def scripts_char_rnn_sequence_loss_adam():
    """The training graph of hunkim/DeepLearningZeroToAll's char-RNN labs (12-1 to 12-5), minimized:
    the gradients of contrib.seq2seq.sequence_loss (its sparse softmax loss and div_no_nan), of
    `outputs[:, -1]` and of slices in a while loop, of dynamic_rnn's TensorArrays (a write in the
    loop, the inputs' scatter) and of an embedding lookup (sherjilozair/char-rnn-tensorflow)."""
    ids = tf.constant([[1, 0, 2, 3], [3, 1, 0, 2]])
    inputs = tf.one_hot(ids, INPUT) * tf.get_variable("scale", [INPUT])  # a gradient into the inputs
    inputs += tf.nn.embedding_lookup(tf.get_variable("embedding", [4, INPUT]), ids)
    outputs, _ = tf.nn.dynamic_rnn(tf.contrib.rnn.BasicLSTMCell(UNITS), inputs, dtype=tf.float32)
    logits = tf.contrib.layers.fully_connected(tf.reshape(outputs, [-1, UNITS]), 4, activation_fn=None)
    logits = tf.reshape(logits, [BATCH, STEPS, 4])
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.contrib.seq2seq.sequence_loss(logits, ids, tf.ones([BATCH, STEPS])))
    last = tf.contrib.layers.fully_connected(outputs[:, -1], 1, activation_fn=None)
    _, rolled = tf.while_loop(lambda i, x: i < 2, lambda i, x: (i + 1, tf.concat([x[:, 1:], x[:, :1]], 1)),
                              [0, outputs[:, 0]])
    loss = loss + tf.reduce_sum(tf.square(last)) + tf.reduce_sum(rolled * tf.range(1.0, UNITS + 1))
    tf.train.AdamOptimizer(0.1).minimize(loss)
    return probed([logits, loss])


@cases.case
def core_lstm_over_fed_batch_minimize():
    """Training a dynamic_rnn over a fed batch, then a random op (a sampling op built after the
    train op): the gradients inside the while loop (TF 1.15 kept each BroadcastGradientArgs'
    shapes on stacks), of the output layer's tensordot and of the loss."""
    x = tf.placeholder(tf.float32, [None, None, INPUT], name="x")
    outputs, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(UNITS), x, dtype=tf.float32)
    logits = tf.layers.dense(outputs, 2)
    loss = tf.reduce_mean(tf.square(logits - 1.0))
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return probed_with_feed([logits, loss], {x: np.random.RandomState(9).randn(BATCH, STEPS, INPUT).astype(np.float32)})


@cases.case
def core_fed_division_maximum_variable_sum():
    """Gradients of a division, a maximum and a subtraction of a fed [None, INPUT] batch against a
    variable, and of reduce_sum of the Variable itself (no axis), minimized, then a random op."""
    x = tf.placeholder(tf.float32, [None, INPUT], name="x")
    v = tf.get_variable("v", [INPUT])
    y = tf.maximum(x / (v + 2.0), 0.1) - v
    loss = tf.reduce_mean(y) + 0.1 * tf.reduce_sum(v)
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return probed_with_feed([y, loss], {x: np.random.RandomState(10).randn(BATCH, INPUT).astype(np.float32)})



def _dropout_lstm_minimized(inputs):
    cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(4), output_keep_prob=0.8)
    outputs, _ = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32, parallel_iterations=1)
    loss = tf.reduce_mean(tf.square(outputs))
    tf.train.AdamOptimizer(0.1).minimize(loss)
    return [outputs, loss]


@cases.case
def dropout_wrapper_in_dynamic_rnn_minimize():
    """Every RNN tutorial's DropoutWrapper in dynamic_rnn, minimized with Adam, then a random op: the
    dropout mask's and scale's gradients inside the while loop (TF 1.15 multiplied by the cast mask
    and kept the scale on a stack, TF 2.x selects and copies a Const scale), on a known batch."""
    known = tf.constant(np.random.RandomState(11).randn(BATCH, 3, INPUT).astype(np.float32))
    return probed(_dropout_lstm_minimized(known))


@cases.case
def dropout_wrapper_in_dynamic_rnn_fed_minimize():
    """The same over a fed [None, 3, INPUT] batch (TF 1.15 also kept the mask's shapes on stacks)."""
    fed = tf.placeholder(tf.float32, [None, 3, INPUT], name="fed")
    return probed_with_feed(_dropout_lstm_minimized(fed),
                            {fed: np.random.RandomState(12).randn(BATCH, 3, INPUT).astype(np.float32)})


@cases.case
def core_reduce_max_min_prod_minimize():
    """Gradients of reduce_max, reduce_min (keepdims) and reduce_prod on known shapes, minimized,
    then a random op: TF 1.15 computed their kept-dims shapes with reduced_shape's ops."""
    x = tf.constant(np.random.RandomState(13).randn(BATCH, INPUT).astype(np.float32))
    hidden = tf.layers.dense(x, 4)
    reduced = [tf.reduce_max(hidden, axis=1), tf.reduce_min(hidden, axis=0, keepdims=True),
               tf.reduce_prod(hidden, axis=1)]
    loss = tf.add_n([tf.reduce_sum(r) for r in reduced])
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return probed(reduced + [loss])
