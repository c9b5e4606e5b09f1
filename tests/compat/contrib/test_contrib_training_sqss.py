"""tf.contrib.training's truncated-BPTT input: batch_sequences_with_states, SequenceQueueingStateSaver
and NextQueuedSequenceBatch, as TF 1.15 had them. Threads are the queue runner's own, with one
prefetch thread (deterministic batches), no coordinator (its close-on-stop thread would cancel a
closed barrier, which blocks on both runtimes), and a timeout on the test's own runs so nothing
hangs (a session-wide operation timeout would also end the queue runners' blocked enqueues)."""

import numpy as np
import pytest

from conftest import TF1, tf

LENGTHS = [5, 3, 6, 4, 2, 6]
UNROLL, BATCH = 3, 2
TIMEOUT = tf.RunOptions(timeout_in_ms=20000)


def data(i):
    return (np.arange(LENGTHS[i] * 2, dtype=np.float32).reshape(-1, 2) + 100 * i)


def expected_batches(steps):
    """[(example, segment)] per step: a batch takes the earliest-inserted ready segments, and an
    example's next segment is ready once the step that read the one before has saved its state."""
    counts = [-(-n // UNROLL) for n in LENGTHS]
    waiting, new, batches = [], 0, []
    for _ in range(steps):
        while len(waiting) < BATCH:
            waiting.append((new, 0))
            new += 1
        waiting.sort()
        batch, waiting = waiting[:BATCH], waiting[BATCH:]
        waiting += [(i, k + 1) for i, k in batch if k + 1 < counts[i]]
        batches.append(batch)
    return batches


@pytest.fixture(scope="module")
def read_batches():
    """Four steps (all full batches) of a pipeline whose state is a step counter, run once for the module's tests."""
    graph = tf.Graph()
    with graph.as_default():
        padded = np.zeros([len(LENGTHS), 6, 2], np.float32)
        for i, n in enumerate(LENGTHS):
            padded[i, :n] = data(i)
        index = tf.train.range_input_producer(len(LENGTHS), shuffle=False, num_epochs=1).dequeue()
        sequence = tf.gather(tf.constant(padded), index)[:tf.gather(tf.constant(LENGTHS), index)]
        batch = tf.contrib.training.batch_sequences_with_states(
            input_key=tf.string_join(["ex", tf.as_string(index)]), input_sequences={"x": sequence},
            input_context={"id": index}, input_length=None, initial_states={"count": tf.constant(7)},
            num_unroll=UNROLL, batch_size=BATCH, num_threads=1, capacity=3)
        save = batch.save_state("count", batch.state("count") + 1)
        fields = [batch.key, batch.next_key, batch.length, batch.total_length, batch.sequence, batch.sequence_count,
                  batch.context["id"], batch.sequences["x"], batch.state("count"), batch.batch_size,
                  batch.insertion_index]
        static = (batch.sequences["x"].shape.as_list(), batch.state("count").shape.as_list())
        with tf.Session() as session:
            session.run(tf.local_variables_initializer())
            runners = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
            for runner in runners:
                runner.create_threads(session, daemon=True, start=True)
            steps = [session.run(fields + [save], options=TIMEOUT)[:-1] for _ in range(4)]
    return steps, static


def test_batches_follow_the_barrier_order(read_batches):
    steps, _ = read_batches
    for step, want in zip(steps, expected_batches(len(steps))):
        ids, segments = list(step[6]), list(step[4])
        assert list(zip(ids, segments)) == want
        assert step[9] == BATCH
        assert step[10][0] <= step[10][1]


def test_keys_lengths_and_contents(read_batches):
    steps, static = read_batches
    assert static == ([None, UNROLL, 2], [None])  # allow_small_batch: the last batches may be smaller
    for key, next_key, length, total, segment, count, ids, x, _, _, _ in steps:
        for j, i in enumerate(ids):
            n, k, c = LENGTHS[i], segment[j], -(-LENGTHS[i] // UNROLL)
            assert key[j] == b"%05d_of_%05d:ex%d" % (k, c, i)
            assert next_key[j] == (b"STOP:ex%d" % i if k + 1 == c else b"%05d_of_%05d:ex%d" % (k + 1, c, i))
            assert (length[j], total[j], count[j]) == (min(UNROLL, max(0, n - UNROLL * k)), n, c)
            want = np.zeros([UNROLL, 2], np.float32)  # pad=True: zeros after the sequence's end
            real = data(i)[UNROLL * k:UNROLL * (k + 1)]
            want[:len(real)] = real
            np.testing.assert_array_equal(x[j], want)


def test_each_segment_gets_the_state_saved_by_the_one_before(read_batches):
    steps, _ = read_batches
    for step in steps:
        np.testing.assert_array_equal(step[8], 7 + step[4])  # initial 7, +1 per segment read


def run_prefetched(saver, times, session):
    for _ in range(times):
        session.run(saver.prefetch_op)


def test_state_saver_direct_use_and_small_final_batch(graph):
    length = tf.placeholder(tf.int32, [])
    key = tf.placeholder(tf.string, [])
    values = tf.placeholder(tf.float32, [None, 3])
    saver = tf.contrib.training.SequenceQueueingStateSaver(
        batch_size=2, num_unroll=2, input_length=length, input_key=key, input_sequences={"v": values},
        input_context={}, initial_states={"s": tf.zeros([3])}, capacity=4, allow_small_batch=True)
    assert saver.batch_size == 2 and saver.num_unroll == 2
    batch = saver.next_batch
    assert batch is saver.next_batch
    save = batch.save_state("s", batch.state("s") + batch.sequences["v"][:, 0])
    with pytest.raises(KeyError, match="state was not declared"):
        batch.save_state("t", batch.state("s"))
    with tf.Session() as session:
        feed = {length: 3, key: "a", values: np.ones([4, 3])}
        session.run(saver.prefetch_op, feed)
        session.run(saver.prefetch_op, {length: 2, key: "b", values: np.full([2, 3], 2.0)})
        assert session.run([saver.barrier.ready_size(), saver.barrier.incomplete_size()]) == [2, 1]
        keys, _ = session.run([batch.key, save])
        assert list(keys) == [b"00000_of_00002:a", b"00000_of_00001:b"]
        session.run(saver.close())
        keys, state, _ = session.run([batch.key, batch.state("s"), save])  # closed: a batch of one
        assert list(keys) == [b"00001_of_00002:a"]
        np.testing.assert_array_equal(state, np.ones([1, 3]))


def test_state_saver_refuses_a_sequence_not_padded_to_num_unroll(graph):
    """Checked on an open queue: after close() the enqueue's CancelledError can come first."""
    length = tf.placeholder(tf.int32, [])
    values = tf.placeholder(tf.float32, [None, 3])
    saver = tf.contrib.training.SequenceQueueingStateSaver(
        batch_size=2, num_unroll=2, input_length=length, input_key=tf.constant("c"), input_sequences={"v": values},
        input_context={}, initial_states={"s": tf.zeros([3])}, capacity=4, allow_small_batch=True)
    with tf.Session() as session:
        with pytest.raises(tf.errors.InvalidArgumentError, match="multiple of"):
            session.run(saver.prefetch_op, {length: 3, values: np.ones([3, 3])})


def test_bad_arguments_say_what_is_wrong(graph):
    training = tf.contrib.training
    sequences = {"x": tf.zeros([4, 2])}

    def build(**changes):
        arguments = dict(batch_size=2, num_unroll=2, input_length=tf.constant(4), input_key=tf.constant("k"),
                         input_sequences=sequences, input_context={}, initial_states={"s": tf.zeros([1])})
        arguments.update(changes)
        return training.SequenceQueueingStateSaver(**arguments)

    with pytest.raises(ValueError, match="capacity 1 needs to be >= batch_size 2"):
        build(capacity=1)
    with pytest.raises(ValueError, match="initial_states may not be empty"):
        build(initial_states={})
    with pytest.raises(ValueError, match="may not have a colon"):
        build(initial_states={"a:b": tf.zeros([1])})
    with pytest.raises(TypeError, match="length dtype must be int32"):
        build(input_length=tf.constant(4, tf.int64))
    with pytest.raises(ValueError, match="must have at least one sequence tensor"):
        build(input_sequences={})
    with pytest.raises(ValueError, match="not fully defined"):
        build(input_sequences={"x": tf.placeholder(tf.float32, [None, None])})


def test_unpadded_input_must_be_a_multiple_of_num_unroll(graph):
    values = tf.placeholder(tf.float32, [None, 2])
    batch = tf.contrib.training.batch_sequences_with_states(
        input_key=tf.constant("k"), input_sequences={"x": values}, input_context={},
        input_length=tf.constant(4), initial_states={"s": tf.zeros([1])}, num_unroll=2, batch_size=1, pad=False)
    prefetch = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)[-1].enqueue_ops[0]
    assert batch.sequences["x"].shape.as_list() == [None, 2, 2]
    with tf.Session() as session:
        with pytest.raises(tf.errors.InvalidArgumentError, match="first dimension should be a multiple of"):
            session.run(prefetch, {values: np.zeros([5, 2])})
        session.run(prefetch, {values: np.zeros([4, 2])})


@pytest.mark.skipif(TF1, reason="TF 1.15 takes SparseTensors; compat says it does not, in one line")
def test_sparse_input_is_refused_clearly(graph):
    sparse = tf.SparseTensor([[0, 0]], [1.0], [4, 2])
    with pytest.raises(TypeError, match=r"input_sequences 'x' is a SparseTensor.*tf.sparse.to_dense"):
        tf.contrib.training.batch_sequences_with_states(
            input_key=tf.constant("k"), input_sequences={"x": sparse}, input_context={}, input_length=None,
            initial_states={"s": tf.zeros([1])}, num_unroll=2, batch_size=1)
