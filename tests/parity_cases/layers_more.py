"""tf.contrib.layers against TF 1.15, the names added after contrib_layers.py: GDN / IGDN
(`gdn/reparam_beta`, `/reparam_gamma`, the lower bound's pass-through gradient) and the legacy
feature columns through input_from_feature_columns (TF 1.15's column order, sorted by key, and
`input_from_feature_columns/<column>_embedding/weights`). Each case trains a few steps, so the
gradients are compared too."""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("layers_more")
layers = tf.contrib.layers


def constant(shape, seed=0):
    return tf.constant(np.random.RandomState(seed).randn(*shape).astype(np.float32))


@cases.case
def gdn_image_and_inverse():
    """4-D GDN then IGDN; the off-diagonal reparameterized gammas start on the lower bound and a
    large learning rate pushes them across it."""
    images = constant([2, 3, 3, 4])
    normalized = layers.gdn(images, gamma_init=0.2)
    restored = layers.gdn(normalized, inverse=True, name="igdn")
    loss = tf.reduce_mean(tf.square(restored - 0.3 * images)) + tf.reduce_mean(normalized)
    return Spec({"normalized": normalized, "restored": restored}, loss=loss,
                optimizer=tf.train.GradientDescentOptimizer(2.0), steps=3)


@cases.case
def gdn_sequence_class():
    """3-D inputs (a sequence of channel vectors) through the GDN class, beta_min raised."""
    sequence = constant([2, 4, 3], seed=1)
    layer = layers.GDN(beta_min=0.5, name="seq_gdn")
    outputs = layer.apply(sequence)
    beta, gamma = layer.beta, layer.gamma
    return Spec({"outputs": outputs, "beta": beta, "gamma": gamma}, loss=tf.reduce_sum(outputs),
                optimizer=tf.train.GradientDescentOptimizer(0.5), steps=3)


def legacy_features():
    return {
        "word": tf.constant([["stone", "roses"], ["happy", ""], ["stone", "pixies"]]),
        "ids": tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 2]], tf.constant([3, 7, 1, 4], tf.int64), [3, 3]),
        "ids_weight": tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 2]], [0.5, 2.0, 1.5, 1.0], [3, 3]),
        "age": tf.constant([[1.0, 2.0], [3.0, 4.0], [-1.0, 0.5]]),
        "height": tf.constant([[0.5], [2.5], [7.0]]),
    }


@cases.case
def input_from_feature_columns_mixed():
    """Embedding (mean, sum, sqrtn), one-hot, weighted, real-valued and bucketized columns; their
    blocks concatenated in TF 1.15's key order, the embeddings trained by a dense layer's loss."""
    word = layers.sparse_column_with_hash_bucket("word", 7)
    ids = layers.sparse_column_with_integerized_feature("ids", 5)
    weighted = layers.weighted_sparse_column(ids, "ids_weight")
    height = layers.bucketized_column(layers.real_valued_column("height"), [1.0, 2.0, 2.0, 3.0])
    columns = [layers.one_hot_column(word), layers.real_valued_column("age", dimension=2), height,
               layers.embedding_column(word, 3), layers.embedding_column(ids, 2, combiner="sqrtn"),
               layers.one_hot_column(weighted), layers.embedding_column(weighted, 2, combiner="sum")]
    blocks = {}
    net = layers.input_from_feature_columns(legacy_features(), columns, cols_to_outs=blocks)
    logits = layers.fully_connected(net, 2, activation_fn=None)
    outputs = {"net": net, "logits": logits}
    outputs.update((column.name, block) for column, block in blocks.items())
    return Spec(outputs, loss=tf.reduce_mean(tf.square(logits - 1.0)),
                optimizer=tf.train.GradientDescentOptimizer(0.5), steps=3)
