"""tf.contrib.legacy_seq2seq sequence losses: TF 1.15's math, names and keyword calling convention.

Expected values come from numpy, never from a TensorFlow run. The models and decoders are
tested in test_contrib_legacy_seq2seq_models.py.
"""

import numpy as np
import pytest

from conftest import TF1, tf

STEPS, BATCH, VOCAB = 3, 4, 5


def np_sparse_softmax_ce(logits, labels):
    """-log softmax(logits)[label] per row."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_probs[np.arange(len(labels)), labels]


def np_loss_by_example(logits, targets, weights, average_across_timesteps, step_loss=np_sparse_softmax_ce):
    total = sum(step_loss(l, t) * w for l, t, w in zip(logits, targets, weights))
    if average_across_timesteps:
        total = total / (sum(weights) + 1e-12)
    return total


@pytest.fixture
def data():
    rng = np.random.RandomState(0)
    logits = [rng.randn(BATCH, VOCAB).astype(np.float32) for _ in range(STEPS)]
    targets = [rng.randint(0, VOCAB, size=BATCH).astype(np.int32) for _ in range(STEPS)]
    weights = [rng.rand(BATCH).astype(np.float32) for _ in range(STEPS)]
    weights[1][2] = 0.0  # a padded position
    return logits, targets, weights


def constants(*lists):
    return [[tf.constant(a) for a in arrays] for arrays in lists]


@pytest.mark.parametrize("average_across_timesteps", [True, False])
def test_by_example_default_sparse_softmax_ce(session, data, average_across_timesteps):
    loss = tf.contrib.legacy_seq2seq.sequence_loss_by_example(
        *constants(*data), average_across_timesteps=average_across_timesteps)
    assert loss.shape.as_list() == [BATCH]
    np.testing.assert_allclose(session.run(loss), np_loss_by_example(*data, average_across_timesteps), rtol=1e-5)


def test_by_example_op_names(graph, data):
    seq2seq = tf.contrib.legacy_seq2seq
    assert seq2seq.sequence_loss_by_example(*constants(*data)).op.name == "sequence_loss_by_example/truediv"
    assert seq2seq.sequence_loss_by_example(*constants(*data), name="losses").op.name == "losses/truediv"
    ops = [op.name for op in graph.get_operations()]
    assert "sequence_loss_by_example/SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits" in ops
    assert "sequence_loss_by_example/add/y" in ops  # the 1e-12 guard


def test_all_zero_weights_give_zero_not_nan(session):
    logits, targets = [tf.zeros([2, 3])], [tf.constant([0, 1])]
    loss = tf.contrib.legacy_seq2seq.sequence_loss_by_example(logits, targets, [tf.zeros([2])])
    np.testing.assert_array_equal(session.run(loss), [0.0, 0.0])


def test_scalar_targets_are_reshaped(session):
    # TF 1.x quietly flattens targets for the default loss, so a batch of one may pass a scalar.
    logits = np.array([[1.0, 2.0, 0.5]], np.float32)
    loss = tf.contrib.legacy_seq2seq.sequence_loss_by_example(
        [tf.constant(logits)], [tf.constant(1)], [tf.ones([1])], average_across_timesteps=False)
    np.testing.assert_allclose(session.run(loss), np_sparse_softmax_ce(logits, np.array([1])), rtol=1e-6)


def test_length_mismatch_is_an_error(graph):
    with pytest.raises(ValueError, match="Lengths of logits, weights, and targets must be the same"):
        tf.contrib.legacy_seq2seq.sequence_loss_by_example([tf.zeros([2, 3])] * 2, [tf.constant([0, 1])],
                                                           [tf.ones([2])])


def test_custom_loss_is_called_with_keywords(session, data):
    calls = []

    def recording_loss(*args, **kwargs):
        calls.append((args, sorted(kwargs)))
        return tf.reduce_sum(kwargs["logits"], axis=1) - tf.cast(kwargs["labels"], tf.float32)

    tf.contrib.legacy_seq2seq.sequence_loss_by_example(*constants(*data), softmax_loss_function=recording_loss)
    assert calls == [((), ["labels", "logits"])] * STEPS


def test_custom_loss_with_labels_first_gets_the_right_tensors(session, data):
    # Parameter order (labels, logits) is the reverse of TF 0.x's positional (logits, targets):
    # only a keyword call hands each parameter the right tensor.
    def labels_first(labels, logits):
        return tf.reduce_sum(logits, axis=1) - 2.0 * tf.cast(labels, tf.float32)

    loss = tf.contrib.legacy_seq2seq.sequence_loss_by_example(
        *constants(*data), average_across_timesteps=False, softmax_loss_function=labels_first)
    expected = np_loss_by_example(*data, average_across_timesteps=False,
                                  step_loss=lambda logits, labels: logits.sum(axis=1) - 2.0 * labels)
    np.testing.assert_allclose(session.run(loss), expected, rtol=1e-5)


def test_regression_loss_as_in_the_lstm_tutorial(session):
    """The lstm_regression.py pattern: a method `msr_error(self, logits, labels)`, 1-D float targets."""

    class Model(object):
        def msr_error(self, logits, labels):
            return tf.square(tf.subtract(logits, labels))

    pred = np.linspace(-1, 1, 12).astype(np.float32)
    target = np.cos(np.arange(12)).astype(np.float32)
    losses = tf.contrib.legacy_seq2seq.sequence_loss_by_example(
        [tf.constant(pred)], [tf.constant(target)], [tf.ones([12])],
        average_across_timesteps=True, softmax_loss_function=Model().msr_error, name="losses")
    np.testing.assert_allclose(session.run(losses), (pred - target) ** 2 / (1.0 + 1e-12), rtol=1e-6)


@pytest.mark.parametrize("across_timesteps", [True, False])
@pytest.mark.parametrize("across_batch", [True, False])
def test_sequence_loss_averaging(session, data, across_timesteps, across_batch):
    loss = tf.contrib.legacy_seq2seq.sequence_loss(*constants(*data), average_across_timesteps=across_timesteps,
                                                   average_across_batch=across_batch)
    assert loss.shape.ndims == 0
    expected = np_loss_by_example(*data, average_across_timesteps=across_timesteps).sum()
    if across_batch:
        expected /= BATCH
    np.testing.assert_allclose(session.run(loss), expected, rtol=1e-5)


def test_sequence_loss_names_and_custom_loss(session, data):
    def square(labels, logits):
        return tf.reduce_sum(tf.square(logits), axis=1) * tf.cast(labels, tf.float32)

    loss = tf.contrib.legacy_seq2seq.sequence_loss(*constants(*data), softmax_loss_function=square)
    assert loss.op.name == "sequence_loss/truediv"
    assert "sequence_loss/sequence_loss_by_example/truediv" in [op.name for op in session.graph.get_operations()]
    expected = np_loss_by_example(*data, average_across_timesteps=True,
                                  step_loss=lambda logits, labels: (logits ** 2).sum(axis=1) * labels).sum() / BATCH
    np.testing.assert_allclose(session.run(loss), expected, rtol=1e-5)


def test_an_unknown_name_is_an_attribute_error_naming_it():
    # dynamic_rnn_decoder was tf.contrib.seq2seq's, never legacy_seq2seq's: TF 1.15 has no such name either.
    with pytest.raises(AttributeError, match="" if TF1 else r"tf\.contrib\.legacy_seq2seq\.dynamic_rnn_decoder"):
        tf.contrib.legacy_seq2seq.dynamic_rnn_decoder
