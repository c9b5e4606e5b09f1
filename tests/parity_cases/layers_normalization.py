"""tf.layers.batch_normalization / tf.layers.BatchNormalization against TF 1.15, by input rank:
TF 1.15 fused 4-D inputs only (its moving variance then took the kernel's Bessel-corrected batch
variance) and normalized 5-D ones with tf.nn.moments, fused=True included. Each training case
runs the layer's UPDATE_OPS with every step (the loss depends on them) and reads the moving
statistics afterwards; a random op (a probe) after each construct checks TF 1.15's op count.

Fused (4-D) without gamma or beta, TF 1.15 made the missing one's Const in build(), where the
variable would be: the fused_without_* cases draw beta or the moving statistics from unseeded
random initializers after it, so their values hold TF 1.15's op count there."""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("layers_normalization")


def constant(shape, seed=0):
    """Fixed numpy values, mean 1 and spread 2, so the statistics are far from the initial ones."""
    return tf.constant((np.random.RandomState(seed).randn(*shape) * 2.0 + 1.0).astype(np.float32))


def probe(name):
    return tf.random_uniform([2], name=name)


def trained_with_updates(outputs, normalized, layer_scopes, steps=2, after_training=None):
    """Train gamma/beta a few steps, running UPDATE_OPS with each; read the moving statistics (and
    `after_training`) after."""
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        loss = tf.add_n([tf.reduce_mean(tf.square(tensor - 0.5)) for tensor in normalized])
    moving = {scope + "/" + name: tf.global_variables(scope + "/" + name)[0]
              for scope in layer_scopes for name in ("moving_mean", "moving_variance")}
    moving.update(after_training or {})
    return Spec(outputs, loss=loss, optimizer=tf.train.GradientDescentOptimizer(0.2), steps=steps,
                after_training=moving)


@cases.case
def bn_5d_training_default():
    """NDHWC, every argument at its default but training: TF 1.15 did not fuse."""
    volumes = constant([2, 2, 3, 3, 2])
    normalized = tf.layers.batch_normalization(volumes, training=True, name="bn5")
    outputs = {"training": normalized, "after": probe("after_bn5")}
    # the same variables in inference: the moving statistics
    outputs["inference"] = tf.layers.batch_normalization(volumes, training=False, name="bn5", reuse=True)
    outputs["after_inference"] = probe("after_bn5_inference")
    return trained_with_updates(outputs, [normalized], ["bn5"], steps=3,
                                after_training={"inference": outputs["inference"]})


@cases.case
def bn_5d_channels_first_fused_true_tensor_training():
    """NCDHW through the class, fused=True (TF 1.15 ignored it for 5-D), `training` a tensor."""
    volumes = constant([2, 3, 2, 2, 3], seed=1)
    training = tf.placeholder_with_default(True, shape=(), name="training")
    layer = tf.layers.BatchNormalization(axis=1, momentum=0.6, epsilon=0.01, fused=True, name="bn5_ncdhw")
    normalized = layer.apply(volumes, training=training)
    outputs = {"training": normalized, "after": probe("after_bn5_ncdhw")}
    return trained_with_updates(outputs, [normalized], ["bn5_ncdhw"])


@cases.case
def bn_5d_inference():
    """training=False: the moving statistics (not the initial ones) normalize; no updates."""
    volumes = constant([2, 2, 2, 3, 4], seed=2)
    normalized = tf.layers.batch_normalization(
        volumes, training=False, momentum=0.9, moving_mean_initializer=tf.constant_initializer(0.5),
        moving_variance_initializer=tf.constant_initializer(3.0), beta_initializer=tf.constant_initializer(0.1),
        name="bn5_inference")
    return Spec({"inference": normalized, "after": probe("after_bn5_inference")})


@cases.case
def bn_4d_and_3d_training():
    """4-D stays fused (TF 1.15's Bessel-corrected moving variance), 3-D unfused, one layer each."""
    images = constant([2, 3, 3, 2], seed=3)
    sequences = constant([2, 4, 3], seed=4)
    normalized_4d = tf.layers.batch_normalization(images, training=True, momentum=0.5, name="bn4")
    normalized_3d = tf.layers.batch_normalization(sequences, training=True, momentum=0.5, scale=False, name="bn3")
    outputs = {"bn4": normalized_4d, "bn3": normalized_3d, "after": probe("after_bn4_bn3")}
    return trained_with_updates(outputs, [normalized_4d, normalized_3d], ["bn4", "bn3"])


def random_initializers(*names):
    """Unseeded random initializers: under the graph seed, each draws by TF 1.15's op count."""
    kinds = {"beta": tf.random_normal_initializer(stddev=0.5), "gamma": tf.random_uniform_initializer(0.5, 1.5),
             "moving_mean": tf.random_normal_initializer(stddev=0.5),
             "moving_variance": tf.random_uniform_initializer(0.5, 2.0)}
    return {name: kinds[name] for name in names}


@cases.case
def fused_without_gamma_training():
    """scale=False, training=True: the ones Const comes before beta; beta and moving_mean random."""
    images = constant([2, 3, 2, 2], seed=5)
    initializers = random_initializers("beta", "moving_mean")
    normalized = tf.layers.batch_normalization(
        images, training=True, momentum=0.5, scale=False, name="bn_no_gamma",
        beta_initializer=initializers["beta"], moving_mean_initializer=initializers["moving_mean"])
    outputs = {"training": normalized, "after": probe("after_bn_no_gamma")}
    return trained_with_updates(outputs, [normalized], ["bn_no_gamma"])


@cases.case
def fused_without_beta_inference():
    """center=False, training=False: the zeros Const comes before the (random) moving statistics."""
    images = constant([2, 2, 3, 2], seed=6)
    normalized = tf.layers.batch_normalization(
        images, training=False, center=False, name="bn_no_beta", **{
            name + "_initializer": initializer for name, initializer in
            random_initializers("gamma", "moving_mean", "moving_variance").items()})
    return Spec({"inference": normalized, "after": probe("after_bn_no_beta")})


@cases.case
def fused_without_gamma_and_beta_tensor_training():
    """Neither, `training` a tensor (a tf.cond): both Consts before the random moving statistics;
    the moving statistics are read after one update."""
    images = constant([2, 2, 2, 3], seed=7)
    training = tf.placeholder_with_default(True, shape=(), name="training")
    layer = tf.layers.BatchNormalization(
        momentum=0.5, center=False, scale=False, name="bn_neither",
        **{name + "_initializer": initializer for name, initializer in
           random_initializers("moving_mean", "moving_variance").items()})
    normalized = layer.apply(images, training=training)
    outputs = {"training": normalized, "after": probe("after_bn_neither")}
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        outputs["updated"] = [tf.identity(layer.moving_mean), tf.identity(layer.moving_variance)]
    return Spec(outputs)


@cases.case
def contrib_batch_norm_default_center_no_scale():
    """contrib.layers.batch_norm's defaults (center=True, scale=False, UPDATE_OPS): tf.layers'
    fused layer in scope BatchNorm; beta and the moving statistics random."""
    images = constant([2, 3, 3, 2], seed=8)
    normalized = tf.contrib.layers.batch_norm(images, decay=0.5, param_initializers=random_initializers(
        "beta", "moving_mean", "moving_variance"))
    outputs = {"training": normalized, "after": probe("after_contrib_batch_norm")}
    return trained_with_updates(outputs, [normalized], ["BatchNorm"])
