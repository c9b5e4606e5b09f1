"""tf.layers.BatchNormalization and tf.layers.batch_normalization with TF 1.15's choice of kernel.

TF 1.15's tf.layers layer fused (tf.nn.fused_batch_norm) 4-D inputs only, with fused None or True
alike, and normalized every other rank with tf.nn.moments. tf_keras's layer fuses 5-D inputs too;
in training its fused kernel feeds the moving variance the Bessel-corrected batch variance
(n / (n - 1) times the moments'), so a 5-D input's moving_variance drifted from TF 1.15's. The
subclass below changes that decision and one op order; tf_keras does the rest (variables, updates,
math). Fused without gamma or beta (scale=False or center=False, contrib.layers.batch_norm's default),
TF 1.15 made the stand-in Const (ones for gamma, zeros for beta) in build(), where the variable would
have been; tf_keras makes it just before the kernel. The subclass makes it where TF 1.15 did and
hands it to tf_keras's kernel call, so every op after it gets TF 1.15's op count (its seed).
"""

import warnings

from tensorflow.compat import v1 as tf
from tf_keras.api._v1.keras.__internal__.legacy import layers as keras_legacy_layers

__all__ = ["BatchNormalization", "batch_normalization"]


class BatchNormalization(keras_legacy_layers.BatchNormalization):
    __doc__ = keras_legacy_layers.BatchNormalization.__doc__

    def build(self, input_shape):
        # Before tf_keras decides: it would fuse rank 5 as well (fused None or True).
        if tf.TensorShape(input_shape).rank != 4:
            self.fused = False
        self._stand_ins = {}
        super(BatchNormalization, self).build(input_shape)

    def add_weight(self, name, shape, *args, **kwargs):
        # tf_keras's build adds gamma, beta, moving_mean in that order: a missing gamma's Const
        # comes before beta (or moving_mean), a missing beta's before moving_mean, as in TF 1.15.
        if self.fused and name in ("beta", "moving_mean"):
            self._make_stand_in("gamma", self.scale, 1.0, shape)
        if self.fused and name == "moving_mean":
            self._make_stand_in("beta", self.center, 0.0, shape)
        return super(BatchNormalization, self).add_weight(name, shape, *args, **kwargs)

    def _make_stand_in(self, param, present, value, shape):
        if not present and param not in self._stand_ins:
            self._stand_ins[param] = tf.constant(value, dtype=self._param_dtype, shape=shape)

    def _fused_batch_norm(self, inputs, mask, training):
        # tf_keras takes self.gamma / self.beta when scale / center, else makes a Const: lend it
        # the stand-ins for the call (plain attribute writes: no Keras tracking of a tensor).
        lent = [(param, flag) for param, flag in (("gamma", "scale"), ("beta", "center")) if param in self._stand_ins]
        for param, flag in lent:
            object.__setattr__(self, param, self._stand_ins[param])
            object.__setattr__(self, flag, True)
        try:
            return super(BatchNormalization, self)._fused_batch_norm(inputs, mask, training)
        finally:
            for param, flag in lent:
                object.__setattr__(self, param, None)
                object.__setattr__(self, flag, False)


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=tf.zeros_initializer(), gamma_initializer=tf.ones_initializer(),
                        moving_mean_initializer=tf.zeros_initializer(),
                        moving_variance_initializer=tf.ones_initializer(), beta_regularizer=None,
                        gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, training=False,
                        trainable=True, name=None, reuse=None, renorm=False, renorm_clipping=None,
                        renorm_momentum=0.99, fused=None, virtual_batch_size=None, adjustment=None):
    """TF 1.15's functional batch normalization: a BatchNormalization layer (variable scope `name`,
    default `batch_normalization`) applied once. In training its moving-average updates go to
    tf.GraphKeys.UPDATE_OPS: run them with the train op."""
    warnings.warn("`tf.layers.batch_normalization` is deprecated and will be removed in a future version. "
                  "Please use `tf.keras.layers.BatchNormalization` instead.", stacklevel=2)
    layer = BatchNormalization(
        axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
        beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
        moving_mean_initializer=moving_mean_initializer, moving_variance_initializer=moving_variance_initializer,
        beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer, beta_constraint=beta_constraint,
        gamma_constraint=gamma_constraint, renorm=renorm, renorm_clipping=renorm_clipping,
        renorm_momentum=renorm_momentum, fused=fused, trainable=trainable, virtual_batch_size=virtual_batch_size,
        adjustment=adjustment, name=name, _reuse=reuse, _scope=name)
    return layer(inputs, training=training)
