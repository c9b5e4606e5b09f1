"""tf.contrib.legacy_seq2seq's decoders and models: TF 1.15's math, variable sharing and switches.

Expected values come from numpy over the variables' values, or from the model itself run another
way (greedy decoding must equal teacher forcing fed the greedy choices). model_with_buckets and
one2many: test_contrib_legacy_seq2seq_buckets.py.
"""

import numpy as np
import pytest

from conftest import tf

s2s = tf.contrib.legacy_seq2seq
rnn = tf.contrib.rnn
BATCH, INPUT, UNITS = 2, 3, 4

pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def values(session, prefix=""):
    return {v.op.name[len(prefix):]: session.run(v) for v in tf.global_variables() if v.op.name.startswith(prefix)}


def np_basic_rnn(x, h, kernel, bias):
    return np.tanh(np.concatenate([x, h], axis=1) @ kernel + bias)


def np_softmax(scores):
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_rnn_decoder_feeds_back_its_outputs(session):
    calls = []

    def loop_function(prev, i):
        calls.append(i)
        return prev[:, :INPUT] * 2.0

    rng = np.random.RandomState(0)
    first, h0 = rng.randn(BATCH, INPUT).astype(np.float32), rng.randn(BATCH, UNITS).astype(np.float32)
    never_fed = [tf.placeholder(tf.float32, [BATCH, INPUT]) for _ in range(2)]  # ignored after the GO input
    outputs, state = s2s.rnn_decoder([tf.constant(first)] + never_fed, tf.constant(h0), rnn.BasicRNNCell(UNITS),
                                     loop_function=loop_function)
    assert calls == [1, 2]
    session.run(tf.global_variables_initializer())
    v = values(session)
    assert sorted(v) == ["rnn_decoder/basic_rnn_cell/bias", "rnn_decoder/basic_rnn_cell/kernel"]
    h, x, expected = h0, first, []
    for _ in range(3):
        h = np_basic_rnn(x, h, v["rnn_decoder/basic_rnn_cell/kernel"], v["rnn_decoder/basic_rnn_cell/bias"])
        expected.append(h)
        x = h[:, :INPUT] * 2.0
    got, final = session.run([outputs, state])
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(final, expected[-1], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("tied", [False, True])
def test_basic_and_tied_seq2seq_encode_then_decode(session, tied):
    rng = np.random.RandomState(1)
    encoder = [rng.randn(BATCH, INPUT).astype(np.float32) for _ in range(2)]
    decoder = [rng.randn(BATCH, INPUT).astype(np.float32) for _ in range(2)]
    build = s2s.tied_rnn_seq2seq if tied else s2s.basic_rnn_seq2seq
    outputs, _ = build([tf.constant(e) for e in encoder], [tf.constant(d) for d in decoder], rnn.BasicRNNCell(UNITS))
    session.run(tf.global_variables_initializer())
    v = values(session)
    if tied:  # one set of variables for both
        prefix = "combined_tied_rnn_seq2seq/tied_rnn_seq2seq/basic_rnn_cell/"
        encoder_vars = decoder_vars = (v[prefix + "kernel"], v[prefix + "bias"])
    else:
        encoder_vars = (v["basic_rnn_seq2seq/rnn/basic_rnn_cell/kernel"], v["basic_rnn_seq2seq/rnn/basic_rnn_cell/bias"])
        decoder_vars = (v["basic_rnn_seq2seq/rnn_decoder/basic_rnn_cell/kernel"],
                        v["basic_rnn_seq2seq/rnn_decoder/basic_rnn_cell/bias"])
    assert len(v) == (2 if tied else 4)
    h = np.zeros([BATCH, UNITS], np.float32)
    for x in encoder:
        h = np_basic_rnn(x, h, *encoder_vars)
    expected = []
    for x in decoder:
        h = np_basic_rnn(x, h, *decoder_vars)
        expected.append(h)
    np.testing.assert_allclose(session.run(outputs), expected, rtol=1e-5, atol=1e-6)


def test_char_rnn_pattern_scoped_decoder_over_stacked_lstms(session):
    """sherjilozair/char-rnn-tensorflow: rnn_decoder(scope='rnnlm') over a MultiRNNCell of LSTMs,
    feeding back the embedding of the previous argmax when sampling."""
    cell = rnn.MultiRNNCell([rnn.BasicLSTMCell(UNITS) for _ in range(2)])
    embedding = tf.constant(np.eye(5, UNITS, dtype=np.float32))
    softmax_w = tf.constant(np.eye(UNITS, 5, dtype=np.float32))

    def loop(prev, _):
        return tf.nn.embedding_lookup(embedding, tf.stop_gradient(tf.argmax(tf.matmul(prev, softmax_w), 1)))

    inputs = [tf.nn.embedding_lookup(embedding, [1, 3])] * 3
    outputs, last_state = s2s.rnn_decoder(inputs, cell.zero_state(BATCH, tf.float32), cell, loop_function=loop,
                                          scope="rnnlm")
    assert isinstance(last_state, tuple) and all(isinstance(s, rnn.LSTMStateTuple) for s in last_state)
    names = [v.op.name for v in tf.global_variables()]
    assert names[0] == "rnnlm/multi_rnn_cell/cell_0/basic_lstm_cell/kernel" and len(names) == 4
    assert any(op.name.startswith("rnnlm/loop_function/") for op in session.graph.get_operations())
    session.run(tf.global_variables_initializer())
    assert [o.shape for o in session.run(outputs)] == [(BATCH, UNITS)] * 3


def test_basic_seq2seq_copies_a_stacked_cell_for_the_encoder(graph):
    """guillaume-chevalier/seq2seq-signal-prediction: basic_rnn_seq2seq over stacked GRUs."""
    cell = rnn.MultiRNNCell([rnn.GRUCell(UNITS) for _ in range(2)])
    s2s.basic_rnn_seq2seq([tf.ones([BATCH, INPUT])] * 2, [tf.zeros([BATCH, INPUT])] * 2, cell)
    names = [v.op.name for v in tf.global_variables()]
    assert len(names) == 16  # 2 layers x 4 GRU variables, once for the encoder and once for the decoder
    assert "basic_rnn_seq2seq/rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel" in names
    assert "basic_rnn_seq2seq/rnn_decoder/multi_rnn_cell/cell_1/gru_cell/gates/kernel" in names


def np_attention_decoder(v, inputs, h, states, heads, initial_state_attention):
    """TF 1.15's attention_decoder over a BasicRNNCell, in numpy: (outputs, attention weights)."""
    features = [states @ v["AttnW_%d" % k][0, 0] for k in range(heads)]

    def attend(query):
        weights, reads = [], []
        for k in range(heads):
            y = query @ v["Attention_%d/kernel" % k] + v["Attention_%d/bias" % k]
            a = np_softmax((v["AttnV_%d" % k] * np.tanh(features[k] + y[:, None, :])).sum(axis=-1))
            weights.append(a)
            reads.append((a[:, :, None] * states).sum(axis=1))
        return weights, reads

    reads = attend(h)[1] if initial_state_attention else [np.zeros([BATCH, states.shape[2]])] * heads
    outputs, all_weights = [], []
    for inp in inputs:
        x = np.concatenate([inp] + reads, axis=1) @ v["kernel"] + v["bias"]
        h = np_basic_rnn(x, h, v["basic_rnn_cell/kernel"], v["basic_rnn_cell/bias"])
        weights, reads = attend(h)
        all_weights.append(weights)
        outputs.append(np.concatenate([h] + reads, axis=1) @ v["AttnOutputProjection/kernel"]
                       + v["AttnOutputProjection/bias"])
    return outputs, all_weights


@pytest.fixture(scope="module", params=[(1, False), (2, True)], ids=["1head", "2heads_initial_attention"])
def attention_run(request):
    heads, initial_state_attention = request.param
    graph = tf.Graph()
    with graph.as_default():
        rng = np.random.RandomState(2)
        inputs = [rng.randn(BATCH, INPUT).astype(np.float32) for _ in range(2)]
        h0 = rng.randn(BATCH, UNITS).astype(np.float32)
        states = rng.randn(BATCH, 5, 3).astype(np.float32)  # 5 positions of size 3
        outputs, _ = s2s.attention_decoder([tf.constant(x) for x in inputs], tf.constant(h0), tf.constant(states),
                                           rnn.BasicRNNCell(UNITS), output_size=2, num_heads=heads,
                                           initial_state_attention=initial_state_attention)
        softmaxes = [op.outputs[0] for op in graph.get_operations() if op.type == "Softmax"]
        with tf.Session(graph=graph) as session:
            session.run(tf.global_variables_initializer())
            got, weights = session.run([outputs, softmaxes])
            v = values(session, "attention_decoder/")
    expected, expected_weights = np_attention_decoder(v, inputs, h0, states, heads, initial_state_attention)
    return dict(heads=heads, got=got, weights=weights, expected=expected, expected_weights=expected_weights,
                variables=v, initial=initial_state_attention)


def test_attention_decoder_matches_numpy(attention_run):
    assert [o.shape for o in attention_run["got"]] == [(BATCH, 2)] * 2
    np.testing.assert_allclose(attention_run["got"], attention_run["expected"], rtol=1e-4, atol=1e-5)


def test_attention_weights_sum_to_one_over_positions(attention_run):
    heads, weights = attention_run["heads"], attention_run["weights"]
    # One softmax per head and step (plus one per head reading the initial state).
    assert len(weights) == heads * (2 + attention_run["initial"])
    for w in weights:
        assert w.shape == (BATCH, 5) and np.all(w > 0)
        np.testing.assert_allclose(w.sum(axis=1), 1.0, rtol=1e-6)
    last_step = weights[-heads:]
    np.testing.assert_allclose(last_step, attention_run["expected_weights"][-1], rtol=1e-4, atol=1e-6)


def test_attention_variable_shapes(attention_run):
    shapes = {name: list(value.shape) for name, value in attention_run["variables"].items()}
    heads = attention_run["heads"]
    assert shapes["AttnW_0"] == [1, 1, 3, 3] and shapes["AttnV_0"] == [3]
    assert shapes["kernel"] == [INPUT + 3 * heads, INPUT]  # the input projection keeps the input size
    assert shapes["Attention_%d/kernel" % (heads - 1)] == [UNITS, 3]
    assert shapes["AttnOutputProjection/kernel"] == [UNITS + 3 * heads, 2]


@pytest.mark.parametrize("kwargs, message", [
    (dict(decoder_inputs=[]), "Must provide at least 1 input to attention decoder."),
    (dict(num_heads=0), "With less than 1 heads, use a non-attention decoder."),
    (dict(attention_states="unknown size"), "Shape\\[2\\] of attention_states must be known"),
])
def test_attention_decoder_rejects(graph, kwargs, message):
    arguments = dict(decoder_inputs=[tf.zeros([BATCH, INPUT])], initial_state=tf.zeros([BATCH, UNITS]),
                     attention_states=tf.zeros([BATCH, 5, 3]), cell=rnn.GRUCell(UNITS))
    arguments.update(kwargs)
    if isinstance(arguments["attention_states"], str):
        arguments["attention_states"] = tf.placeholder(tf.float32, [BATCH, 5, None])
    with pytest.raises(ValueError, match=message):
        s2s.attention_decoder(**arguments)


# --- feed_previous: greedy decoding equals teacher forcing fed the greedy choices ---------------

SOURCE, TARGET, EMBEDDING, LENGTH = 5, 6, 3, 3


def embedding_rnn(encoder, decoder, feed_previous):
    return s2s.embedding_rnn_seq2seq(encoder, decoder, rnn.GRUCell(UNITS), SOURCE, TARGET, EMBEDDING,
                                     feed_previous=feed_previous)


def attention_with_projection(encoder, decoder, feed_previous):
    projection = (tf.get_variable("proj_w", [UNITS, TARGET]), tf.get_variable("proj_b", [TARGET]))
    outputs, state = s2s.embedding_attention_seq2seq(encoder, decoder, rnn.BasicLSTMCell(UNITS), SOURCE, TARGET,
                                                     EMBEDDING, output_projection=projection,
                                                     feed_previous=feed_previous)
    return [tf.nn.xw_plus_b(o, *projection) for o in outputs], state, outputs


def tied_lstm(encoder, decoder, feed_previous):
    return s2s.embedding_tied_rnn_seq2seq(encoder, decoder, rnn.BasicLSTMCell(UNITS), TARGET, EMBEDDING,
                                          feed_previous=feed_previous)


@pytest.fixture(scope="module", params=[embedding_rnn, attention_with_projection, tied_lstm])
def switchable(request):
    """A model built with feed_previous a boolean placeholder, in its own graph and session."""
    graph = tf.Graph()
    with graph.as_default():
        encoder = [tf.placeholder(tf.int32, [BATCH]) for _ in range(2)]
        decoder = [tf.placeholder(tf.int32, [BATCH]) for _ in range(LENGTH)]
        feed_previous = tf.placeholder(tf.bool, [])
        built = request.param(encoder, decoder, feed_previous)
        session = tf.Session(graph=graph)
        session.run(tf.global_variables_initializer())

        def run(decoder_values, feed_previous_value, what=0):
            feed = {feed_previous: feed_previous_value}
            feed.update(zip(encoder, [[1, 2], [3, 4]]))
            feed.update(zip(decoder, decoder_values))
            return session.run(built[what], feed)

        yield dict(run=run, built=built, name=request.param.__name__, variables=tf.global_variables())
        session.close()


def test_feed_previous_ignores_decoder_inputs_after_go(switchable):
    run = switchable["run"]
    greedy = run([[0, 0], [1, 2], [3, 4]], True)
    np.testing.assert_array_equal(run([[0, 0], [5, 5], [1, 1]], True), greedy)
    assert not np.allclose(run([[0, 0], [5, 5], [1, 1]], False), greedy)


def test_greedy_equals_teacher_forcing_on_its_own_choices(switchable):
    run = switchable["run"]
    greedy = run([[0, 0], [0, 0], [0, 0]], True)
    choices = [np.argmax(step, axis=1).astype(np.int32) for step in greedy[:-1]]
    np.testing.assert_allclose(run([[0, 0]] + choices, False), greedy, rtol=1e-5, atol=1e-6)


def test_state_keeps_the_cells_structure(switchable):
    state = switchable["built"][1]
    if switchable["name"] == "embedding_rnn":
        assert state.shape.as_list() == [BATCH, UNITS]
    else:
        assert isinstance(state, rnn.LSTMStateTuple)


def test_outputs_are_logits_unless_an_output_projection_is_given(switchable):
    projected = switchable["name"] == "attention_with_projection"
    raw = switchable["run"]([[0, 0]] * LENGTH, True, what=2 if projected else 0)
    assert [o.shape for o in raw] == [(BATCH, UNITS if projected else TARGET)] * LENGTH
    wrapped = any("output_projection_wrapper" in v.op.name for v in switchable["variables"])
    assert wrapped is not projected


def test_update_embedding_for_previous_false_stops_gradients_at_fed_back_symbols(graph):
    go = tf.constant([0, 0])
    gradients = {}
    for update in (True, False):
        with tf.variable_scope("update_%s" % update):
            cell = rnn.OutputProjectionWrapper(rnn.GRUCell(UNITS), TARGET)
            outputs, _ = s2s.embedding_rnn_decoder([go] * 3, tf.zeros([BATCH, UNITS]), cell, TARGET, EMBEDDING,
                                                   feed_previous=True, update_embedding_for_previous=update)
            embedding = [v for v in tf.global_variables() if v.op.name.endswith("/embedding")][-1]
            gradients[update] = tf.gradients(tf.reduce_sum(outputs), embedding)[0]
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        updated, frozen = session.run([gradients[True].indices, gradients[False].indices])
    # Rows looked up: the GO symbols (batch 2), plus the fed-back symbols of steps 1 and 2 only if updated.
    assert (len(updated), len(frozen)) == (6, 2)
    np.testing.assert_array_equal(frozen, [0, 0])
