"""tf.contrib.seq2seq models as TF 1.x tutorials build them: TF 1.15's variable names, a training
and an inference decoder sharing variables through reuse=True (the NMT and "sort the letters"
tutorials' pattern), their checkpoint and meta graph restored; the package's names; bad input."""

import numpy as np
import pytest

import compat.v1 as tf
from conftest import TF1
from parity_cases import seq2seq_decoders as parity  # the parity model, built the same way

s2s = tf.contrib.seq2seq
GO, EOS, VOCAB, EMBED, UNITS = 1, 2, 7, 4, 5

DECODING_NAMES = [
    "BasicDecoder", "BasicDecoderOutput", "BeamSearchDecoder", "BeamSearchDecoderOutput", "BeamSearchDecoderState",
    "CustomHelper", "Decoder", "FinalBeamSearchDecoderOutput", "GreedyEmbeddingHelper", "Helper", "InferenceHelper",
    "SampleEmbeddingHelper", "ScheduledEmbeddingTrainingHelper", "ScheduledOutputTrainingHelper", "TrainingHelper",
    "dynamic_decode", "gather_tree", "sequence_loss", "tile_batch",
]


def test_parity_model_has_tf115_variable_names(graph):
    embedding, state, cell, projection, target, lengths = parity.encoder_decoder_parts()
    helper = s2s.TrainingHelper(tf.nn.embedding_lookup(embedding, parity.decoder_inputs(target)), lengths)
    s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, state, output_layer=projection))
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == ["decoder/basic_lstm_cell/bias", "decoder/basic_lstm_cell/kernel", "decoder/dense/kernel",
                     "embedding", "encoder/rnn/basic_lstm_cell/bias", "encoder/rnn/basic_lstm_cell/kernel"]


def letters_model(batch_size):
    """The "sort the letters" tutorial's decoder: both decoders in scope "decode", the second with
    reuse=True, impute_finished, maximum_iterations from a placeholder of lengths."""
    source = tf.placeholder(tf.int32, [None, None], name="inputs")
    targets = tf.placeholder(tf.int32, [None, None], name="targets")
    lengths = tf.placeholder(tf.int32, [None], name="target_sequence_length")
    max_length = tf.reduce_max(lengths)
    embeddings = tf.get_variable("embeddings", [VOCAB, EMBED])
    _, state = tf.nn.dynamic_rnn(tf.contrib.rnn.LSTMCell(UNITS), tf.nn.embedding_lookup(embeddings, source),
                                 dtype=tf.float32, scope="encoder")
    cell = tf.contrib.rnn.LSTMCell(UNITS)
    projection = tf.layers.Dense(VOCAB, name="projection")
    decoder_inputs = tf.concat([tf.fill([batch_size, 1], GO), targets[:, :-1]], 1)
    with tf.variable_scope("decode"):
        helper = s2s.TrainingHelper(tf.nn.embedding_lookup(embeddings, decoder_inputs), lengths)
        train, _, _ = s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, state, projection), impute_finished=True,
                                         maximum_iterations=max_length)
    with tf.variable_scope("decode", reuse=True):
        helper = s2s.GreedyEmbeddingHelper(embeddings, tf.fill([batch_size], GO), EOS)
        infer, _, _ = s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, state, projection), impute_finished=True,
                                         maximum_iterations=max_length)
    loss = s2s.sequence_loss(train.rnn_output, targets, tf.sequence_mask(lengths, max_length, dtype=tf.float32))
    tf.identity(infer.sample_id, name="predictions")
    return loss, {source: [[3, 4, 5], [6, 5, 3]], targets: [[3, 4, 2], [5, 6, 2]], lengths: [3, 3]}


@pytest.fixture(scope="module")
def trained_letters(tmp_path_factory):
    """Two Adam steps of the letters model, saved with its meta graph; the predictions before saving."""
    folder = tmp_path_factory.mktemp("letters")
    with tf.Graph().as_default():
        tf.set_random_seed(3)
        loss, feed = letters_model(batch_size=2)
        train_op = tf.train.AdamOptimizer(0.05).minimize(loss)
        names = sorted(v.op.name for v in tf.trainable_variables())
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            losses = [session.run([loss, train_op], feed)[0] for _ in range(2)]
            predictions = session.run("predictions:0", {k.name: v for k, v in feed.items()})
            tf.train.Saver().save(session, str(folder / "model.ckpt"))
    feed_by_name = {k.name: v for k, v in feed.items()}
    return {"folder": folder, "names": names, "losses": losses, "predictions": predictions, "feed": feed_by_name}


def test_reused_decoder_creates_no_variables_of_its_own(trained_letters):
    assert trained_letters["names"] == [
        "decode/decoder/lstm_cell/bias", "decode/decoder/lstm_cell/kernel", "decode/decoder/projection/bias",
        "decode/decoder/projection/kernel", "embeddings", "encoder/lstm_cell/bias", "encoder/lstm_cell/kernel"]
    assert trained_letters["losses"][1] < trained_letters["losses"][0]


def test_inference_graph_restores_the_training_checkpoint(trained_letters):
    """A separate graph (as at inference time) restores the checkpoint by name: same predictions."""
    with tf.Graph().as_default():
        letters_model(batch_size=2)
        with tf.Session() as session:
            tf.train.Saver().restore(session, str(trained_letters["folder"] / "model.ckpt"))
            predictions = session.run("predictions:0", trained_letters["feed"])
    np.testing.assert_array_equal(predictions, trained_letters["predictions"])


def test_meta_graph_import_runs_the_saved_decoder(trained_letters):
    """The tutorial's inference: import_meta_graph, restore, fetch 'predictions:0' (while loops included)."""
    checkpoint = str(trained_letters["folder"] / "model.ckpt")
    with tf.Graph().as_default() as graph, tf.Session(graph=graph) as session:
        tf.train.import_meta_graph(checkpoint + ".meta").restore(session, checkpoint)
        predictions = session.run("predictions:0", trained_letters["feed"])
    np.testing.assert_array_equal(predictions, trained_letters["predictions"])


def test_package_exports_tf115_names():
    missing = [name for name in DECODING_NAMES if not hasattr(s2s, name)]
    assert missing == []
    with pytest.raises(AttributeError):
        s2s.NoSuchDecoder  # noqa: B018


@pytest.mark.skipif(TF1, reason="compat's refusal: TF 1.15 ignored these keywords for a Decoder")
def test_dynamic_decode_refuses_keywords_it_would_ignore(graph):
    from compat.errors import NotProvidedError

    cell = tf.nn.rnn_cell.BasicRNNCell(3)
    helper = s2s.GreedyEmbeddingHelper(np.eye(3, dtype=np.float32), [0, 0], 1)
    decoder = s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32))
    with pytest.raises(NotProvidedError, match=r"dynamic_decode\(decoder_init_input=\.\.\.\)"):
        s2s.dynamic_decode(decoder, decoder_init_input=None)


def test_bad_arguments_raise_tf115_errors(graph):
    cell = tf.nn.rnn_cell.BasicRNNCell(3)
    helper = s2s.GreedyEmbeddingHelper(np.eye(3, dtype=np.float32), [0, 0], 1)
    with pytest.raises(TypeError, match="helper must be a Helper"):
        s2s.BasicDecoder(cell, "greedy", cell.zero_state(2, tf.float32))
    with pytest.raises(TypeError, match="output_layer must be a Layer"):
        s2s.BasicDecoder(cell, helper, cell.zero_state(2, tf.float32), output_layer=lambda x: x)
    with pytest.raises(TypeError, match="is not an RNNCell"):
        s2s.BasicDecoder(object(), helper, None)
    with pytest.raises(TypeError, match="Expected decoder to be type Decoder"):
        s2s.dynamic_decode(cell)
    with pytest.raises(ValueError, match="start_tokens must be a vector"):
        s2s.GreedyEmbeddingHelper(np.eye(3, dtype=np.float32), [[0, 0]], 1)
    with pytest.raises(ValueError, match="end_token must be a scalar"):
        s2s.BeamSearchDecoder(cell, np.eye(3, dtype=np.float32), [0, 0], [1], cell.zero_state(6, tf.float32), 3)
