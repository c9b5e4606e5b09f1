"""tf.contrib.layers' legacy feature columns as in TF 1.15: parse specs, placeholders, id
transforms (keys, vocabulary file, hash buckets, integerized, weighted), the DNN input blocks
(one-hot, embedding, real-valued, bucketized) against numpy, names, order and checks."""

import numpy as np
import pytest

from conftest import tf

layers = tf.contrib.layers


def run_with_tables(session, fetches):
    session.run([tf.global_variables_initializer(), tf.tables_initializer()])
    return session.run(fetches)


def test_parse_spec_and_placeholders(graph):
    color = layers.sparse_column_with_keys("color", ["red", "green"])
    age = layers.real_valued_column("age", dimension=2, default_value=3)
    columns = [layers.embedding_column(color, 4), layers.bucketized_column(age, [0.0, 1.0]),
               layers.weighted_sparse_column(layers.sparse_column_with_integerized_feature("ids", 9), "w")]
    spec = layers.create_feature_spec_for_parsing(columns)
    assert spec == {"color": tf.VarLenFeature(tf.string), "ids": tf.VarLenFeature(tf.int64),
                    "w": tf.VarLenFeature(tf.float32), "age": tf.FixedLenFeature([2], tf.float32, [3.0, 3.0])}
    placeholders = layers.make_place_holder_tensors_for_base_features(columns)
    assert isinstance(placeholders["color"], tf.SparseTensor)
    assert placeholders["age"].shape.as_list() == [None, 2] and placeholders["age"].op.name == "Placeholder_age"


def test_column_names_lengths_and_checks():
    color = layers.sparse_column_with_keys("color", ["red", "green", "blue"])
    assert (color.name, color.length, color.combiner) == ("color", 3, "sum")
    assert layers.embedding_column(color, 2).name == "color_embedding"
    assert layers.one_hot_column(color).name == "color_one_hot"
    assert layers.weighted_sparse_column(color, "w").name == "color_weighted_by_w"
    assert layers.bucketized_column(layers.real_valued_column("h"), [1, 1, 2]).boundaries == (1, 2)
    assert layers.sparse_column_with_vocabulary_file("v", "f.txt", num_oov_buckets=2, vocab_size=5).length == 7
    layers.check_feature_columns([color, layers.one_hot_column(color)])
    with pytest.raises(ValueError, match="Duplicate feature column key"):
        layers.check_feature_columns([color, layers.sparse_column_with_keys("color", ["red", "green", "blue"])])
    with pytest.raises(ValueError, match="found dict"):
        layers.check_feature_columns({"a": color})
    with pytest.raises(ValueError, match="boundaries must be a sorted list"):
        layers.bucketized_column(layers.real_valued_column("h"), [2, 1])
    with pytest.raises(TypeError, match="default_value must be compatible with dtype"):
        layers.real_valued_column("n", dtype=tf.int64, default_value=0.5)
    with pytest.raises(ValueError, match="vocab_size should be defined"):
        layers.sparse_column_with_vocabulary_file("v", "f.txt")


def test_id_transforms(session, tmp_path):
    vocabulary = tmp_path / "vocab.txt"
    vocabulary.write_text(u"red\ngreen\nblue\n")
    by_keys = layers.sparse_column_with_keys("color", ["red", "green", "blue"])
    by_file = layers.sparse_column_with_vocabulary_file("color", str(vocabulary), num_oov_buckets=1, vocab_size=3)
    hashed = layers.sparse_column_with_hash_bucket("color", 10)
    integerized = layers.sparse_column_with_integerized_feature("n", 4)
    weighted = layers.weighted_sparse_column(integerized, "n_weight", dtype=tf.int32)
    colors = [["red", "purple"], ["blue", ""]]  # dense: "" is no value
    features = {"color": tf.constant(colors), "n": tf.constant([[5, 2], [-1, 11]], tf.int64),
                "n_weight": tf.constant([[2, 3], [0, 4]])}
    transformed = layers.transform_features(features, [by_keys, hashed, weighted])
    assert set(transformed) == {by_keys, hashed, weighted}
    with_file = layers.transform_features(features, [by_file])[by_file]
    ids, file_ids, hashes, (n_ids, n_weights) = run_with_tables(
        session, [transformed[by_keys], with_file, transformed[hashed], transformed[weighted]])
    np.testing.assert_array_equal(ids.indices, [[0, 0], [0, 1], [1, 0]])
    np.testing.assert_array_equal(ids.values, [0, -1, 2])
    np.testing.assert_array_equal(file_ids.values[[0, 2]], [0, 2])
    assert file_ids.values[1] == 3  # the one out-of-vocabulary bucket
    expected_hashes = session.run(tf.string_to_hash_bucket_fast(["red", "purple", "blue"], 10))
    np.testing.assert_array_equal(hashes.values, expected_hashes)
    np.testing.assert_array_equal(n_ids.values, [1, 2, 3])  # -1 dropped, the rest mod 4
    assert n_weights.values.dtype == np.float32
    np.testing.assert_array_equal(n_weights.values, [2.0, 3.0, 4.0])  # zeros dropped


def test_input_layer_blocks_against_numpy(session):
    color = layers.sparse_column_with_keys("color", ["red", "green", "blue"])
    ids = layers.sparse_column_with_integerized_feature("ids", 4)
    weighted = layers.weighted_sparse_column(ids, "ids_weight")
    columns = [layers.real_valued_column("age", dimension=2, normalizer=lambda x: x * 10.0),
               layers.embedding_column(color, 3), layers.one_hot_column(color),
               layers.bucketized_column(layers.real_valued_column("height"), [1.0, 2.0]),
               layers.one_hot_column(weighted), layers.embedding_column(weighted, 2, combiner="sqrtn")]
    features = {
        "color": tf.SparseTensor([[0, 0], [1, 0], [1, 1]], ["red", "blue", "green"], [2, 2]),
        "ids": tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([1, 3, 1], tf.int64), [2, 2]),
        "ids_weight": tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [0.5, 2.0, 3.0], [2, 2]),
        "age": tf.constant([[1.0, 2.0], [3.0, 4.0]]), "height": tf.constant([[0.5], [2.5]])}
    blocks = {}
    net = layers.input_from_feature_columns(features, columns, scope="input", cols_to_outs=blocks)
    assert [(v.op.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("input/color_embedding/weights", [3, 3]), ("input/ids_weighted_by_ids_weight_embedding/weights", [4, 2])]
    assert tf.get_collection(tf.GraphKeys.MODEL_VARIABLES) == tf.global_variables()
    # TF 1.15 sorts the columns by key (class name first): bucketized, embeddings, one-hots, real
    order = ["height_bucketized", "color_embedding", "ids_weighted_by_ids_weight_embedding", "color_one_hot",
             "ids_weighted_by_ids_weight_one_hot", "age"]
    widths = [3, 3, 2, 3, 4, 2]
    assert sorted(c.name for c in blocks) == sorted(order) and net.shape.as_list()[1] == sum(widths)
    values, color_table, ids_table = run_with_tables(session, [net] + tf.global_variables())
    expected = np.concatenate([
        [[1, 0, 0], [0, 0, 1]],                                                   # height buckets
        [color_table[0], (color_table[2] + color_table[1]) / 2],                 # mean embeddings
        [(0.5 * ids_table[1] + 2 * ids_table[3]) / np.sqrt(0.25 + 4), ids_table[1]],  # sqrtn
        [[1, 0, 0], [0, 1, 1]],                                                   # multi-hot
        [[0, 0.5, 0, 2], [0, 3, 0, 0]],                                           # weighted one-hot
        [[10, 20], [30, 40]]], axis=1)                                            # normalized
    np.testing.assert_allclose(values, expected, rtol=1e-5)
    start = 0
    for name, width in zip(order, widths):
        block = next(b for c, b in blocks.items() if c.name == name)
        np.testing.assert_allclose(session.run(block), values[:, start:start + width], rtol=1e-6)
        start += width


def test_embedding_defaults_and_sparse_column_in_dnn(graph):
    color = layers.sparse_column_with_keys("color", ["a", "b", "c", "d"])
    embedding = layers.embedding_column(color, 5)
    assert embedding.combiner == "mean" and embedding.initializer.stddev == pytest.approx(0.5)  # 1/sqrt(4)
    with pytest.raises(ValueError, match="SparseColumn is not supported in DNN"):
        layers.input_from_feature_columns({"color": tf.constant([["a"]])}, [color])

