"""Generalized divisive normalization (TF 1.15: GDN and gdn in contrib/layers/python/layers/layers.py).

y[i] = x[i] / sqrt(beta[i] + sum_j gamma[j, i] * x[j]**2) over channels (IGDN multiplies instead).
beta and gamma are stored reparameterized as in TF 1.15: variables `<name>/reparam_beta` [C] and
`<name>/reparam_gamma` [C, C] hold their (offset) square roots, bounded below by a maximum whose
gradient still passes when it pushes the value up. Built on tf_keras's TF 1.x tf.layers.Layer.
"""

from tensorflow.compat import v1 as tf

from compat._moved import MOVES
from compat._namespace import resolve_target

__all__ = ["GDN", "gdn"]

tf_layers = resolve_target(next(m.target for m in MOVES if m.name == "layers"))

_LOWER_BOUND_GRADIENT = "GDNLowerBound"  # TF 1.15's name: graphs it exported find their gradient here


def _lower_bound(inputs, bound, name=None):
    """tf.maximum(inputs, bound); its gradient reaches inputs below the bound only if it raises them.
    The gradient is overridden on the Maximum itself, as in TF 1.15 (one op, no Identity ops)."""
    with tf.name_scope(name, "GDNLowerBound", [inputs, bound]) as scope:
        inputs = tf.convert_to_tensor(inputs, name="inputs")
        bound = tf.convert_to_tensor(bound, name="bound")
        with tf.get_default_graph().gradient_override_map({"Maximum": _LOWER_BOUND_GRADIENT}):
            return tf.maximum(inputs, bound, name=scope)


def _lower_bound_gradient(op, upstream):
    values, bound = op.inputs
    passes = tf.logical_or(values >= bound, upstream < 0)
    return [tf.cast(passes, upstream.dtype) * upstream, None]


tf.RegisterGradient(_LOWER_BOUND_GRADIENT)(_lower_bound_gradient)


def _eye(size, dtype):
    """The identity matrix with TF 1.15's ops (ones and MatrixDiag; TF 2.x's tf.eye makes four
    Consts more for MatrixDiagV3), so the graph's op count stays TF 1.15's (docs/seeds.md)."""
    with tf.name_scope("eye"):
        return tf.raw_ops.MatrixDiag(diagonal=tf.ones([size], dtype=dtype), name="diag")


class GDN(tf_layers.Layer):
    """TF 1.15's GDN layer: inverse, beta_min, gamma_init, reparam_offset, data_format."""

    def __init__(self, inverse=False, beta_min=1e-6, gamma_init=.1, reparam_offset=2 ** -18,
                 data_format="channels_last", activity_regularizer=None, trainable=True, name=None, **kwargs):
        super(GDN, self).__init__(trainable=trainable, name=name, activity_regularizer=activity_regularizer,
                                  **kwargs)
        self.inverse = inverse
        self._beta_min = beta_min
        self._gamma_init = gamma_init
        self._reparam_offset = reparam_offset
        self.data_format = data_format
        self._channel_axis()  # an unsupported data_format fails here, as in TF 1.15

    def _channel_axis(self):
        if self.data_format not in ("channels_first", "channels_last"):
            raise ValueError("Unsupported `data_format` for GDN layer: {}.".format(self.data_format))
        return 1 if self.data_format == "channels_first" else -1

    def build(self, input_shape):
        input_shape = tf.TensorShape(input_shape)
        if input_shape.ndims is None or not 3 <= input_shape.ndims <= 5:
            raise ValueError("GDN expects inputs of rank 3 to 5, got shape %s." % (input_shape,))
        channels = tf.dimension_value(input_shape[self._channel_axis()])
        if channels is None:
            raise ValueError("The channel dimension of the inputs to `GDN` must be defined.")
        self._input_rank = input_shape.ndims
        offset = self._reparam_offset
        pedestal = tf.constant(offset ** 2, dtype=self.dtype)
        beta_bound = tf.constant((self._beta_min + offset ** 2) ** .5, dtype=self.dtype)
        gamma_bound = tf.constant(offset, dtype=self.dtype)

        # the initializers make their ops in TF 1.15's order (the pedestal first)
        def beta_initializer(shape, dtype=None, partition_info=None):
            initializer_pedestal = tf.constant(offset ** 2, dtype=self.dtype)
            return tf.sqrt(tf.ones(shape, dtype=dtype) + initializer_pedestal)

        def gamma_initializer(shape, dtype=None, partition_info=None):
            eye = _eye(shape[0], dtype)
            initializer_pedestal = tf.constant(offset ** 2, dtype=self.dtype)
            return tf.sqrt(self._gamma_init * eye + initializer_pedestal)

        beta = self.add_weight("reparam_beta", shape=[channels], initializer=beta_initializer,
                                 dtype=self.dtype, trainable=True)
        self.beta = tf.square(_lower_bound(beta, beta_bound)) - pedestal
        gamma = self.add_weight("reparam_gamma", shape=[channels, channels], initializer=gamma_initializer,
                                  dtype=self.dtype, trainable=True)
        self.gamma = tf.square(_lower_bound(gamma, gamma_bound)) - pedestal
        self.built = True

    def call(self, inputs):
        inputs = tf.convert_to_tensor(inputs, dtype=self.dtype)
        rank = self._input_rank
        # gamma as a 1x..x1 convolution kernel: the pool mixes channels, never positions
        kernel = tf.reshape(self.gamma, (rank - 2) * [1] + self.gamma.get_shape().as_list())
        if self.data_format == "channels_first":
            norm_pool = tf.nn.convolution(tf.square(inputs), kernel, "VALID",
                                          data_format="NC" + "DHW"[-(rank - 2):])
            if rank == 3:
                norm_pool = tf.squeeze(tf.nn.bias_add(tf.expand_dims(norm_pool, 2), self.beta,
                                                      data_format="NCHW"), [2])
            elif rank == 5:
                shape = tf.shape(norm_pool)
                norm_pool = tf.reshape(norm_pool, shape[:3] + [-1])
                norm_pool = tf.reshape(tf.nn.bias_add(norm_pool, self.beta, data_format="NCHW"), shape)
            else:
                norm_pool = tf.nn.bias_add(norm_pool, self.beta, data_format="NCHW")
        else:
            norm_pool = tf.nn.convolution(tf.square(inputs), kernel, "VALID")
            norm_pool = tf.nn.bias_add(norm_pool, self.beta, data_format="NHWC")
        norm_pool = tf.sqrt(norm_pool)
        outputs = inputs * norm_pool if self.inverse else inputs / norm_pool
        outputs.set_shape(inputs.get_shape())
        return outputs

    def compute_output_shape(self, input_shape):
        return tf.TensorShape(input_shape)


def gdn(inputs, inverse=False, beta_min=1e-6, gamma_init=.1, reparam_offset=2 ** -18, data_format="channels_last",
        activity_regularizer=None, trainable=True, name=None, reuse=None):
    """GDN applied to inputs (variables under `name`, default `gdn`)."""
    layer = GDN(inverse=inverse, beta_min=beta_min, gamma_init=gamma_init, reparam_offset=reparam_offset,
                data_format=data_format, activity_regularizer=activity_regularizer, trainable=trainable,
                name=name, dtype=inputs.dtype.base_dtype, _scope=name, _reuse=reuse)
    return layer.apply(inputs)
