"""The heads of TF 1.15's premade estimators: logits -> predictions, loss, metrics, train_op.

Binary (sigmoid cross entropy), multi-class (softmax cross entropy) and regression (squared
error), each with TF 1.15's prediction keys, eval metric names, `loss` / `average_loss`
summaries, export outputs and default reduction (SUM over the batch).
"""

from tensorflow.compat import v1 as tf
from tensorflow.python.ops import lookup_ops
from tensorflow.python.saved_model.model_utils import export_output

from compat.estimator.model_fn import EstimatorSpec, ModeKeys

DEFAULT_SERVING_KEY = tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY
CLASSIFY_SERVING_KEY = "classification"
REGRESS_SERVING_KEY = "regression"
PREDICT_SERVING_KEY = "predict"


def _labels_like_logits(labels, logits, labels_dimension):
    """labels as [D0, ..., DN, labels_dimension] next to logits [D0, ..., DN, logits_dimension]."""
    if labels is None:
        raise ValueError("You must provide a labels Tensor. Given: None. Suggested troubleshooting steps: Check "
                         "that your data contain your label feature. Check that your input_fn properly parses "
                         "and returns labels.")
    with tf.name_scope(None, "labels", (labels, logits)) as scope:
        labels = tf.convert_to_tensor_or_sparse_tensor(labels)
        if isinstance(labels, tf.SparseTensor):
            raise ValueError("SparseTensor labels are not supported. Use tf.sparse_tensor_to_dense() in your "
                             "input_fn to turn labels into a Tensor.")
        if labels.shape.ndims is not None and logits.shape.ndims is not None and \
                labels.shape.ndims == logits.shape.ndims - 1:
            labels = tf.expand_dims(labels, -1)
        message = ("labels shape must be [D0, D1, ... DN, {}]. Suggested Fix: check your n_classes argument to "
                   "the estimator and/or the shape of your label.".format(labels_dimension))
        with tf.control_dependencies([tf.assert_rank_at_least(labels, 2, message=message)]):
            last = labels.shape[-1] if labels.shape.ndims is not None else None
            if last is not None and tf.Dimension(last).value not in (None, labels_dimension):
                raise ValueError("Mismatched label shape. Expected labels dimension=%s.  Received %s. "
                                 % (labels_dimension, tf.Dimension(last).value))
            expected = tf.concat([tf.shape(logits)[:-1], [labels_dimension]], axis=0)
            with tf.control_dependencies([tf.assert_equal(expected, tf.shape(labels), message=message)]):
                return tf.identity(labels, name=scope)


def _example_weights(features, weight_column, logits):
    """1.0, or the weight column as a float Tensor shaped [D0, ..., DN, 1]."""
    if weight_column is None:
        return 1.
    key = weight_column if isinstance(weight_column, str) else weight_column.key
    with tf.name_scope(None, "weights", list(features.values()) + [logits]) as scope:
        weights = features[key]
        normalizer = getattr(weight_column, "normalizer_fn", None)
        if normalizer is not None:
            weights = normalizer(weights)
        weights = tf.to_float(weights, name="weights")
        if weights.shape.ndims is not None and weights.shape.ndims == logits.shape.ndims - 1:
            return tf.expand_dims(weights, -1, name=scope)
        return tf.identity(weights, name=scope)


def _checked_logits(logits, dimension):
    logits = tf.convert_to_tensor(logits)
    last = logits.shape[-1] if logits.shape.ndims else None
    if last is not None and tf.Dimension(last).value not in (None, dimension):
        raise ValueError("logits shape must be [D0, D1, ... DN, logits_dimension], got %s." % logits.shape)
    return logits


def _in_range(labels, n_classes):
    with tf.name_scope(None, "assert_range", (labels,)):
        below = tf.assert_less_equal(labels, tf.convert_to_tensor(n_classes - 1, dtype=labels.dtype),
                                     message="Labels must <= n_classes - 1")
        non_negative = tf.assert_non_negative(labels, message="Labels must >= 0")
        with tf.control_dependencies((below, non_negative)):
            return tf.identity(labels)


def _mean_of(values, weights, name):
    with tf.name_scope(name, None, (values,)) as scope:
        values = tf.to_float(values, name="predictions")
        if not isinstance(weights, float):
            weights = tf.broadcast_to(weights, tf.shape(values))
        return tf.metrics.mean(values, weights=weights, name=scope)


def _class_lists(logits, n_classes, label_vocabulary):
    """(all_class_ids, all_classes): each class id / name, one row per example."""
    rows = [tf.shape(logits)[0], 1]
    names = label_vocabulary or tf.as_string(tf.range(n_classes))
    return (tf.tile(tf.expand_dims(tf.range(n_classes), 0), rows),
            tf.tile(tf.expand_dims(names, 0), rows))


def _classification_output(probabilities, n_classes, label_vocabulary):
    names = label_vocabulary or tf.as_string(tf.range(n_classes))
    classes = tf.tile(tf.expand_dims(names, 0), [tf.shape(probabilities)[0], 1])
    return export_output.ClassificationOutput(scores=probabilities, classes=classes)


def _class_names(class_ids, label_vocabulary):
    if label_vocabulary:
        table = lookup_ops.index_to_string_table_from_tensor(vocabulary_list=label_vocabulary,
                                                             name="class_string_lookup")
        return table.lookup(class_ids)
    return tf.as_string(class_ids, name="str_classes")


class Head(object):
    """Shared by the heads: the EstimatorSpec of each mode, in TF 1.15's op order."""

    logits_dimension = 1

    def __init__(self, weight_column=None, loss_reduction=tf.losses.Reduction.SUM):
        if loss_reduction not in tf.losses.Reduction.all() or loss_reduction == tf.losses.Reduction.NONE:
            raise ValueError("Invalid loss_reduction: {}".format(loss_reduction))
        self._weight_column = weight_column
        self._loss_reduction = loss_reduction

    def create_estimator_spec(self, features, mode, logits, labels=None, optimizer=None, train_op_fn=None,
                              regularization_losses=None):
        with tf.name_scope("head"):
            predictions, export_outputs, metric_inputs = self.predictions(logits)
            if mode == ModeKeys.PREDICT:
                return EstimatorSpec(mode, predictions=predictions, export_outputs=export_outputs)
            loss, unreduced_loss, weights, labels = self.create_loss(features, mode, metric_inputs["logits"],
                                                                     labels)
            regularization = tf.add_n(regularization_losses) if regularization_losses else None
            total_loss = tf.add_n([loss, regularization]) if regularization is not None else loss
            if mode == ModeKeys.EVAL:
                metric_inputs.update(labels=labels, weights=weights, unreduced_loss=unreduced_loss)
                metrics = self._eval_metrics(**metric_inputs)
                if regularization is not None:
                    metrics["regularization_loss"] = tf.metrics.mean(regularization, name="regularization_loss")
                return EstimatorSpec(mode, predictions=predictions, loss=total_loss, eval_metric_ops=metrics)
            if optimizer is not None:
                if train_op_fn is not None:
                    raise ValueError("train_op_fn and optimizer cannot both be set.")
                train_op = optimizer.minimize(total_loss, global_step=tf.train.get_global_step())
            elif train_op_fn is not None:
                train_op = train_op_fn(total_loss)
            else:
                raise ValueError("train_op_fn and optimizer cannot both be None.")
            update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
            if update_ops:
                train_op = tf.group(train_op, *update_ops)
            mean_loss = None
            if self._loss_reduction == tf.losses.Reduction.SUM:
                mean_loss = loss / tf.reduce_sum(weights * tf.ones_like(unreduced_loss))
        with tf.name_scope(""):
            tf.summary.scalar("loss", total_loss)
            if mean_loss is not None:
                tf.summary.scalar("average_loss", mean_loss)
            if regularization is not None:
                tf.summary.scalar("regularization_loss", regularization)
        return EstimatorSpec(mode, predictions=predictions, loss=total_loss, train_op=train_op)

    def _reduce(self, unreduced_loss, features, logits, labels):
        weights = _example_weights(features, self._weight_column, logits)
        loss = tf.losses.compute_weighted_loss(unreduced_loss, weights=weights, reduction=self._loss_reduction)
        return loss, unreduced_loss, weights, labels


class BinaryClassHead(Head):
    """Two classes from one logit: sigmoid cross entropy."""

    def __init__(self, weight_column=None, thresholds=None, label_vocabulary=None,
                 loss_reduction=tf.losses.Reduction.SUM):
        super(BinaryClassHead, self).__init__(weight_column, loss_reduction)
        self._thresholds = tuple(thresholds or ())
        self._label_vocabulary = label_vocabulary

    def predictions(self, logits):
        with tf.name_scope(None, "predictions", (logits,)):
            logits = _checked_logits(logits, 1)
            logistic = tf.sigmoid(logits, name="logistic")
            two_class_logits = tf.concat((tf.zeros_like(logits), logits), axis=-1, name="two_class_logits")
            probabilities = tf.nn.softmax(two_class_logits, name="probabilities")
            class_ids = tf.expand_dims(tf.argmax(two_class_logits, axis=-1, name="class_ids"), axis=-1)
            all_class_ids, all_classes = _class_lists(logits, 2, self._label_vocabulary)
            predictions = {"logits": logits, "logistic": logistic, "probabilities": probabilities,
                           "class_ids": class_ids, "classes": _class_names(class_ids, self._label_vocabulary),
                           "all_class_ids": all_class_ids, "all_classes": all_classes}
        classify = _classification_output(probabilities, 2, self._label_vocabulary)
        outputs = {DEFAULT_SERVING_KEY: classify, CLASSIFY_SERVING_KEY: classify,
                   REGRESS_SERVING_KEY: export_output.RegressionOutput(value=logistic),
                   PREDICT_SERVING_KEY: export_output.PredictOutput(predictions)}
        return predictions, outputs, {"logits": logits, "logistic": logistic, "class_ids": class_ids}

    def create_loss(self, features, mode, logits, labels):
        logits = tf.convert_to_tensor(logits)
        labels = _labels_like_logits(labels, logits, 1)
        if self._label_vocabulary is not None:
            labels = lookup_ops.index_table_from_tensor(vocabulary_list=tuple(self._label_vocabulary),
                                                        name="class_id_lookup").lookup(labels)
        labels = _in_range(tf.to_float(labels), 2)
        unreduced = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
        return self._reduce(unreduced, features, logits, labels)

    def _eval_metrics(self, labels, logits, logistic, class_ids, weights, unreduced_loss):
        with tf.name_scope(None, "metrics", (labels, logits, logistic, class_ids, unreduced_loss)):
            labels_mean = _mean_of(labels, weights, "label/mean")
            value, update = labels_mean
            with tf.name_scope(None, "accuracy_baseline", labels_mean):
                baseline = (tf.maximum(value, 1. - value, name="value"),
                            tf.maximum(update, 1 - update, name="update_op"))
            metrics = {
                "average_loss": tf.metrics.mean(unreduced_loss, weights=weights, name="average_loss"),
                "accuracy": tf.metrics.accuracy(labels, class_ids, weights=weights, name="accuracy"),
                "precision": tf.metrics.precision(labels, class_ids, weights=weights, name="precision"),
                "recall": tf.metrics.recall(labels, class_ids, weights=weights, name="recall"),
                "prediction/mean": _mean_of(logistic, weights, "prediction/mean"),
                "label/mean": labels_mean,
                "accuracy_baseline": baseline,
                "auc": self._auc(labels, logistic, weights, "ROC", "auc"),
                "auc_precision_recall": self._auc(labels, logistic, weights, "PR", "auc_precision_recall"),
            }
            for threshold in self._thresholds:
                predicted = tf.to_float(tf.greater_equal(logistic, threshold))
                for key, metric in (("accuracy/positive_threshold_%g", tf.metrics.accuracy),
                                    ("precision/positive_threshold_%g", tf.metrics.precision),
                                    ("recall/positive_threshold_%g", tf.metrics.recall)):
                    metrics[key % threshold] = metric(labels, predicted, weights=weights, name=key % threshold)
        return metrics

    @staticmethod
    def _auc(labels, probabilities, weights, curve, name):
        with tf.name_scope(name, None, (probabilities, labels)) as scope:
            probabilities = tf.to_float(probabilities, name="predictions")
            if not isinstance(weights, float):
                weights = tf.broadcast_to(weights, tf.shape(probabilities))
            return tf.metrics.auc(labels, probabilities, weights=weights, curve=curve, name=scope)


class MultiClassHead(Head):
    """n_classes > 2 logits: softmax cross entropy on integer (or vocabulary) labels."""

    def __init__(self, n_classes, weight_column=None, label_vocabulary=None,
                 loss_reduction=tf.losses.Reduction.SUM):
        if n_classes is None or n_classes <= 2:
            raise ValueError("n_classes must be > 2: {}.".format(n_classes))
        super(MultiClassHead, self).__init__(weight_column, loss_reduction)
        self.logits_dimension = n_classes
        self._label_vocabulary = label_vocabulary

    def predictions(self, logits):
        n_classes = self.logits_dimension
        logits = _checked_logits(logits, n_classes)
        with tf.name_scope(None, "predictions", (logits,)):
            all_class_ids, all_classes = _class_lists(logits, n_classes, self._label_vocabulary)
            class_ids = tf.expand_dims(tf.argmax(logits, axis=-1, name="class_ids"), axis=-1)
            classes = _class_names(class_ids, self._label_vocabulary)
            probabilities = tf.nn.softmax(logits, name="probabilities")
            predictions = {"logits": logits, "probabilities": probabilities, "class_ids": class_ids,
                           "classes": classes, "all_class_ids": all_class_ids, "all_classes": all_classes}
        classify = _classification_output(probabilities, n_classes, self._label_vocabulary)
        outputs = {DEFAULT_SERVING_KEY: classify, CLASSIFY_SERVING_KEY: classify,
                   PREDICT_SERVING_KEY: export_output.PredictOutput(predictions)}
        return predictions, outputs, {"logits": logits, "class_ids": class_ids}

    def create_loss(self, features, mode, logits, labels):
        logits = tf.convert_to_tensor(logits)
        labels = _labels_like_logits(labels, logits, 1)
        if self._label_vocabulary is None:
            if not labels.dtype.is_integer:
                raise ValueError("Labels dtype should be integer. Instead got {}.".format(labels.dtype))
        else:
            if labels.dtype != tf.string:
                raise ValueError("Labels dtype should be string if there is a vocabulary. Instead got {}"
                                 .format(labels.dtype))
            labels = lookup_ops.index_table_from_tensor(vocabulary_list=tuple(self._label_vocabulary),
                                                        name="class_id_lookup").lookup(labels)
        labels = _in_range(labels, self.logits_dimension)
        unreduced = tf.expand_dims(tf.losses.sparse_softmax_cross_entropy(
            labels=labels, logits=logits, reduction=tf.losses.Reduction.NONE), axis=-1)
        return self._reduce(unreduced, features, logits, labels)

    def _eval_metrics(self, labels, logits, class_ids, weights, unreduced_loss):
        with tf.name_scope(None, "metrics", (labels, class_ids, unreduced_loss)):
            return {"average_loss": tf.metrics.mean(unreduced_loss, weights=weights, name="average_loss"),
                    "accuracy": tf.metrics.accuracy(labels, class_ids, weights=weights, name="accuracy")}


class RegressionHead(Head):
    """label_dimension real outputs: mean squared error."""

    def __init__(self, label_dimension=1, weight_column=None, loss_reduction=tf.losses.Reduction.SUM):
        if label_dimension < 1:
            raise ValueError("Invalid label_dimension %s." % label_dimension)
        super(RegressionHead, self).__init__(weight_column, loss_reduction)
        self.logits_dimension = label_dimension

    def predictions(self, logits):
        logits = _checked_logits(logits, self.logits_dimension)
        predictions = {"predictions": logits}
        regress = export_output.RegressionOutput(value=logits)
        outputs = {DEFAULT_SERVING_KEY: regress, REGRESS_SERVING_KEY: regress,
                   PREDICT_SERVING_KEY: export_output.PredictOutput(predictions)}
        return predictions, outputs, {"logits": logits}

    def create_loss(self, features, mode, logits, labels):
        logits = tf.convert_to_tensor(logits)
        labels = tf.to_float(_labels_like_logits(labels, logits, self.logits_dimension))
        unreduced = tf.losses.mean_squared_error(labels=labels, predictions=logits,
                                                 reduction=tf.losses.Reduction.NONE)
        return self._reduce(unreduced, features, logits, labels)

    def _eval_metrics(self, labels, logits, weights, unreduced_loss):
        return {"average_loss": tf.metrics.mean(unreduced_loss, weights=weights),
                "prediction/mean": _mean_of(logits, weights, "prediction/mean"),
                "label/mean": tf.metrics.mean(labels, weights=weights)}


def classification_head(n_classes, weight_column, label_vocabulary, loss_reduction):
    """TF 1.15's choice: the binary head for 2 classes, else the multi-class one."""
    if n_classes == 2:
        return BinaryClassHead(weight_column, label_vocabulary=label_vocabulary, loss_reduction=loss_reduction)
    return MultiClassHead(n_classes, weight_column, label_vocabulary, loss_reduction)
