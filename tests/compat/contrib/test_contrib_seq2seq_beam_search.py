"""tf.contrib.seq2seq's beam search: gather_tree and tile_batch against numpy, and
BeamSearchDecoder on a Markov chain whose best sequence is known (and is not the greedy one)."""

import numpy as np
import pytest

import compat.v1 as tf
from seq2seq_reference import numpy_gather_tree

s2s = tf.contrib.seq2seq
EOS, GO = 0, 1


def gather(step_ids, parent_ids, max_lengths, end_token):
    with tf.Graph().as_default(), tf.Session() as session:
        return session.run(s2s.gather_tree(step_ids, parent_ids, max_lengths, end_token))


HAND_STEPS = np.array([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [1, 2, 3]], [[4, 5, 6], [7, 8, 9]],
                       [[9, 9, 9], [9, 9, 9]]], np.int32)  # [time 4, batch 2, beam 3]
HAND_PARENTS = np.array([[[0, 0, 0], [0, 0, 0]], [[2, 1, 0], [0, 2, 1]], [[1, 0, 2], [2, 2, 0]],
                         [[0, 0, 0], [0, 0, 0]]], np.int32)


def test_gather_tree_by_hand():
    # batch 0, beam 0 at time 2 is id 4 with parent 1; beam 1 at time 1 is id 8 (the end token,
    # so time 2 becomes 8 too) with parent 1; beam 1 at time 0 is id 2.
    beams = gather(HAND_STEPS, HAND_PARENTS, [3, 0], end_token=8)
    assert beams[:, 0, 0].tolist() == [2, 8, 8, 8]
    assert beams[:, 0, 1].tolist() == [3, 7, 5, 8]
    assert (beams[:, 1] == 8).all()  # max length 0: all end_token


@pytest.mark.parametrize("seed", [0, 1])
def test_gather_tree_matches_numpy(seed):
    rng = np.random.RandomState(seed)
    steps = rng.randint(0, 6, (5, 3, 4)).astype(np.int32)
    parents = rng.randint(0, 4, (5, 3, 4)).astype(np.int32)
    lengths = np.array([5, 2, 7], np.int32)  # full, short, longer than max_time
    np.testing.assert_array_equal(gather(steps, parents, lengths, 5), numpy_gather_tree(steps, parents, lengths, 5))


def test_gather_tree_rejects_an_invalid_parent():
    parents = HAND_PARENTS.copy()
    parents[1, 0, 0] = 5  # beam width is 3
    with pytest.raises(tf.errors.InvalidArgumentError, match="invalid parent id"):
        gather(HAND_STEPS, parents, [3, 3], end_token=8)


def test_tile_batch_repeats_each_entry_and_keeps_the_structure(graph):
    state = tf.nn.rnn_cell.LSTMStateTuple(tf.constant(np.arange(6.0).reshape(2, 3)), tf.constant([[1], [2]]))
    unknown_batch = tf.placeholder(tf.float32, [None, 4])
    tiled = s2s.tile_batch((state, unknown_batch), multiplier=3)
    assert isinstance(tiled[0], tf.nn.rnn_cell.LSTMStateTuple)
    assert tiled[0].c.shape.as_list() == [6, 3] and tiled[1].shape.as_list() == [None, 4]
    with tf.Session() as session:
        c, h, other = session.run([tiled[0].c, tiled[0].h, tiled[1]], {unknown_batch: np.ones((2, 4))})
    np.testing.assert_array_equal(c, np.repeat(np.arange(6.0).reshape(2, 3), 3, axis=0))
    assert h[:, 0].tolist() == [1, 1, 1, 2, 2, 2] and other.shape == (6, 4)


# --- beam search on a Markov chain -----------------------------------------------------------------

VOCAB = 5
# P(next | token); rows: EOS, GO, 2, 3, 4. Greedy from GO takes 2 (0.5) then EOS: 0.5 * 0.32 = 0.16;
# the best sequence is 3 (0.4) then EOS (0.9): 0.36. From 4 the best is EOS at once (0.5).
PROBS = np.array([[0.96, 0.01, 0.01, 0.01, 0.01],
                  [0.05, 0.0001, 0.5, 0.4, 0.0499],
                  [0.32, 0.0001, 0.30, 0.28, 0.0999],
                  [0.90, 0.0001, 0.0333, 0.0333, 0.0333],
                  [0.50, 0.0001, 0.20, 0.20, 0.0999]], np.float64)
PROBS /= PROBS.sum(axis=1, keepdims=True)
LOG_PROBS = np.log(PROBS).astype(np.float32)


class ChainCell(tf.nn.rnn_cell.RNNCell):
    """No variables: the logits after a one-hot token are its row of LOG_PROBS."""

    @property
    def state_size(self):
        return 1

    @property
    def output_size(self):
        return VOCAB

    def call(self, inputs, state):
        return tf.matmul(inputs, tf.constant(LOG_PROBS)), state + 1.0


def length_penalty(length, weight):
    return ((5.0 + length) / 6.0) ** weight


@pytest.fixture(scope="module", params=[0.0, 0.5], ids=["no_length_penalty", "length_penalty_0.5"])
def beam_result(request):
    weight = request.param
    with tf.Graph().as_default():
        cell = ChainCell()
        start = tf.constant([GO, 4], tf.int32)
        initial = s2s.tile_batch(cell.zero_state(2, tf.float32), 3)
        decoder = s2s.BeamSearchDecoder(cell, np.eye(VOCAB, dtype=np.float32), start, EOS, initial, beam_width=3,
                                        length_penalty_weight=weight)
        outputs, state, lengths = s2s.dynamic_decode(decoder, maximum_iterations=3)
        greedy = s2s.BasicDecoder(cell, s2s.GreedyEmbeddingHelper(np.eye(VOCAB, dtype=np.float32), start, EOS),
                                  cell.zero_state(2, tf.float32))
        greedy_ids = s2s.dynamic_decode(greedy, maximum_iterations=3)[0].sample_id
        with tf.Session() as session:
            fetched = session.run({"ids": outputs.predicted_ids, "scores": outputs.beam_search_decoder_output.scores,
                                   "lengths": state.lengths, "greedy": greedy_ids, "log_probs": state.log_probs})
    fetched["weight"] = weight
    return fetched


def test_beam_search_finds_the_best_sequence_greedy_misses(beam_result):
    assert beam_result["greedy"][0, :2].tolist() == [2, EOS]
    ids = beam_result["ids"]  # [batch, time, beam], best beam first
    assert ids.shape == (2, 3, 3)
    assert ids[0, :, 0].tolist() == [3, EOS, EOS]  # after EOS, padding with EOS
    assert ids[1, :, 0].tolist() == [EOS, EOS, EOS]
    assert beam_result["lengths"][:, 0].tolist() == [2, 1]  # the end token counts


def test_beam_scores_are_log_probs_over_the_length_penalty(beam_result):
    weight = beam_result["weight"]
    best = beam_result["scores"][:, -1, 0]
    expected = [np.log(PROBS[GO, 3] * PROBS[3, EOS]) / length_penalty(2, weight),
                np.log(PROBS[4, EOS]) / length_penalty(1, weight)]
    np.testing.assert_allclose(best, expected, rtol=1e-5)
    # The log-probability itself carries no penalty; finished beams add nothing after EOS.
    np.testing.assert_allclose(beam_result["log_probs"][:, 0],
                               np.log([PROBS[GO, 3] * PROBS[3, EOS], PROBS[4, EOS]]), rtol=1e-5)
    assert (np.diff(beam_result["scores"][:, -1], axis=1) <= 0).all()  # beams sorted best first


def test_beam_search_needs_the_state_tiled(graph):
    cell = ChainCell()
    with pytest.raises(ValueError, match="Cannot reshape a tensor with 2 elements to shape \\[2,3,1\\]"):
        s2s.BeamSearchDecoder(cell, np.eye(VOCAB, dtype=np.float32), tf.constant([GO, 4]), EOS,
                              cell.zero_state(2, tf.float32), beam_width=3)


def test_coverage_penalty_needs_an_attentional_cell(graph):
    cell = ChainCell()
    decoder = s2s.BeamSearchDecoder(cell, np.eye(VOCAB, dtype=np.float32), tf.constant([GO, 4]), EOS,
                                    s2s.tile_batch(cell.zero_state(2, tf.float32), 3), beam_width=3,
                                    coverage_penalty_weight=0.2)
    with pytest.raises(ValueError, match="coverage_penalty_weight must be 0.0 if no cell is attentional"):
        decoder.initialize()
