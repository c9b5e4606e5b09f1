"""tf.contrib.training.FeedingQueueRunner with real queue threads: each thread runs its enqueue op
with its feed function's feed_dict, the last thread to see the feed end closes the queue, a
coordinator's stop cancels it, and errors reach the coordinator (TF 1.15's behaviour)."""

import numpy as np
import pytest

from conftest import tf


def feeder(placeholder, values):
    """A feed function giving `values` one by one, then ending the feed as a closed queue would."""
    remaining = iter(values)

    def feed_fn():
        try:
            return {placeholder: next(remaining)}
        except StopIteration:
            raise tf.errors.OutOfRangeError(None, None, "no more values")

    return feed_fn


def two_feeders(queue):
    """Two enqueue ops, one placeholder each, and feed functions giving 0..4 and 100..102."""
    evens, hundreds = tf.placeholder(tf.int64, []), tf.placeholder(tf.int64, [])
    ops = [queue.enqueue(evens), queue.enqueue(hundreds)]
    return ops, [feeder(evens, range(5)), feeder(hundreds, range(100, 103))]


def test_threads_feed_their_enqueue_ops_and_the_last_one_closes_the_queue(graph, session):
    queue = tf.FIFOQueue(20, tf.int64, shapes=[[]])
    enqueue_ops, feed_fns = two_feeders(queue)
    runner = tf.contrib.training.FeedingQueueRunner(queue, enqueue_ops, feed_fns=feed_fns)
    threads = runner.create_threads(session, start=True)
    assert len(threads) == 2
    for thread in threads:
        thread.join(10)
    assert not any(thread.is_alive() for thread in threads)
    assert session.run(queue.is_closed()), "the last feeding thread did not run the close op"
    received = session.run(queue.dequeue_many(queue.size()))
    assert sorted(received) == [0, 1, 2, 3, 4, 100, 101, 102]
    assert [v for v in received if v < 100] == [0, 1, 2, 3, 4], "one thread's values out of order"
    assert runner.exceptions_raised == []
    with pytest.raises(tf.errors.OutOfRangeError):
        session.run(queue.dequeue())


def test_coordinator_stop_cancels_the_queue_and_a_started_runner_makes_no_new_threads(graph, session):
    queue = tf.FIFOQueue(4, tf.float32, shapes=[2])
    rows = tf.placeholder(tf.float32, [2])
    counter = iter(range(10 ** 6))
    runner = tf.contrib.training.FeedingQueueRunner(
        queue, [queue.enqueue(rows)], feed_fns=[lambda: {rows: np.full(2, next(counter), np.float32)}])
    tf.train.add_queue_runner(runner)
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(session, coord=coord)
    assert len(threads) == 2  # the feeding thread and the one that cancels on stop
    first = session.run(queue.dequeue_many(3))
    np.testing.assert_array_equal(first, [[0, 0], [1, 1], [2, 2]])
    assert runner.create_threads(session) == []
    coord.request_stop()
    coord.join(threads, stop_grace_period_secs=10)
    assert session.run(queue.is_closed())


def test_a_feed_function_error_stops_the_coordinator(graph, session):
    queue = tf.FIFOQueue(10, tf.int32, shapes=[[]])
    value = tf.placeholder(tf.int32, [])
    calls = []

    def failing_feed():
        calls.append(1)
        if len(calls) == 3:
            raise ValueError("row 3 is malformed")
        return {value: len(calls)}

    runner = tf.contrib.training.FeedingQueueRunner(queue, [queue.enqueue(value)], feed_fns=[failing_feed])
    coord = tf.train.Coordinator()
    threads = runner.create_threads(session, coord=coord, daemon=True, start=True)
    assert all(thread.daemon for thread in threads)
    with pytest.raises(ValueError, match="row 3 is malformed"):
        coord.join(threads, stop_grace_period_secs=10)
    assert list(session.run(queue.dequeue_many(2))) == [1, 2]


def test_without_feed_functions_it_runs_the_enqueue_ops_as_they_are(graph, session):
    queue = tf.FIFOQueue(3, tf.int32, shapes=[[]])
    runner = tf.contrib.training.FeedingQueueRunner(queue, [queue.enqueue(tf.constant(7))])
    assert isinstance(runner, tf.train.QueueRunner)
    assert runner.queue is queue and runner.close_op is not None and runner.cancel_op is not None
    coord = tf.train.Coordinator()
    threads = runner.create_threads(session, coord=coord, start=True)
    assert list(session.run(queue.dequeue_many(3))) == [7, 7, 7]
    coord.request_stop()
    coord.join(threads, stop_grace_period_secs=10)
    assert session.run(queue.is_closed())


def test_bad_arguments(graph):
    queue = tf.FIFOQueue(3, tf.int32, shapes=[[]])
    enqueue = queue.enqueue(tf.constant(1))
    with pytest.raises(ValueError, match="same length as enqueue_ops"):
        tf.contrib.training.FeedingQueueRunner(queue, [enqueue], feed_fns=[None, None])
    with pytest.raises(ValueError, match="Must provide queue and enqueue_ops"):
        tf.contrib.training.FeedingQueueRunner(queue, [], feed_fns=[])
    with pytest.raises(NotImplementedError, match="does not support serialization to proto"):
        tf.contrib.training.FeedingQueueRunner(queue, [enqueue]).to_proto()
