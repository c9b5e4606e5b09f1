"""tf.layers / contrib.layers convolutions: TF 1.15 made a `dilation_rate` Const that TF 2.x leaves out
for undilated ones. Noted as the layer convolves (the ops alone cannot tell a Keras layer from a
hand-made tf.nn.convolution, which builds the same ops on both)."""

import functools
import sys

from compat.seeds import graph_count


def _called_by_a_keras_conv_layer(frame, depth=12):
    while frame is not None and depth:
        if frame.f_code.co_name == "convolution_op" and "tf_keras" in frame.f_code.co_filename:
            return True
        frame, depth = frame.f_back, depth - 1
    return False


def noting_dilation_rate(convolution_internal, ops, context):
    """TF 1.15's Keras convolution layers (under tf.layers and contrib.layers) convolved through
    nn_ops.Convolution, which made a `dilation_rate` Const; TF 2.x's through tf.nn.convolution,
    which makes one only for dilated convolutions."""
    @functools.wraps(convolution_internal)
    def convolution(*args, **kwargs):
        if context.executing_eagerly() or not _called_by_a_keras_conv_layer(sys._getframe(1)):
            return convolution_internal(*args, **kwargs)
        graph = ops.get_default_graph()
        before = len(graph.get_operations())
        outputs = convolution_internal(*args, **kwargs)
        made = graph.get_operations()[before:]
        if made and not any(op.name.endswith("/dilation_rate") for op in made):
            graph_count.note(graph, made[-1].name, 1)
        return outputs

    return convolution


def install(ops, context):
    """Note, as each Keras convolution layer convolves, what TF 1.15 made more."""
    from tensorflow.python.ops import nn_ops

    nn_ops.convolution_internal = noting_dilation_rate(nn_ops.convolution_internal, ops, context)
