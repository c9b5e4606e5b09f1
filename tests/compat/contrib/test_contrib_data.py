"""tf.contrib.data: each of its names, as TF 1.15 had it, on a tiny dataset read to the end
through a one-shot iterator (what TF 1.x graph code did)."""

import sqlite3

import numpy as np
import pytest

from conftest import tf
from not_provided import assert_left_out_with_reason

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def read(dataset, limit=50):
    """Every element of `dataset` (at most `limit`), as numpy values, in a fresh session."""
    next_element = tf.data.make_one_shot_iterator(dataset).get_next()
    values = []
    with tf.Session() as session:
        for _ in range(limit):
            try:
                values.append(session.run(next_element))
            except tf.errors.OutOfRangeError:
                break
    return values


def lists(values):
    return [np.asarray(v).tolist() for v in values]


@pytest.fixture(autouse=True)
def fresh_graph():
    with tf.Graph().as_default() as graph:
        tf.set_random_seed(1)
        yield graph



def contrib():
    return tf.contrib.data


def test_autotune_counter_enumerate_scan_unique_unbatch():
    d = contrib()
    assert d.AUTOTUNE == -1
    assert lists(read(d.Counter(start=2, step=3).take(3))) == [2, 5, 8]
    r = tf.data.Dataset.from_tensor_slices(tf.constant([5, 6]))
    assert [(int(i), int(v)) for i, v in read(r.apply(d.enumerate_dataset(start=1)))] == [(1, 5), (2, 6)]
    running = r.apply(d.scan(tf.constant(0), lambda total, x: (total + x, total + x)))
    assert lists(read(running)) == [5, 11]
    repeated = tf.data.Dataset.from_tensor_slices(tf.constant([3, 1, 3, 2, 1]))
    assert lists(read(repeated.apply(d.unique()))) == [3, 1, 2]
    assert lists(read(tf.data.Dataset.from_tensors(tf.constant([[1, 2], [3, 4]])).apply(d.unbatch()))) == [
        [1, 2], [3, 4]]


def test_batching_with_dropped_remainder():
    d = contrib()
    numbers = tf.data.Dataset.range(5)
    assert lists(read(numbers.apply(d.batch_and_drop_remainder(2)))) == [[0, 1], [2, 3]]
    ragged = numbers.map(lambda n: tf.fill([n + 1], n))
    padded = read(ragged.apply(d.padded_batch_and_drop_remainder(2, [None])))
    assert lists(padded) == [[[0, 0], [1, 1]], [[2, 2, 2, 0], [3, 3, 3, 3]]]
    batched = numbers.apply(d.map_and_batch(lambda n: n * 10, 2, drop_remainder=True))
    assert lists(read(batched)) == [[0, 10], [20, 30]]
    sparse = read(ragged.apply(d.dense_to_sparse_batch(2, [5])))
    assert sparse[0].indices.tolist() == [[0, 0], [1, 0], [1, 1]] and sparse[0].dense_shape.tolist() == [2, 5]
    assert sparse[2].values.tolist() == [4] * 5


def test_assert_element_shape():
    d = contrib()
    unknown = tf.data.Dataset.from_tensors(tf.placeholder_with_default(tf.constant([1, 2, 3]), [None]))
    checked = unknown.apply(d.assert_element_shape(tf.TensorShape([3])))
    assert tf.data.get_output_shapes(checked).as_list() == [3]
    assert lists(read(checked)) == [[1, 2, 3]]
    with pytest.raises(tf.errors.InvalidArgumentError):
        read(unknown.apply(d.assert_element_shape(tf.TensorShape([4]))))
    with pytest.raises(ValueError):
        tf.data.Dataset.from_tensors(tf.constant([1, 2, 3])).apply(d.assert_element_shape(tf.TensorShape([2])))


def test_sliding_window_batch():
    d = contrib()
    numbers = tf.data.Dataset.range(7)
    assert lists(read(numbers.apply(d.sliding_window_batch(3, window_shift=2)))) == [[0, 1, 2], [2, 3, 4], [4, 5, 6]]
    assert lists(read(numbers.apply(d.sliding_window_batch(3, stride=3)))) == [[0, 1, 2], [3, 4, 5]]
    assert lists(read(numbers.apply(d.sliding_window_batch(2, window_stride=3)))) == [
        [0, 3], [1, 4], [2, 5], [3, 6]]
    with pytest.raises(ValueError, match="both"):
        d.sliding_window_batch(2, stride=1, window_shift=1)


def test_grouping():
    d = contrib()
    numbers = tf.data.Dataset.range(7)
    windows = numbers.apply(d.group_by_window(lambda n: n % 2, lambda key, w: w.batch(2), window_size=2))
    assert sorted(lists(read(windows))) == [[0, 2], [1, 3], [4, 6], [5]]
    reducer = d.Reducer(lambda key: tf.constant(0, tf.int64), lambda total, n: total + n, lambda total: total * 10)
    assert sorted(lists(read(numbers.apply(d.group_by_reducer(lambda n: n % 2, reducer))))) == [90, 120]
    # TF 1.15's reduce_dataset leaves out finalize_func.
    with tf.Session() as session:
        assert session.run(d.reduce_dataset(numbers, reducer)) == 21
    with pytest.raises(TypeError):
        d.reduce_dataset([1, 2], reducer)


def test_bucket_by_sequence_length_batches_by_length():
    lengths = [1, 5, 2, 6, 3, 7, 2, 9]
    sequences = tf.data.Dataset.from_tensor_slices(tf.constant(lengths, tf.int64)).map(lambda n: tf.fill([n], n))
    bucketed = sequences.apply(tf.contrib.data.bucket_by_sequence_length(
        lambda s: tf.shape(s)[0], bucket_boundaries=[3, 6], bucket_batch_sizes=[2, 2, 2]))
    batches = [[int(row[0]) for row in batch] for batch in read(bucketed)]
    # buckets: [0, 3), [3, 6), [6, inf); a batch is emitted once its bucket holds 2.
    assert batches == [[1, 2], [5, 3], [6, 7], [2], [9]]
    padded = read(bucketed)[1]
    assert padded.shape == (2, 5) and padded[1].tolist() == [3, 3, 3, 0, 0]


def test_sampling_and_choosing():
    d = contrib()
    a, b = tf.data.Dataset.from_tensors(tf.constant(1)).repeat(3), tf.data.Dataset.from_tensors(tf.constant(2)).repeat(3)
    assert sorted(lists(read(d.sample_from_datasets([a, b], weights=[0.5, 0.5], seed=3)))) == [1, 1, 1, 2, 2, 2]
    choice = tf.data.Dataset.from_tensor_slices(tf.constant([1, 0, 1], tf.int64))
    assert lists(read(d.choose_from_datasets([a, b], choice))) == [2, 1, 2]
    shuffled = lists(read(tf.data.Dataset.range(4).apply(d.shuffle_and_repeat(4, count=2, seed=5))))
    assert sorted(shuffled) == [0, 0, 1, 1, 2, 2, 3, 3]
    random = [lists(read(d.RandomDataset(seed=4).take(3))) for _ in range(2)]
    assert random[0] == random[1] and len(set(random[0])) == 3
    classes = tf.data.Dataset.range(20).map(lambda n: tf.cast(n % 2, tf.int32))
    resampled = read(classes.apply(d.rejection_resample(lambda c: c, [0.0, 1.0], initial_dist=[0.5, 0.5], seed=2)))
    assert resampled and all(int(c) == 1 and int(v) == 1 for c, v in resampled)


def test_interleaving_and_devices():
    d = contrib()
    blocks = tf.data.Dataset.range(3)
    expand = lambda n: tf.data.Dataset.from_tensors(n).repeat(2)  # noqa: E731
    assert lists(read(blocks.apply(d.parallel_interleave(expand, cycle_length=2)))) == [0, 1, 0, 1, 2, 2]
    assert sorted(lists(read(blocks.apply(d.sloppy_interleave(expand, cycle_length=2))))) == [0, 0, 1, 1, 2, 2]
    assert lists(read(blocks.apply(d.copy_to_device("/cpu:0")))) == [0, 1, 2]
    assert lists(read(blocks.apply(d.prefetch_to_device("/cpu:0", 2)))) == [0, 1, 2]


def test_single_elements_optionals_errors():
    d = contrib()
    with tf.Session() as session:
        assert session.run(d.get_single_element(tf.data.Dataset.from_tensors(tf.constant(4)))) == 4
        optional = d.Optional.from_value(tf.constant(3))
        assert session.run([optional.has_value(), optional.get_value()]) == [True, 3]
        iterator = tf.data.make_one_shot_iterator(tf.data.Dataset.range(1))
        got = d.get_next_as_optional(iterator)
        assert session.run(got.has_value()) and not session.run(got.has_value())
    inverse = tf.data.Dataset.from_tensor_slices(tf.constant([1.0, 0.0, 2.0])).map(
        lambda x: tf.check_numerics(1.0 / x, "division by zero"))
    assert lists(read(inverse.apply(d.ignore_errors()))) == [1.0, 0.5]


def test_saveable_iterator_round_trip(tmp_path):
    d = contrib()
    iterator = tf.data.make_initializable_iterator(tf.data.Dataset.range(5))
    tf.add_to_collection(tf.GraphKeys.SAVEABLE_OBJECTS, d.make_saveable_from_iterator(iterator))
    next_element, saver = iterator.get_next(), None
    saver = tf.train.Saver()
    with tf.Session() as session:
        session.run(iterator.initializer)
        session.run(next_element)
        path = saver.save(session, str(tmp_path / "it"))
        assert session.run(next_element) == 1
        saver.restore(session, path)
        assert session.run(next_element) == 1


@pytest.fixture
def example_file(tmp_path):
    path = str(tmp_path / "examples.tfrecord")
    with tf.python_io.TFRecordWriter(path) as writer:
        for age, word in [(3, b"a"), (5, b"bc"), (7, b"d")]:
            features = tf.train.Features(feature={
                "age": tf.train.Feature(int64_list=tf.train.Int64List(value=[age])),
                "word": tf.train.Feature(bytes_list=tf.train.BytesList(value=[word]))})
            writer.write(tf.train.Example(features=features).SerializeToString())
    return path


FEATURES = {"age": tf.FixedLenFeature([], tf.int64), "word": tf.VarLenFeature(tf.string)}


def test_example_readers(example_file):
    d = contrib()
    batched = d.make_batched_features_dataset(example_file, 2, FEATURES, num_epochs=1, shuffle=False)
    assert [b["age"].tolist() for b in read(batched)] == [[3, 5], [7]]
    parsed = tf.data.TFRecordDataset(example_file).batch(3).apply(d.parse_example_dataset(FEATURES))
    assert read(parsed)[0]["word"].values.tolist() == [b"a", b"bc", b"d"]
    first = d.read_batch_features(example_file, 3, FEATURES, randomize_input=False, num_epochs=1)
    with tf.Session() as session:
        session.run(tf.local_variables_initializer())
        assert session.run(first["age"]).tolist() == [3, 5, 7]


def test_csv_sql_and_tfrecord_writer(tmp_path):
    d = contrib()
    csv = tmp_path / "rows.csv"
    csv.write_text("a,b\n1,x\n2,y\n")
    rows = read(d.CsvDataset(str(csv), [tf.int32, tf.string], header=True))
    assert [(int(a), b) for a, b in rows] == [(1, b"x"), (2, b"y")]
    made = read(d.make_csv_dataset(str(csv), 2, shuffle=False, num_epochs=1))
    assert made[0]["a"].tolist() == [1, 2] and made[0]["b"].tolist() == [b"x", b"y"]
    db = str(tmp_path / "rows.db")
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE t (n INTEGER, s TEXT)")
        connection.executemany("INSERT INTO t VALUES (?, ?)", [(4, "four"), (5, "five")])
    sql = d.SqlDataset("sqlite", db, "SELECT n, s FROM t ORDER BY n", (tf.int64, tf.string))
    assert [(int(n), s) for n, s in read(sql)] == [(4, b"four"), (5, b"five")]
    records = str(tmp_path / "out.tfrecord")
    write = d.TFRecordWriter(records).write(tf.data.Dataset.from_tensor_slices(tf.constant([b"p", b"q"])))
    with tf.Session() as session:
        session.run(write)
    assert lists(read(tf.data.TFRecordDataset(records))) == [b"p", b"q"]


@pytest.mark.parametrize("name", ["CheckpointInputPipelineHook", "LMDBDataset"])
def test_left_out_names_say_why(name):
    assert_left_out_with_reason("data", name)
