"""tf.layers.BatchNormalization and tf.layers.batch_normalization with TF 1.15's choice of kernel.

TF 1.15's tf.layers layer fused (tf.nn.fused_batch_norm) 4-D inputs only, with fused None or True
alike, and normalized every other rank with tf.nn.moments. tf_keras's layer fuses 5-D inputs too;
in training its fused kernel feeds the moving variance the Bessel-corrected batch variance
(n / (n - 1) times the moments'), so a 5-D input's moving_variance drifted from TF 1.15's. The
subclass below changes only that decision; tf_keras does the rest (variables, updates, math).
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
        super(BatchNormalization, self).build(input_shape)


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
