"""tf.contrib.layers' embeddings, encoders, summaries, regularizers and stateless layers, as in
TF 1.15, against numpy; and the deep import paths real code uses."""

import numpy as np
import pytest

from conftest import tf

layers = tf.contrib.layers
IDS = np.array([[1, 4, 2, 0], [3, 3, 5, 1]], np.int32)


def names(variables):
    return [v.op.name for v in variables]


def test_embed_sequence_variable_and_lookup(session):
    embedded = layers.embed_sequence(tf.constant(IDS), vocab_size=6, embed_dim=3)
    unique = layers.embed_sequence(tf.constant(IDS), unique=True, scope="EmbedSequence", reuse=True)
    assert [(v.op.name, v.shape.as_list()) for v in tf.global_variables()] == [("EmbedSequence/embeddings", [6, 3])]
    assert names(tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)) == ["EmbedSequence/embeddings"]
    session.run(tf.global_variables_initializer())
    table = session.run(tf.global_variables()[0])
    np.testing.assert_array_equal(session.run(embedded), table[IDS])
    np.testing.assert_array_equal(session.run(unique), table[IDS])
    with pytest.raises(ValueError, match="Must specify vocab size and embedding dimension"):
        layers.embed_sequence(tf.constant(IDS))


def test_bow_encoder_means_non_padding_embeddings(session):
    sparse = layers.bow_encoder(tf.constant(IDS), 6, 3)
    dense = layers.bow_encoder(tf.constant(IDS), 6, 3, sparse_lookup=False, scope="dense_bow")
    assert names(tf.global_variables()) == ["bow_encoder/embeddings", "dense_bow/embeddings"]
    session.run(tf.global_variables_initializer())
    table, dense_table = session.run(tf.global_variables())
    expected = np.stack([table[[i for i in row if i != 0]].mean(0) for row in IDS])  # id 0 is padding
    np.testing.assert_allclose(session.run(sparse), expected, rtol=1e-5)
    np.testing.assert_allclose(session.run(dense), dense_table[IDS].mean(1), rtol=1e-5)


def test_safe_embedding_lookup_sparse_and_lookup_unique(session):
    table = np.arange(12, dtype=np.float32).reshape(4, 3)
    ids = tf.SparseTensor([[0, 0], [0, 1], [2, 0]], tf.constant([1, 3, -1], tf.int64), [3, 2])
    weights = tf.SparseTensor([[0, 0], [0, 1], [2, 0]], [1.0, 3.0, 1.0], [3, 2])
    mean = layers.safe_embedding_lookup_sparse([tf.constant(table)], ids, weights, combiner="mean")
    default = layers.safe_embedding_lookup_sparse(tf.constant(table), ids, default_id=2)
    expected_row0 = (table[1] * 1 + table[3] * 3) / 4
    np.testing.assert_allclose(session.run(mean), [expected_row0, np.zeros(3), np.zeros(3)], rtol=1e-6)
    np.testing.assert_allclose(session.run(default), [(table[1] + table[3]) / 2, table[2], table[2]], rtol=1e-6)
    unique = layers.embedding_lookup_unique(tf.constant(table), tf.constant([[3, 1], [3, 3]]))
    np.testing.assert_array_equal(session.run(unique), table[np.array([[3, 1], [3, 3]])])


def test_summaries_tags(session):
    scalar = tf.constant(2.0, name="lr")
    activation = tf.nn.relu6(tf.constant([-1.0, 3.0, 7.0, 8.0]), name="act")
    tf.add_to_collection(tf.GraphKeys.ACTIVATIONS, activation)
    assert layers.summarize_tensor(tf.constant(["a"])) is None
    layers.summarize_tensors([scalar])
    layers.summarize_activations()
    layers.summaries.summarize_collection(tf.GraphKeys.ACTIVATIONS, summarizer=layers.summarize_tensor)
    values = {}
    for serialized in session.run(tf.get_collection(tf.GraphKeys.SUMMARIES)):
        for value in tf.Summary.FromString(serialized).value:
            values[value.tag] = value.simple_value if value.WhichOneof("value") == "simple_value" else value.histo.num
    assert values == {"lr_summary": 2.0, "act/zeros": 0.25, "act/sixes": 0.5, "act/activation": 4,
                      "act_summary": 4}


def test_l1_l2_and_sum_regularizers(session):
    w_value = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)
    w = tf.constant(w_value)
    both = layers.l1_l2_regularizer(0.2, 0.3)(w)
    only_l1 = layers.l1_l2_regularizer(0.2, 0.0)(w)
    assert both.op.name == "l1_l2_regularizer" and only_l1.op.name == "l1_l2_regularizer_1"
    np.testing.assert_allclose(session.run(both), 0.2 * np.abs(w_value).sum() + 0.3 * (w_value ** 2).sum() / 2,
                               rtol=1e-6)
    np.testing.assert_allclose(session.run(only_l1), 0.2 * np.abs(w_value).sum(), rtol=1e-6)
    assert layers.sum_regularizer([None, None]) is None
    summed = layers.sum_regularizer([layers.l1_regularizer(1.0), None, layers.l2_regularizer(0.0)])(w)
    np.testing.assert_allclose(session.run(summed), np.abs(w_value).sum(), rtol=1e-6)
    with pytest.raises(ValueError, match="scale_l2 cannot be an integer"):
        layers.l1_l2_regularizer(0.1, 1)


def test_small_layers_values(session):
    x_value = np.random.RandomState(2).randn(2, 3, 4).astype(np.float32)
    x = tf.constant(x_value)
    one_hot = layers.one_hot_encoding(tf.constant([2, 0]), 3)
    soft = layers.softmax(x)
    unit = layers.unit_norm(x, 2)
    maxed = layers.maxout(x, 2)
    biased = layers.bias_add(x, initializer=tf.constant_initializer(0.5), activation_fn=tf.nn.relu)
    assert names(tf.global_variables()) == ["BiasAdd/biases"]
    session.run(tf.global_variables_initializer())
    np.testing.assert_array_equal(session.run(one_hot), [[0, 0, 1], [1, 0, 0]])
    exp = np.exp(x_value - x_value.max(-1, keepdims=True))
    np.testing.assert_allclose(session.run(soft), exp / exp.sum(-1, keepdims=True), rtol=1e-5)
    np.testing.assert_allclose(session.run(unit), x_value / np.sqrt(1e-7 + (x_value ** 2).sum(2, keepdims=True)),
                               rtol=1e-5)
    np.testing.assert_allclose(session.run(maxed), x_value.reshape(2, 3, 2, 2).max(-1))
    np.testing.assert_allclose(session.run(biased), np.maximum(x_value + 0.5, 0), rtol=1e-6)


def test_sequence_image_conversions_and_dense_to_sparse(session):
    images = np.arange(2 * 3 * 4 * 1, dtype=np.float32).reshape(2, 3, 4, 1)
    sequence = layers.images_to_sequence(tf.constant(images))
    back = layers.sequence_to_images(sequence, 3)
    np.testing.assert_array_equal(session.run(sequence), images.transpose(2, 0, 1, 3).reshape(4, 6, 1))
    np.testing.assert_array_equal(session.run(back), images)
    sparse = session.run(layers.dense_to_sparse(tf.constant(IDS)))
    np.testing.assert_array_equal(sparse.indices, np.argwhere(IDS != 0))
    np.testing.assert_array_equal(sparse.values, IDS[IDS != 0])


def test_spatial_softmax_expected_positions(session):
    features = np.full((1, 3, 3, 1), -30.0, np.float32)
    features[0, 2, 0, 0] = 30.0  # all the attention on row 2 (x=+1), column 0 (y=-1)
    keypoints = layers.spatial_softmax(tf.constant(features))
    assert names(tf.global_variables()) == ["spatial_softmax/temperature"]
    session.run(tf.global_variables_initializer())
    np.testing.assert_allclose(session.run(keypoints), [[1.0, -1.0]], atol=1e-5)


def test_scale_gradient_and_legacy_fully_connected(session):
    x = tf.constant([1.0, 2.0])
    scaled = layers.scale_gradient(x, 0.25)
    [grad] = tf.gradients(tf.reduce_sum(scaled * 3.0), [x])
    np.testing.assert_allclose(session.run([scaled, grad]), [[1.0, 2.0], [0.75, 0.75]])
    out = layers.legacy_relu(tf.ones([2, 3]), 4, name="old")
    assert names(tf.global_variables()) == ["old/weights", "old/bias"]
    assert tf.get_collection(tf.GraphKeys.ACTIVATIONS) == [out] and out.op.type == "Relu"
    assert names(tf.get_collection(tf.GraphKeys.WEIGHTS)) == ["old/weights"]


DEEP_PATHS = [
    # (import path real code uses, the compat module serving it on TF 2.x)
    ("tensorflow.contrib.layers.python.layers.layers", "compat.contrib.layers.layers"),
    ("tensorflow.contrib.layers.python.layers.initializers", "compat.contrib.layers.initializers"),
    ("tensorflow.contrib.layers.python.layers.regularizers", "compat.contrib.layers.regularizers"),
    ("tensorflow.contrib.layers.python.layers.optimizers", "compat.contrib.layers.optimizers"),
    ("tensorflow.contrib.layers.python.layers.summaries", "compat.contrib.layers.summaries"),
    ("tensorflow.contrib.layers.python.layers.encoders", "compat.contrib.layers.encoders"),
    ("tensorflow.contrib.layers.python.layers.embedding_ops", "compat.contrib.layers.embedding_ops"),
    ("tensorflow.contrib.layers.python.layers.utils", "compat.contrib.layers.utils"),
    ("tensorflow.contrib.framework.python.ops.variables", "compat.contrib.framework.variables"),
    ("tensorflow.contrib.framework.python.framework.checkpoint_utils", "compat.contrib.framework.checkpoint_utils"),
    ("tensorflow.contrib.cudnn_rnn.python.ops.cudnn_rnn_ops", "compat.contrib.cudnn_rnn.cudnn_rnn_ops"),
    ("tensorflow.contrib.cudnn_rnn.python.layers.cudnn_rnn", "compat.contrib.cudnn_rnn.cudnn_rnn"),
    ("tensorflow.contrib.tensorboard.plugins.projector", "compat.contrib.tensorboard.plugins.projector"),
]

PROBE = r"""
import importlib, json
import compat
compat.install()
names = {path: importlib.import_module(path).__name__ for path in %r}
from tensorflow.contrib.layers.python.layers import layers as layers_lib
from tensorflow.contrib.framework.python.ops import arg_scope  # TF 1.15: the function, not the module
import tensorflow as tf
names["same conv2d"] = layers_lib.conv2d is tf.contrib.layers.conv2d
names["arg_scope"] = arg_scope is tf.contrib.framework.arg_scope
print("RESULT " + json.dumps(names))
"""


def test_deep_import_paths(this_python):
    """One subprocess (compat.install() must not leak into other tests) imports TF 1.15's source
    paths; on TF 1.15 they are the real modules, on TF 2.x compat's module of the same name."""
    import json

    from conftest import TF1, run_python

    proc = run_python(this_python, "-c", PROBE % ([p for p, _ in DEEP_PATHS],))
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads([l for l in proc.stdout.splitlines() if l.startswith("RESULT ")][-1][len("RESULT "):])
    for path, served_by in DEEP_PATHS:
        expected = path if TF1 else served_by
        assert result[path].replace("tensorflow_core.", "tensorflow.", 1) == expected
    assert result["same conv2d"] and result["arg_scope"]
