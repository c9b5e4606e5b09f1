"""tf.contrib.seq2seq.AttentionWrapper: a numpy re-run of its steps, its state (shapes, alignment
history, clone) and options, TF 1.15's variable names. Runs on both runtimes (see conftest.py)."""

import numpy as np
import pytest

import compat.v1 as tf

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")

BATCH, MEMORY_TIME, MEMORY_DEPTH, UNITS, STEPS, INPUT, ATTENTION = 2, 4, 3, 4, 3, 2, 3
LENGTHS = np.array([4, 2], np.int32)
RNG = np.random.RandomState(1)
MEMORY = RNG.randn(BATCH, MEMORY_TIME, MEMORY_DEPTH).astype(np.float32)
INPUTS = RNG.randn(BATCH, STEPS, INPUT).astype(np.float32)


def softmax(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class Wrapped(object):
    """The wrappers under test, in one graph: `luong` (BasicRNNCell, Luong attention with lengths,
    attention layer, alignment history) run by tf.nn.dynamic_rnn in scope "luong_decoder", and the
    variants built beside it (`multi` in scope "decoder")."""

    def __init__(self):
        s2s = tf.contrib.seq2seq
        self.graph = tf.Graph()
        with self.graph.as_default():
            tf.set_random_seed(3)
            memory = tf.constant(MEMORY)
            self.mechanism = s2s.LuongAttention(UNITS, memory, memory_sequence_length=LENGTHS)
            self.cell = tf.nn.rnn_cell.BasicRNNCell(UNITS)
            self.wrapper = s2s.AttentionWrapper(self.cell, self.mechanism, attention_layer_size=ATTENTION,
                                                alignment_history=True)
            self.zero = self.wrapper.zero_state(BATCH, tf.float32)
            self.outputs, self.state = tf.nn.dynamic_rnn(self.wrapper, tf.constant(INPUTS), initial_state=self.zero,
                                                         dtype=tf.float32, scope="luong_decoder")
            self.history = self.state.alignment_history.stack()

            bahdanau = s2s.BahdanauAttention(UNITS, memory, memory_sequence_length=LENGTHS)
            self.multi = s2s.AttentionWrapper(tf.nn.rnn_cell.GRUCell(UNITS), [bahdanau, self.mechanism],
                                              attention_layer_size=[2, ATTENTION], output_attention=False,
                                              cell_input_fn=lambda inputs, attention: inputs)
            self.multi_outputs, self.multi_state = tf.nn.dynamic_rnn(
                self.multi, tf.constant(INPUTS), dtype=tf.float32, scope="decoder")
            self.no_layer = s2s.AttentionWrapper(tf.nn.rnn_cell.BasicRNNCell(UNITS), self.mechanism)
            self.own_layer = s2s.AttentionWrapper(tf.nn.rnn_cell.BasicRNNCell(UNITS), self.mechanism,
                                                  attention_layer=tf.layers.Dense(5, name="my_attention"))
            self.variables = {v.op.name: v for v in tf.global_variables()}
            self.session = tf.Session(graph=self.graph)
            self.session.run(tf.global_variables_initializer())

    def value(self, name):
        return self.session.run(self.variables[name])


@pytest.fixture(scope="module")
def wrapped():
    built = Wrapped()
    yield built
    built.session.close()


def test_steps_match_numpy(wrapped):
    """Each step: cell([input, previous attention]); Luong alignments of the cell output over the
    masked memory; attention = attention_layer([cell output, alignments . memory])."""
    kernel = wrapped.value("luong_decoder/attention_wrapper/basic_rnn_cell/kernel")
    bias = wrapped.value("luong_decoder/attention_wrapper/basic_rnn_cell/bias")
    memory_kernel = wrapped.session.run(wrapped.mechanism.memory_layer.kernel)
    attention_kernel = wrapped.value("luong_decoder/attention_wrapper/attention_layer/kernel")
    keep = np.arange(MEMORY_TIME)[None, :] < LENGTHS[:, None]
    values = MEMORY * keep[:, :, None]
    keys = values @ memory_kernel
    state, attention = np.zeros((BATCH, UNITS)), np.zeros((BATCH, ATTENTION))
    outputs, history = [], []
    for t in range(STEPS):
        state = np.tanh(np.concatenate([INPUTS[:, t], attention, state], 1) @ kernel + bias)
        alignments = softmax(np.where(keep, np.einsum("bu,btu->bt", state, keys), -np.inf))
        context = np.einsum("bt,btd->bd", alignments, values)
        attention = np.concatenate([state, context], 1) @ attention_kernel
        outputs.append(attention)
        history.append(alignments)
    final = wrapped.state._replace(alignment_history=())  # a TensorArray: fetched stacked
    actual_outputs, actual_state, actual_history = wrapped.session.run([wrapped.outputs, final, wrapped.history])
    np.testing.assert_allclose(actual_outputs, np.stack(outputs, 1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(actual_history, np.stack(history), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(actual_state.cell_state, state, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(actual_state.attention, attention, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(actual_state.alignments, history[-1], rtol=1e-5, atol=1e-6)
    assert actual_state.time == STEPS
    assert np.all(actual_history[:, 1, 2:] == 0.0), "no attention past memory_sequence_length"


def test_sizes_and_zero_state(wrapped):
    wrapper = wrapped.wrapper
    assert wrapper.output_size == ATTENTION
    size = wrapper.state_size
    assert (size.cell_state, size.attention, size.alignments, size.attention_state, size.alignment_history) == (
        UNITS, ATTENTION, MEMORY_TIME, MEMORY_TIME, MEMORY_TIME)
    assert size.time.as_list() == []
    zero = wrapped.zero
    assert [zero.cell_state.shape.as_list(), zero.attention.shape.as_list(), zero.alignments.shape.as_list()] == [
        [BATCH, UNITS], [BATCH, ATTENTION], [BATCH, MEMORY_TIME]]
    assert isinstance(zero.alignment_history, tf.TensorArray)
    values = wrapped.session.run([zero.cell_state, zero.attention, zero.time, zero.alignments])
    assert all(np.all(v == 0) for v in values)
    assert wrapped.outputs.shape.as_list() == [BATCH, STEPS, ATTENTION]
    assert wrapped.no_layer.output_size == MEMORY_DEPTH, "without a layer the attention is the context"
    assert wrapped.own_layer.output_size == 5


def test_several_mechanisms_cell_input_fn_output_attention(wrapped):
    multi = wrapped.multi
    assert multi.output_size == UNITS, "output_attention=False outputs the cell's output"
    assert multi.state_size.attention == 2 + ATTENTION
    outputs, state = wrapped.session.run([wrapped.multi_outputs, wrapped.multi_state])
    assert outputs.shape == (BATCH, STEPS, UNITS)
    np.testing.assert_allclose(outputs[:, -1], state.cell_state, rtol=1e-6)
    assert isinstance(state.alignments, tuple) and len(state.alignments) == 2
    assert state.attention.shape == (BATCH, 2 + ATTENTION)
    for alignments in state.alignments:
        np.testing.assert_allclose(alignments.sum(axis=1), 1.0, rtol=1e-5)
    assert state.alignment_history == ((), ())
    # cell_input_fn ignored the attention: the GRU's kernel takes only the inputs and its state
    assert wrapped.variables["decoder/attention_wrapper/gru_cell/gates/kernel"].shape.as_list() == [
        INPUT + UNITS, 2 * UNITS]


def test_variable_names_are_tf115s(wrapped):
    shapes = {name: v.shape.as_list() for name, v in wrapped.variables.items()}
    expected = {
        "memory_layer/kernel": [MEMORY_DEPTH, UNITS],
        "memory_layer_1/kernel": [MEMORY_DEPTH, UNITS],
        "luong_decoder/attention_wrapper/basic_rnn_cell/kernel": [INPUT + ATTENTION + UNITS, UNITS],
        "luong_decoder/attention_wrapper/attention_layer/kernel": [UNITS + MEMORY_DEPTH, ATTENTION],
        "decoder/attention_wrapper/bahdanau_attention/query_layer/kernel": [UNITS, UNITS],
        "decoder/attention_wrapper/bahdanau_attention/attention_v": [UNITS],
        "decoder/attention_wrapper/attention_layer/kernel": [UNITS + MEMORY_DEPTH, 2],
        "decoder/attention_wrapper/attention_layer_1/kernel": [UNITS + MEMORY_DEPTH, ATTENTION],
        "decoder/attention_wrapper/gru_cell/candidate/kernel": [INPUT + UNITS, UNITS],
    }
    assert {name: shapes.get(name) for name in expected} == expected
    assert not any("luong_attention" in name for name in shapes), "unscaled Luong attention has no variables"


def test_clone_replaces_and_checks_shapes():
    s2s = tf.contrib.seq2seq
    with tf.Graph().as_default():
        mechanism = s2s.LuongAttention(UNITS, tf.constant(MEMORY))
        wrapper = s2s.AttentionWrapper(tf.nn.rnn_cell.BasicLSTMCell(UNITS), mechanism)
        zero = wrapper.zero_state(BATCH, tf.float32)
        encoder_state = tf.nn.rnn_cell.LSTMStateTuple(tf.ones([BATCH, UNITS]), 2 * tf.ones([BATCH, UNITS]))
        cloned = zero.clone(cell_state=encoder_state)
        assert isinstance(cloned, s2s.AttentionWrapperState)
        assert cloned.attention is zero.attention and cloned.alignments is zero.alignments
        with pytest.raises(ValueError, match="Invalid shape for tensor"):
            zero.clone(attention=tf.zeros([BATCH, UNITS + 1]))
        # a tensor of unknown shape gets the old static shape, and an Assert checks it when run
        unknown = tf.placeholder(tf.float32, [None, None])
        dynamic = zero.clone(attention=unknown)
        assert dynamic.attention.shape.as_list() == [BATCH, MEMORY_DEPTH]
        with tf.Session() as session:
            c, h = session.run(cloned.cell_state)
            np.testing.assert_array_equal(c, np.ones([BATCH, UNITS]))
            np.testing.assert_array_equal(h, np.full([BATCH, UNITS], 2.0))
            ok = session.run(dynamic.attention, {unknown: np.ones([BATCH, MEMORY_DEPTH])})
            np.testing.assert_array_equal(ok, np.ones([BATCH, MEMORY_DEPTH]))
            with pytest.raises(tf.errors.InvalidArgumentError, match="Wrong shape"):
                session.run(dynamic.attention, {unknown: np.ones([BATCH, MEMORY_DEPTH + 1])})


def test_initial_cell_state_and_batch_checks():
    s2s = tf.contrib.seq2seq
    with tf.Graph().as_default():
        mechanism = s2s.BahdanauAttention(UNITS, tf.constant(MEMORY))
        initial = tf.fill([BATCH, UNITS], 0.5)
        wrapper = s2s.AttentionWrapper(tf.nn.rnn_cell.GRUCell(UNITS), mechanism, initial_cell_state=initial)
        batch = tf.placeholder(tf.int32, [])
        zero = wrapper.zero_state(batch, tf.float32)
        with tf.Session() as session:
            np.testing.assert_array_equal(session.run(zero.cell_state, {batch: BATCH}), np.full([BATCH, UNITS], 0.5))
            with pytest.raises(tf.errors.InvalidArgumentError, match="Non-matching batch sizes"):
                session.run(zero.cell_state, {batch: 3 * BATCH})


def test_bad_arguments_are_tf115s_errors():
    s2s = tf.contrib.seq2seq
    with tf.Graph().as_default():
        mechanism = s2s.LuongAttention(UNITS, tf.constant(MEMORY))
        cell = tf.nn.rnn_cell.BasicRNNCell(UNITS)
        with pytest.raises(TypeError, match="attention_mechanism must be an AttentionMechanism"):
            s2s.AttentionWrapper(cell, "luong")
        with pytest.raises(TypeError, match="attention_mechanism must contain only instances of AttentionMechanism"):
            s2s.AttentionWrapper(cell, [mechanism, "luong"])
        with pytest.raises(ValueError, match="Only one of attention_layer_size and attention_layer"):
            s2s.AttentionWrapper(cell, mechanism, attention_layer_size=3, attention_layer=tf.layers.Dense(3))
        with pytest.raises(ValueError, match="exactly one integer per attention_mechanism, saw: 2 vs 1"):
            s2s.AttentionWrapper(cell, mechanism, attention_layer_size=[3, 3])
        with pytest.raises(TypeError, match="cell_input_fn must be callable"):
            s2s.AttentionWrapper(cell, mechanism, cell_input_fn=3)
        with pytest.raises(TypeError, match="is not an RNNCell"):
            s2s.AttentionWrapper("cell", mechanism)
        wrapper = s2s.AttentionWrapper(cell, mechanism)
        with pytest.raises(TypeError, match="Expected state to be instance of AttentionWrapperState"):
            wrapper(tf.constant(INPUTS[:, 0]), tf.zeros([BATCH, UNITS]))


def test_nmt_greedy_inference_pattern():
    """tensorflow/nmt's attention_model in greedy inference: the wrapper named "attention" inside
    a DeviceWrapper, alignment_history on, decoded by dynamic_decode; the alignment image is
    final_state.alignment_history.stack()."""
    s2s = tf.contrib.seq2seq
    vocab, steps = 6, 4
    with tf.Graph().as_default():
        tf.set_random_seed(2)
        embedding = tf.get_variable("embedding", [vocab, INPUT])
        with tf.variable_scope("decoder") as decoder_scope:
            mechanism = s2s.LuongAttention(UNITS, tf.constant(MEMORY), memory_sequence_length=LENGTHS, scale=True)
            cell = s2s.AttentionWrapper(tf.nn.rnn_cell.BasicLSTMCell(UNITS), mechanism, attention_layer_size=UNITS,
                                        alignment_history=True, output_attention=True, name="attention")
            cell = tf.contrib.rnn.DeviceWrapper(cell, "/cpu:0")
            encoder_state = tf.nn.rnn_cell.LSTMStateTuple(tf.ones([BATCH, UNITS]), tf.zeros([BATCH, UNITS]))
            initial_state = cell.zero_state(BATCH, tf.float32).clone(cell_state=encoder_state)
            helper = s2s.GreedyEmbeddingHelper(embedding, tf.fill([BATCH], 1), 0)
            projection = tf.layers.Dense(vocab, use_bias=False, name="output_projection")
            decoder = s2s.BasicDecoder(cell, helper, initial_state, output_layer=projection)
            outputs, final_state, lengths = s2s.dynamic_decode(decoder, maximum_iterations=steps, scope=decoder_scope)
        image = final_state.alignment_history.stack()
        names = {v.op.name for v in tf.global_variables()}
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            image, sample_id, lengths = session.run([image, outputs.sample_id, lengths])
    assert {"decoder/memory_layer/kernel", "decoder/attention/luong_attention/attention_g",
            "decoder/attention/attention_layer/kernel", "decoder/attention/basic_lstm_cell/kernel"} <= names
    assert image.shape == (sample_id.shape[1], BATCH, MEMORY_TIME)
    np.testing.assert_allclose(image.sum(axis=2), 1.0, rtol=1e-5)
    assert np.all(image[:, 1, 2:] == 0.0)
    assert np.all(lengths <= steps)
