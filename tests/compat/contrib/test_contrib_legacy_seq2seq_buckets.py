"""tf.contrib.legacy_seq2seq's model_with_buckets and one2many_rnn_seq2seq, and TF 1.15's module paths.

Expected losses come from numpy over the models' own outputs.
"""

import importlib
import sys

import numpy as np
import pytest

from conftest import TF1, tf

s2s = tf.contrib.legacy_seq2seq
rnn = tf.contrib.rnn
BATCH, UNITS, SOURCE, TARGET, EMBEDDING = 2, 4, 5, 6, 3

pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def np_softmax(scores):
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.fixture(scope="module")
def bucketed():
    graph = tf.Graph()
    with graph.as_default():
        rng = np.random.RandomState(3)
        encoder = [tf.constant(rng.randint(0, SOURCE, BATCH).astype(np.int32)) for _ in range(3)]
        decoder = [tf.constant(rng.randint(0, TARGET, BATCH).astype(np.int32)) for _ in range(4)]
        weights_values = rng.rand(3, BATCH).astype(np.float32)
        weights = [tf.constant(w) for w in weights_values]
        calls = []

        def loss_function(*args, **kwargs):
            calls.append((len(args), sorted(kwargs)))
            return tf.nn.sparse_softmax_cross_entropy_with_logits(**kwargs)

        def model(x, y):
            return s2s.embedding_rnn_seq2seq(x, y, rnn.GRUCell(UNITS), SOURCE, TARGET, EMBEDDING)

        outputs, losses = s2s.model_with_buckets(encoder, decoder, decoder[1:], weights, [(2, 2), (3, 3)], model,
                                                 softmax_loss_function=loss_function)
        with tf.variable_scope("per_example"):
            _, per_example = s2s.model_with_buckets(encoder, decoder, decoder[1:], weights, [(2, 2), (3, 3)], model,
                                                    per_example_loss=True)
        with tf.Session(graph=graph) as session:
            session.run(tf.global_variables_initializer())
            result = session.run({"outputs": outputs, "losses": losses, "per_example": per_example,
                                  "targets": decoder[1:]})
        yield dict(result, calls=calls, weights=weights_values, names=[v.op.name for v in tf.global_variables()],
                   loss_names=[loss.op.name for loss in losses])


def np_cross_entropy(logits, labels):
    return -np.log(np_softmax(logits)[np.arange(len(labels)), labels])


def test_bucket_losses_are_sequence_losses_of_their_outputs(bucketed):
    for j, length in enumerate([2, 3]):
        outputs = bucketed["outputs"][j]
        assert len(outputs) == length
        weights = bucketed["weights"][:length]
        per_step = [np_cross_entropy(o, t) * w for o, t, w in zip(outputs, bucketed["targets"], weights)]
        expected = (sum(per_step) / (weights.sum(axis=0) + 1e-12)).sum() / BATCH
        np.testing.assert_allclose(bucketed["losses"][j], expected, rtol=1e-5)
    assert bucketed["calls"] == [(0, ["labels", "logits"])] * 5  # by keyword, once per step of each bucket
    assert bucketed["loss_names"] == ["model_with_buckets/sequence_loss/truediv",
                                      "model_with_buckets/sequence_loss_1/truediv"]


def test_buckets_share_one_set_of_variables(bucketed):
    names = [n for n in bucketed["names"] if not n.startswith("per_example/")]
    assert len(names) == len(set(names)) == 12  # encoder 5 + decoder embedding 1 + cell 4 + projection 2
    assert "embedding_rnn_seq2seq/embedding_rnn_decoder/embedding" in names


def test_per_example_losses_have_the_batch_shape(bucketed):
    assert [loss.shape for loss in bucketed["per_example"]] == [(BATCH,), (BATCH,)]


def test_buckets_longer_than_the_inputs_are_rejected(graph):
    short = [tf.constant([0, 1])] * 2
    with pytest.raises(ValueError, match=r"Length of encoder_inputs \(2\) must be at least that of last bucket \(3\)"):
        s2s.model_with_buckets(short, short, short, short, [(3, 2)], lambda x, y: None)
    with pytest.raises(ValueError, match=r"Length of targets \(2\) must be at least that of last bucket \(3\)"):
        s2s.model_with_buckets(short, short, short, short, [(2, 3)], lambda x, y: None)


def test_reusing_one_used_cell_in_a_second_bucket_fails_as_on_tf115(graph):
    """The translate tutorial of 2017 passed one cell to every bucket: the second bucket's deep copy
    of the (now used) cell fails on TF 1.15 too; a fresh copy per bucket is the known fix."""
    cell = rnn.GRUCell(UNITS)
    symbols = [tf.constant([1, 2])] * 3
    with pytest.raises(TypeError):
        s2s.model_with_buckets(symbols, symbols, symbols, [tf.ones([BATCH])] * 3, [(2, 2), (3, 3)],
                               lambda x, y: s2s.embedding_attention_seq2seq(x, y, cell, SOURCE, TARGET, EMBEDDING))


def test_one2many_builds_one_decoder_per_name(graph):
    encoder = [tf.constant([1, 2])] * 2
    outputs, states = s2s.one2many_rnn_seq2seq(
        encoder, {"a": [tf.constant([0, 0])] * 2, "b": [tf.constant([0, 0])] * 3}, rnn.GRUCell(UNITS),
        {"a": rnn.GRUCell(UNITS), "b": rnn.GRUCell(UNITS)}, SOURCE, {"a": 4, "b": 7}, EMBEDDING)
    assert {k: [o.shape.as_list() for o in v] for k, v in outputs.items()} == {"a": [[2, 4]] * 2, "b": [[2, 7]] * 3}
    assert sorted(states) == ["a", "b"]
    assert "one2many_rnn_seq2seq/one2many_decoder_b/embedding_rnn_decoder/embedding" in [
        v.op.name for v in tf.global_variables()]


def test_one2many_checks_its_cells(graph):
    with pytest.raises(TypeError, match="enc_cell is not an RNNCell"):
        s2s.one2many_rnn_seq2seq([], {}, "cell", {}, 2, {}, 2)
    with pytest.raises(ValueError, match="keys of dec_cells_dict != keys of decodre_inputs_dict"):
        s2s.one2many_rnn_seq2seq([], {"a": []}, rnn.GRUCell(2), {"b": rnn.GRUCell(2)}, 2, {}, 2)


def test_tf1_module_paths_import():
    """`from tensorflow.contrib.legacy_seq2seq.python.ops import seq2seq` and core_rnn_cell's path."""
    paths = ["tensorflow.contrib.legacy_seq2seq.python.ops.seq2seq", "tensorflow.contrib.rnn.python.ops.core_rnn_cell"]
    if TF1:
        modules = [importlib.import_module(p) for p in paths]
    else:
        modules = import_through_compat_hook(paths)
    assert modules[0].embedding_attention_seq2seq is s2s.embedding_attention_seq2seq
    assert modules[0].model_with_buckets is s2s.model_with_buckets
    assert modules[1].OutputProjectionWrapper is rnn.OutputProjectionWrapper


def import_through_compat_hook(paths):
    """Import `tensorflow.contrib...` paths with compat's finder, then undo every trace of it."""
    import tensorflow

    from compat._hook import ContribFinder

    before = set(sys.modules)
    finder = ContribFinder()
    sys.meta_path.insert(0, finder)
    try:
        return [importlib.import_module(p) for p in paths]
    finally:
        sys.meta_path.remove(finder)
        for name in set(sys.modules) - before:
            if name.startswith("tensorflow.contrib"):
                del sys.modules[name]
        if "contrib" in vars(tensorflow):
            delattr(tensorflow, "contrib")
