"""The decoders of tf.contrib.legacy_seq2seq: plain, embedding, attention, embedding + attention.

Each builds TF 1.15's variables in TF 1.15's order under TF 1.15's scopes (`rnn_decoder`,
`attention_decoder/AttnW_0`, `.../Attention_0/kernel`, `.../AttnOutputProjection/bias`, ...),
so TF 1.15 checkpoints restore into them. A `loop_function(prev_output, step)` replaces every
decoder input after the first (greedy decoding, or scheduled sampling in training).
"""

from tensorflow.compat import v1 as tf

from compat.contrib.rnn.core_rnn_cell import Linear

__all__ = ["attention_decoder", "embedding_attention_decoder", "embedding_rnn_decoder", "rnn_decoder"]


def argmax_and_embed(embedding, output_projection=None, update_embedding=True):
    """A loop_function feeding back the embedding of the previous output's argmax symbol (after
    `prev @ W + B` when output_projection is (W, B)); no gradient into the embedding if
    update_embedding is False."""

    def loop_function(prev, _):
        if output_projection is not None:
            prev = tf.nn.xw_plus_b(prev, output_projection[0], output_projection[1])
        previous_symbol = tf.argmax(prev, 1)
        embedded = tf.nn.embedding_lookup(embedding, previous_symbol)
        if not update_embedding:
            embedded = tf.stop_gradient(embedded)
        return embedded

    return loop_function


def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    """Run `cell` over decoder_inputs (a list, or any iterable: it is read one step at a time)
    from initial_state; returns (outputs, final state)."""
    with tf.variable_scope(scope or "rnn_decoder"):
        state = initial_state
        outputs = []
        prev = None
        for i, inp in enumerate(decoder_inputs):
            if loop_function is not None and prev is not None:
                with tf.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            if i > 0:
                tf.get_variable_scope().reuse_variables()
            output, state = cell(inp, state)
            outputs.append(output)
            if loop_function is not None:
                prev = output
    return outputs, state


def check_output_projection(output_projection, num_symbols, dtype):
    """ValueError unless output_projection's W is [?, num_symbols] and B is [num_symbols]."""
    weights = tf.convert_to_tensor(output_projection[0], dtype=dtype)
    weights.get_shape().assert_is_compatible_with([None, num_symbols])
    biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
    biases.get_shape().assert_is_compatible_with([num_symbols])


def embedding_rnn_decoder(decoder_inputs, initial_state, cell, num_symbols, embedding_size,
                          output_projection=None, feed_previous=False, update_embedding_for_previous=True,
                          scope=None):
    """rnn_decoder on embedded symbols (variable `embedding` [num_symbols, embedding_size]); with
    feed_previous, greedy decoding from the first ("GO") symbol."""
    with tf.variable_scope(scope or "embedding_rnn_decoder") as scope:
        if output_projection is not None:
            check_output_projection(output_projection, num_symbols, scope.dtype)
        embedding = tf.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = argmax_and_embed(embedding, output_projection,
                                         update_embedding_for_previous) if feed_previous else None
        # A generator, as in TF 1.15: each lookup is built in rnn_decoder's scope, step by step.
        embedded_inputs = (tf.nn.embedding_lookup(embedding, symbols) for symbols in decoder_inputs)
        return rnn_decoder(embedded_inputs, initial_state, cell, loop_function=loop_function)


class _Attention(object):
    """The attention heads over attention_states [batch, length, size]: per head a 1x1
    convolution `AttnW_<h>` of the states and a vector `AttnV_<h>`; reading with a query builds
    `Attention_<h>/kernel|bias` and returns one [batch, size] context vector per head."""

    def __init__(self, attention_states, num_heads, dtype):
        self.dtype = dtype
        self.num_heads = num_heads
        self.length = tf.dimension_value(attention_states.get_shape()[1])
        if self.length is None:
            self.length = tf.shape(attention_states)[1]
        self.size = tf.dimension_value(attention_states.get_shape()[2])
        self.hidden = tf.reshape(attention_states, [-1, self.length, 1, self.size])
        self.vector_size = self.size  # the query's projection size
        self.hidden_features = []
        self.v = []
        for head in range(num_heads):
            kernel = tf.get_variable("AttnW_%d" % head, [1, 1, self.size, self.vector_size], dtype=dtype)
            self.hidden_features.append(tf.nn.conv2d(self.hidden, kernel, [1, 1, 1, 1], "SAME"))
            self.v.append(tf.get_variable("AttnV_%d" % head, [self.vector_size], dtype=dtype))

    def __call__(self, query):
        """One context vector [batch, size] per head, read with `query` (the decoder state)."""
        if tf.nest.is_nested(query):  # an LSTM state tuple, say: one flat query
            query_list = tf.nest.flatten(query)
            for part in query_list:
                ndims = part.get_shape().ndims
                if ndims:
                    assert ndims == 2
            query = tf.concat(query_list, 1)
        reads = []
        for head in range(self.num_heads):
            with tf.variable_scope("Attention_%d" % head):
                y = Linear(query, self.vector_size, True)(query)
                y = tf.reshape(y, [-1, 1, 1, self.vector_size])
                y = tf.cast(y, self.dtype)
                scores = tf.reduce_sum(self.v[head] * tf.tanh(self.hidden_features[head] + y), [2, 3])
                # The softmax runs in float32 whatever the model's dtype, as in TF 1.15.
                weights = tf.cast(tf.nn.softmax(tf.cast(scores, dtype=tf.float32)), self.dtype)
                read = tf.reduce_sum(tf.reshape(weights, [-1, self.length, 1, 1]) * self.hidden, [1, 2])
                reads.append(tf.reshape(read, [-1, self.size]))
        return reads


def attention_decoder(decoder_inputs, initial_state, attention_states, cell, output_size=None, num_heads=1,
                      loop_function=None, dtype=None, scope=None, initial_state_attention=False):
    """RNN decoder attending to attention_states [batch, length, size] (Bahdanau-style,
    arXiv:1412.7449): each step runs the cell on Linear(input, previous reads), reads the states
    with the new cell state, and outputs Linear(cell output, reads) of output_size (default
    cell.output_size). Returns (outputs, final state)."""
    if not decoder_inputs:
        raise ValueError("Must provide at least 1 input to attention decoder.")
    if num_heads < 1:
        raise ValueError("With less than 1 heads, use a non-attention decoder.")
    if tf.dimension_value(attention_states.get_shape()[2]) is None:
        raise ValueError("Shape[2] of attention_states must be known: %s" % attention_states.get_shape())
    if output_size is None:
        output_size = cell.output_size

    with tf.variable_scope(scope or "attention_decoder", dtype=dtype) as scope:
        dtype = scope.dtype
        batch_size = tf.shape(decoder_inputs[0])[0]
        attention = _Attention(attention_states, num_heads, dtype)
        state = initial_state
        outputs = []
        prev = None
        batch_attention_size = tf.stack([batch_size, attention.size])
        reads = [tf.zeros(batch_attention_size, dtype=dtype) for _ in range(num_heads)]
        for read in reads:  # the zeros' static width, which Linear needs
            read.set_shape([None, attention.size])
        if initial_state_attention:
            reads = attention(initial_state)
        for i, inp in enumerate(decoder_inputs):
            if i > 0:
                tf.get_variable_scope().reuse_variables()
            if loop_function is not None and prev is not None:
                with tf.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            input_size = tf.dimension_value(inp.get_shape().with_rank(2)[1])
            if input_size is None:
                raise ValueError("Could not infer input size from input: %s" % inp.name)
            inputs = [tf.cast(e, dtype) for e in [inp] + reads]
            x = Linear(inputs, input_size, True)(inputs)
            cell_output, state = cell(x, state)
            if i == 0 and initial_state_attention:
                # The heads' variables exist already (built reading the initial state).
                with tf.variable_scope(tf.get_variable_scope(), reuse=True):
                    reads = attention(state)
            else:
                reads = attention(state)
            with tf.variable_scope("AttnOutputProjection"):
                cell_output = tf.cast(cell_output, dtype)
                inputs = [cell_output] + reads
                output = Linear(inputs, output_size, True)(inputs)
            if loop_function is not None:
                prev = output
            outputs.append(output)
    return outputs, state


def embedding_attention_decoder(decoder_inputs, initial_state, attention_states, cell, num_symbols,
                                embedding_size, num_heads=1, output_size=None, output_projection=None,
                                feed_previous=False, update_embedding_for_previous=True, dtype=None,
                                scope=None, initial_state_attention=False):
    """attention_decoder on embedded symbols (variable `embedding` [num_symbols, embedding_size]);
    with feed_previous, greedy decoding from the first ("GO") symbol."""
    if output_size is None:
        output_size = cell.output_size
    if output_projection is not None:
        biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
        biases.get_shape().assert_is_compatible_with([num_symbols])

    with tf.variable_scope(scope or "embedding_attention_decoder", dtype=dtype):
        embedding = tf.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = argmax_and_embed(embedding, output_projection,
                                         update_embedding_for_previous) if feed_previous else None
        embedded_inputs = [tf.nn.embedding_lookup(embedding, symbols) for symbols in decoder_inputs]
        return attention_decoder(embedded_inputs, initial_state, attention_states, cell,
                                 output_size=output_size, num_heads=num_heads, loop_function=loop_function,
                                 initial_state_attention=initial_state_attention)
