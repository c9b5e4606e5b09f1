"""tf.layers.conv2d_transpose, contrib.layers.conv2d_transpose (tf_keras's Conv2DTranspose): TF 1.15
sliced every spatial size out of tf.shape(inputs) and computed the output size on tensors; TF 2.x
uses the static size where it is known, one Const in the output shape's stack. Noted as the layer
builds its output shape (the ops alone cannot tell the layer from a hand-made conv2d_transpose).
Conv3DTranspose slices on both (nothing to count)."""

import functools

from compat.seeds import graph_count

_SLICE = 4  # strided_slice of the input's shape: begin, end, strides Consts and the StridedSlice


def output_size_ops(padding, output_padding):
    """Ops TF 1.15's conv_utils.deconv_output_length made on a tensor size: a Const and an op per
    arithmetic step (`size * stride`, `+ max(kernel - stride, 0)` for valid, `- (stride + kernel
    - 2)` for full; `(size - 1) * stride + kernel - 2 * pad + output_padding` with an output_padding)."""
    if output_padding is not None:
        return 10
    return 2 if padding == "same" else 4


def tf115_extra_ops(layer, inputs):
    """What TF 1.15 made more for the layer's output shape: per spatial size TF 2.x knew
    statically, the slice and the size's arithmetic, less the Const TF 2.x stacked instead."""
    if inputs.shape.rank is None:
        return 0
    dims = inputs.shape.as_list()
    spatial = dims[2:4] if layer.data_format == "channels_first" else dims[1:3]
    paddings = layer.output_padding if layer.output_padding is not None else (None, None)
    return sum(_SLICE + output_size_ops(layer.padding, output_padding) - 1
               for size, output_padding in zip(spatial, paddings) if size is not None)


def noting_output_shape(call, ops, context):
    """Wrap Conv2DTranspose.call: note TF 1.15's more ops on the output shape's Pack (counted by
    rule.noted, as the Pack is read). Same signature as `call`: Keras reads it to decide which
    arguments (training, mask) to pass."""
    @functools.wraps(call)
    def call_noting_output_shape(self, inputs):
        if context.executing_eagerly():
            return call(self, inputs)
        graph = ops.get_default_graph()
        before = len(graph.get_operations())
        outputs = call(self, inputs)
        extra = tf115_extra_ops(self, inputs)
        stack = next((op for op in graph.get_operations()[before:] if op.type == "Pack"), None)
        if extra and stack is not None:
            graph_count.note(graph, stack.name, extra)
        return outputs

    return call_noting_output_shape


def install(ops, context):
    """Note, as each Conv2DTranspose layer builds its output shape, what TF 1.15 made more."""
    from tf_keras.src.layers.convolutional.conv2d_transpose import Conv2DTranspose

    Conv2DTranspose.call = noting_output_shape(Conv2DTranspose.call, ops, context)

