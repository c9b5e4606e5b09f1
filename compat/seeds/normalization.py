"""Counting rules for normalization: tf.nn.weighted_moments (contrib.layers.batch_norm with
batch_weights); tf_keras's BatchNormalization on its fused path, under tf.layers and
contrib.layers.batch_norm's default UPDATE_OPS route (in training, under a tf.cond, and in
inference, noted as the layer builds it); and, under minimize, the gradients of the fused kernel
and of the moments' reductions."""

import functools

from compat.seeds import graph_count
from compat.seeds.gradients import forward_op
from compat.seeds.rule import Rule, op_exists

_FUSED_BATCH_NORMS = frozenset(("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3"))


def weighted_moments(op, graph, count):
    """TF 1.15 divided by the sum of weights as Reciprocal (`inv_weight_sum`) and two Muls, TF 2.x
    with two DivNoNans: one op more for TF 1.15, counted at the mean's DivNoNan."""
    scope, _, leaf = op.name.rpartition("/")
    if op.type != "DivNoNan" or leaf != "div_no_nan":
        return 0
    dividend, divisor = (tensor.op.name for tensor in op.inputs)
    return 1 if (dividend, divisor) == (scope + "/weighted_input_sum", scope + "/sum_of_weights") else 0


def keras_fused_batch_norm_training(op, graph, count):
    """TF 1.15's Keras BatchNormalization trained through nn.fused_batch_norm without a mean and a
    variance, which made two empty Consts for them; tf_keras passes the moving statistics (ignored
    in training). TF 1.15's tf.nn.fused_batch_norm refused a mean in training, so a non-empty one
    is tf_keras's."""
    if op.type not in _FUSED_BATCH_NORMS or not op.get_attr("is_training"):
        return 0
    mean_shape = op.inputs[3].shape
    return 2 if mean_shape.rank == 1 and (mean_shape[0] or 0) > 0 else 0


def keras_fused_batch_norm_switches(op, graph, count):
    """Under a tensor `training` (a tf.cond), the moving statistics tf_keras passes enter the
    training branch through two Switches that TF 1.15 did not make (its empty Consts were made in
    the branch): one op fewer each."""
    if op.type != "Switch":
        return 0
    for consumer in op.outputs[0].consumers() + op.outputs[1].consumers():
        if (consumer.type in _FUSED_BATCH_NORMS and consumer.get_attr("is_training")
                and op in (consumer.inputs[3].op, consumer.inputs[4].op)):
            return -1
    return 0


def fused_batch_norm_training_gradient(op, graph, count):
    """TF 1.15's gradient of a training FusedBatchNorm returned all five outputs of its grad op (the
    mean's and variance's as well), TF 2.x returns None for those two: when the gradients are
    gated (minimize), TF 1.15's `tuple` made two Identities more, counted at the third one."""
    scope, _, leaf = op.name.rpartition("/")
    if op.type != "Identity" or leaf != "control_dependency_2" or not scope.endswith("_grad/tuple"):
        return 0
    grad = op.inputs[0].op
    if grad.type not in ("FusedBatchNormGrad", "FusedBatchNormGradV2", "FusedBatchNormGradV3"):
        return 0
    return 2 if grad.get_attr("is_training") and not op_exists(graph, scope + "/control_dependency_3") else 0


def reduction_gradient_shape(op, graph, count):
    """The gradient of a Sum or Mean over some axes of a known shape (tf.nn.moments, layer and
    batch norm, losses summed over an axis): the first time a graph met that shape and those axes,
    TF 1.15 computed the kept-dims shape with reduced_shape's 12 ops (Cast/x ... DynamicStitch),
    TF 2.x in numpy. Both then made the tile scaling's Maximum, counted at its `Maximum/x`."""
    scope, _, leaf = op.name.rpartition("/")
    if op.type != "Const" or leaf != "x" or not scope.endswith("_grad/Maximum"):
        return 0
    forward = forward_op(graph, scope[:-len("/Maximum")])
    return 12 if forward is not None and forward.type in ("Sum", "Mean") else 0


def noting_keras_momentum(fused_batch_norm, context):
    """Wrap tf_keras's BatchNormalizationBase._fused_batch_norm. TF 1.15's Keras layer made its
    momentum a Const after the kernel even when `training` was a constant False (no updates);
    tf_keras makes it only for updates. The ops alone cannot tell the layer's kernel from a
    hand-made tf.nn.fused_batch_norm, so it is noted as the layer builds it."""
    from tf_keras.src.utils import control_flow_util

    @functools.wraps(fused_batch_norm)
    def noting(layer, inputs, mask, training):
        outputs = fused_batch_norm(layer, inputs, mask, training)
        training_value = control_flow_util.constant_value(training)
        if (training_value is not None and not training_value and not context.executing_eagerly()
                and outputs.op.type in _FUSED_BATCH_NORMS):
            graph_count.note(outputs.graph, outputs.op.name, 1)
        return outputs

    return noting


def install(ops, context):
    """Note, as tf_keras's BatchNormalization builds its fused kernel, what TF 1.15 made more."""
    from tf_keras.src.layers.normalization import batch_normalization

    base = batch_normalization.BatchNormalizationBase
    base._fused_batch_norm = noting_keras_momentum(base._fused_batch_norm, context)


RULES = (
    Rule("tf.nn.weighted_moments (contrib.layers.batch_norm with batch_weights)", "TF 1.15 divided by the "
         "sum of weights with a Reciprocal and two Muls, TF 2.x with two DivNoNans", weighted_moments),
    Rule("tf.layers.batch_normalization, contrib.layers.batch_norm (fused, training)", "TF 1.15's Keras "
         "layer made empty Consts for the kernel's mean and variance, tf_keras passes the moving ones",
         keras_fused_batch_norm_training),
    Rule("tf.layers.batch_normalization, contrib.layers.batch_norm (fused, a tensor `training`)", "in a "
         "tf.cond, the moving statistics tf_keras passes enter the training branch through two Switches",
         keras_fused_batch_norm_switches),
    Rule("gradients of tf.nn.fused_batch_norm in training (minimize)", "TF 1.15's gradient returned the "
         "grad op's mean and variance outputs too, which `tuple` gated with two Identities more",
         fused_batch_norm_training_gradient),
    Rule("gradients of tf.nn.moments, reduce_mean and reduce_sum over some axes (minimize)", "TF 1.15 "
         "computed the kept-dims shape with reduced_shape's ops, once per graph and shape, TF 2.x in numpy",
         reduction_gradient_shape),
)
