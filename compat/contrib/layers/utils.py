"""Helpers the contrib layers share, as TF 1.15 (contrib/layers/python/layers/utils.py) had them:
end-point collections, per-kind variable collections, smart_cond, and the custom getter that
gives tf.layers' variables contrib's names and the MODEL_VARIABLES collection."""

from tensorflow.compat import v1 as tf
from tensorflow.python.framework import smart_cond as _smart_cond

from compat.contrib.framework.variables import model_variable

__all__ = ["collect_named_outputs", "constant_value", "get_variable_collections", "last_dimension",
           "n_positive_integers", "smart_cond", "two_element_tuple", "append_tensor_alias",
           "add_variable_to_collections", "build_variable_getter"]

smart_cond = _smart_cond.smart_cond        # a Python bool or constant picks a branch; a Tensor: tf.cond
constant_value = _smart_cond.smart_constant_value


def append_tensor_alias(tensor, alias):
    """Add `alias` (without a trailing '/') to tensor.aliases."""
    alias = alias[:-1] if alias.endswith("/") else alias
    if hasattr(tensor, "aliases"):
        tensor.aliases.append(alias)
    else:
        tensor.aliases = [alias]
    return tensor


def collect_named_outputs(collections, alias, outputs):
    """Tag `outputs` with `alias` and add it to `collections` (TF 1.15's end-points mechanism)."""
    if collections:
        append_tensor_alias(outputs, alias)
        tf.add_to_collections(collections, outputs)
    return outputs


def get_variable_collections(variables_collections, name):
    """variables_collections is a list of collection names, or a dict kind -> list."""
    if isinstance(variables_collections, dict):
        return variables_collections.get(name, None)
    return variables_collections


def add_variable_to_collections(variable, collections_set, collections_name):
    collections = get_variable_collections(collections_set, collections_name) or []
    parts = list(variable) if type(variable).__name__ == "PartitionedVariable" else [variable]  # not public in TF 2.x
    for collection in collections:
        for part in parts:
            if part not in tf.get_collection(collection):
                tf.add_to_collection(collection, part)


def build_variable_getter(rename=None):
    """A custom getter for a tf.layers layer: names renamed (`kernel` -> `weights`), each
    variable created by model_variable (so MODEL_VARIABLES, and arg_scope on model_variable)."""

    def layer_variable_getter(getter, name, shape=None, dtype=None, initializer=None, regularizer=None,
                              trainable=True, collections=None, caching_device=None, partitioner=None,
                              use_resource=None, synchronization=tf.VariableSynchronization.AUTO,
                              aggregation=tf.VariableAggregation.NONE, **_):
        scope, _, short_name = name.rpartition("/")
        if rename and short_name in rename:
            name = scope + "/" + rename[short_name] if scope else rename[short_name]
        return model_variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                              collections=collections, trainable=trainable, caching_device=caching_device,
                              partitioner=partitioner, custom_getter=getter, use_resource=use_resource,
                              synchronization=synchronization, aggregation=aggregation)

    return layer_variable_getter


def last_dimension(shape, min_rank=1):
    """The static size of the last dimension (ValueError if unknown or rank < min_rank)."""
    dims = shape.dims
    if dims is None:
        raise ValueError("dims of shape must be known but is None")
    if len(dims) < min_rank:
        raise ValueError("rank of shape must be at least %d not: %d" % (min_rank, len(dims)))
    value = tf.dimension_value(dims[-1])
    if value is None:
        raise ValueError("last dimension shape must be known but is None")
    return value


def two_element_tuple(int_or_tuple):
    """(a, b) from an int, a pair, or a TensorShape of two."""
    if isinstance(int_or_tuple, (list, tuple)):
        if len(int_or_tuple) != 2:
            raise ValueError("Must be a list with 2 elements: %s" % int_or_tuple)
        return int(int_or_tuple[0]), int(int_or_tuple[1])
    if isinstance(int_or_tuple, int):
        return int(int_or_tuple), int(int_or_tuple)
    if isinstance(int_or_tuple, tf.TensorShape):
        if len(int_or_tuple) == 2:
            return int_or_tuple[0], int_or_tuple[1]
    raise ValueError("Must be an int, a list with 2 elements or a TensorShape of length 2")


def n_positive_integers(n, value):
    """A tuple of n positive ints from one int or n of them."""
    if isinstance(value, int):
        if value > 0:
            return (value,) * n
    else:
        value = tuple(int(v) if v is not None and not isinstance(v, int) else v for v in value)
        if len(value) == n and all(isinstance(v, int) and v > 0 for v in value):
            return value
    raise ValueError("Expected %d positive integers, but received %r" % (n, value))

