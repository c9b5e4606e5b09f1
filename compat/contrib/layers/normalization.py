"""tf.contrib.layers' normalization layers: batch_norm and layer_norm (TF 1.15: layers.py),
group_norm and instance_norm (TF 1.15: normalization.py), with TF 1.15's scopes, variable
names (`BatchNorm/beta`, `/gamma`, `/moving_mean`, `/moving_variance`, `LayerNorm/beta`, ...)
and update mechanics, on tf.compat.v1 and compat's tf.layers.BatchNormalization (compat/layers/:
tf_keras's layer fusing 4-D inputs only, as TF 1.15's).

batch_norm takes TF 1.15's three routes: the fused kernel for 2-D and 4-D inputs whenever the
updates go elsewhere than UPDATE_OPS (or zero_debias_moving_mean); tf.layers.BatchNormalization
for the default UPDATE_OPS case; moments and assign_moving_average otherwise (batch_weights,
fused=False with custom updates_collections, other ranks).
"""

from tensorflow.compat import v1 as tf
from tensorflow.python.training import moving_averages

from compat._moved import MOVES
from compat._namespace import resolve_target
from compat.contrib.framework.arg_scope import add_arg_scope
from compat.contrib.framework.variables import model_variable
from compat.contrib.layers import utils

__all__ = ["batch_norm", "group_norm", "instance_norm", "layer_norm"]

tf_layers = resolve_target(next(m.target for m in MOVES if m.name == "layers"))  # compat's tf.layers


def _params(center, scale, shape, dtype, initializers, regularizers, variables_collections, trainable):
    """beta and gamma model variables (None when not centering / scaling)."""
    beta = gamma = None
    if center:
        beta = model_variable("beta", shape=shape, dtype=dtype,
                              initializer=initializers.get("beta", tf.zeros_initializer()),
                              regularizer=regularizers.get("beta"),
                              collections=utils.get_variable_collections(variables_collections, "beta"),
                              trainable=trainable)
    if scale:
        gamma = model_variable("gamma", shape=shape, dtype=dtype,
                               initializer=initializers.get("gamma", tf.ones_initializer()),
                               regularizer=regularizers.get("gamma"),
                               collections=utils.get_variable_collections(variables_collections, "gamma"),
                               trainable=trainable)
    return beta, gamma


def _moving_statistics(shape, dtype, initializers, variables_collections):
    """moving_mean and moving_variance: non-trainable model variables, never partitioned."""
    with tf.variable_scope(tf.get_variable_scope()) as local_scope:
        local_scope.set_partitioner(None)
        return [model_variable(name, shape=shape, dtype=dtype, initializer=initializers.get(name, default()),
                               trainable=False,
                               collections=utils.get_variable_collections(variables_collections, name))
                for name, default in (("moving_mean", tf.zeros_initializer), ("moving_variance", tf.ones_initializer))]


def _updates(is_training, moving_mean, moving_variance, mean, variance, decay, zero_debias_moving_mean,
             updates_collections, outputs):
    """The moving-average updates: run before `outputs` (updates_collections None) or added to
    updates_collections; returns the (possibly dependent) outputs."""
    def update():
        return (moving_averages.assign_moving_average(moving_mean, mean, decay, zero_debias=zero_debias_moving_mean),
                moving_averages.assign_moving_average(moving_variance, variance, decay, zero_debias=False))

    if updates_collections is None:
        def force_updates():
            with tf.control_dependencies(update()):
                return tf.identity(outputs)

        return utils.smart_cond(is_training, force_updates, lambda: outputs)
    update_mean, update_variance = utils.smart_cond(is_training, update, lambda: (moving_mean, moving_variance))
    tf.add_to_collections(updates_collections, update_mean)
    tf.add_to_collections(updates_collections, update_variance)
    return outputs


def _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn, param_initializers, param_regularizers,
                      updates_collections, is_training, reuse, variables_collections, outputs_collections, trainable,
                      data_format, zero_debias_moving_mean, scope):
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with tf.variable_scope(scope, "BatchNorm", [inputs], reuse=reuse) as sc:
        inputs = tf.convert_to_tensor(inputs)
        original_shape, original_inputs = inputs.get_shape(), inputs
        if original_shape.ndims is None:
            raise ValueError("Inputs %s has undefined rank" % inputs.name)
        if original_shape.ndims not in (2, 4):
            raise ValueError("Inputs %s has unsupported rank. Expected 2 or 4 but got %d"
                             % (inputs.name, original_shape.ndims))
        if original_shape.ndims == 2:
            channels = tf.dimension_value(original_shape[-1])
            if channels is None:
                raise ValueError("`C` dimension must be known but is None")
            inputs = tf.reshape(inputs, [-1, channels, 1, 1] if data_format == "NCHW" else [-1, 1, 1, channels])
        inputs_shape = inputs.get_shape()
        params_shape = inputs_shape[-1:] if data_format == "NHWC" else inputs_shape[1:2]
        if not params_shape.is_fully_defined():
            raise ValueError("Inputs %s has undefined `C` dimension %s." % (inputs.name, params_shape))
        beta, gamma = _params(center, scale, params_shape, tf.float32, param_initializers or {},
                              param_regularizers or {}, variables_collections, trainable)
        if beta is None:
            beta = tf.constant(0.0, dtype=tf.float32, shape=params_shape)
        if gamma is None:
            gamma = tf.constant(1.0, dtype=tf.float32, shape=params_shape)
        moving_mean, moving_variance = _moving_statistics(params_shape, tf.float32, param_initializers or {},
                                                          variables_collections)
        outputs, mean, variance = utils.smart_cond(
            is_training,
            lambda: tf.nn.fused_batch_norm(inputs, gamma, beta, epsilon=epsilon, data_format=data_format),
            lambda: tf.nn.fused_batch_norm(inputs, gamma, beta, mean=moving_mean, variance=moving_variance,
                                           epsilon=epsilon, is_training=False, data_format=data_format))
        training_value = utils.constant_value(is_training)
        if training_value is None or training_value:
            outputs = _updates(is_training, moving_mean, moving_variance, mean, variance, decay,
                               zero_debias_moving_mean, updates_collections, outputs)
        outputs.set_shape(inputs_shape)
        if original_shape.ndims == 2:
            outputs = tf.reshape(outputs, tf.shape(original_inputs))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001, activation_fn=None,
               param_initializers=None, param_regularizers=None, updates_collections=tf.GraphKeys.UPDATE_OPS,
               is_training=True, reuse=None, variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format="NHWC", zero_debias_moving_mean=False, scope=None,
               renorm=False, renorm_clipping=None, renorm_decay=0.99, adjustment=None):
    """Batch normalization over all axes but the channel axis, in variable scope `BatchNorm`.

    Training (is_training True, or a boolean tensor) uses the batch statistics and updates
    moving_mean/moving_variance with `decay`: the update ops go to updates_collections (default
    UPDATE_OPS: run them with the train op), or run before the output when it is None."""
    if fused is None:
        fused = True
    inputs = tf.convert_to_tensor(inputs)
    rank = inputs.get_shape().ndims
    possible_to_fuse = batch_weights is None and not renorm and rank in (2, 4) and adjustment is None
    if fused and possible_to_fuse and (zero_debias_moving_mean or rank == 2
                                       or updates_collections is not tf.GraphKeys.UPDATE_OPS):
        return _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn, param_initializers,
                                 param_regularizers, updates_collections, is_training, reuse, variables_collections,
                                 outputs_collections, trainable, data_format, zero_debias_moving_mean, scope)
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with tf.variable_scope(scope, "BatchNorm", [inputs], reuse=reuse,
                           custom_getter=utils.build_variable_getter()) as sc:
        inputs = tf.convert_to_tensor(inputs)
        initializers, regularizers = param_initializers or {}, param_regularizers or {}
        if batch_weights is None and updates_collections is tf.GraphKeys.UPDATE_OPS and not zero_debias_moving_mean:
            # (which inputs it fuses, as TF 1.15's layer: compat/layers/normalization.py)
            layer = tf_layers.BatchNormalization(
                axis=1 if data_format == "NCHW" else -1, momentum=decay, epsilon=epsilon, center=center, scale=scale,
                beta_initializer=initializers.get("beta", tf.zeros_initializer()),
                gamma_initializer=initializers.get("gamma", tf.ones_initializer()),
                moving_mean_initializer=initializers.get("moving_mean", tf.zeros_initializer()),
                moving_variance_initializer=initializers.get("moving_variance", tf.ones_initializer()),
                beta_regularizer=regularizers.get("beta"), gamma_regularizer=regularizers.get("gamma"),
                trainable=trainable, renorm=renorm, renorm_clipping=renorm_clipping, renorm_momentum=renorm_decay,
                adjustment=adjustment, name=sc.name, _scope=sc, _reuse=reuse, fused=fused)
            outputs = layer.apply(inputs, training=is_training)
            for variable, kind in ((layer.moving_mean, "moving_mean"), (layer.moving_variance, "moving_variance"),
                                   (layer.beta, "beta"), (layer.gamma, "gamma")):
                if variable is not None:
                    utils.add_variable_to_collections(variable, variables_collections, kind)
            if activation_fn is not None:
                outputs = activation_fn(outputs)
            return utils.collect_named_outputs(outputs_collections, sc.name, outputs)

        if renorm:
            raise ValueError("renorm is not supported with batch_weights, updates_collections or "
                             "zero_debias_moving_mean")
        inputs_shape = inputs.get_shape()
        if inputs_shape.ndims is None:
            raise ValueError("Inputs %s has undefined rank." % inputs.name)
        rank, dtype = inputs_shape.ndims, inputs.dtype.base_dtype
        if batch_weights is not None:
            batch_weights = tf.convert_to_tensor(batch_weights)
            inputs_shape[0:1].assert_is_compatible_with(batch_weights.get_shape())
            batch_weights = tf.reshape(batch_weights, [-1] + [1] * (rank - 1))
        if data_format == "NCHW":
            moments_axes = [0] + list(range(2, rank))
            params_shape = inputs_shape[1:2]
            broadcast_shape = [1, tf.dimension_value(inputs_shape[1])] + [1] * (rank - 2)
        else:
            moments_axes = list(range(rank - 1))
            params_shape = inputs_shape[-1:]
            broadcast_shape = None
        if not params_shape.is_fully_defined():
            raise ValueError("Inputs %s has undefined channels dimension %s." % (inputs.name, params_shape))
        beta, gamma = _params(center, scale, params_shape, dtype, initializers, {}, variables_collections, trainable)
        moving_mean, moving_variance = _moving_statistics(params_shape, dtype, initializers, variables_collections)
        training_value = utils.constant_value(is_training)
        if training_value is None or training_value:
            keep_dims = data_format == "NCHW"
            if batch_weights is None:
                mean, variance = tf.nn.moments(inputs, moments_axes, keep_dims=keep_dims)
            else:
                mean, variance = tf.nn.weighted_moments(inputs, moments_axes, batch_weights, keep_dims=keep_dims)
            if keep_dims:
                mean, variance = tf.reshape(mean, [-1]), tf.reshape(variance, [-1])
            mean, variance = _moments_after_updates(is_training, moving_mean, moving_variance, mean, variance, decay,
                                                    zero_debias_moving_mean, updates_collections)
        else:
            mean, variance = moving_mean, moving_variance
        if broadcast_shape:
            mean, variance = tf.reshape(mean, broadcast_shape), tf.reshape(variance, broadcast_shape)
            beta = None if beta is None else tf.reshape(beta, broadcast_shape)
            gamma = None if gamma is None else tf.reshape(gamma, broadcast_shape)
        outputs = tf.nn.batch_normalization(inputs, mean, variance, beta, gamma, epsilon)
        outputs.set_shape(inputs_shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


def _moments_after_updates(is_training, moving_mean, moving_variance, mean, variance, decay, zero_debias,
                           updates_collections):
    """The (mean, variance) to normalize with in the unfused route, its updates placed as TF 1.15 did."""
    moving = lambda: (moving_mean, moving_variance)  # noqa: E731

    def update():
        return (moving_averages.assign_moving_average(moving_mean, mean, decay, zero_debias=zero_debias),
                moving_averages.assign_moving_average(moving_variance, variance, decay, zero_debias=False))

    if updates_collections is None:
        def force_updates():
            with tf.control_dependencies(update()):
                return tf.identity(mean), tf.identity(variance)

        return utils.smart_cond(is_training, force_updates, moving)
    update_mean, update_variance = utils.smart_cond(is_training, update, moving)
    tf.add_to_collections(updates_collections, update_mean)
    tf.add_to_collections(updates_collections, update_variance)
    return utils.smart_cond(is_training, lambda: (mean, variance), moving)


@add_arg_scope
def layer_norm(inputs, center=True, scale=True, activation_fn=None, reuse=None, variables_collections=None,
               outputs_collections=None, trainable=True, begin_norm_axis=1, begin_params_axis=-1, scope=None):
    """Normalize over axes begin_norm_axis.. (epsilon 1e-12), then `LayerNorm/gamma` and
    `LayerNorm/beta` of shape inputs.shape[begin_params_axis:]."""
    with tf.variable_scope(scope, "LayerNorm", [inputs], reuse=reuse) as sc:
        inputs = tf.convert_to_tensor(inputs)
        inputs_shape = inputs.shape
        rank = inputs_shape.ndims
        if rank is None:
            raise ValueError("Inputs %s has undefined rank." % inputs.name)
        dtype = inputs.dtype.base_dtype
        if begin_norm_axis < 0:
            begin_norm_axis = rank + begin_norm_axis
        if begin_params_axis >= rank or begin_norm_axis >= rank:
            raise ValueError("begin_params_axis (%d) and begin_norm_axis (%d) must be < rank(inputs) (%d)"
                             % (begin_params_axis, begin_norm_axis, rank))
        params_shape = inputs_shape[begin_params_axis:]
        if not params_shape.is_fully_defined():
            raise ValueError("Inputs %s: shape(inputs)[%s:] is not fully defined: %s"
                             % (inputs.name, begin_params_axis, inputs_shape))
        beta, gamma = _params(center, scale, params_shape, dtype, {}, {}, variables_collections, trainable)
        mean, variance = tf.nn.moments(inputs, list(range(begin_norm_axis, rank)), keep_dims=True)
        variance_epsilon = 1e-12 if dtype != tf.float16 else 1e-3
        outputs = tf.nn.batch_normalization(inputs, mean, variance, offset=beta, scale=gamma,
                                            variance_epsilon=variance_epsilon)
        outputs.set_shape(inputs_shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def instance_norm(inputs, center=True, scale=True, epsilon=1e-6, activation_fn=None, param_initializers=None,
                  reuse=None, variables_collections=None, outputs_collections=None, trainable=True,
                  data_format="NHWC", scope=None):
    """Normalize each example's each channel over its spatial axes (`InstanceNorm/beta`, `/gamma`)."""
    inputs = tf.convert_to_tensor(inputs)
    inputs_shape, rank = inputs.shape, inputs.shape.ndims
    if rank is None:
        raise ValueError("Inputs %s has undefined rank." % inputs.name)
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with tf.variable_scope(scope, "InstanceNorm", [inputs], reuse=reuse) as sc:
        channel_axis = 1 if data_format == "NCHW" else rank - 1
        broadcast_shape = ([1, tf.dimension_value(inputs_shape[1])] + [1] * (rank - 2)) if data_format == "NCHW" else None
        moments_axes = [axis for axis in range(1, rank) if axis != channel_axis]
        params_shape = inputs_shape[channel_axis:channel_axis + 1]
        if not params_shape.is_fully_defined():
            raise ValueError("Inputs %s has undefined channels dimension %s." % (inputs.name, params_shape))
        beta, gamma = _params(center, scale, params_shape, inputs.dtype.base_dtype, param_initializers or {}, {},
                              variables_collections, trainable)
        if broadcast_shape:
            beta = None if beta is None else tf.reshape(beta, broadcast_shape)
            gamma = None if gamma is None else tf.reshape(gamma, broadcast_shape)
        mean, variance = tf.nn.moments(inputs, moments_axes, keep_dims=True)
        outputs = tf.nn.batch_normalization(inputs, mean, variance, beta, gamma, epsilon, name="instancenorm")
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def group_norm(inputs, groups=32, channels_axis=-1, reduction_axes=(-3, -2), center=True, scale=True, epsilon=1e-6,
               activation_fn=None, param_initializers=None, reuse=None, variables_collections=None,
               outputs_collections=None, trainable=True, scope=None, mean_close_to_zero=False):
    """Normalize over groups of channels (and reduction_axes): `GroupNorm/beta`, `/gamma` [channels]."""
    inputs = tf.convert_to_tensor(inputs)
    rank = inputs.shape.ndims
    if rank is None:
        raise ValueError("Inputs %s has undefined rank." % inputs.name)
    if channels_axis > rank - 1:
        raise ValueError("Axis is out of bounds.")
    dynamic_shape = tf.shape(inputs)
    shape_list = [dynamic_shape[i] if tf.dimension_value(dim) is None else tf.dimension_value(dim)
                  for i, dim in enumerate(inputs.shape)]
    channels_axis = channels_axis + rank if channels_axis < 0 else channels_axis
    channels = tf.dimension_value(inputs.shape[channels_axis])
    if channels is None:
        raise ValueError("Inputs %s has undefined channel dimension: %d." % (inputs.name, channels_axis))
    reduction_axes = [a + rank if a < 0 else a for a in reduction_axes]
    for a in reduction_axes:
        if a > rank:
            raise ValueError("Axis is out of bounds.")
        if tf.dimension_value(inputs.shape[a]) is None:
            raise ValueError("Inputs %s has undefined dimensions %d." % (inputs.name, a))
        if channels_axis == a:
            raise ValueError("reduction_axis must be mutually exclusive with channels_axis")
    if groups > channels:
        raise ValueError("Invalid groups %d for %d channels." % (groups, channels))
    if channels % groups != 0:
        raise ValueError("%d channels is not commensurate with %d groups." % (channels, groups))
    before, after = shape_list[:channels_axis], shape_list[channels_axis + 1:]
    broadcast_shape = [1] * len(before) + [groups, channels // groups] + [1] * len(after)
    inputs = tf.reshape(inputs, before + [groups, channels // groups] + after)
    moments_axes = [channels_axis + 1] + [a + 1 if a > channels_axis else a for a in reduction_axes]
    with tf.variable_scope(scope, "GroupNorm", [inputs], reuse=reuse) as sc:
        beta, gamma = _params(center, scale, [channels], inputs.dtype.base_dtype, param_initializers or {}, {},
                              variables_collections, trainable)
        beta = None if beta is None else tf.reshape(beta, broadcast_shape)
        gamma = None if gamma is None else tf.reshape(gamma, broadcast_shape)
        if mean_close_to_zero:
            counts, means_ss, variance_ss, _ = tf.nn.sufficient_statistics(inputs, moments_axes, keep_dims=True)
            mean, variance = tf.nn.normalize_moments(counts, means_ss, variance_ss, shift=None)
        else:
            mean, variance = tf.nn.moments(inputs, moments_axes, keep_dims=True)
        gain = tf.rsqrt(variance + epsilon)
        offset = -mean * gain
        if gamma is not None:
            gain *= gamma
            offset *= gamma
        if beta is not None:
            offset += beta
        outputs = tf.reshape(inputs * gain + offset, shape_list)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)
