"""Dense/sparse reshaping the legacy feature columns share (TF 1.15: layers._inner_flatten,
feature_column._reshape_real_valued_tensor, sparse_ops.dense_to_sparse_tensor), built with TF
1.15's ops in TF 1.15's order and name scopes, so graph-level seeds after a feature column
match TF 1.15's (docs/seeds.md)."""

from tensorflow.compat import v1 as tf

__all__ = ["dense_to_sparse_ignoring", "inner_flatten", "reshape_real_valued"]


def inner_flatten(inputs, new_rank):
    """inputs (dense or sparse) with its innermost dimensions merged so that its rank is new_rank."""
    with tf.name_scope(None, "InnerFlatten", [inputs, new_rank]):
        if isinstance(inputs, tf.SparseTensor):
            rank = inputs.dense_shape.get_shape().as_list()[0]
            if rank is not None and rank < new_rank:
                raise ValueError("Inputs has rank less than new_rank. {} must have rank at least {}. Received "
                                 "rank {}, shape {}".format(inputs, new_rank, rank, inputs.get_shape()))
            # slices (StridedSlice), a reduce_prod packed into a list: the ops TF 1.15 made
            outer, inner = inputs.dense_shape[:new_rank - 1], inputs.dense_shape[new_rank - 1:]
            return tf.sparse_reshape(inputs, tf.concat((outer, [tf.reduce_prod(inner)]), 0))
        inputs = tf.convert_to_tensor(inputs)
        with tf.control_dependencies([tf.assert_rank_at_least(inputs, new_rank,
                                                              message="inputs has rank less than new_rank")]):
            outer = tf.strided_slice(tf.shape(inputs), [0], [new_rank - 1])
            flattened = tf.reshape(inputs, tf.concat((outer, [-1]), 0))
        dims = inputs.get_shape().dims
        if dims is not None:
            inner = 1
            for dim in dims[new_rank - 1:]:
                inner = None if inner is None or tf.dimension_value(dim) is None else inner * tf.dimension_value(dim)
            flattened.set_shape([tf.dimension_value(d) for d in dims[:new_rank - 1]] + [inner])
        return flattened


def reshape_real_valued(tensor, output_rank, column_name):
    """A dense feature at output_rank: one trailing axis added (with a warning, as TF 1.15), or flattened."""
    rank = tensor.get_shape().ndims
    if rank is not None:
        if output_rank > rank + 1:
            raise ValueError("Error while processing column {}.Rank of input Tensor ({}) should be the same as "
                             "output_rank ({}).".format(column_name, rank, output_rank))
        if output_rank == rank + 1:
            tf.logging.warning("Rank of input Tensor (%d) should be the same as output_rank (%d) for column. "
                               "Will attempt to expand dims.", rank, output_rank)
            return tf.expand_dims(tensor, -1, name="expand_dims")
        if output_rank == rank:
            return tensor
    return inner_flatten(tensor, output_rank)


def dense_to_sparse_ignoring(tensor, ignore_value):
    """A SparseTensor of tensor's entries that are not ignore_value."""
    with tf.name_scope("DenseToSparseTensor"):
        tensor = tf.convert_to_tensor(tensor)
        ignore = tf.cast(ignore_value, tensor.dtype, name="ignore_value")
        indices = tf.where(tf.not_equal(tensor, ignore), name="indices")
        return tf.SparseTensor(indices, tf.gather_nd(tensor, indices, name="values"),
                               tf.shape(tensor, out_type=tf.int64, name="dense_shape"))
