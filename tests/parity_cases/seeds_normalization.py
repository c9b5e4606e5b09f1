"""Batch normalization and GDN under a graph-level seed, each followed by a random op (a probe)
whose op seed is TF 1.15's op count there: tf_keras's BatchNormalization (contrib.layers' default
route and tf.layers; fused, and under a tensor `training`), tf.nn.weighted_moments
(batch_weights), hand-made tf.nn.fused_batch_norm (the same ops on both runtimes: nothing may be
counted), GDN, and their gradients under minimize. The contrib_layers and layers_more cases have
no random op after these constructs."""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("seeds_normalization")
layers = tf.contrib.layers


def constant(shape, seed=0):
    return tf.constant(np.random.RandomState(seed).randn(*shape).astype(np.float32))


def probe(name):
    return tf.random_uniform([2], name=name)


@cases.case
def batch_norm_and_gdn_probed():
    images = constant([2, 3, 3, 2])
    moving = {"moving_mean": tf.constant_initializer(0.3), "moving_variance": tf.constant_initializer(2.0)}
    outputs = {"keras_inference": layers.batch_norm(images, is_training=False, scale=True, param_initializers=moving)}
    outputs["after_keras_inference"] = probe("after_keras_inference")
    outputs["keras_training"] = tf.layers.batch_normalization(images, training=True, name="layer_bn")
    outputs["after_keras_training"] = probe("after_keras_training")
    training = tf.placeholder_with_default(True, shape=(), name="training")  # a tf.cond of both branches
    outputs["keras_cond"] = tf.layers.batch_normalization(images, training=training, name="cond_bn")
    # a variable before it: minimize differentiates the moments (their reductions' gradients)
    rows = tf.reshape(images, [6, 6]) * tf.get_variable("rows_scale", [6], initializer=tf.ones_initializer())
    outputs["keras_unfused_cond"] = tf.layers.batch_normalization(rows, training=training, name="unfused_bn")
    outputs["after_keras_cond"] = probe("after_keras_cond")
    outputs["weighted"] = layers.batch_norm(constant([3, 2, 4], seed=1), scale=True, batch_weights=[1.0, 2.0, 0.5],
                                            updates_collections=["bn_updates"], scope="weighted")
    outputs["after_weighted"] = probe("after_weighted")
    scale, offset = tf.constant([1.5, 0.5]), tf.constant([0.1, -0.2])
    outputs["by_hand_inference"] = tf.nn.fused_batch_norm(images, scale, offset, mean=tf.constant([0.2, 0.1]),
                                                          variance=tf.constant([1.0, 3.0]), is_training=False)[0]
    outputs["by_hand_training"] = tf.nn.fused_batch_norm(images, scale, offset)[0]
    outputs["after_by_hand"] = probe("after_by_hand")
    outputs["gdn"] = layers.gdn(images, gamma_init=0.2)
    outputs["after_gdn"] = probe("after_gdn")
    # the gradients of each (minimize gates them: TF 1.15 made two more for a training fused kernel)
    loss = tf.add_n([tf.reduce_mean(tf.square(outputs[name] - 0.5)) for name in
                   ("keras_training", "keras_cond", "keras_unfused_cond", "weighted", "gdn")])
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)  # built, not run: the probe after it counts
    outputs["after_minimize"] = probe("after_minimize")
    return Spec(outputs)
