"""tf.contrib.lookup: every name builds a table (or is the base class of one) and maps keys as
TF 1.15 did: from tensors, from vocabulary files, with hash buckets, mutable tables, HashTable's
shared_name / init / export and the deprecated string_to_index / index_to_string helpers."""

import numpy as np
import pytest

from conftest import tf

WORDS = ["emerson", "lake", "palmer"]
QUERY = ["emerson", "lake", "and", "palmer"]


@pytest.fixture(scope="module")
def vocab_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("lookup") / "vocab.txt"
    path.write_text("".join("%s\t%d\n" % (word, 10 * (i + 1)) for i, word in enumerate(WORDS)))
    return str(path)


@pytest.fixture(scope="module")
def results(vocab_file):
    lookup = tf.contrib.lookup
    graph = tf.Graph()
    with graph.as_default():
        query = tf.constant(QUERY)
        ids = tf.constant([1, 5, 0], tf.int64)
        pairs = lookup.KeyValueTensorInitializer(tf.constant(WORDS), tf.constant([7, 8, 9], tf.int64))
        table = lookup.HashTable(pairs, -1)
        whole_line = lookup.TextFileInitializer(vocab_file, tf.string, lookup.TextFileIndex.WHOLE_LINE, tf.int64,
                                                lookup.TextFileIndex.LINE_NUMBER, delimiter=" ")
        mutable = lookup.MutableHashTable(tf.string, tf.int64, -1)
        dense = lookup.MutableDenseHashTable(tf.int64, tf.int64, default_value=-1, empty_key=0, deleted_key=-7)
        hashed = lookup.IdTableWithHashBuckets(lookup.HashTable(pairs, -1), 4, hasher_spec=lookup.StrongHashSpec([1, 2]))
        fetches = {
            "hash_table": table.lookup(query), "size": table.size(), "export": table.export(),
            "name": tf.constant(table.name),
            "index_table_from_tensor": lookup.index_table_from_tensor(mapping=WORDS, num_oov_buckets=1).lookup(query),
            "fast_bucket": tf.strings.to_hash_bucket_fast(["and"], 1) + 3,
            "string_to_index_table_from_tensor": lookup.string_to_index_table_from_tensor(WORDS).lookup(query),
            "string_to_index": lookup.string_to_index(query, mapping=tf.constant(WORDS)),
            "index_to_string_table_from_tensor":
                lookup.index_to_string_table_from_tensor(mapping=WORDS, default_value="UNKNOWN").lookup(ids),
            "index_to_string": lookup.index_to_string(ids, mapping=WORDS),
            "index_table_from_file": lookup.index_table_from_file(vocab_file, num_oov_buckets=2,
                                                                 key_column_index=0, delimiter="\t").lookup(query),
            "string_to_index_table_from_file": lookup.string_to_index_table_from_file(
                vocab_file, default_value=-2).lookup(query),
            "index_to_string_table_from_file": lookup.index_to_string_table_from_file(
                vocab_file, value_column_index=lookup.TextFileIndex.WHOLE_LINE).lookup(ids),
            "text_file_initializer": lookup.HashTable(whole_line, -1).lookup(tf.constant(["lake\t20"])),
            "text_file_id": lookup.HashTable(lookup.TextFileIdTableInitializer(vocab_file, key_column_index=0,
                                                                               delimiter="\t"), -1).lookup(query),
            "text_file_string": lookup.HashTable(lookup.TextFileStringTableInitializer(
                vocab_file, key_column_index=lookup.TextFileIndex.LINE_NUMBER, value_column_index=1,
                delimiter="\t"), "?").lookup(ids),
            "id_with_buckets": hashed.lookup(query),
            "strong_bucket": tf.strings.to_hash_bucket_strong(["and"], 4, [1, 2]) + 3,
        }
        with tf.control_dependencies([mutable.insert(tf.constant(["x", "y"]), tf.constant([1, 2], tf.int64))]):
            fetches["mutable"] = mutable.lookup(tf.constant(["y", "z"]))
        with tf.control_dependencies([dense.insert(tf.constant([3, 4], tf.int64), tf.constant([30, 40], tf.int64))]):
            removed = dense.remove(tf.constant([3], tf.int64))
        with tf.control_dependencies([removed]):
            fetches["dense"] = dense.lookup(tf.constant([3, 4, 5], tf.int64))
        with tf.Session() as session:
            session.run(table.init)
            session.run(tf.tables_initializer())
            out = session.run(fetches)
    return out


def test_hash_table_init_lookup_export(results):
    assert results["hash_table"].tolist() == [7, 8, -1, 9] and results["size"] == 3
    keys, values = results["export"]
    assert sorted(zip(keys.tolist(), values.tolist())) == [(b"emerson", 7), (b"lake", 8), (b"palmer", 9)]
    assert results["name"] == b"hash_table"


def test_hash_tables_with_one_shared_name_are_one_table():
    """TF 1.15's shared_name: filling the first table fills the second, which is never initialised."""
    lookup = tf.contrib.lookup
    with tf.Graph().as_default():
        first = lookup.HashTable(lookup.KeyValueTensorInitializer(["a"], [1]), 0, shared_name="shared_t")
        second = lookup.HashTable(lookup.KeyValueTensorInitializer(["b"], [2]), 0, shared_name="shared_t")
        unshared = lookup.HashTable(lookup.KeyValueTensorInitializer(["a"], [1]), 0)
        with tf.Session() as session:
            session.run(first.init)
            assert session.run(second.lookup(tf.constant(["a", "b"]))).tolist() == [1, 0]
            with pytest.raises(tf.errors.FailedPreconditionError):
                session.run(unshared.lookup(tf.constant(["a"])))


def test_index_tables_from_tensors(results):
    assert results["index_table_from_tensor"].tolist() == [0, 1, results["fast_bucket"][0], 2]
    assert results["string_to_index_table_from_tensor"].tolist() == [0, 1, -1, 2]
    assert results["string_to_index"].tolist() == [0, 1, -1, 2]
    assert results["index_to_string_table_from_tensor"].tolist() == [b"lake", b"UNKNOWN", b"emerson"]
    assert results["index_to_string"].tolist() == [b"lake", b"UNK", b"emerson"]


def test_tables_from_vocabulary_files(results):
    file_ids = results["index_table_from_file"].tolist()
    assert file_ids[:2] == [0, 1] and file_ids[3] == 2 and file_ids[2] in (3, 4)
    assert results["string_to_index_table_from_file"].tolist() == [-2, -2, -2, -2]  # whole lines are keys
    assert results["index_to_string_table_from_file"].tolist() == [b"lake\t20", b"UNK", b"emerson\t10"]
    assert results["text_file_initializer"].tolist() == [1]
    assert results["text_file_id"].tolist() == [0, 1, -1, 2]
    assert results["text_file_string"].tolist() == [b"20", b"?", b"10"]


def test_hash_buckets_and_hasher_specs(results):
    assert results["id_with_buckets"].tolist() == [7, 8, results["strong_bucket"][0], 9]
    lookup = tf.contrib.lookup
    assert isinstance(lookup.FastHashSpec, lookup.HasherSpec) and lookup.FastHashSpec.hasher == "fasthash"
    assert lookup.StrongHashSpec([1, 2]).hasher == "stronghash"
    with pytest.raises(ValueError):
        lookup.StrongHashSpec([1])


def test_mutable_tables(results):
    assert results["mutable"].tolist() == [2, -1]
    assert results["dense"].tolist() == [-1, 40, -1]


def test_class_hierarchy():
    lookup = tf.contrib.lookup
    assert issubclass(lookup.HashTable, lookup.InitializableLookupTableBase)
    assert issubclass(lookup.InitializableLookupTableBase, lookup.LookupInterface)
    assert issubclass(lookup.MutableHashTable, lookup.LookupInterface)
    for initializer in (lookup.KeyValueTensorInitializer, lookup.TextFileInitializer,
                        lookup.TextFileIdTableInitializer, lookup.TextFileStringTableInitializer):
        assert issubclass(initializer, lookup.TableInitializerBase)


def test_mapping_is_required():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="mapping must be specified"):
            tf.contrib.lookup.index_table_from_tensor(None)
        with pytest.raises(ValueError, match="requires string"):
            tf.contrib.lookup.string_to_index_table_from_tensor([1, 2])
