"""tf.contrib.seq2seq's decoders (no attention) against TF 1.15: an encoder-decoder trained with
TrainingHelper, decoded greedily and by beam search, and the seeded sampling helpers."""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("seq2seq_decoders")

BATCH, SOURCE_STEPS, TARGET_STEPS, VOCAB, EMBED, UNITS = 2, 5, 4, 8, 4, 6
GO, EOS = 1, 0
BEAM_WIDTH, MAX_DECODE = 3, 7


def toy_batch(seed=0):
    """Source ids [batch, time], target ids [batch, time] ending in EOS, target lengths."""
    rng = np.random.RandomState(seed)
    source = rng.randint(2, VOCAB, (BATCH, SOURCE_STEPS)).astype(np.int32)
    target = rng.randint(2, VOCAB, (BATCH, TARGET_STEPS)).astype(np.int32)
    lengths = np.array([TARGET_STEPS, TARGET_STEPS - 1], np.int32)
    for row, length in enumerate(lengths):
        target[row, length - 1:] = EOS
    return source, target, lengths


def encoder_decoder_parts():
    """Embedding, LSTM encoder state, decoder cell and output layer, as the NMT tutorial builds them.
    Initial values are wide (stddev 1) so that decoding is not one repeated token."""
    source, target, lengths = toy_batch()
    wide = tf.random_normal_initializer(stddev=1.0, seed=6)
    embedding = tf.get_variable("embedding", [VOCAB, EMBED], initializer=wide)
    with tf.variable_scope("encoder"):
        _, encoder_state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(UNITS),
                                             tf.nn.embedding_lookup(embedding, source), dtype=tf.float32)
    cell = tf.nn.rnn_cell.BasicLSTMCell(UNITS)
    projection = tf.layers.Dense(VOCAB, use_bias=False, kernel_initializer=wide)
    return embedding, encoder_state, cell, projection, target, lengths


def decoder_inputs(target):
    return np.concatenate([np.full((BATCH, 1), GO, np.int32), target[:, :-1]], axis=1)


@cases.case
def encoder_decoder_greedy_beam():
    s2s = tf.contrib.seq2seq
    embedding, encoder_state, cell, projection, target, lengths = encoder_decoder_parts()
    helper = s2s.TrainingHelper(tf.nn.embedding_lookup(embedding, decoder_inputs(target)), lengths)
    train_outputs, _, _ = s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, encoder_state, output_layer=projection))
    weights = tf.sequence_mask(lengths, TARGET_STEPS, dtype=tf.float32)
    loss = s2s.sequence_loss(train_outputs.rnn_output, tf.constant(target), weights)

    start_tokens = tf.fill([BATCH], GO)
    greedy = s2s.BasicDecoder(cell, s2s.GreedyEmbeddingHelper(embedding, start_tokens, EOS), encoder_state,
                              output_layer=projection)
    greedy_outputs, _, greedy_lengths = s2s.dynamic_decode(greedy, maximum_iterations=MAX_DECODE)
    beam = s2s.BeamSearchDecoder(cell, embedding, start_tokens, EOS, s2s.tile_batch(encoder_state, BEAM_WIDTH),
                                 BEAM_WIDTH, output_layer=projection, length_penalty_weight=0.5)
    beam_outputs, beam_state, beam_lengths = s2s.dynamic_decode(beam, maximum_iterations=MAX_DECODE)
    decoded = {"greedy": greedy_outputs, "greedy_lengths": greedy_lengths, "beam": beam_outputs,
               "beam_lengths": beam_lengths, "beam_log_probs": beam_state.log_probs}
    # decoded with TF 1.15's checkpoint weights, and again after the 5 Adam steps
    return Spec(dict(decoded, train=train_outputs, loss=loss), loss=loss, optimizer=tf.train.AdamOptimizer(0.01),
                steps=5, after_training=decoded)


@cases.case
def sampling_helpers_seeded():
    s2s = tf.contrib.seq2seq
    embedding, encoder_state, cell, projection, target, lengths = encoder_decoder_parts()
    inputs = tf.nn.embedding_lookup(embedding, decoder_inputs(target))
    scheduled_embedding = s2s.ScheduledEmbeddingTrainingHelper(inputs, lengths, embedding, 0.5, seed=3,
                                                               scheduling_seed=4)
    scheduled_output = s2s.ScheduledOutputTrainingHelper(inputs, lengths, 0.5, seed=5,
                                                         next_inputs_fn=lambda out: out[:, :EMBED])
    sample = s2s.SampleEmbeddingHelper(embedding, tf.fill([BATCH], GO), EOS, softmax_temperature=0.7, seed=6)
    outputs = {}
    for name, helper in (("scheduled_embedding", scheduled_embedding), ("scheduled_output", scheduled_output),
                         ("sample", sample)):
        # The helpers' coin flips do not depend on the previous step: with parallel_iterations > 1
        # a later step's may draw first, on TF 1.15 too (docs/seeds.md), so one step at a time.
        decoded, _, decoded_lengths = s2s.dynamic_decode(
            s2s.BasicDecoder(cell, helper, encoder_state, output_layer=projection), maximum_iterations=MAX_DECODE,
            parallel_iterations=1)
        outputs[name] = (decoded, decoded_lengths)
    return Spec(outputs)
