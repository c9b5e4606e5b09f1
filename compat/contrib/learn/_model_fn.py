"""What a tf.contrib.learn model_fn gets and returns: ModeKeys, ModelFnOps, eval metrics.

A TF 1.15 model_fn may return ModelFnOps or the older tuple (predictions, loss, train_op); both
are normalised to ModelFnOps with TF 1.15's checks, so the training loop deals with one shape.
"""

import collections
import inspect

from tensorflow.compat import v1 as tf

from compat.estimator import model_fn as estimator_model_fn


class ModeKeys(estimator_model_fn.ModeKeys):
    """The `mode` a model_fn is called with: tf.estimator's, with contrib's name INFER for PREDICT."""

    INFER = estimator_model_fn.ModeKeys.PREDICT

    @classmethod
    def validate(cls, key):
        if key not in (cls.TRAIN, cls.EVAL, cls.INFER):
            raise ValueError("Invalid mode %s." % key)


class NotFittedError(ValueError, AttributeError):
    """evaluate/predict found no checkpoint in model_dir (TF 1.15 raises the same type)."""


_FIELDS = ("predictions", "loss", "train_op", "eval_metric_ops", "output_alternatives",
           "training_chief_hooks", "training_hooks", "scaffold", "mode")


class ModelFnOps(collections.namedtuple("ModelFnOps", _FIELDS)):
    """Ops returned from a model_fn, checked and converted as TF 1.15 does."""

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metric_ops=None,
                output_alternatives=None, training_chief_hooks=None, training_hooks=None, scaffold=None):
        ModeKeys.validate(mode)
        if train_op is None:
            if mode == ModeKeys.TRAIN:
                raise ValueError("Missing train_op.")
        elif not isinstance(train_op, tf.Operation):
            train_op = tf.convert_to_tensor(train_op).op
        loss = _scalar_loss(loss, mode)
        predictions = _prediction_tensors(predictions, mode)
        if eval_metric_ops is not None and not isinstance(eval_metric_ops, dict):
            raise ValueError("eval_metric_ops must be a dict.")
        training_chief_hooks = list(training_chief_hooks or [])
        training_hooks = list(training_hooks or [])
        for hook in training_hooks + training_chief_hooks:
            if not isinstance(hook, tf.train.SessionRunHook):
                raise TypeError("All hooks returned from model_fn must be SessionRunHook instances, "
                                "got instance of %s: %s" % (type(hook), hook))
        return super(ModelFnOps, cls).__new__(
            cls, predictions=predictions, loss=loss, train_op=train_op,
            eval_metric_ops=eval_metric_ops or {}, output_alternatives=output_alternatives,
            training_chief_hooks=training_chief_hooks, training_hooks=training_hooks,
            scaffold=scaffold, mode=mode)


def _scalar_loss(loss, mode):
    if loss is None:
        if mode in (ModeKeys.TRAIN, ModeKeys.EVAL):
            raise ValueError("Missing loss.")
        return None
    loss = tf.convert_to_tensor(loss)
    shape = loss.get_shape()
    if shape.num_elements() not in (None, 1):
        raise ValueError("Loss must be scalar: %s." % loss)
    if not shape.is_compatible_with(tf.TensorShape([])):
        loss = tf.reshape(loss, [])
    return loss


def _prediction_tensors(predictions, mode):
    if predictions is None:
        if mode in (ModeKeys.INFER, ModeKeys.EVAL):
            raise ValueError("Missing predictions.")
        return None
    if isinstance(predictions, dict):
        return {key: tf.convert_to_tensor_or_sparse_tensor(value) for key, value in predictions.items()}
    return tf.convert_to_tensor_or_sparse_tensor(predictions)


def model_fn_args(fn):
    """Argument names of a model_fn (or functools.partial of one), as TF 1.15 detects them."""
    fn = inspect.unwrap(fn)
    if hasattr(fn, "func") and hasattr(fn, "keywords") and hasattr(fn, "args"):
        names = inspect.getfullargspec(fn.func).args[len(fn.args):]
        return tuple(name for name in names if name not in set(fn.keywords))
    return tuple(inspect.getfullargspec(fn).args)


def to_model_fn_ops(results, mode):
    """ModelFnOps from what a model_fn returned: ModelFnOps or (predictions, loss, train_op)."""
    if isinstance(results, ModelFnOps):
        return results
    if len(results) != 3:
        raise ValueError("Unrecognized value returned by model_fn, please return ModelFnOps.")
    return ModelFnOps(mode=mode, predictions=results[0], loss=results[1], train_op=results[2])


def make_metric_ops(metrics, labels, predictions):
    """{name: metric result} for Estimator.evaluate(metrics=...), TF 1.15's bare-function forms.

    A metric is fn(predictions, labels); a (name, prediction_key) tuple key picks one entry of
    dict predictions (and of dict labels, if it has that key). Objects with
    create_metric_ops(features, labels, predictions) (MetricSpec-like) are called with that.
    """
    single_labels = labels
    if isinstance(labels, dict) and len(labels) == 1:
        single_labels = list(labels.values())[0]
    result = {}
    for name, metric in sorted(metrics.items(), key=lambda item: str(item[0])):
        if hasattr(metric, "create_metric_ops"):
            result[name] = metric.create_metric_ops(None, labels, predictions)
        elif isinstance(name, tuple):
            result[name[0]] = _headed_metric(name, metric, labels, single_labels, predictions, metrics)
        elif isinstance(predictions, dict):
            raise ValueError("Metrics passed provide only name, no prediction, but predictions are dict. "
                             "Metrics: %s, Labels: %s." % (metrics, single_labels))
        else:
            result[name] = metric(predictions, single_labels)
    return result


def _headed_metric(name, metric, labels, single_labels, predictions, metrics):
    if len(name) != 2:
        raise ValueError("Invalid metric for {}. It returned a tuple with len {}, expected 2."
                         .format(name, len(name)))
    if not isinstance(predictions, dict):
        raise ValueError("Metrics passed provide (name, prediction), but predictions are not dict. "
                         "Metrics: %s, Predictions: %s." % (metrics, predictions))
    if isinstance(labels, dict) and name[1] in labels:
        return metric(predictions[name[1]], labels[name[1]])
    return metric(predictions[name[1]], single_labels)


def split_metric_ops(eval_metric_ops):
    """(one grouped update op or None, {name: value tensor}) from (value, update) pairs."""
    updates = []
    values = {}
    for name, ops in eval_metric_ops.items():
        if isinstance(ops, (list, tuple)) and len(ops) == 2:
            values[name] = ops[0]
            updates.append(ops[1])
        else:
            if isinstance(ops, (list, tuple)):
                tf.logging.warning("Ignoring metric {}. It returned a list|tuple with len {}, expected 2"
                                   .format(name, len(ops)))
            values[name] = ops
    return (tf.group(*updates) if updates else None), values
