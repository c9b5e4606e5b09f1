"""tf.contrib.seq2seq.sequence_loss: every reduction mode against a numpy reference."""

import numpy as np
import pytest

import compat.v1 as tf

BATCH, STEPS, CLASSES = 2, 3, 4
RNG = np.random.RandomState(0)
LOGITS = RNG.randn(BATCH, STEPS, CLASSES).astype(np.float32)
TARGETS = RNG.randint(0, CLASSES, (BATCH, STEPS)).astype(np.int32)
WEIGHTS = np.array([[1.0, 0.5, 0.0], [2.0, 1.0, 1.0]], np.float32)


def numpy_crossent():
    """-log softmax(logits)[target] per (batch, step), weighted."""
    shifted = LOGITS - LOGITS.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_probs, TARGETS[..., None], axis=-1)[..., 0]
    return -picked * WEIGHTS


CE = numpy_crossent()
NONZERO = (WEIGHTS != 0).astype(np.float32)

MODES = [  # (keyword arguments, numpy reference)
    ({}, CE.sum() / WEIGHTS.sum()),
    ({"average_across_batch": False}, CE.sum(1) / WEIGHTS.sum(1)),
    ({"average_across_timesteps": False}, CE.sum(0) / WEIGHTS.sum(0)),
    ({"average_across_timesteps": False, "average_across_batch": False}, CE),
    ({"average_across_timesteps": False, "average_across_batch": False, "sum_over_timesteps": True,
      "sum_over_batch": True}, CE.sum() / NONZERO.sum()),
    ({"average_across_timesteps": False, "average_across_batch": False, "sum_over_timesteps": True},
     CE.sum(1) / NONZERO.sum(1)),
    ({"average_across_timesteps": False, "average_across_batch": False, "sum_over_batch": True},
     CE.sum(0) / NONZERO.sum(0)),
]


@pytest.fixture(scope="module")
def results():
    """All modes evaluated in one graph and one session run."""
    with tf.Graph().as_default():
        logits, targets, weights = tf.constant(LOGITS), tf.constant(TARGETS), tf.constant(WEIGHTS)
        losses = [tf.contrib.seq2seq.sequence_loss(logits, targets, weights, **kwargs) for kwargs, _ in MODES]
        zero_weights = tf.contrib.seq2seq.sequence_loss(logits, targets, tf.zeros_like(weights))
        with tf.Session() as session:
            return session.run(losses + [zero_weights])


@pytest.mark.parametrize("index", range(len(MODES)), ids=lambda i: ",".join(sorted(MODES[i][0])) or "default")
def test_reduction_matches_numpy(results, index):
    expected = MODES[index][1]
    assert np.shape(results[index]) == np.shape(expected)
    np.testing.assert_allclose(results[index], expected, rtol=1e-5)


def test_all_zero_weights_give_zero_not_nan(results):
    assert results[-1] == 0.0


def test_custom_loss_function_is_called_by_keyword_on_flattened_tensors():
    seen = {}

    def squared_error(labels, logits):
        seen["ranks"] = (labels.shape.ndims, logits.shape.ndims)
        return tf.reduce_sum(tf.square(logits - tf.one_hot(labels, CLASSES)), axis=-1)

    with tf.Graph().as_default():
        loss = tf.contrib.seq2seq.sequence_loss(tf.constant(LOGITS), tf.constant(TARGETS), tf.constant(WEIGHTS),
                                                softmax_loss_function=squared_error)
        with tf.Session() as session:
            value = session.run(loss)
    assert seen["ranks"] == (1, 2)
    per_step = ((LOGITS - np.eye(CLASSES)[TARGETS]) ** 2).sum(-1) * WEIGHTS
    np.testing.assert_allclose(value, per_step.sum() / WEIGHTS.sum(), rtol=1e-5)


@pytest.mark.parametrize("kwargs, message", [
    ({"sum_over_timesteps": True}, "average_across_timesteps and sum_over_timesteps"),
    ({"sum_over_batch": True}, "average_across_batch and sum_over_batch"),
])
def test_conflicting_reductions_are_refused(kwargs, message):
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=message):
            tf.contrib.seq2seq.sequence_loss(tf.constant(LOGITS), tf.constant(TARGETS), tf.constant(WEIGHTS), **kwargs)


def test_logits_must_be_rank_3():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Logits must be a"):
            tf.contrib.seq2seq.sequence_loss(tf.constant(LOGITS[0]), tf.constant(TARGETS), tf.constant(WEIGHTS))
