"""TF 1.15's legacy feature columns (contrib/layers/python/layers/feature_column.py), the common ones.

Real-valued, bucketized, the four sparse id columns, weighted sparse, one-hot and embedding
columns: immutable namedtuples with TF 1.15's class names and fields (their `key`, the repr,
orders columns in input_from_feature_columns as TF 1.15 did), their parsing `config` and their
transformations. Crossed, scattered and shared embedding columns are not provided (compat/_moved.py).
"""

import collections
import math

from tensorflow.compat import v1 as tf
from tensorflow.python.ops import lookup_ops  # index_table_from_tensor/_file: TF 1.15's tables, not in tf.compat.v1

from compat.contrib.framework.variables import model_variable
from compat.contrib.layers.embedding_ops import safe_embedding_lookup_sparse
from compat.contrib.layers.feature_column_utils import dense_to_sparse_ignoring, inner_flatten, reshape_real_valued

__all__ = ["bucketized_column", "embedding_column", "one_hot_column", "real_valued_column",
           "sparse_column_with_hash_bucket", "sparse_column_with_integerized_feature", "sparse_column_with_keys",
           "sparse_column_with_vocabulary_file", "weighted_sparse_column"]


class FeatureColumnBase(object):
    """What every legacy column answers: name, key (the sort key), config (parse spec)."""

    @property
    def key(self):
        return "{}".format(self)

    def key_without(self, properties):
        fields = ["{}={}".format(k, v) for k, v in zip(self._fields, self) if k not in properties]
        return "{}({})".format(type(self).__name__, ", ".join(fields))

    def insert_transformed_feature(self, columns_to_tensors):
        raise NotImplementedError("Transform is not implemented for {}.".format(self))

    def dnn_input_layer(self, transformed, weight_collections=None, trainable=True, output_rank=2):
        """This column's block of input_from_feature_columns' output."""
        raise ValueError("{} is not supported in DNN. Please use embedding_column or one_hot_column. "
                         "column: {}".format(self.kind, self))

    @property
    def kind(self):
        return type(self).__name__.lstrip("_")


class _SparseIdLookupConfig(collections.namedtuple(
        "_SparseIdLookupConfig", ["vocabulary_file", "keys", "num_oov_buckets", "vocab_size", "default_value"])):
    def __new__(cls, vocabulary_file=None, keys=None, num_oov_buckets=0, vocab_size=None, default_value=-1):
        return super(_SparseIdLookupConfig, cls).__new__(cls, vocabulary_file, keys, num_oov_buckets, vocab_size,
                                                         default_value)


class _SparseColumn(FeatureColumnBase, collections.namedtuple(
        "_SparseColumn", ["column_name", "is_integerized", "bucket_size", "lookup_config", "combiner", "dtype"])):
    """Ids of a categorical feature: VarLenFeature(dtype) in, an id SparseTensor out."""

    def __new__(cls, column_name, is_integerized=False, bucket_size=None, lookup_config=None, combiner="sum",
                dtype=tf.string):
        if is_integerized and bucket_size is None:
            raise ValueError("bucket_size must be set if is_integerized is True. column_name: %s" % column_name)
        if is_integerized and not dtype.is_integer:
            raise ValueError("dtype must be an integer if is_integerized is True. dtype: {}, column_name: {}."
                             .format(dtype, column_name))
        if dtype != tf.string and not dtype.is_integer:
            raise ValueError("dtype must be string or integer. dtype: {}, column_name: {}".format(dtype, column_name))
        if (bucket_size is None) == (not lookup_config):
            raise ValueError("one and only one of bucket_size or lookup_config must be set. column_name: %s"
                             % column_name)
        if bucket_size is not None and bucket_size < 1:
            raise ValueError("bucket_size must be at least 1. bucket_size: {}, column_name: {}"
                             .format(bucket_size, column_name))
        return super(_SparseColumn, cls).__new__(cls, column_name, is_integerized, bucket_size, lookup_config,
                                                 combiner, dtype)

    kind = "SparseColumn"

    @property
    def name(self):
        return self.column_name

    @property
    def length(self):
        if self.bucket_size is not None:
            return self.bucket_size
        return self.lookup_config.vocab_size + self.lookup_config.num_oov_buckets

    @property
    def config(self):
        return {self.column_name: tf.VarLenFeature(self.dtype)}

    def id_tensor(self, transformed):
        return transformed

    def weight_tensor(self, transformed):
        return None

    def insert_transformed_feature(self, columns_to_tensors):
        tensor = columns_to_tensors[self.name]
        if not isinstance(tensor, tf.SparseTensor):  # dense ids: every entry but "" / -1 is an id
            tensor = reshape_real_valued(tensor, 2, self.name)
            tensor = dense_to_sparse_ignoring(tensor, "" if tensor.dtype == tf.string else -1)
        columns_to_tensors[self] = self.ids(tensor)

    def with_ids(self, sparse, values):
        return tf.SparseTensor(sparse.indices, values, sparse.dense_shape)


class _SparseColumnIntegerized(_SparseColumn):
    def ids(self, sparse):
        return self.with_ids(sparse, tf.mod(sparse.values, self.bucket_size, name="mod"))


class _SparseColumnHashed(_SparseColumn):
    def ids(self, sparse):
        values = tf.as_string(sparse.values) if self.dtype.is_integer else sparse.values
        return self.with_ids(sparse, tf.string_to_hash_bucket_fast(values, self.bucket_size, name="lookup"))


class _SparseColumnKeys(_SparseColumn):
    def ids(self, sparse):
        table = lookup_ops.index_table_from_tensor(vocabulary_list=tuple(self.lookup_config.keys),
                                                  default_value=self.lookup_config.default_value,
                                                  dtype=self.dtype, name="lookup")
        return table.lookup(sparse)


class _SparseColumnVocabulary(_SparseColumn):
    def ids(self, sparse):
        if self.dtype.is_integer:
            sparse = self.with_ids(sparse, tf.as_string(sparse.values))
        config = self.lookup_config
        table = lookup_ops.index_table_from_file(
            vocabulary_file=config.vocabulary_file, num_oov_buckets=config.num_oov_buckets,
            vocab_size=config.vocab_size, default_value=config.default_value, name=self.name + "_lookup")
        return table.lookup(sparse)


def sparse_column_with_integerized_feature(column_name, bucket_size, combiner="sum", dtype=tf.int64):
    """Integer ids, taken modulo bucket_size."""
    return _SparseColumnIntegerized(column_name, is_integerized=True, bucket_size=bucket_size, combiner=combiner,
                                    dtype=dtype)


def sparse_column_with_hash_bucket(column_name, hash_bucket_size, combiner="sum", dtype=tf.string, hash_keys=None):
    """Values hashed (fingerprint, as tf.string_to_hash_bucket_fast) into hash_bucket_size ids."""
    if hash_keys is not None:
        raise ValueError("compat: hash_keys (strong hashing into several ids) is not provided; "
                         "leave it None for TF 1.15's fast hash")
    return _SparseColumnHashed(column_name, bucket_size=hash_bucket_size, combiner=combiner, dtype=dtype)


def sparse_column_with_keys(column_name, keys, default_value=-1, combiner="sum", dtype=tf.string):
    """Values looked up in keys (id = position), others default_value."""
    keys = tuple(keys)
    return _SparseColumnKeys(column_name, lookup_config=_SparseIdLookupConfig(
        keys=keys, vocab_size=len(keys), default_value=default_value), combiner=combiner, dtype=dtype)


def sparse_column_with_vocabulary_file(column_name, vocabulary_file, num_oov_buckets=0, vocab_size=None,
                                       default_value=-1, combiner="sum", dtype=tf.string):
    """Values looked up in a one-per-line vocabulary file."""
    if vocab_size is None:
        raise ValueError("vocab_size should be defined. column_name: {}".format(column_name))
    return _SparseColumnVocabulary(column_name, lookup_config=_SparseIdLookupConfig(
        vocabulary_file=vocabulary_file, num_oov_buckets=num_oov_buckets, vocab_size=vocab_size,
        default_value=default_value), combiner=combiner, dtype=dtype)


class _SparseIdColumnUser(FeatureColumnBase):
    """A column over `self.sparse_id_column`: its length and parse spec, transformed from its ids."""

    name_suffix = None

    @property
    def name(self):
        return "{}_{}".format(self.sparse_id_column.name, self.name_suffix)

    @property
    def length(self):
        return self.sparse_id_column.length

    @property
    def config(self):
        return self.sparse_id_column.config

    def insert_transformed_feature(self, columns_to_tensors):
        if self.sparse_id_column not in columns_to_tensors:
            self.sparse_id_column.insert_transformed_feature(columns_to_tensors)
        columns_to_tensors[self] = self.transformed_from_ids(columns_to_tensors[self.sparse_id_column],
                                                             columns_to_tensors)

    def transformed_from_ids(self, ids, columns_to_tensors):
        return ids

    def flat_ids_and_weights(self, transformed, output_rank):
        """The ids flattened to output_rank and the weights (None without a weighted_sparse_column)."""
        ids = inner_flatten(self.sparse_id_column.id_tensor(transformed), output_rank)
        return ids, self.sparse_id_column.weight_tensor(transformed)


class _WeightedSparseColumn(_SparseIdColumnUser, collections.namedtuple(
        "_WeightedSparseColumn", ["sparse_id_column", "weight_column_name", "dtype"])):
    @property
    def name(self):
        return "{}_weighted_by_{}".format(self.sparse_id_column.name, self.weight_column_name)

    @property
    def combiner(self):
        return self.sparse_id_column.combiner

    @property
    def config(self):
        config = dict(self.sparse_id_column.config)
        config[self.weight_column_name] = tf.VarLenFeature(self.dtype)
        return config

    def id_tensor(self, transformed):
        return transformed[0]

    def weight_tensor(self, transformed):
        return transformed[1]

    def transformed_from_ids(self, ids, columns_to_tensors):
        weights = columns_to_tensors[self.weight_column_name]
        if not isinstance(weights, tf.SparseTensor):
            weights = dense_to_sparse_ignoring(weights, 0)
        if not self.dtype.is_floating:
            weights = tf.cast(weights, tf.float32)
        return ids, weights


def weighted_sparse_column(sparse_id_column, weight_column_name, dtype=tf.float32):
    """sparse_id_column's ids with the weights of feature weight_column_name."""
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError("dtype is not convertible to float. Given {}".format(dtype))
    return _WeightedSparseColumn(sparse_id_column, weight_column_name, dtype)


class _OneHotColumn(_SparseIdColumnUser, collections.namedtuple("_OneHotColumn", ["sparse_id_column"])):
    name_suffix = "one_hot"

    def dnn_input_layer(self, transformed, weight_collections=None, trainable=True, output_rank=2):
        """Multi-hot counts [batch, length] (weighted sums with a weighted_sparse_column)."""
        ids, weights = self.flat_ids_and_weights(transformed, output_rank)
        if weights is not None:
            merged = tf.sparse_merge(sp_ids=ids, sp_values=weights, vocab_size=self.length)
            merged = tf.sparse_slice(merged, tf.zeros_like(merged.dense_shape), merged.dense_shape)
            dense = tf.sparse_tensor_to_dense(merged)
            return tf.reshape(dense, tf.concat([tf.shape(dense)[:-1], [self.length]], axis=0))
        dense_ids = tf.sparse_tensor_to_dense(ids, default_value=-1)
        one_hot = tf.one_hot(dense_ids, depth=self.length, on_value=1.0, off_value=0.0)
        return tf.reduce_sum(one_hot, axis=[output_rank - 1])


def one_hot_column(sparse_id_column):
    """sparse_id_column as a multi-hot input block."""
    return _OneHotColumn(sparse_id_column)


class _EmbeddingColumn(_SparseIdColumnUser, collections.namedtuple("_EmbeddingColumn", [
        "sparse_id_column", "dimension", "combiner", "initializer", "ckpt_to_load_from", "tensor_name_in_ckpt",
        "shared_embedding_name", "shared_vocab_size", "max_norm", "trainable"])):
    name_suffix = "embedding"

    @property
    def key(self):
        return self.key_without(["initializer"])

    def dnn_input_layer(self, transformed, weight_collections=None, trainable=True, output_rank=2):
        """The combined embeddings of each example's ids, weights `<scope>/weights` [length, dimension]."""
        ids, weights = self.flat_ids_and_weights(transformed, output_rank)
        if weights is not None:
            weights = inner_flatten(weights, output_rank)
        embeddings = model_variable(name="weights", shape=[self.length, self.dimension], dtype=tf.float32,
                                    initializer=self.initializer, trainable=trainable and self.trainable,
                                    collections=weight_collections)
        if self.ckpt_to_load_from is not None:
            tf.train.init_from_checkpoint(self.ckpt_to_load_from, {self.tensor_name_in_ckpt: embeddings})
        return safe_embedding_lookup_sparse([embeddings], ids, sparse_weights=weights, combiner=self.combiner,
                                            name=self.name + "weights", max_norm=self.max_norm)


def embedding_column(sparse_id_column, dimension, combiner="mean", initializer=None, ckpt_to_load_from=None,
                     tensor_name_in_ckpt=None, max_norm=None, trainable=True):
    """sparse_id_column's ids embedded (default initializer: truncated normal, stddev 1/sqrt(length))."""
    if initializer is not None and not callable(initializer):
        raise ValueError("initializer must be callable if specified. Embedding of column_name: {}"
                         .format(sparse_id_column.name))
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError("Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or none of them.")
    if initializer is None:
        initializer = tf.truncated_normal_initializer(mean=0.0, stddev=1 / math.sqrt(sparse_id_column.length))
    return _EmbeddingColumn(sparse_id_column, dimension, combiner, initializer, ckpt_to_load_from,
                            tensor_name_in_ckpt, None, None, max_norm, trainable)


class _RealValuedColumn(FeatureColumnBase, collections.namedtuple(
        "_RealValuedColumn", ["column_name", "dimension", "default_value", "dtype", "normalizer"])):
    @property
    def name(self):
        return self.column_name

    @property
    def key(self):
        return self.key_without(["normalizer"])

    @property
    def config(self):
        default = None if self.default_value is None else list(self.default_value)
        return {self.column_name: tf.FixedLenFeature([self.dimension], self.dtype, default)}

    def insert_transformed_feature(self, columns_to_tensors):
        tensor = columns_to_tensors[self.name]
        if self.normalizer is not None:
            tensor = self.normalizer(tensor)
        columns_to_tensors[self] = tf.cast(tensor, tf.float32)

    def dnn_input_layer(self, transformed, weight_collections=None, trainable=True, output_rank=2):
        if transformed.dtype != tf.float32:
            transformed = tf.cast(transformed, tf.float32)
        return reshape_real_valued(transformed, output_rank, self.name)


def real_valued_column(column_name, dimension=1, default_value=None, dtype=tf.float32, normalizer=None):
    """A dense feature of `dimension` values (FixedLenFeature([dimension], dtype, default_value))."""
    if not isinstance(dimension, int) or isinstance(dimension, bool):
        raise TypeError("dimension must be an integer. dimension: {}, column_name: {}".format(dimension, column_name))
    if dimension < 1:
        raise ValueError("dimension must be greater than 0. dimension: {}, column_name: {}"
                         .format(dimension, column_name))
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError("dtype must be convertible to float. dtype: {}, column_name: {}".format(dtype, column_name))
    if default_value is not None:
        values = default_value if isinstance(default_value, list) else [default_value] * dimension
        if len(values) != dimension:
            raise ValueError("The length of default_value must be equal to dimension. default_value: {}, "
                             "dimension: {}, column_name: {}".format(default_value, dimension, column_name))
        all_int = all(isinstance(v, int) for v in values)
        if all_int and dtype.is_integer:
            default_value = tuple(values)
        elif (all_int or all(isinstance(v, (int, float)) for v in values)) and dtype.is_floating:
            default_value = tuple(float(v) for v in values)
        else:
            raise TypeError("default_value must be compatible with dtype. default_value: {}, dtype: {}, "
                            "column_name: {}".format(default_value, dtype, column_name))
    return _RealValuedColumn(column_name, dimension, default_value, dtype, normalizer)


class _BucketizedColumn(FeatureColumnBase, collections.namedtuple("_BucketizedColumn",
                                                                  ["source_column", "boundaries"])):
    @property
    def name(self):
        return "{}_bucketized".format(self.source_column.name)

    @property
    def length(self):
        return len(self.boundaries) + 1

    @property
    def config(self):
        return self.source_column.config

    def insert_transformed_feature(self, columns_to_tensors):
        if self.source_column not in columns_to_tensors:
            self.source_column.insert_transformed_feature(columns_to_tensors)
        columns_to_tensors[self] = tf.raw_ops.Bucketize(
            input=columns_to_tensors[self.source_column], boundaries=[float(b) for b in self.boundaries],
            name="bucketize")

    def dnn_input_layer(self, transformed, weight_collections=None, trainable=True, output_rank=2):
        if output_rank != 2:
            raise ValueError("BucketizedColumn currently only supports output_rank=2")
        one_hot = tf.one_hot(tf.cast(transformed, tf.int64), self.length, 1., 0., name="one_hot")
        return tf.reshape(one_hot, [-1, self.length * self.source_column.dimension], name="reshape")


def bucketized_column(source_column, boundaries):
    """source_column's values as bucket ids (len(boundaries) + 1 buckets), one-hot in a DNN input."""
    if not isinstance(source_column, _RealValuedColumn):
        raise TypeError("source_column must be an instance of _RealValuedColumn. source_column: {}"
                        .format(source_column))
    if not isinstance(boundaries, (list, tuple)) or not boundaries:
        raise ValueError("boundaries must be a non-empty list or tuple. boundaries: {}".format(boundaries))
    if any(later < earlier for earlier, later in zip(boundaries, boundaries[1:])):
        raise ValueError("boundaries must be a sorted list. boundaries: {}".format(boundaries))
    unique = [b for i, b in enumerate(boundaries) if i == 0 or b != boundaries[i - 1]]
    return _BucketizedColumn(source_column, tuple(unique))
