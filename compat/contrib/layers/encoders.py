"""tf.contrib.layers' encoders (TF 1.15: contrib/layers/python/layers/encoders.py): an
`EmbedSequence/embeddings` (or `bow_encoder/embeddings`) model variable and a lookup."""

from tensorflow.compat import v1 as tf

from compat.contrib.framework.variables import model_variable
from compat.contrib.layers.embedding_ops import embedding_lookup_unique, safe_embedding_lookup_sparse

__all__ = ["bow_encoder", "embed_sequence"]


def bow_encoder(ids, vocab_size, embed_dim, sparse_lookup=True, initializer=None, regularizer=None,
                trainable=True, scope=None, reuse=None):
    """[batch, doc_length] ids -> [batch, embed_dim]: the mean of their embeddings (id 0 is
    padding with sparse_lookup, whose dense ids go through dense_to_sparse_tensor)."""
    if not vocab_size or not embed_dim:
        raise ValueError("Must specify vocab size and embedding dimension")
    with tf.variable_scope(scope, "bow_encoder", [ids], reuse=reuse):
        embeddings = model_variable("embeddings", shape=[vocab_size, embed_dim], initializer=initializer,
                                    regularizer=regularizer, trainable=trainable)
        if sparse_lookup:
            if isinstance(ids, tf.SparseTensor):
                sparse_ids = ids
            else:
                # TF 1.15's sparse_ops.dense_to_sparse_tensor: every id but 0 (the padding id).
                ids = tf.convert_to_tensor(ids)
                indices = tf.where(tf.not_equal(ids, tf.constant(0, ids.dtype)))
                sparse_ids = tf.SparseTensor(indices, tf.gather_nd(ids, indices), tf.shape(ids, out_type=tf.int64))
            return safe_embedding_lookup_sparse([embeddings], sparse_ids, combiner="mean", default_id=0)
        if isinstance(ids, tf.SparseTensor):
            raise TypeError("ids are expected to be dense Tensor, got: %s" % ids)
        return tf.reduce_mean(tf.nn.embedding_lookup(embeddings, ids), axis=1)


def embed_sequence(ids, vocab_size=None, embed_dim=None, unique=False, initializer=None, regularizer=None,
                   trainable=True, scope=None, reuse=None):
    """[batch, doc_length] ids -> [batch, doc_length, embed_dim], from the model variable
    `<scope, default EmbedSequence>/embeddings` [vocab_size, embed_dim]."""
    if not (reuse or (vocab_size and embed_dim)):
        raise ValueError("Must specify vocab size and embedding dimension when not reusing. Got vocab_size=%s "
                         "and embed_dim=%s" % (vocab_size, embed_dim))
    with tf.variable_scope(scope, "EmbedSequence", [ids], reuse=reuse):
        shape = [vocab_size, embed_dim]
        if reuse and vocab_size is None or embed_dim is None:  # TF 1.15's precedence, kept
            shape = None
        embeddings = model_variable("embeddings", shape=shape, initializer=initializer, regularizer=regularizer,
                                    trainable=trainable)
        if unique:
            return embedding_lookup_unique(embeddings, ids)
        return tf.nn.embedding_lookup(embeddings, ids)
