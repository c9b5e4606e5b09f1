"""What a tf.estimator model_fn gets and returns: ModeKeys and EstimatorSpec, checked as TF 1.15."""

import collections

from tensorflow.compat import v1 as tf


class ModeKeys(object):
    """The `mode` a model_fn is called with (TF 1.15's values: PREDICT is 'infer')."""

    TRAIN = "train"
    EVAL = "eval"
    PREDICT = "infer"


_FIELDS = ("mode", "predictions", "loss", "train_op", "eval_metric_ops", "export_outputs",
           "training_chief_hooks", "training_hooks", "scaffold", "evaluation_hooks", "prediction_hooks")


class EstimatorSpec(collections.namedtuple("EstimatorSpec", _FIELDS)):
    """Ops and objects returned from a model_fn, validated as TF 1.15 does."""

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metric_ops=None,
                export_outputs=None, training_chief_hooks=None, training_hooks=None, scaffold=None,
                evaluation_hooks=None, prediction_hooks=None):
        if mode not in (ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.PREDICT):
            raise ValueError("mode={} unrecognized.".format(mode))
        if loss is None:
            if mode in (ModeKeys.TRAIN, ModeKeys.EVAL):
                raise ValueError("Missing loss.")
        else:
            loss = _scalar_loss(loss)
        if predictions is None:
            if mode == ModeKeys.PREDICT:
                raise ValueError("Missing predictions.")
            predictions = {}
        if train_op is None:
            if mode == ModeKeys.TRAIN:
                raise ValueError("Missing train_op.")
        elif not isinstance(train_op, (tf.Operation, tf.Tensor, tf.Variable)):
            raise TypeError("train_op must be Operation or Tensor, given: {}".format(train_op))
        eval_metric_ops = dict(eval_metric_ops or {})
        for key, value in eval_metric_ops.items():
            if not (isinstance(value, tuple) and len(value) == 2):
                raise TypeError("Values of eval_metric_ops must be (metric_value, update_op) tuples, "
                                "given: {} for key: {}".format(value, key))
        hooks = {}
        for name, given in (("training_chief_hooks", training_chief_hooks), ("training_hooks", training_hooks),
                            ("evaluation_hooks", evaluation_hooks), ("prediction_hooks", prediction_hooks)):
            hooks[name] = tuple(given or [])
            for hook in hooks[name]:
                if not isinstance(hook, tf.train.SessionRunHook):
                    raise TypeError("All hooks must be SessionRunHook instances, given: {}".format(hook))
        if scaffold is not None and not isinstance(scaffold, tf.train.Scaffold):
            raise TypeError("scaffold must be tf.train.Scaffold. Given: {}".format(scaffold))
        return super(EstimatorSpec, cls).__new__(
            cls, mode=mode, predictions=predictions, loss=loss, train_op=train_op,
            eval_metric_ops=eval_metric_ops, export_outputs=export_outputs,
            scaffold=scaffold or tf.train.Scaffold(), **hooks)


def _scalar_loss(loss):
    loss = tf.convert_to_tensor(loss)
    shape = loss.get_shape()
    if shape.num_elements() not in (None, 1):
        raise ValueError("Loss must be scalar, given: {}".format(loss))
    if not shape.is_compatible_with(tf.TensorShape([])):
        loss = tf.reshape(loss, [])
    return loss
