"""What several contrib cells share: TF 1.15's base cell classes (from tf_keras), its linear map
over a list of 2-D tensors (core_rnn_cell's), its layer normalisation of a gate, its sharded
weight matrix.

Each reproduces TF 1.15's variable names, creation order and math, so checkpoints carry over.
"""

import importlib
import math

from tensorflow.compat import v1 as tf

from compat._moved import MOVES
from compat._namespace import resolve_target
# TF 1.15's linear map (core_rnn_cell._Linear) and its duck-type check of a cell (tf_keras keeps TF's)
from compat.contrib.rnn.core_rnn_cell import Linear  # noqa: F401  (re-exported for the cells)
from tf_keras.src.layers.rnn.legacy_cell_wrappers import assert_like_rnncell  # noqa: F401

# The cells `tf.nn.rnn_cell` resolves to under compat: tf_keras's copies of TF 1.15's rnn_cell_impl.
legacy_rnn_cell = resolve_target(next(m.target for m in MOVES if m.name == "nn.rnn_cell"))
RNNCell = legacy_rnn_cell.RNNCell
LSTMStateTuple = legacy_rnn_cell.LSTMStateTuple
# Not exported by tf_keras's API, but defined beside the RNNCell it exports.
LayerRNNCell = importlib.import_module(RNNCell.__module__).LayerRNNCell
# The Keras 2 InputSpec those cells check their inputs with (tf.keras is Keras 3 on TF 2.x).
InputSpec = resolve_target(next(m.target for m in MOVES if m.name == "keras")).layers.InputSpec

WEIGHTS_NAME = "kernel"
BIAS_NAME = "bias"


def layer_norm(inputs, scope, gain, shift, dtype=None):
    """Normalise `inputs` over its last axis with `scope/gamma` (starts at `gain`) and
    `scope/beta` (starts at `shift`), as TF 1.15's cells did through contrib's layer_norm:
    gamma and beta created first, then used with reuse; epsilon 1e-12 (1e-3 for float16)."""
    shape = inputs.get_shape()[-1:]
    dtype_arg = {} if dtype is None else {"dtype": dtype}
    with tf.variable_scope(scope):
        tf.get_variable("gamma", shape=shape, initializer=tf.constant_initializer(gain), **dtype_arg)
        tf.get_variable("beta", shape=shape, initializer=tf.constant_initializer(shift), **dtype_arg)
    with tf.variable_scope(scope, "LayerNorm", [inputs], reuse=True):
        inputs = tf.convert_to_tensor(inputs)
        params_shape = inputs.shape[-1:]
        param_dtype = inputs.dtype.base_dtype
        beta = tf.get_variable("beta", shape=params_shape, dtype=param_dtype)
        gamma = tf.get_variable("gamma", shape=params_shape, dtype=param_dtype)
        mean, variance = tf.nn.moments(inputs, list(range(1, inputs.shape.ndims)), keep_dims=True)
        epsilon = 1e-3 if param_dtype == tf.float16 else 1e-12
        outputs = tf.nn.batch_normalization(inputs, mean, variance, offset=beta, scale=gamma,
                                            variance_epsilon=epsilon)
        outputs.set_shape(inputs.shape)
        return outputs


def concat_variable(name, shape, dtype, num_shards):
    """A [rows, cols] weight stored as `num_shards` variables `name_0..` split by rows, concatenated
    (once per scope: later calls find the concatenation in the CONCATENATED_VARIABLES collection)."""
    if num_shards > shape[0]:
        raise ValueError("Too many shards: shape=%s, num_shards=%d" % (shape, num_shards))
    rows_per_shard = int(math.floor(shape[0] / num_shards))
    extra_rows = shape[0] - rows_per_shard * num_shards
    shards = [tf.get_variable(name + "_%d" % i, [rows_per_shard + (1 if i < extra_rows else 0)] + shape[1:],
                              dtype=dtype)
              for i in range(num_shards)]
    if len(shards) == 1:
        return shards[0]
    concat_name = name + "/concat"
    concat_full_name = tf.get_variable_scope().name + "/" + concat_name + ":0"
    for value in tf.get_collection(tf.GraphKeys.CONCATENATED_VARIABLES):
        if value.name == concat_full_name:
            return value
    concatenated = tf.concat(shards, 0, name=concat_name)
    tf.add_to_collection(tf.GraphKeys.CONCATENATED_VARIABLES, concatenated)
    return concatenated
