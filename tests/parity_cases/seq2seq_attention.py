"""tf.contrib.seq2seq's attention against TF 1.15: AttentionWrapper in tf.nn.dynamic_rnn with each
mechanism and option, and attention encoder-decoders (Bahdanau, Luong) trained with Adam, decoded
greedily and by beam search, as the NMT tutorial and text-summarization-tensorflow build them
(mechanism and decoding inside a "decoder" variable scope; in one graph here, so inference
re-enters that scope with reuse=True and the beam search's new mechanism and wrapper, built on the
tiled memory, find the trained variables)."""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("seq2seq_attention")

BATCH, MEMORY_TIME, MEMORY_DEPTH, STEPS, INPUT, UNITS = 2, 4, 3, 3, 2, 5
VOCAB, EMBED, SOURCE_STEPS, TARGET_STEPS = 8, 4, 5, 4
GO, EOS = 1, 0
BEAM_WIDTH, MAX_DECODE = 3, 6


def constant(shape, seed):
    return tf.constant(np.random.RandomState(seed).randn(*shape).astype(np.float32))


def memory_and_inputs():
    return constant((BATCH, MEMORY_TIME, MEMORY_DEPTH), 0), constant((BATCH, STEPS, INPUT), 1)


def run_wrapper(wrapper, inputs, initial_state=None, parallel_iterations=None):
    """dynamic_rnn over the wrapper; the final state with its alignment histories stacked."""
    outputs, state = tf.nn.dynamic_rnn(wrapper, inputs, initial_state=initial_state, dtype=tf.float32,
                                       parallel_iterations=parallel_iterations, scope="decoder")
    histories = tf.nest.map_structure(lambda h: h.stack(), state.alignment_history)
    return outputs, state._replace(alignment_history=histories)


def trained(outputs, state, steps=3):
    loss = tf.reduce_mean(tf.square(outputs[:, -1] - 0.5))
    return Spec({"outputs": outputs, "state": state}, loss=loss, optimizer=tf.train.GradientDescentOptimizer(0.5),
                steps=steps)


@cases.case
def bahdanau_normalized_lstm_history():
    memory, inputs = memory_and_inputs()
    mechanism = tf.contrib.seq2seq.BahdanauAttention(UNITS, memory, memory_sequence_length=[4, 2], normalize=True)
    wrapper = tf.contrib.seq2seq.AttentionWrapper(tf.nn.rnn_cell.BasicLSTMCell(UNITS), mechanism,
                                                  attention_layer_size=3, alignment_history=True)
    return trained(*run_wrapper(wrapper, inputs))


@cases.case
def luong_scaled_gru_cell_output():
    memory, inputs = memory_and_inputs()
    mechanism = tf.contrib.seq2seq.LuongAttention(UNITS, memory, memory_sequence_length=[3, 4], scale=True)
    wrapper = tf.contrib.seq2seq.AttentionWrapper(tf.nn.rnn_cell.GRUCell(UNITS), mechanism, output_attention=False)
    return trained(*run_wrapper(wrapper, inputs))


@cases.case
def monotonic_pair_initial_cell_state():
    """Two monotonic mechanisms at once (recursive with seeded noise, parallel), an attention layer
    per mechanism, initial_cell_state, and a hard monotonic_attention beside them."""
    s2s = tf.contrib.seq2seq
    memory, inputs = memory_and_inputs()
    bahdanau = s2s.BahdanauMonotonicAttention(UNITS, memory, memory_sequence_length=[4, 3], normalize=True,
                                              sigmoid_noise=0.5, sigmoid_noise_seed=11, score_bias_init=-1.0,
                                              mode="recursive")
    luong = s2s.LuongMonotonicAttention(UNITS, memory, scale=True, mode="parallel")
    wrapper = s2s.AttentionWrapper(tf.nn.rnn_cell.BasicRNNCell(UNITS), [bahdanau, luong], attention_layer_size=[2, 3],
                                   alignment_history=True, initial_cell_state=tf.fill([BATCH, UNITS], 0.1))
    # One iteration at a time: the noise op of step t+1 does not wait for step t, so with parallel
    # iterations the steps can draw from its random stream in either order (on TF 1.15 too).
    outputs, state = run_wrapper(wrapper, inputs, initial_state=wrapper.zero_state(BATCH, tf.float32),
                                 parallel_iterations=1)
    spec = trained(outputs, state)
    choose = tf.constant([[0, 1, 1, 0], [0, 0, 1, 1]], tf.float32)
    spec.outputs["hard"] = s2s.monotonic_attention(choose, tf.one_hot([2, 0], MEMORY_TIME), "hard")
    return spec


# --- attention encoder-decoders -----------------------------------------------------------------


def toy_batch(seed=0):
    """Source ids and lengths, target ids ending in EOS and their lengths."""
    rng = np.random.RandomState(seed)
    source = rng.randint(2, VOCAB, (BATCH, SOURCE_STEPS)).astype(np.int32)
    source_lengths = np.array([SOURCE_STEPS, SOURCE_STEPS - 2], np.int32)
    target = rng.randint(2, VOCAB, (BATCH, TARGET_STEPS)).astype(np.int32)
    target_lengths = np.array([TARGET_STEPS, TARGET_STEPS - 1], np.int32)
    for row, length in enumerate(target_lengths):
        target[row, length - 1:] = EOS
    return source, source_lengths, target, target_lengths


class EncoderDecoder(object):
    """Embedding, LSTM encoder over the source, and a decoder LSTM wrapped with attention, as the
    NMT tutorial builds them. batch_size is an int, or a fed placeholder (the summarization
    script's pattern: zero_state and clone then check shapes at run time); time_major trains
    with time-major decoder inputs and outputs."""

    def __init__(self, make_mechanism, batch_size, time_major):
        self.make_mechanism = make_mechanism
        self.batch_size = batch_size
        source, self.source_lengths, self.target, self.target_lengths = toy_batch()
        wide = tf.random_normal_initializer(stddev=1.0, seed=7)  # wide: decoding is not one repeated token
        self.embedding = tf.get_variable("embedding", [VOCAB, EMBED], initializer=wide)
        with tf.variable_scope("encoder"):
            self.memory, self.encoder_state = tf.nn.dynamic_rnn(
                tf.nn.rnn_cell.BasicLSTMCell(UNITS), tf.nn.embedding_lookup(self.embedding, source),
                sequence_length=self.source_lengths, dtype=tf.float32)
        self.cell = tf.nn.rnn_cell.BasicLSTMCell(UNITS)
        self.projection = tf.layers.Dense(VOCAB, use_bias=False, kernel_initializer=wide, name="output_projection")
        with tf.variable_scope("decoder") as decoder_scope:
            self.wrapper, self.initial_state = self.attention_decoder(
                self.memory, self.source_lengths, self.encoder_state, batch_size)
            self.train_outputs = self.train(decoder_scope, time_major)
        weights = tf.sequence_mask(self.target_lengths, TARGET_STEPS, dtype=tf.float32)
        self.loss = tf.contrib.seq2seq.sequence_loss(self.train_outputs.rnn_output, tf.constant(self.target), weights)

    def attention_decoder(self, memory, source_lengths, encoder_state, batch_size):
        """The AttentionWrapper and its initial state, the encoder's state cloned in."""
        mechanism = self.make_mechanism(UNITS, memory, memory_sequence_length=source_lengths)
        wrapper = tf.contrib.seq2seq.AttentionWrapper(self.cell, mechanism, attention_layer_size=UNITS)
        return wrapper, wrapper.zero_state(batch_size, tf.float32).clone(cell_state=encoder_state)

    def train(self, decoder_scope, time_major):
        s2s = tf.contrib.seq2seq
        decoder_inputs = np.concatenate([np.full((BATCH, 1), GO, np.int32), self.target[:, :-1]], axis=1)
        inputs = tf.nn.embedding_lookup(self.embedding, decoder_inputs)
        if time_major:
            inputs = tf.transpose(inputs, [1, 0, 2])
        helper = s2s.TrainingHelper(inputs, self.target_lengths, time_major=time_major)
        outputs, _, _ = s2s.dynamic_decode(s2s.BasicDecoder(self.wrapper, helper, self.initial_state,
                                                            output_layer=self.projection),
                                           output_time_major=time_major, scope=decoder_scope)
        if time_major:
            outputs = outputs._replace(rnn_output=tf.transpose(outputs.rnn_output, [1, 0, 2]),
                                       sample_id=tf.transpose(outputs.sample_id))
        return outputs

    def decode(self, decoder_scope):
        """Greedy decoding with the training wrapper; beam search with a new mechanism and
        wrapper on the memory, lengths and encoder state tiled beam-width times."""
        s2s = tf.contrib.seq2seq
        start_tokens = tf.fill([self.batch_size], GO)
        greedy = s2s.BasicDecoder(self.wrapper, s2s.GreedyEmbeddingHelper(self.embedding, start_tokens, EOS),
                                  self.initial_state, output_layer=self.projection)
        greedy_outputs, _, greedy_lengths = s2s.dynamic_decode(greedy, maximum_iterations=MAX_DECODE,
                                                               scope=decoder_scope)
        tile = lambda t: s2s.tile_batch(t, BEAM_WIDTH)  # noqa: E731
        beam_wrapper, beam_initial_state = self.attention_decoder(
            tile(self.memory), tile(self.source_lengths), tile(self.encoder_state), self.batch_size * BEAM_WIDTH)
        beam = s2s.BeamSearchDecoder(beam_wrapper, self.embedding, start_tokens, EOS, beam_initial_state,
                                     BEAM_WIDTH, output_layer=self.projection, length_penalty_weight=0.5)
        beam_outputs, beam_state, beam_lengths = s2s.dynamic_decode(beam, maximum_iterations=MAX_DECODE,
                                                                    scope=decoder_scope)
        return {"greedy": greedy_outputs, "greedy_lengths": greedy_lengths, "beam": beam_outputs,
                "beam_lengths": beam_lengths, "beam_log_probs": beam_state.log_probs}


def encoder_decoder(make_mechanism, batch_size=BATCH, time_major=False, feed=None):
    """Train (sequence_loss, 5 Adam steps); decode greedily and by beam search (in one graph, so
    inference re-enters the "decoder" scope with reuse=True)."""
    model = EncoderDecoder(make_mechanism, batch_size, time_major)
    with tf.variable_scope("decoder", reuse=True) as decoder_scope:
        decoded = model.decode(decoder_scope)
    # decoded with TF 1.15's checkpoint weights, and again after the 5 Adam steps
    return Spec(dict(decoded, train=model.train_outputs, loss=model.loss), loss=model.loss,
                optimizer=tf.train.AdamOptimizer(0.01), steps=5, feed=feed, after_training=decoded)


@cases.case
def encoder_decoder_bahdanau():
    """Normalized Bahdanau, batch size fed, time-major training: text-summarization-tensorflow's model."""
    batch_size = tf.placeholder(tf.int32, [], name="batch_size")
    return encoder_decoder(lambda *args, **kwargs: tf.contrib.seq2seq.BahdanauAttention(*args, normalize=True,
                                                                                         **kwargs),
                           batch_size=batch_size, time_major=True, feed={batch_size: BATCH})


@cases.case
def encoder_decoder_luong():
    """Scaled Luong, static batch size: the NMT tutorial's scaled_luong."""
    return encoder_decoder(lambda *args, **kwargs: tf.contrib.seq2seq.LuongAttention(*args, scale=True, **kwargs))
