"""The encoder-decoder models of tf.contrib.legacy_seq2seq, built as TF 1.15 built them.

An encoder (static_rnn over a deep copy of the cell, or the cell itself when tied) gives the
decoder its initial state. feed_previous may be a Python bool (one decoder) or a boolean scalar
tensor: then the decoder is built twice under tf.cond, first feeding back its own outputs
(creating the variables), then reading decoder_inputs (reusing them), as in TF 1.15.
"""

import copy

from tensorflow.compat import v1 as tf

from compat.contrib.legacy_seq2seq.decoders import (argmax_and_embed, check_output_projection,
                                                    embedding_attention_decoder, embedding_rnn_decoder,
                                                    rnn_decoder)
from compat.contrib.rnn.core_rnn_cell import EmbeddingWrapper, OutputProjectionWrapper, RNNCell

__all__ = ["basic_rnn_seq2seq", "embedding_attention_seq2seq", "embedding_rnn_seq2seq",
           "embedding_tied_rnn_seq2seq", "one2many_rnn_seq2seq", "tied_rnn_seq2seq"]


def _decode_under_cond(feed_previous, build_decoder, num_outputs):
    """tf.cond(feed_previous) between build_decoder(True) and build_decoder(False): returns
    (outputs, the final state flattened to a list)."""

    def branch(feed_previous_bool):
        reuse = None if feed_previous_bool else True  # the True branch creates the variables
        with tf.variable_scope(tf.get_variable_scope(), reuse=reuse):
            outputs, state = build_decoder(feed_previous_bool)
            state_list = tf.nest.flatten(state) if tf.nest.is_nested(state) else [state]
            return outputs + state_list

    outputs_and_state = tf.cond(feed_previous, lambda: branch(True), lambda: branch(False))
    return outputs_and_state[:num_outputs], outputs_and_state[num_outputs:]


def _packed(state_list, structure):
    """The flat state list packed like `structure` when that is nested (an LSTMStateTuple, ...)."""
    if tf.nest.is_nested(structure):
        return tf.nest.pack_sequence_as(structure=structure, flat_sequence=state_list)
    return state_list[0]


def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=tf.float32, scope=None):
    """Encode with a copy of `cell` (own variables), decode with `cell` from the final state."""
    with tf.variable_scope(scope or "basic_rnn_seq2seq"):
        encoder_cell = copy.deepcopy(cell)
        _, encoder_state = tf.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        return rnn_decoder(decoder_inputs, encoder_state, cell)


def tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, loop_function=None, dtype=tf.float32, scope=None):
    """Encoder and decoder share `cell` and its variables (scope `combined_tied_rnn_seq2seq/<scope>`)."""
    with tf.variable_scope("combined_tied_rnn_seq2seq"):
        scope = scope or "tied_rnn_seq2seq"
        _, encoder_state = tf.nn.static_rnn(cell, encoder_inputs, dtype=dtype, scope=scope)
        tf.get_variable_scope().reuse_variables()
        return rnn_decoder(decoder_inputs, encoder_state, cell, loop_function=loop_function, scope=scope)


def embedding_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols, num_decoder_symbols,
                          embedding_size, output_projection=None, feed_previous=False, dtype=None, scope=None):
    """Embedded symbols in, an embedding_rnn_decoder out; without output_projection the decoder
    cell is wrapped in an OutputProjectionWrapper to num_decoder_symbols logits."""
    with tf.variable_scope(scope or "embedding_rnn_seq2seq") as scope:
        if dtype is not None:
            scope.set_dtype(dtype)
        else:
            dtype = scope.dtype
        encoder_cell = EmbeddingWrapper(copy.deepcopy(cell), embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        _, encoder_state = tf.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)

        if isinstance(feed_previous, bool):
            return embedding_rnn_decoder(decoder_inputs, encoder_state, cell, num_decoder_symbols, embedding_size,
                                         output_projection=output_projection, feed_previous=feed_previous)

        def build_decoder(feed_previous_bool):
            return embedding_rnn_decoder(decoder_inputs, encoder_state, cell, num_decoder_symbols, embedding_size,
                                         output_projection=output_projection, feed_previous=feed_previous_bool,
                                         update_embedding_for_previous=False)

        outputs, state_list = _decode_under_cond(feed_previous, build_decoder, len(decoder_inputs))
        return outputs, _packed(state_list, encoder_state)


def embedding_tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_symbols, embedding_size,
                               num_decoder_symbols=None, output_projection=None, feed_previous=False, dtype=None,
                               scope=None):
    """tied_rnn_seq2seq on symbols embedded by one shared `embedding` [num_symbols, embedding_size];
    outputs over num_decoder_symbols (default num_symbols)."""
    with tf.variable_scope(scope or "embedding_tied_rnn_seq2seq", dtype=dtype) as scope:
        dtype = scope.dtype
        if output_projection is not None:
            check_output_projection(output_projection, num_symbols, dtype)
        embedding = tf.get_variable("embedding", [num_symbols, embedding_size], dtype=dtype)
        embedded_encoder_inputs = [tf.nn.embedding_lookup(embedding, x) for x in encoder_inputs]
        embedded_decoder_inputs = [tf.nn.embedding_lookup(embedding, x) for x in decoder_inputs]
        output_symbols = num_symbols if num_decoder_symbols is None else num_decoder_symbols
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, output_symbols)

        if isinstance(feed_previous, bool):
            loop_function = argmax_and_embed(embedding, output_projection, True) if feed_previous else None
            return tied_rnn_seq2seq(embedded_encoder_inputs, embedded_decoder_inputs, cell,
                                    loop_function=loop_function, dtype=dtype)

        def build_decoder(feed_previous_bool):
            loop_function = argmax_and_embed(embedding, output_projection, False) if feed_previous_bool else None
            return tied_rnn_seq2seq(embedded_encoder_inputs, embedded_decoder_inputs, cell,
                                    loop_function=loop_function, dtype=dtype)

        def zero_state():
            # TF 1.15 packs the state like the cell's zero state (built here, after the cond).
            static_batch_size = tf.dimension_at_index(encoder_inputs[0].get_shape(), 0)
            for inp in encoder_inputs[1:]:
                static_batch_size.merge_with(tf.dimension_at_index(inp.get_shape(), 0))  # raises if they differ
            batch_size = static_batch_size.value
            if batch_size is None:
                batch_size = tf.shape(encoder_inputs[0])[0]
            return cell.zero_state(batch_size, dtype)

        outputs, state_list = _decode_under_cond(feed_previous, build_decoder, len(decoder_inputs))
        return outputs, _packed(state_list, zero_state())


def embedding_attention_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols, num_decoder_symbols,
                                embedding_size, num_heads=1, output_projection=None, feed_previous=False,
                                dtype=None, scope=None, initial_state_attention=False):
    """embedding_rnn_seq2seq with an attention decoder reading all encoder outputs (the translate
    tutorial's model); without output_projection the outputs are num_decoder_symbols logits."""
    with tf.variable_scope(scope or "embedding_attention_seq2seq", dtype=dtype) as scope:
        dtype = scope.dtype
        encoder_cell = EmbeddingWrapper(copy.deepcopy(cell), embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        encoder_outputs, encoder_state = tf.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        top_states = [tf.reshape(e, [-1, 1, cell.output_size]) for e in encoder_outputs]
        attention_states = tf.concat(top_states, 1)
        output_size = None
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)
            output_size = num_decoder_symbols

        def build_decoder(feed_previous_bool, update_embedding_for_previous=False):
            return embedding_attention_decoder(
                decoder_inputs, encoder_state, attention_states, cell, num_decoder_symbols, embedding_size,
                num_heads=num_heads, output_size=output_size, output_projection=output_projection,
                feed_previous=feed_previous_bool, update_embedding_for_previous=update_embedding_for_previous,
                initial_state_attention=initial_state_attention)

        if isinstance(feed_previous, bool):
            return build_decoder(feed_previous, update_embedding_for_previous=True)
        outputs, state_list = _decode_under_cond(feed_previous, build_decoder, len(decoder_inputs))
        return outputs, _packed(state_list, encoder_state)


def one2many_rnn_seq2seq(encoder_inputs, decoder_inputs_dict, enc_cell, dec_cells_dict, num_encoder_symbols,
                         num_decoder_symbols_dict, embedding_size, feed_previous=False, dtype=None, scope=None):
    """One embedding encoder, one embedding_rnn_decoder per name of decoder_inputs_dict (scope
    `one2many_decoder_<name>`); returns ({name: outputs}, {name: state})."""
    outputs_dict = {}
    state_dict = {}
    if not isinstance(enc_cell, RNNCell):
        raise TypeError("enc_cell is not an RNNCell: %s" % type(enc_cell))
    if set(dec_cells_dict) != set(decoder_inputs_dict):
        raise ValueError("keys of dec_cells_dict != keys of decodre_inputs_dict")  # sic, TF 1.15's text
    for dec_cell in dec_cells_dict.values():
        if not isinstance(dec_cell, RNNCell):
            raise TypeError("dec_cell is not an RNNCell: %s" % type(dec_cell))

    with tf.variable_scope(scope or "one2many_rnn_seq2seq", dtype=dtype) as scope:
        dtype = scope.dtype
        enc_cell = EmbeddingWrapper(enc_cell, embedding_classes=num_encoder_symbols, embedding_size=embedding_size)
        _, encoder_state = tf.nn.static_rnn(enc_cell, encoder_inputs, dtype=dtype)

        for name, decoder_inputs in decoder_inputs_dict.items():
            num_decoder_symbols = num_decoder_symbols_dict[name]
            with tf.variable_scope("one2many_decoder_" + str(name)):
                dec_cell = OutputProjectionWrapper(dec_cells_dict[name], num_decoder_symbols)

                def build_decoder(feed_previous_bool, decoder_inputs=decoder_inputs, dec_cell=dec_cell,
                                  num_decoder_symbols=num_decoder_symbols):
                    return embedding_rnn_decoder(decoder_inputs, encoder_state, dec_cell, num_decoder_symbols,
                                                 embedding_size, feed_previous=feed_previous_bool)

                if isinstance(feed_previous, bool):
                    outputs, state = build_decoder(feed_previous)
                else:
                    outputs, state_list = _decode_under_cond(feed_previous, build_decoder, len(decoder_inputs))
                    state = _packed(state_list, encoder_state)
            outputs_dict[name] = outputs
            state_dict[name] = state
    return outputs_dict, state_dict
