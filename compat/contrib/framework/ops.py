"""tf.contrib.framework's small graph helpers (TF 1.15: contrib/framework/python/ops/ops.py,
script_ops.py, checkpoint_ops.py and framework/graph_util.py), on tf.compat.v1."""

from tensorflow.compat import v1 as tf
from tensorflow.python.framework import ops as _ops
from tensorflow.python.training import checkpoint_ops as _checkpoint_ops
from tensorflow.python.util import nest as _nest

__all__ = ["get_graph_from_inputs", "get_name_scope", "get_placeholders", "load_linear_multiclass_bias_initializer",
           "load_variable_slot_initializer", "py_func"]


def get_graph_from_inputs(op_input_list, graph=None):
    """The graph the inputs belong to (ValueError if they mix graphs, or differ from `graph`)."""
    return _ops._get_graph_from_inputs(op_input_list, graph)  # TF's own check, private in TF 1.15 too


def get_name_scope():
    """The default graph's current name scope, e.g. 'outer/inner'."""
    return tf.get_default_graph().get_name_scope()


def get_placeholders(graph):
    """The output tensors of the Placeholder ops of `graph`."""
    if not isinstance(graph, tf.Graph):
        raise TypeError("Input graph needs to be a Graph: %s" % graph)
    return [op.outputs[0] for op in graph.get_operations() if op.type == "Placeholder"]


def py_func(func, args=(), kwargs=None, output_types=None, output_shapes=None, stateful=True, name=None):
    """tf.py_func over nested args, kwargs and outputs: `output_types` (or a function of the
    arguments returning them) gives the result's structure, `output_shapes` its static shapes."""
    kwargs = {} if kwargs is None else kwargs
    if not isinstance(args, (list, tuple)):
        raise TypeError("args must be list and not {}. args: {}".format(type(args), args))
    if not isinstance(kwargs, dict):
        raise TypeError("kwargs must be dict and not {}. args: {}".format(type(kwargs), kwargs))
    if callable(output_types):
        output_types = output_types(*args, **kwargs)
    if callable(output_shapes):
        output_shapes = output_shapes(*args, **kwargs)
    structure = (args, kwargs)

    def call_with_structure(*flat_args):
        py_args, py_kwargs = tf.nest.pack_sequence_as(structure, flat_args)
        result = func(*py_args, **py_kwargs)
        _nest.assert_shallow_structure(output_types, result)
        return tf.nest.flatten(result)

    flat_values = tf.py_func(call_with_structure, tf.nest.flatten(structure), tf.nest.flatten(output_types),
                             stateful=stateful, name=name)
    if output_shapes is not None:
        shapes = tf.nest.flatten(_nest.map_structure_up_to(output_types, tf.TensorShape, output_shapes))
        for value, shape in zip(flat_values, shapes):
            value.set_shape(shape)
    return tf.nest.pack_sequence_as(output_types, flat_values)


def load_linear_multiclass_bias_initializer(ckpt_path, bias_tensor_name, new_class_vocab_size,
                                            old_class_vocab_file, new_class_vocab_file, num_class_oov_buckets=0,
                                            initializer=None, max_rows_in_memory=-1):
    """An initializer loading a bias vector from a checkpoint, remapped to a new class vocabulary."""
    return _checkpoint_ops._load_and_remap_matrix_initializer(
        ckpt_path=ckpt_path, old_tensor_name=bias_tensor_name, new_row_vocab_size=new_class_vocab_size,
        new_col_vocab_size=1, old_row_vocab_file=old_class_vocab_file, new_row_vocab_file=new_class_vocab_file,
        old_col_vocab_file=None, new_col_vocab_file=None, num_row_oov_buckets=num_class_oov_buckets,
        num_col_oov_buckets=0, initializer=initializer or tf.zeros_initializer(),
        max_rows_in_memory=max_rows_in_memory)


def load_variable_slot_initializer(ckpt_path, old_tensor_name, primary_partition_info, new_row_vocab_size,
                                   new_col_vocab_size, old_row_vocab_file=None, new_row_vocab_file=None,
                                   old_col_vocab_file=None, new_col_vocab_file=None, num_row_oov_buckets=0,
                                   num_col_oov_buckets=0, initializer=None, max_rows_in_memory=-1):
    """Like load_and_remap_matrix_initializer, partitioned like the primary variable (for an
    optimizer slot)."""
    load = _checkpoint_ops._load_and_remap_matrix_initializer(
        ckpt_path=ckpt_path, old_tensor_name=old_tensor_name, new_row_vocab_size=new_row_vocab_size,
        new_col_vocab_size=new_col_vocab_size, old_row_vocab_file=old_row_vocab_file,
        new_row_vocab_file=new_row_vocab_file, old_col_vocab_file=old_col_vocab_file,
        new_col_vocab_file=new_col_vocab_file, num_row_oov_buckets=num_row_oov_buckets,
        num_col_oov_buckets=num_col_oov_buckets, initializer=initializer, max_rows_in_memory=max_rows_in_memory)

    def initializer_for_slot(shape, dtype=tf.float32, partition_info=None):
        del partition_info  # the slot's own; the primary variable's decides the rows
        return load(shape, dtype, partition_info=primary_partition_info)

    return initializer_for_slot
