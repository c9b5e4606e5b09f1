"""tf.contrib.training's truncated-BPTT input pipeline (TF 1.15:
contrib/training/python/training/sequence_queueing_state_saver.py), on TF 2.x's v1 Barrier.

Every example is cut into segments of num_unroll steps; each segment is one barrier entry keyed
"%05d_of_%05d:<key>". A prefetch inserts all of an example's segments (lengths, context, the
sequence slices) at once, so they share one insertion index and come out in order, but only the
first segment gets a state (the initial one): segment k+1 becomes ready when the step that read
segment k saves its state under next_key. A FIFO queue of one token per active example bounds
how many examples are in flight (`capacity`). Same queues, barrier layout, scopes and op order as
TF 1.15. SparseTensors in sequences or context are not supported here (one clear error).
The inputs' checks live in sequence_input_checks.py, pad=True/False's preparation in
sequence_input_padding.py."""

import collections

from tensorflow.compat import v1 as tf
from tensorflow.python.ops import data_flow_ops

from compat.contrib.training.sequence_input_checks import (asserted, check_names, multiple_of_unroll_condition,
                                                           reject_sparse, sorted_by_name, with_dimensions, with_rank,
                                                           with_shape)
from compat.contrib.training.sequence_input_padding import checked_multiples_of_unroll, pad_to_unroll

__all__ = ["SequenceQueueingStateSaver", "NextQueuedSequenceBatch", "batch_sequences_with_states"]

# The barrier's fixed leading components, then one per sequence, context and state (sorted by name).
_FIXED = ("__length", "__total_length", "__next_key", "__sequence", "__sequence_count")
_CAPACITY_TOKEN = 21051976  # the value of a capacity token does not matter (TF 1.15's constant)


class NextQueuedSequenceBatch(object):
    """One batch of segments from a SequenceQueueingStateSaver (its `next_batch`): the segments'
    sequences, context, keys and lengths, their states (`state`) and `save_state` for the next."""

    def __init__(self, state_saver):
        self._state_saver = state_saver
        self._received = state_saver._received  # pylint: disable=protected-access

    total_length = property(lambda self: self._received["total_length"], doc="int32 [batch]: unpadded lengths")
    length = property(lambda self: self._received["length"], doc="int32 [batch]: real steps in this segment")
    batch_size = property(lambda self: self._received["batch_size"], doc="int32 scalar")
    insertion_index = property(lambda self: self._received["indices"], doc="int64 [batch]")
    key = property(lambda self: self._received["keys"], doc='"%05d_of_%05d:<key>" per entry')
    next_key = property(lambda self: self._received["next_key"], doc='the next segment\'s key, or "STOP:<key>"')
    sequence = property(lambda self: self._received["sequence"], doc="int32 [batch]: segment index")
    sequence_count = property(lambda self: self._received["sequence_count"], doc="int32 [batch]: segments")
    context = property(lambda self: self._received["context"], doc="{name: [batch, ...]}")
    sequences = property(lambda self: self._received["sequences"], doc="{name: [batch, num_unroll, ...]}")

    def state(self, state_name):
        """The batch's `state_name` values: initial for a first segment, else what was saved."""
        return self._received["states"][state_name]

    def save_state(self, state_name, value, name=None):
        """Op storing `value` ([batch, ...]) as the state of each entry's next segment (entries
        whose sequence ends here are dropped). Run it every step, or the barrier never advances."""
        saver = self._state_saver
        if state_name not in self._received["states"]:
            raise KeyError("state was not declared: %s" % state_name)
        with tf.name_scope(name, "InputQueueingStateSaver_SaveState", values=[value]):
            with tf.colocate_with(saver._capacity_queue.queue_ref):  # pylint: disable=protected-access
                keep = tf.reshape(tf.where_v2(tf.logical_not(self._received["done"])), [-1])
                next_keys = tf.gather(self._received["next_key"], keep)
                value = with_shape(tf.identity(value, name="convert_%s" % state_name),
                                    tf.shape(self._received["states"][state_name]))
                return saver.barrier.insert_many(saver._component("__state__" + state_name),  # pylint: disable=protected-access
                                                 next_keys, tf.gather(value, keep),
                                                 name="BarrierInsertState_%s" % state_name)


class SequenceQueueingStateSaver(object):
    """Splits one example at a time (key, length, sequences, context) into num_unroll-step
    segments and batches segments of batch_size examples, keeping per-example states across
    segments. Run `prefetch_op` from a QueueRunner; read `next_batch`."""

    def __init__(self, batch_size, num_unroll, input_length, input_key, input_sequences, input_context,
                 initial_states, capacity=None, allow_small_batch=False, name=None):
        if capacity is not None and isinstance(batch_size, tf.Tensor):
            check = tf.assert_greater_equal(tf.cast(capacity, tf.int64), tf.cast(batch_size, tf.int64),
                                            message="capacity needs to be >= batch_size.")
            with tf.control_dependencies([check]):
                input_key = tf.identity(input_key)
        elif capacity is not None and capacity < batch_size:
            raise ValueError("capacity %d needs to be >= batch_size %d" % (capacity, batch_size))
        # The barrier itself is unbounded (a long example needs many entries); this queue holds one
        # token per example in flight, so prefetching blocks once `capacity` examples are active.
        self._capacity_queue = tf.FIFOQueue(capacity=capacity, dtypes=[tf.int32], shapes=[[]])
        with tf.colocate_with(self._capacity_queue.queue_ref):  # queues and barriers live on the CPU
            if not isinstance(initial_states, dict):
                raise TypeError("initial_states must be a dictionary")
            if not initial_states:
                raise ValueError("initial_states may not be empty: at least one state variable is required to "
                                 "properly enqueue split sequences to run in separate iterations")
            check_names("state name", initial_states)
            op_inputs = [input_length, input_key] + list(input_sequences.values()) + list(input_context.values())
            with tf.name_scope(name, "InputQueueingStateSaver", op_inputs) as scope:
                self._read_inputs(input_length, input_key, input_sequences, input_context, initial_states,
                                  num_unroll)
                self._batch_size = batch_size
                self._num_unroll = num_unroll
                self._name = self._scope = scope
                self._make_barrier()
            self._allow_small_batch = allow_small_batch
            self._prefetch_op = None
            self._next_batch = None

    def _read_inputs(self, input_length, input_key, input_sequences, input_context, initial_states, num_unroll):
        length = tf.convert_to_tensor(input_length, name="length")
        key = tf.convert_to_tensor(input_key, name="key")
        if not isinstance(input_sequences, dict):
            raise TypeError("sequences must be a dict")
        if not isinstance(input_context, dict):
            raise TypeError("context must be a dict")
        if not input_sequences:
            raise ValueError("must have at least one sequence tensor")
        check_names("sequence key", input_sequences)
        check_names("context key", input_context)
        reject_sparse("input_sequences", input_sequences)
        reject_sparse("input_context", input_context)
        sequences = {k: tf.convert_to_tensor(v, name="sequence_%s" % k) for k, v in input_sequences.items()}
        context = {k: tf.convert_to_tensor(v, name="context_%s" % k) for k, v in input_context.items()}
        states = {k: tf.convert_to_tensor(v, name="state_%s" % k) for k, v in initial_states.items()}
        for label, values, first in (("state", states, 0), ("context", context, 0), ("sequence", sequences, 1)):
            for k, v in values.items():
                if not v.get_shape()[first:].is_fully_defined():
                    raise ValueError("Shape for %s %s is not fully defined %s: %s"
                                     % (label, k, "(ignoring first dimension)" if first else "", v.get_shape()))
        sequences, context, states = sorted_by_name(sequences), sorted_by_name(context), sorted_by_name(states)
        length, key = with_rank(length, 0), with_rank(key, 0)
        if length.dtype != tf.int32:
            raise TypeError("length dtype must be int32, but received: %s" % length.dtype)
        if key.dtype != tf.string:
            raise TypeError("key dtype must be string, but received: %s" % key.dtype)
        padded_length = tf.identity(tf.shape(next(iter(sequences.values())))[0], name="padded_length")
        condition, message = multiple_of_unroll_condition(padded_length, num_unroll, "Tensor %s" % padded_length.name)
        self._padded_length = asserted(padded_length, condition, message, "multiple_of_checked")
        self._sequences = collections.OrderedDict(
            (k, with_dimensions(v, [0], [self._padded_length], "sorted_sequences_%s" % k))
            for k, v in sequences.items())
        self._context, self._states, self._key = context, states, key
        names = list(_FIXED) + ["__sequence__" + k for k in sequences] + ["__context__" + k for k in context]
        self._components = {name: i for i, name in enumerate(names + ["__state__" + k for k in states])}
        self._length = asserted(length, tf.less_equal(length, self._padded_length),
                                ["Input length should be <= than length from sequences:", length, " vs. ",
                                 self._padded_length], None)

    def _component(self, name):
        return self._components[name]

    def _make_barrier(self):
        segment = [self._num_unroll]
        types = ([tf.int32, tf.int32, tf.string, tf.int32, tf.int32] + [v.dtype for v in self._sequences.values()]
                 + [v.dtype for v in self._context.values()] + [v.dtype for v in self._states.values()])
        shapes = ([()] * len(_FIXED) + [segment + v.get_shape().as_list()[1:] for v in self._sequences.values()]
                  + [v.get_shape().as_list() for v in self._context.values()]
                  + [v.get_shape().as_list() for v in self._states.values()])
        self._barrier = data_flow_ops.Barrier(types=types, shapes=shapes)

    name = property(lambda self: self._name)
    barrier = property(lambda self: self._barrier)
    batch_size = property(lambda self: self._batch_size)
    num_unroll = property(lambda self: self._num_unroll)

    def _in_own_scope(self, build):
        with tf.name_scope(None), tf.name_scope(self._scope, values=[self._barrier.barrier_ref]):
            build()

    @property
    def prefetch_op(self):
        """The op that inserts one new example's segments (run it from a QueueRunner)."""
        if not self._prefetch_op:
            self._in_own_scope(self._make_prefetch_op)
        return self._prefetch_op

    @property
    def next_batch(self):
        """The NextQueuedSequenceBatch (built once)."""
        if not self._prefetch_op:
            self._in_own_scope(self._make_prefetch_op)
        if not self._next_batch:
            self._in_own_scope(self._make_reads)
        return self._next_batch

    def close(self, cancel_pending_enqueues=False, name=None):
        """Op closing the barrier and the capacity queue: no new examples; started ones finish."""
        with tf.name_scope(name, "SQSSClose", [self._prefetch_op]) as name, self._on_queue_device():
            return tf.group(self._barrier.close(cancel_pending_enqueues, "BarrierClose"),
                            self._capacity_queue.close(cancel_pending_enqueues, "FIFOClose"), name=name)

    def _on_queue_device(self):
        """TF 2.x puts the queue (and the barrier, colocated) on CPU: its ops must join them there, or
        tf.group makes a NoOp per device (2 ops more than TF 1.15, other graph-level seeds after)."""
        return tf.colocate_with(self._capacity_queue.queue_ref)

    def _make_prefetch_op(self):
        unroll = self._num_unroll
        count = tf.div(self._padded_length, unroll)
        count_vector = tf.expand_dims(count, 0)
        ones = tf.ones(count_vector, dtype=tf.int32)
        sequence = tf.range(count)
        segment_length = tf.minimum(unroll, tf.maximum(0, self._length - unroll * sequence))
        total_length = self._length * ones
        sequence_count = count * ones
        keys = tf.string_join([tf.as_string(sequence, width=5, fill="0"), "_of_",
                               tf.as_string(count, width=5, fill="0"), ":", self._key], name="StringJoinCurrentKeys")
        later = tf.slice(keys, [1], [-1])
        stop = tf.expand_dims(tf.string_join(["STOP:", self._key], name="StringJoinStop"), 0)
        next_keys = tf.concat([later, stop], 0, name="concat_next_keys")
        segments = collections.OrderedDict()
        for k, v in self._sequences.items():
            rest = v.get_shape().as_list()[1:]
            shape = tf.concat([tf.expand_dims(count, 0), tf.expand_dims(unroll, 0), rest], 0,
                              name="concat_sequences_%s" % k)
            segments[k] = with_dimensions(tf.reshape(v, shape, name="reshape_sequences_%s" % k),
                                           [0, 1] + list(range(2, v.get_shape().ndims + 1)), [count, unroll] + rest,
                                           "reshaped_sequences_%s" % k)
        copies = collections.OrderedDict()
        for k, v in self._context.items():
            one = tf.expand_dims(v, 0)
            multiples = tf.concat([tf.expand_dims(count, 0), [1] * v.get_shape().ndims], 0,
                                  name="concat_context_%s" % k)
            copies[k] = with_dimensions(tf.tile(one, multiples, name="tile_context_%s" % k),
                                         [0] + list(range(1, v.get_shape().ndims + 1)),
                                         [count] + v.get_shape().as_list(), "expanded_context_%s" % k)

        def insert(component, values, name):
            return self._barrier.insert_many(self._component(component), keys, values, name=name)

        insert_sequence = insert("__sequence", sequence, "BarrierInsertSequence")
        insert_count = insert("__sequence_count", sequence_count, "BarrierInsertSequenceCount")
        insert_next_key = insert("__next_key", next_keys, "BarrierInsertNextKey")
        insert_length = insert("__length", segment_length, "BarrierInsertLength")
        insert_total = insert("__total_length", total_length, "BarrierInsertTotalLength")
        insert_context = [insert("__context__" + k, v, "BarrierInsertContext_%s" % k) for k, v in copies.items()]
        insert_sequences = [insert("__sequence__" + k, v, "BarrierInsertSequences_%s" % k)
                            for k, v in segments.items()]
        with self._on_queue_device():  # blocks while `capacity` examples are active
            token = self._capacity_queue.enqueue((_CAPACITY_TOKEN,))
        # The initial state goes in after all segment keys exist: they then share one insertion index.
        with tf.control_dependencies([insert_sequence, token]):
            insert_states = [self._barrier.insert_many(self._component("__state__" + k), tf.stack([keys[0]]),
                                                       tf.stack([v]), name="BarrierInitialInsertState_%s" % k)
                             for k, v in self._states.items()]
        self._prefetch_op = tf.group(*([token, insert_sequence, insert_count, insert_next_key, insert_length,
                                        insert_total] + insert_states + insert_context + insert_sequences),
                                     name="StateSaverPrefetchGroup")

    def _make_reads(self):
        indices, keys, values = self._barrier.take_many(self._batch_size, self._allow_small_batch,
                                                        name="BarrierTakeMany")
        received = {"indices": indices, "keys": keys}
        for field in ("sequence", "sequence_count", "next_key", "length", "total_length"):
            received[field] = values[self._component("__" + field)]
        received["context"] = collections.OrderedDict(
            (k, values[self._component("__context__" + k)]) for k in self._context)
        received["sequences"] = collections.OrderedDict(
            (k, values[self._component("__sequence__" + k)]) for k in self._sequences)
        received["batch_size"] = tf.squeeze(tf.shape(received["length"]))
        received["done"] = received["sequence"] + 1 >= received["sequence_count"]
        finished = tf.reduce_sum(tf.cast(received["done"], tf.int32))
        release = self._capacity_queue.dequeue_many(finished)  # one token back per finished example
        with tf.control_dependencies([release]):
            received["states"] = collections.OrderedDict(
                (k, tf.identity(values[self._component("__state__" + k)])) for k in self._states)
        self._received = received
        self._next_batch = NextQueuedSequenceBatch(self)


def batch_sequences_with_states(input_key, input_sequences, input_context, input_length, initial_states, num_unroll,
                                batch_size, num_threads=3, capacity=1000, allow_small_batch=True, pad=True,
                                make_keys_unique=False, make_keys_unique_seed=None, name=None):
    """A SequenceQueueingStateSaver fed by num_threads prefetch threads (a QueueRunner it adds to
    the graph); returns its NextQueuedSequenceBatch. pad=True pads sequences to a multiple of
    num_unroll (input_length then defaults to the unpadded length)."""
    reject_sparse("input_sequences", input_sequences)
    reject_sparse("input_context", input_context)
    values = list(input_sequences.values()) + list(input_context.values()) + list(initial_states.values())
    with tf.name_scope(name, "batch_sequences_with_states", values):
        if pad:
            length, input_sequences = pad_to_unroll(input_sequences, num_unroll)
            input_length = length if input_length is None else input_length
        elif input_sequences:
            input_sequences = checked_multiples_of_unroll(input_sequences, num_unroll)
        # TF 1.15 measured the first sequence here (for SparseTensor context, which compat does not
        # take); the ops stay so that random ops created later get TF 1.15's op-count seeds.
        steps = tf.constant(1)
        if input_sequences:
            with tf.control_dependencies([next(iter(input_sequences.values()))]):
                steps = tf.shape(next(iter(input_sequences.values())))[0]
        tf.cast(steps, dtype=tf.int64)
        if make_keys_unique:
            suffix = tf.random_uniform((), minval=0, maxval=100000000, dtype=tf.int32, seed=make_keys_unique_seed)
            input_key = tf.string_join([input_key, tf.as_string(suffix)])
        reader = SequenceQueueingStateSaver(batch_size, num_unroll, input_length=input_length, input_key=input_key,
                                            input_sequences=input_sequences, input_context=input_context,
                                            initial_states=initial_states, capacity=capacity,
                                            allow_small_batch=allow_small_batch)
        barrier = reader.barrier
        tf.summary.scalar("queue/%s/ready_segment_batches_" % barrier.name, tf.cast(barrier.ready_size(), tf.float32))
        tf.train.add_queue_runner(tf.train.QueueRunner(
            reader, [reader.prefetch_op] * num_threads,
            queue_closed_exception_types=(tf.errors.OutOfRangeError, tf.errors.CancelledError)))
        return reader.next_batch
