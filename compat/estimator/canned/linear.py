"""LinearClassifier and LinearRegressor: TF 1.15's linear premade estimators (gradient optimizers).

One weight per feature column (linear/linear_model/<column>/weights) and linear/linear_model/
bias_weights, partitioned as TF 1.15 does, with the optimizer (FTRL by default) built inside the
`linear` scope, so the slots and checkpoint keys are TF 1.15's. The SDCA optimizer is not provided.
"""

import math

from tensorflow.compat import v1 as tf

from compat.errors import NotProvidedError
from compat.estimator.canned import head as head_lib
from compat.estimator.canned import optimizers
from compat.estimator.estimator import Estimator

LEARNING_RATE = 0.2  # TF 1.15's rate for the linear estimators' optimizer (by name or default)


def _fraction_of_zero(variables):
    with tf.name_scope("zero_fraction"):
        with tf.name_scope("total_size"):
            sizes = [tf.size(variable, out_type=tf.int64) for variable in variables]
            total_size = tf.add_n(sizes)
        with tf.name_scope("total_zero"):
            total_zero = tf.add_n([
                tf.cond(tf.equal(size, tf.constant(0, dtype=tf.int64)), lambda: tf.constant(0, dtype=tf.float32),
                        lambda variable=variable, size=size: tf.nn.zero_fraction(variable) * tf.to_float(size),
                        name="zero_count")
                for variable, size in zip(variables, sizes)])
        with tf.name_scope("compute"):
            fraction = total_zero / tf.cast(total_size, dtype=tf.float32, name="float32_size")
        return tf.identity(fraction, name="zero_fraction_or_nan")


def linear_logits(features, units, feature_columns, sparse_combiner="sum"):
    """The linear model's logits, and its `bias` and `fraction_of_zero_weights` summaries."""
    columns_to_variables = {}
    logits = tf.feature_column.linear_model(features, feature_columns, units=units, sparse_combiner=sparse_combiner,
                                            cols_to_vars=columns_to_variables)
    bias = columns_to_variables.pop("bias")  # each value: the variable's parts
    weights = [part for parts in columns_to_variables.values() for part in parts]
    if units > 1:
        tf.summary.histogram("bias", bias)
    else:
        tf.summary.scalar("bias", bias[0][0])
    tf.summary.scalar("fraction_of_zero_weights", _fraction_of_zero(weights))
    return logits


def default_optimizer(feature_columns):
    return tf.train.FtrlOptimizer(learning_rate=min(LEARNING_RATE, 1.0 / math.sqrt(len(feature_columns))))


def linear_model_fn(features, labels, mode, head, feature_columns, optimizer, partitioner, config,
                    sparse_combiner="sum"):
    """TF 1.15's linear model_fn: the logits in the `linear` scope, then the head's EstimatorSpec."""
    if not isinstance(features, dict):
        raise ValueError("features should be a dictionary of `Tensor`s. Given type: {}".format(type(features)))
    num_ps_replicas = config.num_ps_replicas if config else 0
    partitioner = partitioner or tf.min_max_variable_partitioner(max_partitions=num_ps_replicas,
                                                                  min_slice_size=64 << 20)
    with tf.variable_scope("linear", values=tuple(features.values()), partitioner=partitioner):
        logits = linear_logits(features, head.logits_dimension, feature_columns, sparse_combiner)
        optimizer = optimizers.get_optimizer_instance(optimizer or default_optimizer(feature_columns),
                                                      learning_rate=LEARNING_RATE)
        return head.create_estimator_spec(features=features, mode=mode, labels=labels, optimizer=optimizer,
                                          logits=logits)


def _check_optimizer(optimizer):
    if type(optimizer).__name__ == "LinearSDCA":
        raise NotProvidedError("tf.estimator.experimental.LinearSDCA",
                               "train the linear estimator with optimizer='Ftrl' (the default) or another "
                               "tf.train optimizer")


class _Linear(Estimator):
    def __init__(self, head, feature_columns, model_dir, optimizer, config, partitioner, warm_start_from,
                 sparse_combiner):
        _check_optimizer(optimizer)

        def _model_fn(features, labels, mode, config):
            return linear_model_fn(features, labels, mode, head, tuple(feature_columns or []), optimizer,
                                   partitioner, config, sparse_combiner)
        super(_Linear, self).__init__(model_fn=_model_fn, model_dir=model_dir, config=config,
                                      warm_start_from=warm_start_from)


class LinearClassifier(_Linear):
    """A linear classifier (TF 1.15's tf.estimator.LinearClassifier)."""

    def __init__(self, feature_columns, model_dir=None, n_classes=2, weight_column=None, label_vocabulary=None,
                 optimizer="Ftrl", config=None, partitioner=None, warm_start_from=None,
                 loss_reduction=tf.losses.Reduction.SUM, sparse_combiner="sum"):
        head = head_lib.classification_head(n_classes, weight_column, label_vocabulary, loss_reduction)
        super(LinearClassifier, self).__init__(head, feature_columns, model_dir, optimizer, config, partitioner,
                                               warm_start_from, sparse_combiner)


class LinearRegressor(_Linear):
    """A linear regressor (TF 1.15's tf.estimator.LinearRegressor)."""

    def __init__(self, feature_columns, model_dir=None, label_dimension=1, weight_column=None, optimizer="Ftrl",
                 config=None, partitioner=None, warm_start_from=None, loss_reduction=tf.losses.Reduction.SUM,
                 sparse_combiner="sum"):
        head = head_lib.RegressionHead(label_dimension, weight_column, loss_reduction)
        super(LinearRegressor, self).__init__(head, feature_columns, model_dir, optimizer, config, partitioner,
                                              warm_start_from, sparse_combiner)
