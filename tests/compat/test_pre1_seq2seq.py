"""tf.nn.seq2seq, the TF 0.x name of legacy_seq2seq: same losses, loss function called positionally.

TF 0.x called `softmax_loss_function(logits, targets)`; pre-1.0 scripts name the parameters
anything (`ms_error(self, y_pre, y_target)`). Expected values come from numpy.
"""

import numpy as np
import pytest

from conftest import TF1, tf

pytestmark = pytest.mark.skipif(TF1, reason="TF 1.15 has no tf.nn.seq2seq (TF 0.x name); compat adds it on TF 2.x")


def test_loss_function_is_called_positionally(session):
    calls = []

    def recording_loss(*args, **kwargs):
        calls.append((len(args), sorted(kwargs)))
        return tf.square(args[0] - args[1])

    tf.nn.seq2seq.sequence_loss_by_example([tf.zeros([3])], [tf.ones([3])], [tf.ones([3])],
                                           softmax_loss_function=recording_loss)
    assert calls == [(2, [])]


def test_pre1_parameter_names_get_logits_then_targets(session):
    class Model(object):
        def ms_error(self, y_pre, y_target):  # as in pre-1.0 tutorials; a keyword call would fail
            return y_pre - 2.0 * y_target

    pred = np.array([1.0, 2.0, 3.0], np.float32)
    target = np.array([0.5, -1.0, 4.0], np.float32)
    weight = np.array([1.0, 0.5, 2.0], np.float32)
    losses = tf.nn.seq2seq.sequence_loss_by_example(
        [tf.constant(pred)], [tf.constant(target)], [tf.constant(weight)],
        average_across_timesteps=False, softmax_loss_function=Model().ms_error)
    np.testing.assert_allclose(session.run(losses), (pred - 2.0 * target) * weight, rtol=1e-6)


def test_sequence_loss_matches_legacy_seq2seq_by_default(session):
    rng = np.random.RandomState(1)
    logits = [tf.constant(rng.randn(4, 6).astype(np.float32)) for _ in range(3)]
    targets = [tf.constant(rng.randint(0, 6, size=4).astype(np.int32)) for _ in range(3)]
    weights = [tf.constant(rng.rand(4).astype(np.float32)) for _ in range(3)]
    pre1 = tf.nn.seq2seq.sequence_loss(logits, targets, weights, average_across_batch=False)
    v1 = tf.contrib.legacy_seq2seq.sequence_loss(logits, targets, weights, average_across_batch=False)
    assert pre1.op.name == "sequence_loss/Sum"
    a, b = session.run([pre1, v1])
    assert a == b


def test_sequence_loss_with_positional_loss_function(session):
    pred = np.array([1.0, 2.0, 3.0, 4.0], np.float32)
    target = np.array([0.0, 1.0, 1.0, 2.0], np.float32)
    loss = tf.nn.seq2seq.sequence_loss([tf.constant(pred)], [tf.constant(target)], [tf.ones([4])],
                                       softmax_loss_function=lambda y_pre, y_target: y_pre - y_target)
    np.testing.assert_allclose(session.run(loss), np.sum((pred - target) / (1.0 + 1e-12)) / 4, rtol=1e-6)


def test_unprovided_name_is_a_named_attribute_error():
    with pytest.raises(AttributeError, match=r"tf\.nn\.seq2seq\.embedding_attention_seq2seq"):
        tf.nn.seq2seq.embedding_attention_seq2seq
