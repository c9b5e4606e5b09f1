"""tf.contrib.layers for TensorFlow 2.x: fully_connected, optimize_loss, initializers, regularizers.

Built the way TF 1.15 built them, on what TF 2.x still has: fully_connected is tf.layers.Dense
(tf_keras's TF 1.x layer) in a `fully_connected` variable scope that renames kernel/bias to
weights/biases; optimize_loss drives the tf.compat.v1.train optimizers and tf.compat.v1.summary;
the Xavier initializer is core variance scaling. Variable, op and summary names are TF 1.15's,
so TF 1.15 checkpoints and TensorBoard layouts carry over. Only the small pieces TF 2.x has no
equivalent for are written here (the contrib L1/L2 regularizers, the optimize_loss driver).
Every other tf.contrib.layers name (conv2d, batch_norm, feature columns, ...) raises
NotProvidedError.
"""

import functools
import numbers

from tensorflow.compat import v1 as tf

from compat._moved import MOVES as _MOVES
from compat._namespace import resolve_target as _resolve
from compat.errors import NotProvidedError

__all__ = [
    "OPTIMIZER_CLS_NAMES", "OPTIMIZER_SUMMARIES", "apply_regularization", "elu", "flatten",
    "fully_connected", "l1_regularizer", "l2_regularizer", "linear", "optimize_loss", "relu", "relu6",
    "variance_scaling_initializer", "xavier_initializer", "xavier_initializer_conv2d",
]

_legacy_layers = _resolve(next(m.target for m in _MOVES if m.name == "layers"))


# --- initializers --------------------------------------------------------------------------------

# Core truncated-normal variance scaling divides its stddev by this (the stddev of a unit normal
# truncated at +-2); TF 1.15 contrib instead used stddev sqrt(1.3 * factor / n).
_TRUNCATED_NORMAL_STDDEV = .87962566103423978


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None, dtype=tf.float32):
    """TF 1.15 contrib's variance scaling: uniform limit sqrt(3*factor/n), or truncated normal
    with stddev sqrt(1.3*factor/n), n = fan_in, fan_out or their mean.

    Expressed through core tf.variance_scaling_initializer, which draws the same random ops
    (same values for the same seed); only the normal case needs its scale adjusted.
    """
    dtype = tf.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError("Cannot create initializer for non-floating point type.")
    if mode not in ["FAN_IN", "FAN_OUT", "FAN_AVG"]:
        raise TypeError("Unknown mode %s [FAN_IN, FAN_OUT, FAN_AVG]" % (mode,))
    if uniform:
        scale, distribution = factor, "uniform"
    else:
        scale, distribution = 1.3 * factor * _TRUNCATED_NORMAL_STDDEV ** 2, "truncated_normal"
    # Core logs a deprecation notice when given a dtype; float32 is its default anyway.
    dtype_arg = {} if dtype == tf.float32 else {"dtype": dtype}
    return tf.variance_scaling_initializer(scale=scale, mode=mode.lower(), distribution=distribution,
                                           seed=seed, **dtype_arg)


def xavier_initializer(uniform=True, seed=None, dtype=tf.float32):
    """Glorot/Xavier: uniform in +-sqrt(6 / (fan_in + fan_out)) by default."""
    return variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform, seed=seed, dtype=dtype)


xavier_initializer_conv2d = xavier_initializer


# --- regularizers --------------------------------------------------------------------------------
# Not Keras's: contrib's L2 is scale * sum(w**2) / 2 (tf.nn.l2_loss), Keras's has no 1/2.

def _checked_scale(scale):
    """TF 1.15's rules: integers and negative scales are errors; False means "disabled"."""
    if isinstance(scale, numbers.Integral):
        raise ValueError("scale cannot be an integer: %s" % (scale,))
    if isinstance(scale, numbers.Real):
        if scale < 0.:
            raise ValueError("Setting a scale less than 0 on a regularizer: %g." % scale)
        if scale == 0.:
            tf.logging.info("Scale of 0 disables regularizer.")
            return False
    return True


def _regularizer(scale, scope, default_name, penalty):
    """A function weights -> scale * penalty(weights), named like TF 1.15's (`l2_regularizer`)."""
    if not _checked_scale(scale):
        return lambda _: None

    def regularize(weights):
        with tf.name_scope(scope, default_name, [weights]) as name:
            my_scale = tf.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return tf.multiply(my_scale, penalty(weights), name=name)

    return regularize


def l1_regularizer(scale, scope=None):
    """weights -> scale * sum(|weights|); None when scale is 0."""
    return _regularizer(scale, scope, "l1_regularizer", lambda w: tf.reduce_sum(tf.abs(w)))


def l2_regularizer(scale, scope=None):
    """weights -> scale * sum(weights**2) / 2; None when scale is 0."""
    return _regularizer(scale, scope, "l2_regularizer", tf.nn.l2_loss)


def apply_regularization(regularizer, weights_list=None):
    """Sum `regularizer` over the weights (default: the WEIGHTS collection); also recorded in
    REGULARIZATION_LOSSES, as TF 1.15 did."""
    if not weights_list:
        weights_list = tf.get_collection(tf.GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize.")
    with tf.name_scope("get_regularization_penalty", values=weights_list) as scope:
        penalties = [regularizer(w) for w in weights_list]
        penalties = [p if p is not None else tf.constant(0.0) for p in penalties]
        for p in penalties:
            if p.get_shape().ndims != 0:
                raise ValueError("regularizer must return a scalar Tensor instead of a "
                                 "Tensor with rank %d." % p.get_shape().ndims)
        summed_penalty = tf.add_n(penalties, name=scope)
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, summed_penalty)
    return summed_penalty


# --- layers --------------------------------------------------------------------------------------

def _model_variable_getter(rename):
    """Custom getter for a Dense layer: contrib names (kernel -> weights, bias -> biases) and
    the MODEL_VARIABLES collection, as TF 1.15's contrib layers created their variables."""

    def model_variable_getter(getter, name, *args, **kwargs):  # TF calls it with keywords
        scope, _, short_name = name.rpartition("/")
        if short_name in rename:
            name = scope + "/" + rename[short_name] if scope else rename[short_name]
        collections = list(kwargs.get("collections") or [])
        kwargs["collections"] = collections + [tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.MODEL_VARIABLES]
        return getter(name, *args, **kwargs)

    return model_variable_getter


def _add_to_collections(variable, variables_collections, kind):
    """variables_collections is a list of collection names, or a dict kind -> list."""
    if isinstance(variables_collections, dict):
        variables_collections = variables_collections.get(kind)
    for collection in variables_collections or []:
        if variable not in tf.get_collection(collection):
            tf.add_to_collection(collection, variable)


def _collect_named_outputs(collections, alias, outputs):
    """Tag `outputs` with `alias` and add it to `collections` (TF 1.15's end-points mechanism)."""
    if collections:
        alias = alias[:-1] if alias.endswith("/") else alias
        if hasattr(outputs, "aliases"):
            outputs.aliases.append(alias)
        else:
            outputs.aliases = [alias]
        tf.add_to_collections(collections, outputs)
    return outputs


def fully_connected(inputs,
                    num_outputs,
                    activation_fn=tf.nn.relu,
                    normalizer_fn=None,
                    normalizer_params=None,
                    weights_initializer=xavier_initializer(),
                    weights_regularizer=None,
                    biases_initializer=tf.zeros_initializer(),
                    biases_regularizer=None,
                    reuse=None,
                    variables_collections=None,
                    outputs_collections=None,
                    trainable=True,
                    scope=None):
    """activation_fn(inputs @ weights + biases), variables `<scope>/weights` and `<scope>/biases`.

    The default scope is `fully_connected`, uniquified per call (`fully_connected_1`, ...).
    Inputs of rank > 2 are multiplied along their last axis, keeping the other dimensions.
    With a normalizer_fn (or biases_initializer=None) no biases are created.
    """
    if not isinstance(num_outputs, int):
        raise ValueError("num_outputs type should be one of %s, got %s." % ([int], type(num_outputs)))
    getter = _model_variable_getter({"kernel": "weights", "bias": "biases"})
    with tf.variable_scope(scope, "fully_connected", [inputs], reuse=reuse, custom_getter=getter) as sc:
        inputs = tf.convert_to_tensor(inputs)
        layer = _legacy_layers.Dense(
            units=num_outputs,
            activation=None,
            use_bias=not normalizer_fn and biases_initializer,
            kernel_initializer=weights_initializer,
            bias_initializer=biases_initializer,
            kernel_regularizer=weights_regularizer,
            bias_regularizer=biases_regularizer,
            activity_regularizer=None,
            trainable=trainable,
            name=sc.name,
            dtype=inputs.dtype.base_dtype,
            _scope=sc,
            _reuse=reuse)
        outputs = layer(inputs)

        _add_to_collections(layer.kernel, variables_collections, "weights")
        if layer.bias is not None:
            _add_to_collections(layer.bias, variables_collections, "biases")

        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect_named_outputs(outputs_collections, sc.name, outputs)


linear = functools.partial(fully_connected, activation_fn=None)
relu = functools.partial(fully_connected, activation_fn=tf.nn.relu)
relu6 = functools.partial(fully_connected, activation_fn=tf.nn.relu6)
elu = functools.partial(fully_connected, activation_fn=tf.nn.elu)


def flatten(inputs, outputs_collections=None, scope=None):
    """[batch, d1, d2, ...] -> [batch, d1 * d2 * ...]."""
    with tf.name_scope(scope, "Flatten", [inputs]) as sc:
        outputs = _legacy_layers.Flatten().apply(tf.convert_to_tensor(inputs))  # the class: no deprecation warning
        return _collect_named_outputs(outputs_collections, sc, outputs)


# --- optimize_loss -------------------------------------------------------------------------------

OPTIMIZER_CLS_NAMES = {
    "Adagrad": tf.train.AdagradOptimizer,
    "Adam": tf.train.AdamOptimizer,
    "Ftrl": tf.train.FtrlOptimizer,
    "Momentum": lambda learning_rate: tf.train.MomentumOptimizer(learning_rate, momentum=0.9),
    "RMSProp": tf.train.RMSPropOptimizer,
    "SGD": tf.train.GradientDescentOptimizer,
}

OPTIMIZER_SUMMARIES = ["learning_rate", "loss", "gradients", "gradient_norm", "global_gradient_norm"]

# TF 1.15's default. "learning_rate" only produces a summary when a learning_rate_decay_fn is given.
_DEFAULT_SUMMARIES = ["loss", "learning_rate", "global_gradient_norm"]


def _with_dependencies(dependencies, tensor):
    """`tensor`, evaluated only after `dependencies` (an identity op named control_dependency)."""
    with tf.name_scope(None, "control_dependency", list(dependencies) + [tensor]) as name:
        with tf.colocate_with(tensor), tf.control_dependencies(dependencies):
            return tf.identity(tensor, name=name)


def _learning_rate_tensor(learning_rate):
    """A 0-d Tensor is used as is; a float becomes the non-trainable variable `learning_rate`."""
    if learning_rate is None:
        return None
    if isinstance(learning_rate, tf.Tensor) and learning_rate.get_shape().ndims == 0:
        return learning_rate
    if isinstance(learning_rate, float):
        if learning_rate < 0.0:
            raise ValueError("Invalid learning_rate %s." % learning_rate)
        return tf.get_variable("learning_rate", [], trainable=False,
                               initializer=tf.constant_initializer(learning_rate))
    raise ValueError("Learning rate should be 0d Tensor or float. Got %s of type %s"
                     % (str(learning_rate), str(type(learning_rate))))


def _make_optimizer(optimizer, lr, learning_rate):
    """An Optimizer from a name in OPTIMIZER_CLS_NAMES, a class, an instance or a factory."""
    if isinstance(optimizer, str):
        if lr is None:
            raise ValueError("Learning rate is None, but should be specified if "
                             "optimizer is string (%s)." % optimizer)
        if optimizer not in OPTIMIZER_CLS_NAMES:
            raise ValueError("Optimizer name should be one of [%s], you provided %s."
                             % (", ".join(OPTIMIZER_CLS_NAMES), optimizer))
        return OPTIMIZER_CLS_NAMES[optimizer](learning_rate=lr)
    if isinstance(optimizer, type) and issubclass(optimizer, tf.train.Optimizer):
        if lr is None:
            raise ValueError("Learning rate is None, but should be specified if "
                             "optimizer is class (%s)." % optimizer)
        return optimizer(learning_rate=lr)
    if isinstance(optimizer, tf.train.Optimizer):
        return optimizer
    if callable(optimizer):
        opt = optimizer(lr) if learning_rate is not None else optimizer()
        if not isinstance(opt, tf.train.Optimizer):
            raise ValueError("Unrecognized optimizer: function should return "
                             "subclass of Optimizer. Got %s." % str(opt))
        return opt
    raise ValueError("Unrecognized optimizer: should be string, subclass of Optimizer, instance of "
                     "subclass of Optimizer or function with one argument. Got %s." % str(optimizer))


def _add_scaled_noise(grads_and_vars, gradient_noise_scale):
    """Gradient + gradient_noise_scale * truncated normal noise (None gradients stay None)."""
    noisy = []
    for gradient, variable in grads_and_vars:
        if gradient is not None:
            shape = gradient.dense_shape if isinstance(gradient, tf.IndexedSlices) else gradient.get_shape()
            gradient = gradient + tf.truncated_normal(shape) * gradient_noise_scale
        noisy.append((gradient, variable))
    return noisy


def _multiply_gradients(grads_and_vars, gradient_multipliers):
    """Scale the gradients of the variables (or variable names) listed in gradient_multipliers."""
    multiplied = []
    for grad, var in grads_and_vars:
        if grad is not None and (var in gradient_multipliers or var.name in gradient_multipliers):
            multiplier = gradient_multipliers[var if var in gradient_multipliers else var.name]
            if isinstance(grad, tf.IndexedSlices):
                grad = tf.IndexedSlices(grad.values * multiplier, grad.indices, grad.dense_shape)
            else:
                grad *= tf.cast(multiplier, grad.dtype)
        multiplied.append((grad, var))
    return multiplied


def _clip_by_global_norm(grads_and_vars, clip_norm):
    gradients, variables = zip(*grads_and_vars)
    clipped, _ = tf.clip_by_global_norm(gradients, clip_norm)
    return list(zip(clipped, variables))


def _global_norm(grads_and_vars):
    return tf.global_norm(list(zip(*grads_and_vars))[0])


def _gradient_summaries(grads_and_vars, summaries):
    """Per-variable histogram ("gradients") and norm ("gradient_norm") summaries."""
    for gradient, variable in grads_and_vars:
        values = gradient.values if isinstance(gradient, tf.IndexedSlices) else gradient
        if values is None:
            continue
        var_name = variable.name.replace(":", "_")
        if "gradients" in summaries:
            tf.summary.histogram("gradients/%s" % var_name, values)
        if "gradient_norm" in summaries:
            tf.summary.scalar("gradient_norm/%s" % var_name, tf.global_norm([values]))


def optimize_loss(loss,
                  global_step,
                  learning_rate,
                  optimizer,
                  gradient_noise_scale=None,
                  gradient_multipliers=None,
                  clip_gradients=None,
                  learning_rate_decay_fn=None,
                  update_ops=None,
                  variables=None,
                  name=None,
                  summaries=None,
                  colocate_gradients_with_ops=False,
                  increment_global_step=True):
    """Build one training step; returns `loss` made to depend on the update (run it to train).

    As TF 1.15: ops and summaries live under `OptimizeLoss/` (or `name`), a float learning rate
    becomes the variable `OptimizeLoss/learning_rate`, global_step (default: the graph's) is
    incremented by each run unless increment_global_step=False, UPDATE_OPS run first, and the
    default summaries are `loss` and `global_norm/gradient_norm` (plus
    `global_norm/clipped_gradient_norm` when clipping).
    """
    loss = tf.convert_to_tensor(loss)
    tf.assert_scalar(loss)
    if global_step is None:
        global_step = tf.train.get_global_step()
    else:
        tf.train.assert_global_step(global_step)
    with tf.variable_scope(name, "OptimizeLoss", [loss, global_step]):
        if update_ops is None:
            update_ops = set(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        if update_ops:
            loss = _with_dependencies(list(update_ops), loss)

        lr = _learning_rate_tensor(learning_rate)
        if summaries is None:
            summaries = _DEFAULT_SUMMARIES
        for summ in summaries:
            if summ not in OPTIMIZER_SUMMARIES:
                raise ValueError("Summaries should be one of [%s], you provided %s."
                                 % (", ".join(OPTIMIZER_SUMMARIES), summ))
        if learning_rate is not None and learning_rate_decay_fn is not None:
            if global_step is None:
                raise ValueError("global_step is required for learning_rate_decay_fn.")
            lr = learning_rate_decay_fn(lr, global_step)
            if "learning_rate" in summaries:
                tf.summary.scalar("learning_rate", lr)

        opt = _make_optimizer(optimizer, lr, learning_rate)
        if variables is None:
            variables = tf.trainable_variables()
        gradients = opt.compute_gradients(loss, variables,
                                          colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gradient_noise_scale is not None:
            gradients = _add_scaled_noise(gradients, gradient_noise_scale)
        if gradient_multipliers is not None:
            gradients = _multiply_gradients(gradients, gradient_multipliers)
            if not gradients:
                raise ValueError("Empty list of (gradient, var) pairs encountered. This is most "
                                 "likely to be caused by an improper value of gradient_multipliers.")

        norm_summaries = "global_gradient_norm" in summaries or "gradient_norm" in summaries
        if norm_summaries:
            tf.summary.scalar("global_norm/gradient_norm", _global_norm(gradients))

        if isinstance(clip_gradients, float):
            gradients = _clip_by_global_norm(gradients, clip_gradients)
        elif callable(clip_gradients):
            gradients = clip_gradients(gradients)
        elif clip_gradients is not None:
            raise ValueError("Unknown type %s for clip_gradients" % type(clip_gradients))

        if "loss" in summaries:
            tf.summary.scalar("loss", loss)
        _gradient_summaries(gradients, summaries)
        if clip_gradients is not None and norm_summaries:
            tf.summary.scalar("global_norm/clipped_gradient_norm", _global_norm(gradients))

        grad_updates = opt.apply_gradients(gradients, global_step=global_step if increment_global_step else None,
                                           name="train")
        return _with_dependencies([grad_updates], loss)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotProvidedError("tf.contrib.layers." + name)
