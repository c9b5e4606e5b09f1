"""tf.contrib.training.FeedingQueueRunner (TF 1.15: tf.estimator's inputs/queues/feeding_queue_runner.py,
re-exported by contrib/training/python/training/feeding_queue_runner.py): a QueueRunner whose
threads call a feed function before each run of their enqueue op (numpy or pandas data fed
through placeholders into a queue). TF 2.x has no tf.estimator input queues, so it is written here
on tf.compat.v1.train.QueueRunner, keeping its own thread bookkeeping."""

import threading

from tensorflow.compat import v1 as tf

__all__ = ["FeedingQueueRunner"]

# TF 1.15's threads took these for "the queue was closed" whatever queue_closed_exception_types said.
_QUEUE_CLOSED = (tf.errors.OutOfRangeError, tf.errors.CancelledError)


class FeedingQueueRunner(tf.train.QueueRunner):
    """A QueueRunner whose i-th thread runs enqueue_ops[i] with feed_dict=feed_fns[i]() each time."""

    def __init__(self, queue=None, enqueue_ops=None, close_op=None, cancel_op=None, feed_fns=None,
                 queue_closed_exception_types=None):
        if queue_closed_exception_types is None:
            queue_closed_exception_types = _QUEUE_CLOSED
        super(FeedingQueueRunner, self).__init__(queue, enqueue_ops, close_op, cancel_op,
                                                 queue_closed_exception_types=queue_closed_exception_types)
        if feed_fns is None:
            feed_fns = [None] * len(enqueue_ops)
        elif len(feed_fns) != len(enqueue_ops):
            raise ValueError("If feed_fns is not None, it must have the same length as enqueue_ops.")
        self._feed_fns = feed_fns
        self._feeding_lock = threading.Lock()
        self._threads_running = {}  # session -> threads still enqueueing
        self._feeding_errors = []

    @property
    def exceptions_raised(self):
        """Exceptions the threads raised without a coordinator to report them to."""
        return self._feeding_errors

    def _finish_thread(self, session, close):
        with self._feeding_lock:
            self._threads_running[session] -= 1
            if close and self._threads_running[session] == 0:
                try:
                    session.run(self.close_op)
                except Exception as e:  # noqa: BLE001  (TF 1.15 ignored errors from the close op)
                    tf.logging.vlog(1, "Ignored exception: %s", str(e))

    def _feed(self, session, enqueue_op, feed_fn, coord):
        """Run enqueue_op with feed_fn()'s feed until the queue closes, coord stops, or an error."""
        if coord:
            coord.register_thread(threading.current_thread())
        closed = False
        try:
            while not (coord and coord.should_stop()):
                try:
                    session.run(enqueue_op, feed_dict=None if feed_fn is None else feed_fn())
                except _QUEUE_CLOSED:
                    closed = True
                    return
        except Exception as e:  # noqa: BLE001  (reported to coord, or kept and re-raised, as TF 1.15)
            if coord:
                coord.request_stop(e)
            else:
                tf.logging.error("Exception in QueueRunner: %s", str(e))
                with self._feeding_lock:
                    self._feeding_errors.append(e)
                raise
        finally:
            self._finish_thread(session, closed)

    def _cancel_on_stop(self, session, coord):
        coord.wait_for_stop()
        try:
            session.run(self.cancel_op)
        except Exception as e:  # noqa: BLE001  (TF 1.15 ignored errors from the cancel op)
            tf.logging.vlog(1, "Ignored exception: %s", str(e))

    def create_threads(self, sess, coord=None, daemon=False, start=False):
        """One thread per enqueue op (plus one cancelling the queue when coord stops); none while
        this session's threads still run."""
        with self._feeding_lock:
            if self._threads_running.get(sess, 0) > 0:
                return []
            self._threads_running[sess] = len(self.enqueue_ops)
            self._feeding_errors = []
        threads = [threading.Thread(target=self._feed, args=(sess, op, feed_fn, coord))
                   for op, feed_fn in zip(self.enqueue_ops, self._feed_fns)]
        if coord:
            threads.append(threading.Thread(target=self._cancel_on_stop, args=(sess, coord)))
        for thread in threads:
            if daemon:
                thread.daemon = True
            if start:
                thread.start()
        return threads

    def to_proto(self, export_scope=None):
        raise NotImplementedError("{} does not support serialization to proto.".format(type(self).__name__))
