"""tf.contrib.framework for TensorFlow 2.x: global-step and variable-lookup helpers.

TF 1.15's versions were thin wrappers over tf.train's global-step functions and graph
collections; those still exist in tf.compat.v1, so these stay thin wrappers. Tutorials mostly
use `tf.contrib.framework.get_global_step()` inside an Estimator model_fn.
arg_scope, the checkpoint-assignment helpers and the rest of the package are not provided.
"""

from tensorflow.compat import v1 as tf

from compat.errors import NotProvidedError

__all__ = [
    "assert_global_step", "assert_or_get_global_step", "assert_scalar", "create_global_step",
    "get_global_step", "get_local_variables", "get_model_variables", "get_or_create_global_step",
    "get_trainable_variables", "get_unique_variable", "get_variables", "get_variables_by_name",
    "get_variables_by_suffix",
]

assert_scalar = tf.assert_scalar


def get_global_step(graph=None):
    """The graph's global step tensor, or None if it has none yet."""
    return tf.train.get_global_step(graph)


def create_global_step(graph=None):
    """Create the global step variable; ValueError if the graph already has one."""
    return tf.train.create_global_step(graph)


def get_or_create_global_step(graph=None):
    """The graph's global step, created (once) if missing."""
    return tf.train.get_or_create_global_step(graph)


def assert_global_step(global_step_tensor):
    """TypeError unless the tensor is usable as a global step (integer scalar variable)."""
    tf.train.assert_global_step(global_step_tensor)


def assert_or_get_global_step(graph=None, global_step_tensor=None):
    """Check the given global step, or look the graph's one up when none is given."""
    if global_step_tensor is None:
        return get_global_step(graph)
    assert_global_step(global_step_tensor)
    return global_step_tensor


def get_variables(scope=None, suffix=None, collection=tf.GraphKeys.GLOBAL_VARIABLES):
    """Variables of `collection` whose name matches the regex `scope` and ends with `suffix`."""
    if isinstance(scope, tf.VariableScope):
        scope = scope.name
    if suffix is not None:
        if ":" not in suffix:
            suffix += ":"  # match the whole last name component: "weights" matches "weights:0"
        scope = (scope or "") + ".*" + suffix
    return tf.get_collection(collection, scope)


def get_model_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, tf.GraphKeys.MODEL_VARIABLES)


def get_local_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, tf.GraphKeys.LOCAL_VARIABLES)


def get_trainable_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, tf.GraphKeys.TRAINABLE_VARIABLES)


def get_variables_by_suffix(suffix, scope=None):
    return get_variables(scope=scope, suffix=suffix)


def get_variables_by_name(given_name, scope=None):
    """Global variables whose last name component is `given_name`, in any scope."""
    return get_variables(scope=scope, suffix="/" + given_name + ":|^" + given_name + ":")


def get_unique_variable(var_op_name):
    """The one variable whose op is named exactly `var_op_name`; ValueError otherwise."""
    candidates = get_variables(scope=var_op_name)
    if not candidates:
        raise ValueError("Couldn't find variable %s" % var_op_name)
    for candidate in candidates:
        if candidate.op.name == var_op_name:
            return candidate
    raise ValueError("Variable %s does not uniquely identify a variable" % var_op_name)


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotProvidedError("tf.contrib.framework." + name)
