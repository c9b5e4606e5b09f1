"""tf.contrib.framework's variable helpers: global step, creation (variable, model_variable),
lookups and restoring values, as TF 1.15 (contrib/framework/python/ops/variables.py) had them.

The global-step functions and collections still exist in tf.compat.v1; these stay thin wrappers
over them. `variable` and `model_variable` honour arg_scope (device, collections, ...), so
layers built on them (compat.contrib.layers) do too.
"""

import functools
import re

from tensorflow.compat import v1 as tf

from compat.contrib.framework.arg_scope import add_arg_scope

__all__ = [
    "VariableDeviceChooser", "add_model_variable", "assert_global_step", "assert_or_get_global_step",
    "assign_from_checkpoint", "assign_from_checkpoint_fn", "assign_from_values", "assign_from_values_fn",
    "create_global_step", "filter_variables", "get_global_step", "get_local_variables",
    "get_model_variables", "get_or_create_global_step", "get_trainable_variables", "get_unique_variable",
    "get_variable_full_name", "get_variables", "get_variables_by_name", "get_variables_by_suffix",
    "get_variables_to_restore", "global_variable", "local_variable", "model_variable", "variable",
    "zero_initializer",
]


# --- global step ---------------------------------------------------------------------------------

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


# --- creating variables --------------------------------------------------------------------------

def zero_initializer(ref, use_locking=True, name="zero_initializer"):
    """An op that initializes `ref` with zeros; running it on an initialized variable fails
    (InvalidArgumentError), as TF 1.15's kernel did."""
    del use_locking  # TF 1.15's kernel ignored it too
    with tf.control_dependencies([tf.Assert(tf.logical_not(tf.is_variable_initialized(ref)),
                                            ["input is already initialized"])]):
        return tf.assign(ref, tf.zeros(ref.shape, ref.dtype.base_dtype), name=name)


def local_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """A non-trainable variable in LOCAL_VARIABLES."""
    return tf.Variable(initial_value, trainable=False, collections=[tf.GraphKeys.LOCAL_VARIABLES],
                       validate_shape=validate_shape, use_resource=use_resource, name=name)


def global_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """A non-trainable variable in GLOBAL_VARIABLES."""
    return tf.Variable(initial_value, trainable=False, collections=[tf.GraphKeys.GLOBAL_VARIABLES],
                       validate_shape=validate_shape, use_resource=use_resource, name=name)


@add_arg_scope
def variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=True,
             collections=None, caching_device=None, device=None, partitioner=None, custom_getter=None,
             use_resource=None, synchronization=tf.VariableSynchronization.AUTO,
             aggregation=tf.VariableAggregation.NONE):
    """tf.get_variable on `device`, in `collections` (default GLOBAL_VARIABLES); arg_scope-able."""
    collections = list(set(collections if collections is not None else [tf.GraphKeys.GLOBAL_VARIABLES]))
    getter = tf.get_variable
    if custom_getter is not None:
        getter = functools.partial(custom_getter, reuse=tf.get_variable_scope().reuse)
    with tf.device(device or ""):
        return getter(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                      trainable=trainable, collections=collections, caching_device=caching_device,
                      partitioner=partitioner, use_resource=use_resource, synchronization=synchronization,
                      aggregation=aggregation)


@add_arg_scope
def model_variable(name, shape=None, dtype=tf.float32, initializer=None, regularizer=None, trainable=True,
                   collections=None, caching_device=None, device=None, partitioner=None, custom_getter=None,
                   use_resource=None, synchronization=tf.VariableSynchronization.AUTO,
                   aggregation=tf.VariableAggregation.NONE):
    """`variable`, also in GLOBAL_VARIABLES and MODEL_VARIABLES (what contrib layers create)."""
    collections = list(collections or []) + [tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.MODEL_VARIABLES]
    return variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                    trainable=trainable, collections=collections, caching_device=caching_device, device=device,
                    partitioner=partitioner, custom_getter=custom_getter, use_resource=use_resource,
                    synchronization=synchronization, aggregation=aggregation)


def add_model_variable(var):
    if var not in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES):
        tf.add_to_collection(tf.GraphKeys.MODEL_VARIABLES, var)


class VariableDeviceChooser(object):
    """A device function for variables: round-robin over `num_tasks` tasks of `job_name`."""

    def __init__(self, num_tasks=0, job_name="ps", device_type="CPU", device_index=0, replica=None):
        self._job_name = job_name
        self._device_type = device_type
        self._device_index = device_index
        self._replica = replica
        self._num_tasks = num_tasks
        self._next_task_id = 0

    def __call__(self, op):
        spec = tf.DeviceSpec(replica=self._replica, device_type=self._device_type,
                             device_index=self._device_index)
        if self._num_tasks > 0:
            task = self._next_task_id
            self._next_task_id = (self._next_task_id + 1) % self._num_tasks
            spec = spec.replace(job=self._job_name, task=task) if hasattr(spec, "replace") else _set_job(
                spec, self._job_name, task)
        return spec.to_string()


def _set_job(spec, job, task):  # TF 1.15's DeviceSpec is mutable and has no replace()
    spec.job, spec.task = job, task
    return spec


# --- looking variables up ------------------------------------------------------------------------

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


def get_variables_to_restore(include=None, exclude=None):
    """Global variables under the `include` scopes (default all), minus those under `exclude`."""
    for scopes, what in ((include, "include"), (exclude, "exclude")):
        if scopes is not None and not isinstance(scopes, (list, tuple)):
            raise TypeError("%s is provided but is not a list or a tuple." % what)
    included = get_variables() if include is None else [v for s in include for v in get_variables(s)]
    excluded = {v for s in exclude or () for v in get_variables(s)}
    return [v for v in included if v not in excluded]


def filter_variables(var_list, include_patterns=None, exclude_patterns=None, reg_search=True):
    """The variables whose name matches one of include_patterns (default: all) and none of
    exclude_patterns; re.search, or re.match with reg_search=False."""
    matches = re.search if reg_search else re.match
    kept = [v for v in var_list if include_patterns is None or any(matches(p, v.name) for p in include_patterns)]
    return [v for v in kept if exclude_patterns is None or not any(matches(p, v.name) for p in exclude_patterns)]


def get_variable_full_name(var):
    """The name a checkpoint stores `var` under (the full variable's, for a partition)."""
    slice_info = getattr(var, "_save_slice_info", None)
    return slice_info.full_name if slice_info else var.op.name


# --- assigning values ----------------------------------------------------------------------------

def _assign_from_placeholder(var):
    placeholder = tf.placeholder(dtype=var.dtype.base_dtype, shape=var.get_shape(), name="placeholder/" + var.op.name)
    return var.assign(placeholder), placeholder


def assign_from_values(var_names_to_values):
    """(assign_op, feed_dict) setting each named global variable to its numpy value."""
    feed_dict, assign_ops = {}, []
    for var_name, value in var_names_to_values.items():
        found = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, var_name)
        if not found:
            raise ValueError("Variable %s wasn't found" % var_name)
        if len(found) > 1:
            found = [v for v in found if v.op.name == var_name]
            if not found:
                raise ValueError("Variable %s doesn't uniquely identify a variable" % var_name)
        var = found[0]
        assign_op, placeholder = _assign_from_placeholder(var)
        assign_ops.append(assign_op)
        feed_dict[placeholder] = value.reshape(var.get_shape())
    return tf.group(*assign_ops), feed_dict


def assign_from_values_fn(var_names_to_values):
    """A function session -> None running assign_from_values' op with its feed."""
    assign_op, feed_dict = assign_from_values(var_names_to_values)
    return lambda session: session.run(assign_op, feed_dict)


def assign_from_checkpoint(model_path, var_list, ignore_missing_vars=False):
    """(assign_op, feed_dict) loading `var_list` (variables, or {checkpoint name: variable(s)})
    from the checkpoint `model_path`; ValueError for a missing name unless ignore_missing_vars."""
    grouped = {}
    if isinstance(var_list, (tuple, list)):
        for var in var_list:
            grouped.setdefault(get_variable_full_name(var), []).append(var)
    else:
        for name, value in var_list.items():
            grouped[name] = list(value) if isinstance(value, (tuple, list)) else [value]
    reader = tf.train.NewCheckpointReader(model_path)
    feed_dict, assign_ops = {}, []
    for name, variables in grouped.items():
        if not reader.has_tensor(name):
            if ignore_missing_vars:
                tf.logging.warning("Checkpoint is missing variable [%s]" % name)
                continue
            raise ValueError("Checkpoint is missing variable [%s]" % name)
        value = reader.get_tensor(name)
        for var in variables:
            assign_op, placeholder = _assign_from_placeholder(var)
            assign_ops.append(assign_op)
            slice_info = getattr(var, "_save_slice_info", None)
            if slice_info:
                value_slice = tuple(slice(start, start + size) for start, size in
                                    zip(slice_info.var_offset, slice_info.var_shape))
                feed_dict[placeholder] = value[value_slice].reshape(slice_info.var_shape)
            else:
                if var.get_shape() != value.shape:
                    raise ValueError("Total size of new array must be unchanged for %s lh_shape: [%s], rh_shape: [%s]"
                                     % (name, str(value.shape), str(var.get_shape())))
                feed_dict[placeholder] = value
    return tf.group(*assign_ops), feed_dict


def assign_from_checkpoint_fn(model_path, var_list, ignore_missing_vars=False, reshape_variables=False):
    """A function session -> None restoring `var_list` from `model_path` (a Saver), or None
    when ignore_missing_vars leaves nothing to restore."""
    if not var_list:
        raise ValueError("var_list cannot be empty")
    if ignore_missing_vars:
        reader = tf.train.NewCheckpointReader(model_path)
        named = var_list if isinstance(var_list, dict) else {v.op.name: v for v in var_list}
        var_list = {}
        for name, var in named.items():
            if reader.has_tensor(name):
                var_list[name] = var
            else:
                tf.logging.warning("Variable %s missing in checkpoint %s", name, model_path)
    if not var_list:
        tf.logging.warning("No Variables to restore")
        return None
    saver = tf.train.Saver(var_list, reshape=reshape_variables)

    def callback(session):
        saver.restore(session, model_path)

    return callback
