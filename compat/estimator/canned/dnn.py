"""DNNClassifier and DNNRegressor: TF 1.15's feed-forward premade estimators.

Variables as TF 1.15 names them (dnn/input_from_feature_columns/input_layer/..., dnn/hiddenlayer_N/
kernel and bias, dnn/logits/...), partitioned as TF 1.15 partitions them (one part on a local
run), and the optimizer built inside the `dnn` scope: so the slots and the checkpoint keys are
TF 1.15's too (dnn/hiddenlayer_0/kernel/t_0/Adagrad) and a TF 1.15 checkpoint restores.
"""

from tensorflow.compat import v1 as tf

from compat.errors import NotProvidedError
from compat.estimator.canned import head as head_lib
from compat.estimator.canned import optimizers
from compat.estimator.estimator import Estimator
from compat.estimator.model_fn import ModeKeys

LEARNING_RATE = 0.05  # TF 1.15's rate for a DNN optimizer given by name


def _check_features(features):
    if not isinstance(features, dict):
        raise ValueError("features should be a dictionary of `Tensor`s. Given type: {}".format(type(features)))


def _layer_summary(value, tag):
    tf.summary.scalar("%s/fraction_of_zero_values" % tag, tf.nn.zero_fraction(value))
    tf.summary.histogram("%s/activation" % tag, value)


def _dense(inputs, units, activation, scope_name):
    """tf.layers.Dense's variables (glorot-uniform kernel, zero bias) and math, in scope_name."""
    with tf.variable_scope(scope_name) as scope:
        kernel = tf.get_variable("kernel", [inputs.shape[-1], units], initializer=tf.glorot_uniform_initializer())
        bias = tf.get_variable("bias", [units], initializer=tf.zeros_initializer())
        outputs = tf.nn.bias_add(tf.matmul(inputs, kernel), bias)
        if activation is not None:
            outputs = activation(outputs)
        return outputs, scope.name


def _single(variable):
    """The variable itself, or the one part of a variable partitioned into one part (a local run)."""
    parts = list(variable) if not isinstance(variable, tf.Variable) else [variable]
    if len(parts) != 1:
        raise NotProvidedError("batch_norm=True with variables partitioned across parameter servers",
                               "run locally (compat runs Estimators in one process)")
    return parts[0]


def _batch_norm(inputs, scope_name, name, training, momentum=0.999, epsilon=1e-3):
    """tf.layers.BatchNormalization(momentum=0.999) on [batch, units], in scope_name/name."""
    with tf.variable_scope(scope_name, reuse=tf.AUTO_REUSE), tf.variable_scope(name):
        shape = [inputs.shape[-1]]
        gamma = tf.get_variable("gamma", shape, initializer=tf.ones_initializer())
        beta = tf.get_variable("beta", shape, initializer=tf.zeros_initializer())
        moving_mean = tf.get_variable("moving_mean", shape, initializer=tf.zeros_initializer(), trainable=False)
        moving_variance = tf.get_variable("moving_variance", shape, initializer=tf.ones_initializer(),
                                          trainable=False)
        gamma, beta = tf.convert_to_tensor(gamma), tf.convert_to_tensor(beta)
        if not training:
            return tf.nn.batch_normalization(inputs, tf.convert_to_tensor(moving_mean),
                                             tf.convert_to_tensor(moving_variance), beta, gamma, epsilon)
        mean, variance = tf.nn.moments(inputs, [0])
        for moving, batch_value in ((moving_mean, mean), (moving_variance, variance)):
            moving = _single(moving)
            tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, tf.assign_sub(moving, (moving - batch_value) * (1 - momentum)))
        return tf.nn.batch_normalization(inputs, mean, variance, beta, gamma, epsilon)


def dnn_logits(features, mode, units, hidden_units, feature_columns, activation_fn, dropout,
               input_layer_partitioner, batch_norm=False):
    """The logits of the hidden layers over the feature columns (call inside the `dnn` scope)."""
    with tf.variable_scope("input_from_feature_columns", partitioner=input_layer_partitioner):
        net = tf.feature_column.input_layer(features, feature_columns)
    for layer_id, width in enumerate(hidden_units):
        net, scope_name = _dense(net, width, activation_fn, "hiddenlayer_%d" % layer_id)
        if dropout is not None and mode == ModeKeys.TRAIN:
            net = tf.nn.dropout(net, rate=dropout)
        if batch_norm:
            net = _batch_norm(net, "hiddenlayer_%d" % layer_id, "batchnorm_%d" % layer_id, mode == ModeKeys.TRAIN)
        _layer_summary(net, scope_name)
    logits, scope_name = _dense(net, units, None, "logits")
    _layer_summary(logits, scope_name)
    return logits


def dnn_model_fn(features, labels, mode, head, hidden_units, feature_columns, optimizer="Adagrad",
                 activation_fn=tf.nn.relu, dropout=None, input_layer_partitioner=None, config=None,
                 batch_norm=False):
    """TF 1.15's DNN model_fn: the logits in the `dnn` scope, then the head's EstimatorSpec."""
    optimizer = optimizers.get_optimizer_instance(optimizer, learning_rate=LEARNING_RATE)
    _check_features(features)
    num_ps_replicas = config.num_ps_replicas if config else 0
    partitioner = tf.min_max_variable_partitioner(max_partitions=num_ps_replicas)
    with tf.variable_scope("dnn", values=tuple(features.values()), partitioner=partitioner):
        input_layer_partitioner = input_layer_partitioner or tf.min_max_variable_partitioner(
            max_partitions=num_ps_replicas, min_slice_size=64 << 20)
        logits = dnn_logits(features, mode, head.logits_dimension, hidden_units, feature_columns, activation_fn,
                            dropout, input_layer_partitioner, batch_norm)
        return head.create_estimator_spec(features=features, mode=mode, labels=labels, optimizer=optimizer,
                                          logits=logits)


class _DNN(Estimator):
    def __init__(self, head, hidden_units, feature_columns, model_dir, optimizer, activation_fn, dropout,
                 input_layer_partitioner, config, warm_start_from, batch_norm):
        def _model_fn(features, labels, mode, config):
            return dnn_model_fn(features, labels, mode, head, hidden_units, tuple(feature_columns or []),
                                optimizer, activation_fn, dropout, input_layer_partitioner, config, batch_norm)
        super(_DNN, self).__init__(model_fn=_model_fn, model_dir=model_dir, config=config,
                                   warm_start_from=warm_start_from)


class DNNClassifier(_DNN):
    """A feed-forward classifier (TF 1.15's tf.estimator.DNNClassifier)."""

    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2, weight_column=None,
                 label_vocabulary=None, optimizer="Adagrad", activation_fn=tf.nn.relu, dropout=None,
                 input_layer_partitioner=None, config=None, warm_start_from=None,
                 loss_reduction=tf.losses.Reduction.SUM, batch_norm=False):
        head = head_lib.classification_head(n_classes, weight_column, label_vocabulary, loss_reduction)
        super(DNNClassifier, self).__init__(head, hidden_units, feature_columns, model_dir, optimizer,
                                            activation_fn, dropout, input_layer_partitioner, config,
                                            warm_start_from, batch_norm)


class DNNRegressor(_DNN):
    """A feed-forward regressor (TF 1.15's tf.estimator.DNNRegressor)."""

    def __init__(self, hidden_units, feature_columns, model_dir=None, label_dimension=1, weight_column=None,
                 optimizer="Adagrad", activation_fn=tf.nn.relu, dropout=None, input_layer_partitioner=None,
                 config=None, warm_start_from=None, loss_reduction=tf.losses.Reduction.SUM, batch_norm=False):
        head = head_lib.RegressionHead(label_dimension, weight_column, loss_reduction)
        super(DNNRegressor, self).__init__(head, hidden_units, feature_columns, model_dir, optimizer,
                                           activation_fn, dropout, input_layer_partitioner, config,
                                           warm_start_from, batch_norm)
