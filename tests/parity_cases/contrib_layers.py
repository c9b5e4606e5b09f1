"""tf.contrib.layers against TF 1.15: the layers sequence models and BERT use (layer_norm,
batch_norm's three routes with their update ops, embed_sequence, conv2d and pooling,
fully_connected under arg_scope), with default initializers so the graph-seed check also
compares the op order. Each case trains 2-3 steps, so gradients are compared too."""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("contrib_layers")
layers = tf.contrib.layers


def constant(shape, seed=0):
    return tf.constant(np.random.RandomState(seed).randn(*shape).astype(np.float32))


def after_updates(updates):
    """The moving statistics as they are once `updates` ran (read under a dependency on them)."""
    with tf.control_dependencies(updates):
        return [tf.identity(v) for v in tf.global_variables() if "moving_" in v.op.name]


def train(outputs, prediction, steps=3, extra_loss=None):
    loss = tf.reduce_mean(tf.square(prediction - 0.5))
    if extra_loss is not None:
        loss += extra_loss
    return Spec(outputs, loss=loss, optimizer=tf.train.GradientDescentOptimizer(0.3), steps=steps)


@cases.case
def layer_norm_bert():
    """BERT's use: the last axis normalized, `LayerNorm/beta` and `LayerNorm/gamma` [hidden]."""
    hidden = layers.fully_connected(constant([2, 3, 4]), 4, activation_fn=None)
    normalized = layers.layer_norm(hidden, begin_norm_axis=-1, begin_params_axis=-1, scope="LayerNorm")
    whole = layers.layer_norm(hidden, scope="whole")  # default: axes 1.. normalized, params [4]
    return train({"bert": normalized, "whole": whole}, normalized * 2.0 + whole)


@cases.case
def batch_norm_update_ops_conv():
    """4-D, default UPDATE_OPS: tf.layers.BatchNormalization, fused; the update ops run with each step."""
    images = constant([2, 4, 4, 2])
    features = layers.conv2d(images, 3, [2, 2], normalizer_fn=layers.batch_norm,
                             normalizer_params={"decay": 0.9, "scale": True, "is_training": True})
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(updates) == 2
    with tf.control_dependencies(updates):
        prediction = tf.identity(features)
    return train({"features": features, "moving": after_updates(updates)}, prediction)


@cases.case
def batch_norm_fused_in_place_updates():
    """2-D with updates_collections=None: the fused kernel, moving averages updated in place."""
    hidden = layers.fully_connected(constant([3, 4]), 3, activation_fn=None)
    normalized = layers.batch_norm(hidden, decay=0.8, updates_collections=None, is_training=True)
    return train({"normalized": normalized, "moving": after_updates([normalized])}, normalized)


@cases.case
def batch_norm_weighted_custom_collection():
    """batch_weights and a custom updates collection: TF 1.15's moments route (rank 3)."""
    sequence = constant([3, 2, 4])
    normalized = layers.batch_norm(sequence, decay=0.5, center=True, scale=True, batch_weights=[1.0, 2.0, 0.5],
                                   updates_collections=["bn_updates"], is_training=True)
    updates = tf.get_collection("bn_updates")
    assert len(updates) == 2
    with tf.control_dependencies(updates):
        prediction = tf.identity(normalized)
    return train({"normalized": normalized, "moving": after_updates(updates)}, prediction, steps=2)


@cases.case
def batch_norm_inference():
    """is_training=False: the stored moving statistics (set by param_initializers) normalize."""
    initializers = {"moving_mean": tf.constant_initializer(0.3), "moving_variance": tf.constant_initializer(2.0)}
    images = constant([2, 3, 3, 2])
    fused = layers.batch_norm(images, is_training=False, param_initializers=initializers, scale=True)
    unfused = layers.batch_norm(images, is_training=False, param_initializers=initializers, fused=False)
    flat = layers.batch_norm(layers.flatten(images), is_training=False, param_initializers=initializers)
    return train({"fused": fused, "unfused": unfused, "flat": flat}, fused + unfused, steps=2)


@cases.case
def embed_sequence_seq2seq():
    """The seq2seq tutorials' encoder input: `EmbedSequence/embeddings`, then `unique` lookups."""
    ids = tf.constant([[1, 4, 2, 0], [3, 3, 5, 1]])
    embedded = layers.embed_sequence(ids, vocab_size=6, embed_dim=3)
    unique = layers.embed_sequence(ids, vocab_size=6, embed_dim=3, unique=True, scope="decoder_embed")
    return train({"embedded": embedded, "unique": unique}, embedded - unique)


@cases.case
def conv2d_pool_transpose():
    images = constant([2, 6, 6, 2])
    conv = layers.conv2d(images, 3, 3)
    pooled = layers.max_pool2d(conv, [2, 2])
    averaged = layers.avg_pool2d(conv, 3, stride=1, padding="SAME")
    # Explicit op seeds below: TF 2.x builds Conv2D with one op fewer and conv2d_transpose's output
    # shape with ten fewer than TF 1.15, and compat/seeds/ has no rule for them yet.
    upsampled = layers.conv2d_transpose(pooled, 2, [3, 3], stride=2, activation_fn=tf.nn.tanh,
                                        weights_initializer=layers.xavier_initializer(seed=11))
    logits = layers.fully_connected(layers.flatten(upsampled), 2, activation_fn=None,
                                    weights_initializer=layers.xavier_initializer(seed=12))
    return train({"conv": conv, "pooled": pooled, "averaged": averaged, "logits": logits},
                 logits + tf.reduce_mean(averaged))


@cases.case
def fully_connected_arg_scope_stack():
    """arg_scope sets fully_connected's activation and regularizer; stack and repeat add scopes."""
    with tf.contrib.framework.arg_scope([layers.fully_connected], activation_fn=tf.nn.tanh,
                                        weights_regularizer=layers.l2_regularizer(0.05)):
        stacked = layers.stack(constant([2, 3]), layers.fully_connected, [4, 4], scope="mlp")
        repeated = layers.repeat(stacked, 2, layers.fully_connected, 4)
        logits = layers.fully_connected(repeated, 2, activation_fn=None, scope="logits")
    penalty = tf.add_n(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))
    return train({"stacked": stacked, "repeated": repeated, "logits": logits, "penalty": penalty}, logits,
                 extra_loss=penalty)


@cases.case
def dropout_separable_group_norm():
    images = constant([2, 4, 4, 4])
    separable = layers.separable_conv2d(images, 4, 3, depth_multiplier=2)
    grouped = layers.group_norm(separable, groups=2)
    dropped = layers.dropout(grouped, keep_prob=0.6, seed=7)
    return train({"separable": separable, "grouped": grouped, "dropped": dropped}, dropped, steps=2)


@cases.case
def transposed_convolutions_seeded():
    """conv2d_transpose (VALID) and conv3d_transpose with their default initializers, drawn from
    the graph seed, then a fully_connected whose initializer comes after both layers' output-shape
    ops (TF 1.15 computed conv2d_transpose's on tensors, TF 2.x from the static size)."""
    upsampled = layers.conv2d_transpose(constant([2, 3, 3, 2]), 2, 3, stride=2, padding="VALID")
    volume = layers.conv3d_transpose(constant([2, 2, 2, 2, 1], seed=1), 1, 2, stride=2)
    features = tf.concat([layers.flatten(upsampled), layers.flatten(volume)], axis=1)
    logits = layers.fully_connected(features, 2, activation_fn=None)
    return Spec({"upsampled": upsampled, "volume": volume, "logits": logits})
