"""model_with_buckets: one seq2seq model per (input length, output length) bucket, shared variables."""

from tensorflow.compat import v1 as tf

from compat.contrib.legacy_seq2seq.losses import call_by_keyword, weighted_loss, weighted_loss_by_example

__all__ = ["model_with_buckets"]


def bucketed_models(encoder_inputs, decoder_inputs, targets, weights, buckets, seq2seq, softmax_loss_function,
                    per_example_loss, name, call_loss):
    """model_with_buckets, with the convention `call_loss(fn, logit, target)` for a custom loss."""
    if len(encoder_inputs) < buckets[-1][0]:
        raise ValueError("Length of encoder_inputs (%d) must be at least that of last bucket (%d)."
                         % (len(encoder_inputs), buckets[-1][0]))
    if len(targets) < buckets[-1][1]:
        raise ValueError("Length of targets (%d) must be at least that of last bucket (%d)."
                         % (len(targets), buckets[-1][1]))
    if len(weights) < buckets[-1][1]:
        raise ValueError("Length of weights (%d) must be at least that of last bucket (%d)."
                         % (len(weights), buckets[-1][1]))

    all_inputs = encoder_inputs + decoder_inputs + targets + weights
    losses = []
    outputs = []
    with tf.name_scope(name, "model_with_buckets", all_inputs):
        for j, (input_length, output_length) in enumerate(buckets):
            # The first bucket creates the variables, every later one reuses them.
            with tf.variable_scope(tf.get_variable_scope(), reuse=True if j > 0 else None):
                bucket_outputs, _ = seq2seq(encoder_inputs[:input_length], decoder_inputs[:output_length])
                outputs.append(bucket_outputs)
                bucket_targets, bucket_weights = targets[:output_length], weights[:output_length]
                if per_example_loss:
                    losses.append(weighted_loss_by_example(bucket_outputs, bucket_targets, bucket_weights, True,
                                                           softmax_loss_function, None, call_loss))
                else:
                    losses.append(weighted_loss(bucket_outputs, bucket_targets, bucket_weights, True, True,
                                                softmax_loss_function, None, call_loss))
    return outputs, losses


def model_with_buckets(encoder_inputs, decoder_inputs, targets, weights, buckets, seq2seq,
                       softmax_loss_function=None, per_example_loss=False, name=None):
    """seq2seq(encoder_inputs[:in], decoder_inputs[:out]) for each bucket (in, out), and its
    sequence loss (per example if per_example_loss); returns (outputs, losses), one per bucket."""
    return bucketed_models(encoder_inputs, decoder_inputs, targets, weights, buckets, seq2seq,
                           softmax_loss_function, per_example_loss, name, call_by_keyword)
