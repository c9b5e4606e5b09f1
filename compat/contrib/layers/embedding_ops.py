"""tf.contrib.layers' embedding lookups (TF 1.15: contrib/layers/python/layers/embedding_ops.py).

safe_embedding_lookup_sparse is core tf.nn.safe_embedding_lookup_sparse (TF 1.15 copied contrib's
into core; same pruning, default ids and op structure) with contrib's combiner default;
embedding_lookup_unique looks each distinct id up once.
"""

from tensorflow.compat import v1 as tf

__all__ = ["embedding_lookup_unique", "safe_embedding_lookup_sparse"]


def safe_embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights=None, combiner=None,
                                 default_id=None, name=None, partition_strategy="div", max_norm=None):
    """Embeddings of sparse ids, combined per row ("mean", "sqrtn" or "sum"); ids < 0 (and
    weights <= 0 unless "sum") are dropped, and empty rows get `default_id`'s embedding or zeros."""
    if combiner is None:
        tf.logging.warn('The default value of combiner will change from "mean" to "sqrtn" after 2016/11/01.')
        combiner = "mean"
    if embedding_weights is None:
        raise ValueError("Missing embedding_weights %s." % embedding_weights)
    return tf.nn.safe_embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights=sparse_weights,
                                              combiner=combiner, default_id=default_id, name=name,
                                              partition_strategy=partition_strategy, max_norm=max_norm)


def embedding_lookup_unique(params, ids, partition_strategy="mod", name=None):
    """tf.nn.embedding_lookup, each distinct id looked up once (then gathered back)."""
    with tf.name_scope(name, "EmbeddingLookupUnique", [params, ids]):
        ids = tf.convert_to_tensor(ids)
        shape = tf.shape(ids)
        ids_flat = tf.reshape(ids, tf.reduce_prod(shape, keepdims=True))
        unique_ids, index = tf.unique(ids_flat)
        unique_embeddings = tf.nn.embedding_lookup(params, unique_ids, partition_strategy)
        embeds_flat = tf.gather(unique_embeddings, index)
        embed_shape = tf.concat([shape, tf.shape(unique_embeddings)[1:]], 0)
        embeds = tf.reshape(embeds_flat, embed_shape)
        embeds.set_shape(ids.get_shape().concatenate(unique_embeddings.get_shape()[1:]))
        return embeds
