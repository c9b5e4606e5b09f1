"""tf.contrib.training.bucket / bucket_by_sequence_length (TF 1.15:
contrib/training/python/training/bucket_ops.py): queue-based bucketing on TF 2.x's v1 queues.

Inputs go to one queue per bucket; a queue runner moves full batches from the bucket queues to a
top queue, another feeds the bucket queues; the caller dequeues (bucket id, batch) from the top.
Built with TF 1.15's queues, names and summaries, on the helpers of tf.compat.v1.train.batch."""

import functools

import numpy as np
from tensorflow.compat import v1 as tf
from tensorflow.python.framework import indexed_slices, smart_cond, tensor_util
from tensorflow.python.training import input as v1_input

__all__ = ["bucket", "bucket_by_sequence_length"]

# tf.compat.v1.train.batch's own plumbing (sparse tensors through queues, shapes, queue choice).
_as_original_type = v1_input._as_original_type  # pylint: disable=protected-access
_as_tensor_list = v1_input._as_tensor_list  # pylint: disable=protected-access
_restore_sparse_tensors = v1_input._restore_sparse_tensors  # pylint: disable=protected-access
_store_sparse_tensors = v1_input._store_sparse_tensors  # pylint: disable=protected-access
_validate_keep_input = v1_input._validate_keep_input  # pylint: disable=protected-access
_dtypes = v1_input._dtypes  # pylint: disable=protected-access
_shapes = v1_input._shapes  # pylint: disable=protected-access
_which_queue = v1_input._which_queue  # pylint: disable=protected-access


def bucket(tensors, which_bucket, batch_size, num_buckets, num_threads=1, capacity=32, bucket_capacities=None,
           shapes=None, dynamic_pad=False, allow_smaller_final_batch=False, keep_input=True, shared_name=None,
           name=None):
    """(bucket id, batch of `tensors`): each input goes to bucket which_bucket; a batch is
    batch_size (or batch_size[bucket]) inputs of one bucket. Needs tf.train.start_queue_runners."""
    per_bucket_sizes = isinstance(batch_size, (list, tuple))
    if per_bucket_sizes and len(batch_size) != num_buckets:
        raise ValueError("If batch_size is a list it must have num_buckets elements")
    batch_size = list(batch_size) if per_bucket_sizes else [batch_size] * num_buckets
    if bucket_capacities is None:
        bucket_capacities = [capacity] * num_buckets
    if len(bucket_capacities) != num_buckets:
        raise ValueError("The list bucket_capacities (%s) must have exactly num_buckets (%d) elements."
                         % (str(bucket_capacities), num_buckets))
    tensor_list = _as_tensor_list(tensors)
    with tf.name_scope(name, "bucket", tensor_list) as name:
        tensor_list = indexed_slices.convert_n_to_tensor_or_indexed_slices(tensor_list)
        if not tensor_list:
            raise ValueError("Expected at least one tensor in bucket().")
        keep_input = _validate_keep_input(keep_input, enqueue_many=False)
        tensor_list, sparse_info = _store_sparse_tensors(tensor_list, enqueue_many=False, keep_input=keep_input)
        static_batch_size = None
        for i, size in enumerate(batch_size):
            size = tf.convert_to_tensor(size, dtype=tf.int32, name="batch_size")
            static_batch_size = tensor_util.constant_value(size)
            batch_size[i] = static_batch_size if static_batch_size is not None else size
        types = _dtypes([tensor_list])
        shapes = _shapes([tensor_list], shapes, enqueue_many=False)
        which_bucket = tf.convert_to_tensor(which_bucket, dtype=tf.int32, name="which_bucket")
        make_queue = _which_queue(dynamic_pad)
        bucket_queues = [make_queue(capacity=bucket_capacities[i], dtypes=types, shapes=shapes,
                                    shared_name=None if shared_name is None else "%s_%d" % (shared_name, i),
                                    name="bucket_queue_%d" % i) for i in range(num_buckets)]
        batch_dim = None if (allow_smaller_final_batch or per_bucket_sizes) else static_batch_size
        top_queue = tf.PaddingFIFOQueue(
            capacity=capacity, dtypes=[tf.int32] + types,
            shapes=[tf.TensorShape([])] + [tf.TensorShape([batch_dim]).concatenate(s) for s in bucket_queues[0].shapes],
            shared_name=shared_name, name="top_queue")

        def enqueue_into_its_bucket():
            enqueues = [tf.cond(tf.equal(which_bucket, i), functools.partial(bucket_queues[i].enqueue, tensor_list),
                                tf.no_op) for i in range(num_buckets)]
            return tf.group(*enqueues, name="group_enqueues")

        maybe_enqueue = smart_cond.smart_cond(keep_input, enqueue_into_its_bucket, tf.no_op)
        take = (lambda q: q.dequeue_up_to) if allow_smaller_final_batch else (lambda q: q.dequeue_many)

        def as_list(value):
            return value if isinstance(value, (list, tuple)) else [value]

        batches_to_top = [top_queue.enqueue([tf.constant(i)] + as_list(take(q)(size, name="read_bucket_%d" % i)),
                                            name="enqueue_from_bucket_%d" % i)
                          for i, (q, size) in enumerate(zip(bucket_queues, batch_size))]
        closed = (tf.errors.OutOfRangeError, tf.errors.CancelledError)
        tf.train.add_queue_runner(tf.train.QueueRunner(
            bucket_queues[0], batches_to_top, close_op=top_queue.close(),
            cancel_op=top_queue.close(cancel_pending_enqueues=True), queue_closed_exception_types=closed))
        tf.train.add_queue_runner(tf.train.QueueRunner(
            top_queue, [maybe_enqueue] * num_threads, close_op=tf.group(*[q.close() for q in bucket_queues]),
            cancel_op=tf.group(*[q.close(cancel_pending_enqueues=True) for q in bucket_queues]),
            queue_closed_exception_types=closed))
        for q in bucket_queues:
            tf.summary.scalar("bucket/%s/size" % q.name, tf.cast(top_queue.size(), tf.float32))
        tf.summary.scalar("bucket/%s/fraction_of_%d_full" % (top_queue.name, capacity),
                          tf.cast(top_queue.size(), tf.float32) * (1. / capacity))
        dequeued = top_queue.dequeue(name="dequeue_top")
        bucket_id, dequeued = dequeued[0], dequeued[1:]
        if len(dequeued) == 1:
            dequeued = dequeued[0]
        dequeued = _restore_sparse_tensors(dequeued, sparse_info)
        return bucket_id, _as_original_type(tensors, dequeued)


def bucket_by_sequence_length(input_length, tensors, batch_size, bucket_boundaries, num_threads=1, capacity=32,
                              bucket_capacities=None, shapes=None, dynamic_pad=False,
                              allow_smaller_final_batch=False, keep_input=True, shared_name=None, name=None):
    """(lengths batch, batch of `tensors`), bucketed by input_length: bucket i holds lengths in
    [bucket_boundaries[i-1], bucket_boundaries[i]) (open-ended at both ends)."""
    tensor_list = _as_tensor_list(tensors)
    if not isinstance(bucket_boundaries, (list, tuple)):
        raise TypeError("bucket_boundaries must be a list or tuple, but received: %s" % bucket_boundaries)
    if not bucket_boundaries:
        raise ValueError("bucket_boundaries must not be empty")
    for low, high in zip(bucket_boundaries[:-1], bucket_boundaries[1:]):
        if not isinstance(low, int) or not isinstance(high, int):
            raise TypeError("bucket boundaries must be integers, but saw: %s and %s" % (low, high))
        if low >= high:
            raise ValueError("Buckets must contain sequential increasing lengths, but saw: %d before %d" % (low, high))
    with tf.name_scope(name, "bucket_by_sequence_length", [input_length] + tensor_list) as name:
        input_length = tf.convert_to_tensor(input_length, dtype=tf.int32, name="input_length")
        lows = [np.iinfo(np.int32).min] + list(bucket_boundaries)
        highs = list(bucket_boundaries) + [np.iinfo(np.int32).max]
        inside = tf.logical_and(tf.less_equal(lows, input_length), tf.less(input_length, highs))
        which_bucket = tf.cast(tf.reduce_min(tf.where_v2(inside)), tf.int32)
        if shapes is not None:
            shapes = [tf.TensorShape([])] + shapes
        _, dequeued = bucket(tensors=[input_length] + tensor_list, which_bucket=which_bucket, batch_size=batch_size,
                             num_buckets=len(bucket_boundaries) + 1, num_threads=num_threads, capacity=capacity,
                             bucket_capacities=bucket_capacities, shapes=shapes, dynamic_pad=dynamic_pad,
                             allow_smaller_final_batch=allow_smaller_final_batch, keep_input=keep_input,
                             shared_name=shared_name)
        return dequeued[0], _as_original_type(tensors, dequeued[1:])
