"""tf.contrib.layers.optimize_loss (TF 1.15: contrib/layers/python/layers/optimizers.py).

Drives the tf.compat.v1.train optimizers and tf.compat.v1.summary with TF 1.15's op, variable and
summary names (`OptimizeLoss/...`).
"""

from tensorflow.compat import v1 as tf

__all__ = ["OPTIMIZER_CLS_NAMES", "OPTIMIZER_SUMMARIES", "optimize_loss"]

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
