"""tf.contrib.layers' layers beyond fully_connected, as TF 1.15 built them: scopes, variable
names and collections, arg_scope, and values against numpy (convolution, pooling, batch_norm's
routes and updates, layer_norm, group/instance norm, dropout, stack, repeat). The parity
goldens (tests/parity_cases/contrib_layers.py) compare the same layers with TF 1.15's numbers."""

import numpy as np
import pytest

from conftest import tf

layers = tf.contrib.layers
RNG = np.random.RandomState(0)
IMAGES = RNG.randn(2, 5, 5, 3).astype(np.float32)


def names(variables):
    return [v.op.name for v in variables]


def np_conv2d_same(x, w):
    """Stride-1 'SAME' convolution of NHWC x with HWIO w (odd kernel), the way TF pads."""
    kh, kw = w.shape[:2]
    padded = np.pad(x, [(0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)])
    out = np.zeros(x.shape[:3] + (w.shape[3],), np.float64)
    for i in range(x.shape[1]):
        for j in range(x.shape[2]):
            out[:, i, j] = np.einsum("bhwc,hwco->bo", padded[:, i:i + kh, j:j + kw], w)
    return out


def test_conv2d_names_values_and_collections(session):
    out = layers.conv2d(tf.constant(IMAGES), 4, [3, 3], variables_collections=["mine"], outputs_collections="ends")
    assert names(tf.global_variables()) == ["Conv/weights", "Conv/biases"]
    assert names(tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)) == ["Conv/weights", "Conv/biases"]
    assert names(tf.get_collection("mine")) == ["Conv/weights", "Conv/biases"]
    assert tf.get_collection("ends") == [out] and out.aliases == ["Conv"]
    assert out.op.name == "Conv/Relu"
    session.run(tf.global_variables_initializer())
    w = session.run(tf.global_variables()[0])
    assert w.shape == (3, 3, 3, 4)
    np.testing.assert_allclose(session.run(out), np.maximum(np_conv2d_same(IMAGES, w), 0), rtol=1e-4, atol=1e-5)


def test_convolution_dispatches_on_rank_and_conv_dims_checks(graph):
    assert layers.convolution(tf.ones([2, 6, 3]), 2, 3).shape.as_list() == [2, 6, 2]
    assert layers.conv3d(tf.ones([1, 3, 3, 3, 1]), 2, 2).shape.as_list() == [1, 3, 3, 3, 2]
    assert layers.conv1d(tf.ones([2, 6, 3]), 2, 3, stride=2, padding="VALID").shape.as_list() == [2, 2, 2]
    with pytest.raises(ValueError, match="Convolution expects input with rank 4, got 3"):
        layers.conv2d(tf.ones([2, 6, 3]), 2, 3)


def test_conv2d_transpose_and_in_plane_and_separable_names(graph):
    x = tf.constant(IMAGES)
    assert layers.conv2d_transpose(x, 2, 3, stride=2).shape.as_list() == [2, 10, 10, 2]
    assert layers.conv3d_transpose(tf.ones([1, 2, 2, 2, 1]), 2, 2, stride=2).shape.as_list() == [1, 4, 4, 4, 2]
    layers.conv2d_in_plane(x, [3, 3])
    layers.separable_conv2d(x, 5, 3, depth_multiplier=2)
    layers.separable_conv2d(x, None, 3, scope="depthwise_only")
    assert [(v.op.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("Conv2d_transpose/weights", [3, 3, 2, 3]), ("Conv2d_transpose/biases", [2]),
        ("Conv3d_transpose/weights", [2, 2, 2, 2, 1]), ("Conv3d_transpose/biases", [2]),
        ("ConvInPlane/weights", [3, 3, 1, 1]), ("ConvInPlane/biases", [3]),
        ("SeparableConv2d/depthwise_weights", [3, 3, 3, 2]), ("SeparableConv2d/pointwise_weights", [1, 1, 6, 5]),
        ("SeparableConv2d/biases", [5]),
        ("depthwise_only/depthwise_weights", [3, 3, 3, 1]), ("depthwise_only/biases", [3])]


def test_pooling_values(session):
    x = tf.constant(IMAGES[:, :4, :4])
    maxed, averaged = layers.max_pool2d(x, 2), layers.avg_pool2d(x, [2, 2], stride=2)
    blocks = IMAGES[:, :4, :4].reshape(2, 2, 2, 2, 2, 3)
    np.testing.assert_allclose(session.run(maxed), blocks.max(axis=(2, 4)), rtol=1e-6)
    np.testing.assert_allclose(session.run(averaged), blocks.mean(axis=(2, 4)), rtol=1e-5)
    assert maxed.op.name.startswith("MaxPool2D/") and averaged.op.name.startswith("AvgPool2D/")
    assert layers.max_pool3d(tf.ones([1, 4, 4, 4, 1]), 2).shape.as_list() == [1, 2, 2, 2, 1]
    assert layers.avg_pool3d(tf.ones([1, 4, 4, 4, 1]), 2).shape.as_list() == [1, 2, 2, 2, 1]
    with pytest.raises(ValueError, match="data_format has to be either NCHW or NHWC"):
        layers.max_pool2d(x, 2, data_format="NCWH")


def np_batch_norm(x, axes, beta=0.0, gamma=1.0, epsilon=1e-3):
    mean, var = x.mean(axis=axes), x.var(axis=axes)
    return (x - mean) / np.sqrt(var + epsilon) * gamma + beta, mean, var


@pytest.mark.parametrize("route", ["layer", "fused_in_place", "moments_custom_collection"])
def test_batch_norm_training_and_updates(session, route):
    x_value = IMAGES if route != "moments_custom_collection" else IMAGES[:, 0]
    x = tf.constant(x_value)
    kwargs = {"layer": {}, "fused_in_place": {"updates_collections": None},
              "moments_custom_collection": {"updates_collections": ["mine"]}}[route]
    out = layers.batch_norm(x, decay=0.9, is_training=True, **kwargs)
    assert names(tf.global_variables()) == ["BatchNorm/beta", "BatchNorm/moving_mean", "BatchNorm/moving_variance"]
    assert names(tf.trainable_variables()) == ["BatchNorm/beta"]
    updates = tf.get_collection({"layer": tf.GraphKeys.UPDATE_OPS, "fused_in_place": "none",
                                 "moments_custom_collection": "mine"}[route])
    assert len(updates) == (0 if route == "fused_in_place" else 2)
    session.run(tf.global_variables_initializer())
    axes = tuple(range(x_value.ndim - 1))
    expected, mean, var = np_batch_norm(x_value.astype(np.float64), axes)
    np.testing.assert_allclose(session.run([out] + updates)[0], expected, rtol=1e-4, atol=1e-4)
    moving_mean, moving_variance = session.run(tf.global_variables()[1:])
    n = np.prod([x_value.shape[a] for a in axes])
    np.testing.assert_allclose(moving_mean, 0.1 * mean, rtol=1e-4, atol=1e-6)
    # the fused kernel updates with the unbiased variance (Bessel's correction), the moments route with the biased one
    batch_var = var * n / (n - 1) if route != "moments_custom_collection" else var
    np.testing.assert_allclose(moving_variance, 0.9 + 0.1 * batch_var, rtol=1e-4)


def test_batch_norm_inference_and_training_tensor(session):
    is_training = tf.placeholder(tf.bool, [])
    init = {"moving_mean": tf.constant_initializer(0.5), "moving_variance": tf.constant_initializer(4.0)}
    out = layers.batch_norm(tf.constant(IMAGES), scale=True, param_initializers=init, is_training=is_training)
    assert "BatchNorm/gamma" in names(tf.trainable_variables())
    session.run(tf.global_variables_initializer())
    np.testing.assert_allclose(session.run(out, {is_training: False}), (IMAGES - 0.5) / np.sqrt(4.0 + 1e-3),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(session.run(out, {is_training: True}),
                               np_batch_norm(IMAGES.astype(np.float64), (0, 1, 2))[0], rtol=1e-4, atol=1e-4)


def test_layer_norm_bert_axes(session):
    x_value = RNG.randn(2, 3, 4).astype(np.float32)
    out = layers.layer_norm(tf.constant(x_value), begin_norm_axis=-1, begin_params_axis=-1, scope="LayerNorm")
    whole = layers.layer_norm(tf.constant(x_value))
    assert [(v.op.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("LayerNorm/beta", [4]), ("LayerNorm/gamma", [4]), ("LayerNorm_1/beta", [4]), ("LayerNorm_1/gamma", [4])]
    session.run(tf.global_variables_initializer())
    last = (x_value - x_value.mean(-1, keepdims=True)) / np.sqrt(x_value.var(-1, keepdims=True) + 1e-12)
    np.testing.assert_allclose(session.run(out), last, rtol=1e-4, atol=1e-5)
    rows = (x_value - x_value.mean((1, 2), keepdims=True)) / np.sqrt(x_value.var((1, 2), keepdims=True) + 1e-12)
    np.testing.assert_allclose(session.run(whole), rows, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="must be < rank"):
        layers.layer_norm(tf.constant(x_value), begin_norm_axis=3)


def test_group_and_instance_norm(session):
    x = tf.constant(IMAGES[..., :2].repeat(2, axis=-1))  # 4 channels
    grouped = layers.group_norm(x, groups=2, epsilon=1e-6)
    instance = layers.instance_norm(x)
    assert names(tf.global_variables()) == ["GroupNorm/beta", "GroupNorm/gamma", "InstanceNorm/beta",
                                            "InstanceNorm/gamma"]
    session.run(tf.global_variables_initializer())
    value = IMAGES[..., :2].repeat(2, axis=-1).astype(np.float64).reshape(2, 5, 5, 2, 2)
    expected = (value - value.mean((1, 2, 4), keepdims=True)) / np.sqrt(value.var((1, 2, 4), keepdims=True) + 1e-6)
    np.testing.assert_allclose(session.run(grouped), expected.reshape(2, 5, 5, 4), rtol=1e-4, atol=1e-5)
    value = value.reshape(2, 5, 5, 4)
    per_channel = (value - value.mean((1, 2), keepdims=True)) / np.sqrt(value.var((1, 2), keepdims=True) + 1e-6)
    np.testing.assert_allclose(session.run(instance), per_channel, rtol=1e-4, atol=1e-5)


def test_dropout_training_and_inference(session):
    x = tf.ones([200, 50])
    dropped = layers.dropout(x, keep_prob=0.8, seed=3)
    kept = layers.dropout(x, keep_prob=0.8, is_training=False)
    values = session.run(dropped)
    assert set(np.unique(values)) <= {0.0, np.float32(1 / 0.8)}
    assert abs((values > 0).mean() - 0.8) < 0.02
    np.testing.assert_array_equal(session.run(kept), 1.0)
    assert dropped.op.name.startswith("Dropout/")


def test_arg_scope_reaches_layers_and_explicit_arguments_win(graph):
    with tf.contrib.framework.arg_scope([layers.conv2d, layers.fully_connected], activation_fn=None,
                                        weights_regularizer=layers.l2_regularizer(0.1)):
        conv = layers.conv2d(tf.constant(IMAGES), 2, 3)
        relu = layers.fully_connected(tf.ones([2, 3]), 2, activation_fn=tf.nn.relu)
        linear = layers.relu6(tf.ones([2, 3]), 2)  # a partial of fully_connected: relu6 given explicitly
    assert conv.op.type == "BiasAdd" and relu.op.type == "Relu" and linear.op.type == "Relu6"
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 3
    plain = layers.conv2d(tf.constant(IMAGES), 2, 3)
    assert plain.op.type == "Relu"  # outside the scope: the default again


def test_stack_and_repeat_scopes(graph):
    layers.stack(tf.ones([2, 3]), layers.fully_connected, [4, (5, {"activation_fn": None}.get("x"))])
    layers.repeat(tf.constant(IMAGES), 2, layers.conv2d, 3, [3, 3], scope="block")
    assert names(tf.global_variables()) == [
        "Stack/fully_connected_1/weights", "Stack/fully_connected_1/biases",
        "Stack/fully_connected_2/weights", "Stack/fully_connected_2/biases",
        "block/block_1/weights", "block/block_1/biases", "block/block_2/weights", "block/block_2/biases"]
    with pytest.raises(ValueError, match="stack_args need to be a list or tuple"):
        layers.stack(tf.ones([2, 3]), layers.fully_connected, 4)
