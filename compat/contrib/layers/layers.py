"""tf.contrib.layers' layers (TF 1.15: contrib/layers/python/layers/layers.py), on TF 2.x.

As TF 1.15 built them: dense, convolution and pooling layers are tf.layers (tf_keras's TF 1.x
layers) inside a variable scope named like contrib's (`fully_connected`, `Conv`,
`Conv2d_transpose`, ...), whose custom getter renames kernel/bias to weights/biases and creates
each variable with model_variable; the rest is written on tf.compat.v1. Every layer honours
arg_scope. batch_norm and layer_norm live in normalization.py, the stateless reshaping layers in
tensor_layers.py; this module re-exports them, as TF 1.15's layers.py had them all.
"""

import functools

from tensorflow.compat import v1 as tf

from compat._moved import MOVES
from compat._namespace import resolve_target
from compat.contrib.framework.arg_scope import add_arg_scope
from compat.contrib.framework.variables import model_variable
from compat.contrib.layers import utils
from compat.contrib.layers.gdn import GDN, gdn  # noqa: F401
from compat.contrib.layers.initializers import xavier_initializer
from compat.contrib.layers.normalization import batch_norm, group_norm, instance_norm, layer_norm  # noqa: F401
from compat.contrib.layers.tensor_layers import (dense_to_sparse, dropout, flatten, images_to_sequence,  # noqa: F401
                                                 maxout, one_hot_encoding, repeat, scale_gradient,
                                                 sequence_to_images, softmax, spatial_softmax, stack, unit_norm)

__all__ = [
    "GDN", "avg_pool2d", "avg_pool3d", "batch_norm", "bias_add", "conv1d", "conv2d", "conv2d_in_plane",
    "conv2d_transpose", "conv3d", "conv3d_transpose", "convolution", "convolution1d", "convolution2d",
    "convolution2d_in_plane", "convolution2d_transpose", "convolution3d", "convolution3d_transpose",
    "dense_to_sparse", "dropout", "elu", "flatten", "fully_connected", "gdn", "group_norm", "images_to_sequence",
    "instance_norm", "layer_norm", "legacy_fully_connected", "legacy_linear", "legacy_relu", "linear",
    "max_pool2d", "max_pool3d", "maxout", "one_hot_encoding", "pool", "relu", "relu6", "repeat",
    "scale_gradient", "separable_conv2d", "separable_convolution2d", "sequence_to_images", "softmax",
    "spatial_softmax", "stack", "unit_norm",
]

tf_layers = resolve_target(next(m.target for m in MOVES if m.name == "layers"))  # tf_keras's TF 1.x tf.layers

_WEIGHTS_AND_BIASES = {"kernel": "weights", "bias": "biases"}


def _channels(data_format):
    return "channels_first" if data_format and data_format.startswith("NC") else "channels_last"


def _finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, alias):
    """normalizer, then activation, then the end-point collections: every contrib layer's tail."""
    if normalizer_fn is not None:
        outputs = normalizer_fn(outputs, **(normalizer_params or {}))
    if activation_fn is not None:
        outputs = activation_fn(outputs)
    return utils.collect_named_outputs(outputs_collections, alias, outputs)


def _collect_layer_variables(layer, variables_collections, kernels=("kernel",)):
    for kernel in kernels:
        utils.add_variable_to_collections(getattr(layer, kernel), variables_collections, "weights")
    if getattr(layer, "bias", None) is not None:
        utils.add_variable_to_collections(layer.bias, variables_collections, "biases")


# --- dense ---------------------------------------------------------------------------------------

@add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=tf.nn.relu, normalizer_fn=None, normalizer_params=None,
                    weights_initializer=xavier_initializer(), weights_regularizer=None,
                    biases_initializer=tf.zeros_initializer(), biases_regularizer=None, reuse=None,
                    variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    """activation_fn(inputs @ weights + biases), variables `<scope>/weights` and `<scope>/biases`.

    The default scope is `fully_connected`, uniquified per call (`fully_connected_1`, ...).
    Inputs of rank > 2 are multiplied along their last axis. With a normalizer_fn (or
    biases_initializer=None) no biases are created."""
    if not isinstance(num_outputs, int):
        raise ValueError("num_outputs type should be one of %s, got %s." % ([int], type(num_outputs)))
    getter = utils.build_variable_getter(_WEIGHTS_AND_BIASES)
    with tf.variable_scope(scope, "fully_connected", [inputs], reuse=reuse, custom_getter=getter) as sc:
        inputs = tf.convert_to_tensor(inputs)
        layer = tf_layers.Dense(
            units=num_outputs, activation=None, use_bias=not normalizer_fn and biases_initializer,
            kernel_initializer=weights_initializer, bias_initializer=biases_initializer,
            kernel_regularizer=weights_regularizer, bias_regularizer=biases_regularizer, activity_regularizer=None,
            trainable=trainable, name=sc.name, dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        _collect_layer_variables(layer, variables_collections)
        return _finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name)


linear = functools.partial(fully_connected, activation_fn=None)
relu = functools.partial(fully_connected, activation_fn=tf.nn.relu)
relu6 = functools.partial(fully_connected, activation_fn=tf.nn.relu6)
elu = functools.partial(fully_connected, activation_fn=tf.nn.elu)


def legacy_fully_connected(x, num_output_units, activation_fn=None, weight_init=xavier_initializer(),
                           bias_init=tf.zeros_initializer(), name=None, weight_collections=(tf.GraphKeys.WEIGHTS,),
                           bias_collections=(tf.GraphKeys.BIASES,), output_collections=(tf.GraphKeys.ACTIVATIONS,),
                           trainable=True, weight_regularizer=None, bias_regularizer=None):
    """The pre-1.0 dense layer: variables `<name>/weights` and `<name>/bias` (not biases),
    output also added to ACTIVATIONS."""
    with tf.variable_scope(name, "fully_connected", [x]):
        x = tf.convert_to_tensor(x)
        dims = x.get_shape().dims
        if dims is None:
            raise ValueError("dims of x must be known but is None")
        if len(dims) < 2:
            raise ValueError("rank of x must be at least 2 not: %d" % len(dims))
        num_input_units = tf.dimension_value(dims[-1])
        if num_input_units is None:
            raise ValueError("last dimension of x must be known but is None")
        dtype = x.dtype.base_dtype
        w = tf.get_variable("weights", shape=[num_input_units, num_output_units], dtype=dtype, initializer=weight_init,
                            collections=set(list(weight_collections or []) + [tf.GraphKeys.GLOBAL_VARIABLES]),
                            regularizer=weight_regularizer, trainable=trainable)
        y = tf.matmul(x if len(dims) <= 2 else tf.reshape(x, [-1, num_input_units]), w)
        if bias_init is not None:
            b = tf.get_variable("bias", shape=[num_output_units], dtype=dtype, initializer=bias_init,
                                collections=set(list(bias_collections or []) + [tf.GraphKeys.GLOBAL_VARIABLES]),
                                regularizer=bias_regularizer, trainable=trainable)
            y = tf.nn.bias_add(y, b)
        if len(dims) > 2:
            out_shape = tf.unstack(tf.shape(x))
            out_shape[-1] = num_output_units
            y = tf.reshape(y, tf.stack(out_shape))
            y.set_shape(x.get_shape().as_list()[:-1] + [num_output_units])
        if activation_fn is not None:
            y = activation_fn(y)
        tf.add_to_collections(list(output_collections or []) + [tf.GraphKeys.ACTIVATIONS], y)
        return y


legacy_relu = functools.partial(legacy_fully_connected, activation_fn=tf.nn.relu)
legacy_linear = functools.partial(legacy_fully_connected, activation_fn=None)


@add_arg_scope
def bias_add(inputs, activation_fn=None, initializer=tf.zeros_initializer(), regularizer=None, reuse=None,
             variables_collections=None, outputs_collections=None, trainable=True, data_format="NHWC", scope=None):
    """inputs + `<scope, default BiasAdd>/biases` along the channel axis."""
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with tf.variable_scope(scope, "BiasAdd", [inputs], reuse=reuse) as sc:
        inputs = tf.convert_to_tensor(inputs)
        shape = inputs.get_shape()
        if shape.ndims is None:
            raise ValueError("Dims of shape must be known but is None")
        if shape.ndims != 4 and data_format == "NCHW":
            raise ValueError("Data format NCHW only supports 4D Tensor")
        num_features = tf.dimension_value(shape.dims[1 if data_format == "NCHW" else -1])
        if num_features is None:
            raise ValueError("`C` dimension must be known but is None")
        biases = model_variable("biases", shape=[num_features], dtype=inputs.dtype.base_dtype, initializer=initializer,
                                regularizer=regularizer,
                                collections=utils.get_variable_collections(variables_collections, "biases"),
                                trainable=trainable)
        outputs = tf.nn.bias_add(inputs, biases, data_format=data_format)
        return _finish(outputs, None, None, activation_fn, outputs_collections, sc.name)


# --- convolutions --------------------------------------------------------------------------------

@add_arg_scope
def convolution(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None, rate=1,
                activation_fn=tf.nn.relu, normalizer_fn=None, normalizer_params=None,
                weights_initializer=xavier_initializer(), weights_regularizer=None,
                biases_initializer=tf.zeros_initializer(), biases_regularizer=None, reuse=None,
                variables_collections=None, outputs_collections=None, trainable=True, scope=None, conv_dims=None):
    """A 1-D, 2-D or 3-D convolution (by the rank of inputs): `<scope, default Conv>/weights`
    [k..., in, out] and `/biases`, then normalizer_fn and activation_fn."""
    if data_format not in [None, "NWC", "NCW", "NHWC", "NCHW", "NDHWC", "NCDHW"]:
        raise ValueError("Invalid data_format: %r" % (data_format,))
    getter = utils.build_variable_getter(_WEIGHTS_AND_BIASES)
    with tf.variable_scope(scope, "Conv", [inputs], reuse=reuse, custom_getter=getter) as sc:
        inputs = tf.convert_to_tensor(inputs)
        input_rank = inputs.get_shape().ndims
        if conv_dims is not None and conv_dims + 2 != input_rank:
            raise ValueError("Convolution expects input with rank %d, got %d" % (conv_dims + 2, input_rank))
        layer_classes = {3: tf_layers.Conv1D, 4: tf_layers.Conv2D, 5: tf_layers.Conv3D}
        if input_rank not in layer_classes:
            raise ValueError("Convolution not supported for input with rank", input_rank)
        layer = layer_classes[input_rank](
            filters=num_outputs, kernel_size=kernel_size, strides=stride, padding=padding,
            data_format=_channels(data_format), dilation_rate=rate, activation=None,
            use_bias=not normalizer_fn and biases_initializer, kernel_initializer=weights_initializer,
            bias_initializer=biases_initializer, kernel_regularizer=weights_regularizer,
            bias_regularizer=biases_regularizer, activity_regularizer=None, trainable=trainable, name=sc.name,
            dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        _collect_layer_variables(layer, variables_collections)
        return _finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name)


def _convolution_of_rank(conv_dims, name):
    def convolution_nd(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None, rate=1,
                       activation_fn=tf.nn.relu, normalizer_fn=None, normalizer_params=None,
                       weights_initializer=xavier_initializer(), weights_regularizer=None,
                       biases_initializer=tf.zeros_initializer(), biases_regularizer=None, reuse=None,
                       variables_collections=None, outputs_collections=None, trainable=True, scope=None):
        return convolution(inputs, num_outputs, kernel_size, stride, padding, data_format, rate, activation_fn,
                           normalizer_fn, normalizer_params, weights_initializer, weights_regularizer,
                           biases_initializer, biases_regularizer, reuse, variables_collections,
                           outputs_collections, trainable, scope, conv_dims=conv_dims)

    convolution_nd.__name__ = convolution_nd.__qualname__ = name
    convolution_nd.__doc__ = "convolution() for inputs of rank %d." % (conv_dims + 2)
    return add_arg_scope(convolution_nd)


convolution1d = conv1d = _convolution_of_rank(1, "convolution1d")
convolution2d = conv2d = _convolution_of_rank(2, "convolution2d")
convolution3d = conv3d = _convolution_of_rank(3, "convolution3d")


@add_arg_scope
def convolution2d_in_plane(inputs, kernel_size, stride=1, padding="SAME", activation_fn=tf.nn.relu,
                           normalizer_fn=None, normalizer_params=None, weights_initializer=xavier_initializer(),
                           weights_regularizer=None, biases_initializer=tf.zeros_initializer(),
                           biases_regularizer=None, reuse=None, variables_collections=None,
                           outputs_collections=None, trainable=True, scope=None):
    """One [k_h, k_w] filter `ConvInPlane/weights` applied to every channel separately."""
    with tf.variable_scope(scope, "ConvInPlane", [inputs], reuse=reuse) as sc:
        dtype = inputs.dtype.base_dtype
        kernel_h, kernel_w = utils.two_element_tuple(kernel_size)
        stride_h, stride_w = utils.two_element_tuple(stride)
        num_filters_in = utils.last_dimension(inputs.get_shape(), min_rank=4)
        weights = model_variable("weights", shape=[kernel_h, kernel_w, 1, 1], dtype=dtype,
                                 initializer=weights_initializer, regularizer=weights_regularizer,
                                 collections=utils.get_variable_collections(variables_collections, "weights"),
                                 trainable=trainable)
        depthwise_weights = tf.tile(weights, [1, 1, num_filters_in, 1])
        outputs = tf.nn.depthwise_conv2d(inputs, depthwise_weights, [1, stride_h, stride_w, 1], padding)
        if normalizer_fn is None and biases_initializer is not None:
            biases = model_variable("biases", shape=[num_filters_in], dtype=dtype, initializer=biases_initializer,
                                    regularizer=biases_regularizer,
                                    collections=utils.get_variable_collections(variables_collections, "biases"),
                                    trainable=trainable)
            outputs = tf.nn.bias_add(outputs, biases)
        return _finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name)


def _transposed_convolution(default_scope, layer_class, data_formats):
    def convolution_transpose(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=data_formats[0],
                              activation_fn=tf.nn.relu, normalizer_fn=None, normalizer_params=None,
                              weights_initializer=xavier_initializer(), weights_regularizer=None,
                              biases_initializer=tf.zeros_initializer(), biases_regularizer=None, reuse=None,
                              variables_collections=None, outputs_collections=None, trainable=True, scope=None):
        getter = utils.build_variable_getter(_WEIGHTS_AND_BIASES)
        with tf.variable_scope(scope, default_scope, [inputs], reuse=reuse, custom_getter=getter) as sc:
            if data_format not in data_formats:
                raise ValueError("data_format has to be either %s or %s." % tuple(reversed(data_formats)))
            inputs = tf.convert_to_tensor(inputs)
            layer = layer_class(
                filters=num_outputs, kernel_size=kernel_size, strides=stride, padding=padding,
                data_format=_channels(data_format), activation=None,
                use_bias=not normalizer_fn and biases_initializer, kernel_initializer=weights_initializer,
                bias_initializer=biases_initializer, kernel_regularizer=weights_regularizer,
                bias_regularizer=biases_regularizer, activity_regularizer=None, trainable=trainable, name=sc.name,
                dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=reuse)
            outputs = layer.apply(inputs)
            _collect_layer_variables(layer, variables_collections)
            return _finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name)

    return convolution_transpose


def _named(function, name):
    function.__name__ = function.__qualname__ = name
    return function


convolution2d_transpose = conv2d_transpose = add_arg_scope(_named(
    _transposed_convolution("Conv2d_transpose", tf_layers.Conv2DTranspose, ("NHWC", "NCHW")), "convolution2d_transpose"))
convolution3d_transpose = conv3d_transpose = add_arg_scope(_named(
    _transposed_convolution("Conv3d_transpose", tf_layers.Conv3DTranspose, ("NDHWC", "NCDHW")), "convolution3d_transpose"))
convolution2d_in_plane = conv2d_in_plane = convolution2d_in_plane


@add_arg_scope
def separable_convolution2d(inputs, num_outputs, kernel_size, depth_multiplier=1, stride=1, padding="SAME",
                            data_format="NHWC", rate=1, activation_fn=tf.nn.relu, normalizer_fn=None,
                            normalizer_params=None, weights_initializer=xavier_initializer(),
                            pointwise_initializer=None, weights_regularizer=None,
                            biases_initializer=tf.zeros_initializer(), biases_regularizer=None, reuse=None,
                            variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    """Depthwise then (unless num_outputs is None) pointwise convolution: `SeparableConv2d/
    depthwise_weights`, `/pointwise_weights`, `/biases`."""
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    getter = utils.build_variable_getter({"bias": "biases", "depthwise_kernel": "depthwise_weights",
                                          "pointwise_kernel": "pointwise_weights"})
    with tf.variable_scope(scope, "SeparableConv2d", [inputs], reuse=reuse, custom_getter=getter) as sc:
        inputs = tf.convert_to_tensor(inputs)
        if num_outputs is not None:
            layer = tf_layers.SeparableConv2D(
                filters=num_outputs, kernel_size=kernel_size, strides=stride, padding=padding,
                data_format=_channels(data_format), dilation_rate=utils.two_element_tuple(rate), activation=None,
                depth_multiplier=depth_multiplier, use_bias=not normalizer_fn and biases_initializer,
                depthwise_initializer=weights_initializer,
                pointwise_initializer=pointwise_initializer or weights_initializer,
                bias_initializer=biases_initializer, depthwise_regularizer=weights_regularizer,
                pointwise_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
                activity_regularizer=None, trainable=trainable, name=sc.name, dtype=inputs.dtype.base_dtype,
                _scope=sc, _reuse=reuse)
            outputs = layer.apply(inputs)
            _collect_layer_variables(layer, variables_collections, ("depthwise_kernel", "pointwise_kernel"))
            return _finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name)
        dtype = inputs.dtype.base_dtype
        kernel_h, kernel_w = utils.two_element_tuple(kernel_size)
        stride_h, stride_w = utils.two_element_tuple(stride)
        channel_axis = 1 if data_format.startswith("NC") else -1
        num_filters_in = tf.dimension_value(inputs.get_shape().dims[channel_axis])
        depthwise_weights = model_variable(
            "depthwise_weights", shape=[kernel_h, kernel_w, num_filters_in, depth_multiplier], dtype=dtype,
            initializer=weights_initializer, regularizer=weights_regularizer, trainable=trainable,
            collections=utils.get_variable_collections(variables_collections, "weights"))
        strides = [1, 1, stride_h, stride_w] if data_format.startswith("NC") else [1, stride_h, stride_w, 1]
        outputs = tf.nn.depthwise_conv2d(inputs, depthwise_weights, strides, padding,
                                         rate=utils.two_element_tuple(rate), data_format=data_format)
        if normalizer_fn is None and biases_initializer is not None:
            biases = model_variable("biases", shape=[depth_multiplier * num_filters_in], dtype=dtype,
                                    initializer=biases_initializer, regularizer=biases_regularizer,
                                    trainable=trainable,
                                    collections=utils.get_variable_collections(variables_collections, "biases"))
            outputs = tf.nn.bias_add(outputs, biases, data_format=data_format)
        return _finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name)


separable_conv2d = separable_convolution2d


# --- pooling -------------------------------------------------------------------------------------

def _pooling(name, default_scope, layer_class, data_formats):
    def pooling(inputs, kernel_size, stride=2, padding="VALID", data_format=data_formats[0],
                outputs_collections=None, scope=None):
        if data_format not in data_formats:
            raise ValueError("data_format has to be either %s or %s." % tuple(reversed(data_formats)))
        with tf.name_scope(scope, default_scope, [inputs]) as sc:
            inputs = tf.convert_to_tensor(inputs)
            layer = layer_class(pool_size=kernel_size, strides=stride, padding=padding,
                                data_format=_channels(data_format), _scope=sc)
            return utils.collect_named_outputs(outputs_collections, sc, layer.apply(inputs))

    pooling.__name__ = pooling.__qualname__ = name
    return add_arg_scope(pooling)


avg_pool2d = _pooling("avg_pool2d", "AvgPool2D", tf_layers.AveragePooling2D, ("NHWC", "NCHW"))
avg_pool3d = _pooling("avg_pool3d", "AvgPool3D", tf_layers.AveragePooling3D, ("NDHWC", "NCDHW"))
max_pool2d = _pooling("max_pool2d", "MaxPool2D", tf_layers.MaxPooling2D, ("NHWC", "NCHW"))
max_pool3d = _pooling("max_pool3d", "MaxPool3D", tf_layers.MaxPooling3D, ("NDHWC", "NCDHW"))


@add_arg_scope
def pool(inputs, kernel_size, pooling_type, padding="VALID", data_format=None, dilation_rate=1, stride=1,
         outputs_collections=None, scope=None):
    """N-D pooling (pooling_type "AVG" or "MAX") by tf.nn.pool."""
    with tf.name_scope(scope, "%s_pool" % pooling_type.lower(), [inputs]) as sc:
        inputs = tf.convert_to_tensor(inputs)
        rank = inputs.get_shape().ndims
        if rank is None:
            raise ValueError("Rank of inputs must be known")
        if rank < 3:
            raise ValueError("Rank of inputs must be >= 3")
        n = rank - 2
        output = tf.nn.pool(input=inputs, window_shape=utils.n_positive_integers(n, kernel_size),
                            pooling_type=pooling_type, padding=padding, data_format=data_format,
                            dilation_rate=utils.n_positive_integers(n, dilation_rate),
                            strides=utils.n_positive_integers(n, stride), name=sc)
        return utils.collect_named_outputs(outputs_collections, sc, output)
