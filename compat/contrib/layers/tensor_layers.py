"""The stateless layers of TF 1.15's contrib layers.py (dropout, flatten, one_hot_encoding,
softmax, unit_norm, repeat, stack, ...), on tf.compat.v1 and tf_keras's tf.layers; re-exported
by compat.contrib.layers.layers, where TF 1.15 had them. All honour arg_scope but repeat, stack
and scale_gradient, as in TF 1.15."""

from tensorflow.compat import v1 as tf

from compat._moved import MOVES
from compat._namespace import resolve_target
from compat.contrib.framework.arg_scope import add_arg_scope
from compat.contrib.framework.variables import model_variable
from compat.contrib.layers import utils

__all__ = ["dense_to_sparse", "dropout", "flatten", "images_to_sequence", "maxout", "one_hot_encoding", "repeat",
           "scale_gradient", "sequence_to_images", "softmax", "spatial_softmax", "stack", "unit_norm"]

tf_layers = resolve_target(next(m.target for m in MOVES if m.name == "layers"))  # tf_keras's TF 1.x tf.layers


@add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True, outputs_collections=None, scope=None,
            seed=None):
    """Keep each element with probability keep_prob, scaled by 1/keep_prob; identity when
    is_training is False (a bool or a boolean tensor)."""
    with tf.variable_scope(scope, "Dropout", [inputs], custom_getter=utils.build_variable_getter()) as sc:
        inputs = tf.convert_to_tensor(inputs)
        layer = tf_layers.Dropout(rate=1 - keep_prob, noise_shape=noise_shape, seed=seed, name=sc.name, _scope=sc)
        outputs = layer.apply(inputs, training=is_training)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """[batch, d1, d2, ...] -> [batch, d1 * d2 * ...]."""
    with tf.name_scope(scope, "Flatten", [inputs]) as sc:
        outputs = tf_layers.Flatten().apply(tf.convert_to_tensor(inputs))  # the class: no deprecation warning
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def dense_to_sparse(tensor, eos_token=0, outputs_collections=None, scope=None):
    """A SparseTensor of the elements of `tensor` that are not eos_token."""
    with tf.variable_scope(scope, "dense_to_sparse", [tensor]) as sc:
        tensor = tf.convert_to_tensor(tensor)
        indices = tf.where(tf.not_equal(tensor, tf.constant(eos_token, tensor.dtype)))
        outputs = tf.SparseTensor(indices, tf.gather_nd(tensor, indices), tf.shape(tensor, out_type=tf.int64))
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def one_hot_encoding(labels, num_classes, on_value=1.0, off_value=0.0, outputs_collections=None, scope=None):
    """tf.one_hot of the labels (int32 labels are made int64 first, as in TF 1.15)."""
    with tf.name_scope(scope, "OneHotEncoding", [labels, num_classes]) as sc:
        labels = tf.convert_to_tensor(labels)
        if labels.dtype == tf.int32:
            labels = tf.to_int64(labels)
        outputs = tf.one_hot(labels, num_classes, on_value=on_value, off_value=off_value)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def softmax(logits, scope=None):
    """Softmax over the last axis of logits of any rank >= 2."""
    with tf.variable_scope(scope, "softmax", [logits]):
        num_logits = utils.last_dimension(logits.get_shape(), min_rank=2)
        predictions = tf.nn.softmax(tf.reshape(logits, [-1, num_logits]))
        predictions = tf.reshape(predictions, tf.shape(logits))
        predictions.set_shape(logits.get_shape())
        return predictions


@add_arg_scope
def unit_norm(inputs, dim, epsilon=1e-7, scope=None):
    """inputs / sqrt(epsilon + sum(inputs**2 along dim))."""
    with tf.variable_scope(scope, "UnitNorm", [inputs]):
        if not inputs.get_shape():
            raise ValueError("The input rank must be known.")
        rank = len(inputs.get_shape().as_list())
        if dim < 0 or dim >= rank:
            raise ValueError("dim must be positive but smaller than the input rank.")
        lengths = tf.sqrt(epsilon + tf.reduce_sum(tf.square(inputs), dim, True))
        multiples = []
        if dim > 0:
            multiples.append(tf.ones([dim], tf.int32))
        multiples.append(tf.strided_slice(tf.shape(inputs), [dim], [dim + 1]))
        if dim < rank - 1:
            multiples.append(tf.ones([rank - 1 - dim], tf.int32))
        return tf.div(inputs, tf.tile(lengths, tf.concat(multiples, 0)))


@add_arg_scope
def maxout(inputs, num_units, axis=-1, scope=None):
    """The max over groups of channels: `axis` of size n becomes num_units (n / num_units each)."""
    with tf.variable_scope(scope, "MaxOut", [inputs]):
        inputs = tf.convert_to_tensor(inputs)
        shape = inputs.get_shape().as_list()
        num_channels = shape[axis]
        if num_channels % num_units:
            raise ValueError("number of features({}) is not a multiple of num_units({})".format(num_channels, num_units))
        shape[axis] = num_units
        shape += [num_channels // num_units]
        shape = [tf.shape(inputs)[i] if size is None else size for i, size in enumerate(shape)]
        return tf.reduce_max(tf.reshape(inputs, shape), -1, keepdims=False)


@add_arg_scope
def images_to_sequence(inputs, data_format="NHWC", outputs_collections=None, scope=None):
    """[batch, height, width, depth] -> [width, batch * height, depth] (rows become sequences)."""
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with tf.name_scope(scope, "ImagesToSequence", [inputs]) as sc:
        inputs = tf.convert_to_tensor(inputs)
        if data_format.startswith("NC"):
            inputs = tf.transpose(inputs, [0, 2, 3, 1])
        _, _, width, depth = inputs.get_shape().as_list()
        dynamic_shape = tf.shape(inputs)
        outputs = tf.reshape(tf.transpose(inputs, [2, 0, 1, 3]), [width, dynamic_shape[0] * dynamic_shape[1], depth])
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def sequence_to_images(inputs, height, output_data_format="channels_last", outputs_collections=None, scope=None):
    """images_to_sequence's inverse: [width, batch * height, depth] -> images."""
    with tf.name_scope(scope, "SequenceToImages", [inputs]) as sc:
        inputs = tf.convert_to_tensor(inputs)
        width, num_batches, depth = inputs.get_shape().as_list()
        num_batches = -1 if num_batches is None else num_batches // height
        reshaped = tf.reshape(inputs, [width, num_batches, height, depth])
        order = [1, 3, 2, 0] if output_data_format == "channels_first" else [1, 2, 0, 3]
        return utils.collect_named_outputs(outputs_collections, sc, tf.transpose(reshaped, order))


@add_arg_scope
def spatial_softmax(features, temperature=None, name=None, variables_collections=None, trainable=True,
                    data_format="NHWC"):
    """[batch, 2 * channels]: each channel's expected (x, y) in [-1, 1] under a softmax over its
    positions, at temperature `<name>/spatial_softmax/temperature` (a model variable)."""
    with tf.variable_scope(name, "spatial_softmax"):
        shape, static_shape = tf.shape(features), features.shape
        if data_format == "NHWC":
            height, width, num_channels = shape[1], shape[2], static_shape[3]
        elif data_format == "NCHW":
            num_channels, height, width = static_shape[1], shape[2], shape[3]
        else:
            raise ValueError("data_format has to be either NCHW or NHWC.")
        num_channels = tf.dimension_value(num_channels)
        if num_channels is None:
            raise ValueError("The num_channels dimension of the inputs to `spatial_softmax` should be defined. "
                             "Found `None`.")
        with tf.name_scope("spatial_softmax_op", "spatial_softmax_op", [features]):
            pos_x, pos_y = tf.meshgrid(tf.lin_space(-1., 1., num=height), tf.lin_space(-1., 1., num=width),
                                       indexing="ij")
            pos_x = tf.reshape(pos_x, [height * width])
            pos_y = tf.reshape(pos_y, [height * width])
            initializer = tf.ones_initializer() if temperature is None else tf.constant_initializer(temperature)
            collections = utils.get_variable_collections(variables_collections, "temperature") if trainable else None
            temperature = model_variable("temperature", shape=(), dtype=tf.float32, initializer=initializer,
                                         collections=collections, trainable=trainable)
            if data_format == "NCHW":
                features = tf.reshape(features, [-1, height * width])
            else:
                features = tf.reshape(tf.transpose(features, [0, 3, 1, 2]), [-1, height * width])
            attention = tf.nn.softmax(features / temperature)
            expected_x = tf.reduce_sum(pos_x * attention, [1], keepdims=True)
            expected_y = tf.reduce_sum(pos_y * attention, [1], keepdims=True)
            keypoints = tf.reshape(tf.concat([expected_x, expected_y], 1), [-1, num_channels * 2])
            keypoints.set_shape([None, num_channels * 2])
    return keypoints


def scale_gradient(inputs, gradient_multiplier):
    """Identity forward; the gradient flowing back is multiplied by gradient_multiplier."""

    @tf.custom_gradient
    def identity_scaling_gradient(x):
        return tf.identity(x), lambda grad: grad * gradient_multiplier

    return identity_scaling_gradient(tf.convert_to_tensor(inputs))


def _default_scope_name(layer, fallback):
    if hasattr(layer, "__name__"):
        return layer.__name__
    if hasattr(layer, "func") and hasattr(layer.func, "__name__"):
        return layer.func.__name__  # a functools.partial
    return fallback


def repeat(inputs, repetitions, layer, *args, **kwargs):
    """Apply `layer(outputs, *args, **kwargs)` `repetitions` times, in scopes <name>_1, <name>_2,
    ... under a `Repeat` variable scope (or `scope`)."""
    scope = kwargs.pop("scope", None)
    with tf.variable_scope(scope, "Repeat", [inputs]):
        outputs = tf.convert_to_tensor(inputs)
        scope = scope or _default_scope_name(layer, "repeat")
        for i in range(repetitions):
            kwargs["scope"] = scope + "_" + str(i + 1)
            outputs = layer(outputs, *args, **kwargs)
        return outputs


def stack(inputs, layer, stack_args, **kwargs):
    """Apply `layer` once per entry of stack_args (its extra positional arguments), in scopes
    <name>_1, <name>_2, ... under a `Stack` variable scope (or `scope`)."""
    scope = kwargs.pop("scope", None)
    if not isinstance(stack_args, (list, tuple)):
        raise ValueError("stack_args need to be a list or tuple")
    with tf.variable_scope(scope, "Stack", [inputs]):
        outputs = tf.convert_to_tensor(inputs)
        scope = scope or _default_scope_name(layer, "stack")
        for i, layer_args in enumerate(stack_args):
            kwargs["scope"] = scope + "_" + str(i + 1)
            layer_args = layer_args if isinstance(layer_args, (list, tuple)) else [layer_args]
            outputs = layer(outputs, *layer_args, **kwargs)
        return outputs
