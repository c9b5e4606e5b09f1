"""tf.contrib.lookup's tables against TF 1.15: ids from tensors and vocabulary files (with hash
buckets for unknown words, fast and strong), strings from ids, mutable tables."""

import os
import tempfile

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("lookup")

WORDS = ["emerson", "lake", "palmer", "yes", "genesis"]
WORDS_SEEN = ["lake", "and", "palmer", "rush", "yes", "kansas", "emerson", ""]


def vocabulary_file():
    folder = tempfile.mkdtemp(prefix="compat_lookup_")
    path = os.path.join(folder, "vocab.txt")
    with open(path, "w") as f:
        f.write("".join("%s %d\n" % (word, len(word)) for word in WORDS))
    return path


def initialized_lookup(table, keys):
    """table.lookup(keys) after filling the table in the same run (the parity runner initialises
    variables only)."""
    with tf.control_dependencies([table.initializer]):
        found = table.lookup(keys)
    if found.dtype == tf.string:  # recorded as code points: the golden file holds no object arrays
        return tf.strings.unicode_decode(found, "UTF-8").to_tensor(default_value=-1)
    return found


@cases.case
def index_tables():
    lookup = tf.contrib.lookup
    seen = tf.constant(WORDS_SEEN)
    ids = tf.constant([4, 0, 7, -1, 2], tf.int64)
    path = vocabulary_file()
    tables = {
        "from_tensor_buckets": (lookup.index_table_from_tensor(mapping=WORDS, num_oov_buckets=3), seen),
        "from_file_buckets": (lookup.index_table_from_file(path, num_oov_buckets=4, key_column_index=0,
                                                           value_column_index=lookup.TextFileIndex.LINE_NUMBER,
                                                           delimiter=" "), seen),
        "strong_buckets": (lookup.IdTableWithHashBuckets(
            lookup.HashTable(lookup.KeyValueTensorInitializer(WORDS, tf.range(5, dtype=tf.int64)), -1), 6,
            hasher_spec=lookup.StrongHashSpec([7, 11])), seen),
        "string_to_index_table": (lookup.string_to_index_table_from_tensor(WORDS, default_value=-5), seen),
        "to_string": (lookup.index_to_string_table_from_tensor(mapping=WORDS, default_value="?"), ids),
        "to_string_from_file": (lookup.index_to_string_table_from_file(
            path, key_column_index=lookup.TextFileIndex.LINE_NUMBER, value_column_index=0, delimiter=" "), ids),
        "lengths_from_file": (lookup.HashTable(lookup.TextFileInitializer(
            path, tf.string, 0, tf.int64, 1, delimiter=" "), -1), seen),
    }
    return Spec({name: initialized_lookup(table, keys) for name, (table, keys) in tables.items()})



@cases.case
def ragged_ids_to_dense():
    """Ids of ragged sentences made dense: RaggedTensor.to_tensor over int32 and int64 row splits,
    ragged rank 1 and 2, with a default, without, and a scalar default for embedded ids (TF 1.15
    broadcast it); then a random op seeded from the graph's op count."""
    table = tf.contrib.lookup.index_table_from_tensor(mapping=WORDS, num_oov_buckets=1)
    with tf.control_dependencies([table.initializer]):
        ids = table.lookup(tf.constant(WORDS_SEEN))
    splits = [0, 3, 3, 8]
    sentences = tf.RaggedTensor.from_row_splits(ids, tf.constant(splits, tf.int32), validate=False)
    paragraphs = tf.RaggedTensor.from_nested_row_splits(
        ids, [tf.constant([0, 2, 3], tf.int64), tf.constant(splits, tf.int64)], validate=False)
    embedding = tf.constant([[0.1 * i, -0.2 * i] for i in range(len(WORDS) + 1)])
    embedded = tf.RaggedTensor.from_row_splits(tf.gather(embedding, ids), tf.constant(splits, tf.int64),
                                               validate=False)
    return Spec({"sentences": sentences.to_tensor(default_value=-1), "paragraphs": paragraphs.to_tensor(),
                 "embedded": embedded.to_tensor(0.5), "noise": tf.random_uniform([3])})

@cases.case
def mutable_tables():
    lookup = tf.contrib.lookup
    table = lookup.MutableHashTable(tf.string, tf.float32, default_value=-1.0)
    dense = lookup.MutableDenseHashTable(tf.int64, tf.float32, default_value=0.5, empty_key=-1, deleted_key=-2)
    insert = tf.group(table.insert(tf.constant(WORDS), tf.constant([1.5, 2.5, 3.5, 4.5, 5.5])),
                      dense.insert(tf.constant([3, 9, 27], tf.int64), tf.constant([0.1, 0.2, 0.3])))
    with tf.control_dependencies([insert]):
        found = table.lookup(tf.constant(WORDS_SEEN))
        dense_found = dense.lookup(tf.constant([27, 4, 3], tf.int64))
        size = table.size()
    with tf.control_dependencies([found]):
        _, values = table.export()
    return Spec({"found": found, "dense_found": dense_found, "size": size, "exported": tf.sort(values)})
