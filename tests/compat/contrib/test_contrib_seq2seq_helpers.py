"""tf.contrib.seq2seq's Helpers and dynamic_decode, on a cell without variables whose outputs
are known in advance: output = one-hot input @ table (so a token's logits are its table row),
state = the number of steps taken."""

import numpy as np
import pytest

import compat.v1 as tf

s2s = tf.contrib.seq2seq
EOS, GO = 0, 1
VOCAB = 5
ONE_HOT = np.eye(VOCAB, dtype=np.float32)  # the "embedding": token t -> one-hot row t


class TableCell(tf.nn.rnn_cell.RNNCell):
    """No variables: output = inputs @ table; the [batch, 1] state counts the steps."""

    def __init__(self, table):
        super(TableCell, self).__init__()
        self._table = np.asarray(table, np.float32)

    @property
    def state_size(self):
        return 1

    @property
    def output_size(self):
        return self._table.shape[1]

    def call(self, inputs, state):
        return tf.matmul(inputs, tf.constant(self._table)), state + 1.0


def next_token_table(successor):
    """Logits whose argmax after token t is successor[t] (margin 5)."""
    table = np.full((VOCAB, VOCAB), -5.0, np.float32)
    table[np.arange(VOCAB), successor] = 0.0
    return table


# GO -> 2 -> 3 -> EOS; 4 -> EOS; EOS -> EOS
CHAIN = next_token_table([EOS, 2, 3, EOS, EOS])
# GO -> 2 -> 3 -> 2 -> ... never ends
LOOP = next_token_table([EOS, 2, 3, 2, 2])


def run(*fetches):
    with tf.Session() as session:
        return session.run(list(fetches))


def greedy_decode(table, start_tokens, **kwargs):
    cell = TableCell(table)
    helper = s2s.GreedyEmbeddingHelper(ONE_HOT, tf.constant(start_tokens, tf.int32), EOS)
    decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(len(start_tokens), tf.float32))
    return s2s.dynamic_decode(decoder, **kwargs)


@pytest.mark.parametrize("impute_finished", [False, True])
def test_greedy_stops_at_end_token(graph, impute_finished):
    outputs, state, lengths = greedy_decode(CHAIN, [GO, 4], impute_finished=impute_finished)
    ids, logits, steps, lengths = run(outputs.sample_id, outputs.rnn_output, state, lengths)
    assert ids[0].tolist() == [2, 3, EOS]
    assert ids[1, 0] == EOS
    assert lengths.tolist() == [3, 1]
    np.testing.assert_allclose(logits[0], CHAIN[[GO, 2, 3]])
    if impute_finished:  # after its end, row 1 emits zeros and keeps its state
        np.testing.assert_array_equal(logits[1, 1:], 0.0)
        np.testing.assert_array_equal(ids[1, 1:], 0)
        assert steps[:, 0].tolist() == [3.0, 1.0]
    else:  # the loop ran on for row 0; row 1's cell kept stepping
        assert np.abs(logits[1, 1:]).max() > 0
        assert steps[:, 0].tolist() == [3.0, 3.0]


def test_maximum_iterations_stops_an_endless_decoder(graph):
    outputs, state, lengths = greedy_decode(LOOP, [GO, 3], maximum_iterations=4)
    ids, steps, lengths = run(outputs.sample_id, state, lengths)
    assert ids.tolist() == [[2, 3, 2, 3], [2, 3, 2, 3]]
    assert lengths.tolist() == [4, 4]
    assert steps[:, 0].tolist() == [4.0, 4.0]


def test_maximum_iterations_zero_decodes_nothing(graph):
    outputs, _, lengths = greedy_decode(LOOP, [GO, 3], maximum_iterations=0)
    ids, lengths = run(outputs.sample_id, lengths)
    assert ids.shape == (2, 0) and lengths.tolist() == [0, 0]


def test_output_time_major(graph):
    outputs, _, _ = greedy_decode(CHAIN, [GO, 4], output_time_major=True)
    assert run(outputs.sample_id)[0][:, 0].tolist() == [2, 3, EOS]


def test_inference_helper_with_custom_functions_decodes_like_greedy(graph):
    cell = TableCell(CHAIN)
    helper = s2s.InferenceHelper(
        sample_fn=lambda outputs: tf.argmax(outputs, -1, output_type=tf.int32), sample_shape=[],
        sample_dtype=tf.int32, start_inputs=tf.constant(ONE_HOT[[GO, 4]]),
        end_fn=lambda ids: tf.equal(ids, EOS), next_inputs_fn=lambda ids: tf.one_hot(ids, VOCAB))
    outputs, _, lengths = s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32)))
    ids, lengths = run(outputs.sample_id, lengths)
    assert ids[0].tolist() == [2, 3, EOS] and lengths.tolist() == [3, 1]


# --- training helpers: ground-truth tokens [batch, time] fed as one-hot rows --------------------

TRUTH = np.array([[GO, 4, 2, 3], [GO, 3, 4, 0]], np.int32)
TRUTH_LENGTHS = [4, 3]


def train_decode(helper, table=CHAIN):
    cell = TableCell(table)
    return s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32)))


@pytest.mark.parametrize("time_major", [False, True])
def test_training_helper_feeds_ground_truth(graph, time_major):
    inputs = ONE_HOT[TRUTH].transpose(1, 0, 2) if time_major else ONE_HOT[TRUTH]
    outputs, _, lengths = train_decode(s2s.TrainingHelper(tf.constant(inputs), TRUTH_LENGTHS, time_major=time_major))
    logits, ids, lengths = run(outputs.rnn_output, outputs.sample_id, lengths)
    np.testing.assert_allclose(logits[0], CHAIN[TRUTH[0]])
    np.testing.assert_allclose(logits[1, :3], CHAIN[TRUTH[1, :3]])
    np.testing.assert_array_equal(ids, logits.argmax(-1))
    assert lengths.tolist() == TRUTH_LENGTHS


def test_training_helper_refuses_a_matrix_of_lengths(graph):
    with pytest.raises(ValueError, match="Expected sequence_length to be a vector"):
        s2s.TrainingHelper(tf.constant(ONE_HOT[TRUTH]), [TRUTH_LENGTHS])


@pytest.mark.parametrize("probability", [0.0, 1.0])
def test_scheduled_embedding_helper(graph, probability):
    helper = s2s.ScheduledEmbeddingTrainingHelper(tf.constant(ONE_HOT[TRUTH]), [4, 4], ONE_HOT, probability, seed=1,
                                                  scheduling_seed=2)
    outputs, _, _ = train_decode(helper)
    logits, ids = run(outputs.rnn_output, outputs.sample_id)
    if probability == 0.0:  # never samples: -1 ids, ground truth fed
        assert (ids == -1).all()
        np.testing.assert_allclose(logits, CHAIN[TRUTH])
    else:  # always samples: the next input is the sampled token
        assert ((ids >= 0) & (ids < VOCAB)).all()
        np.testing.assert_allclose(logits[:, 1:], CHAIN[ids[:, :-1]])


@pytest.mark.parametrize("probability", [0.0, 1.0])
def test_scheduled_output_helper(graph, probability):
    table = np.random.RandomState(3).uniform(-0.5, 0.5, (VOCAB, VOCAB)).astype(np.float32)
    helper = s2s.ScheduledOutputTrainingHelper(tf.constant(ONE_HOT[TRUTH]), [4, 4], probability, seed=1)
    outputs, _, _ = train_decode(helper, table)
    logits, used_output = run(outputs.rnn_output, outputs.sample_id)
    if probability == 0.0:
        assert (used_output == 0).all()
        np.testing.assert_allclose(logits, table[TRUTH], rtol=1e-6)
    else:  # the next input is the output itself
        assert (used_output == 1).all()
        np.testing.assert_allclose(logits[:, 1:], np.einsum("btv,vw->btw", logits[:, :-1], table), rtol=1e-5)


def sampled_ids(temperature, seed):
    with tf.Graph().as_default():
        tf.set_random_seed(1234)
        cell = TableCell(np.random.RandomState(4).uniform(-1, 1, (VOCAB, VOCAB)))
        helper = s2s.SampleEmbeddingHelper(ONE_HOT, tf.fill([4], GO), EOS, softmax_temperature=temperature,
                                           seed=seed)
        outputs, _, _ = s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, cell.zero_state(4, tf.float32)),
                                           maximum_iterations=6)
        greedy = tf.argmax(outputs.rnn_output, -1, output_type=tf.int32)
        return run(outputs.sample_id, greedy)


def test_sample_embedding_helper_is_reproducible_with_a_seed():
    """Cross-runtime equality of the seeded draws is the golden seq2seq_decoders/sampling_helpers_seeded."""
    first, _ = sampled_ids(1.0, seed=5)
    again, _ = sampled_ids(1.0, seed=5)
    np.testing.assert_array_equal(first, again)
    assert ((first >= 0) & (first < VOCAB)).all()
    assert len(set(first.ravel().tolist())) > 1  # really sampling, not argmax


def test_sample_embedding_helper_at_low_temperature_is_greedy():
    ids, greedy = sampled_ids(1e-4, seed=5)
    np.testing.assert_array_equal(ids, greedy)


def test_custom_helper_batch_size_known_after_initialize(graph):
    helper = s2s.CustomHelper(lambda: (tf.zeros([3], tf.bool), tf.zeros([3, VOCAB])),
                              lambda time, outputs, state: tf.zeros([3], tf.int32),
                              lambda time, outputs, state, sample_ids: (tf.ones([3], tf.bool), outputs, state))
    with pytest.raises(ValueError, match="batch_size accessed before initialize"):
        helper.batch_size
    helper.initialize()
    assert run(helper.batch_size) == [3]
