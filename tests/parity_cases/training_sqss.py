"""tf.contrib.training's truncated BPTT input (batch_sequences_with_states) and resampling, against TF 1.15.

The golden runs without threads: every run pulls one example in (the queue runner's prefetch op,
as a control dependency), so batches are deterministic: lengths 5,3,6,4,6,5,4,6 with num_unroll 3
keep one segment waiting before each step, and each step takes it with the new example's first.
The LSTM's state is saved between segments (static_state_saving_rnn), so the losses and the state
read after training depend on the barrier handing each segment its predecessor's state."""

import numpy as np

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("training_sqss")

LENGTHS = [5, 3, 6, 4, 6, 5, 4, 6]
UNROLL, UNITS, INPUT = 3, 4, 2


def examples():
    """(key, sequence [length, INPUT], target) per example, from a one-shot iterator."""
    rng = np.random.RandomState(0)
    padded = np.zeros([len(LENGTHS), max(LENGTHS), INPUT], np.float32)
    for i, n in enumerate(LENGTHS):
        padded[i, :n] = rng.randn(n, INPUT)
    targets = rng.rand(len(LENGTHS)).astype(np.float32)
    data = tf.data.Dataset.from_tensor_slices((np.arange(len(LENGTHS)), padded, np.array(LENGTHS, np.int32), targets))
    data = data.map(lambda i, x, n, t: (tf.string_join(["seq", tf.as_string(i)]), x[:n], t))
    return tf.data.make_one_shot_iterator(data).get_next()


@cases.case
def truncated_bptt_lstm():
    key, sequence, target = examples()
    batch = tf.contrib.training.batch_sequences_with_states(
        input_key=key, input_sequences={"x": sequence}, input_context={"target": target}, input_length=None,
        initial_states={"c": tf.zeros([UNITS]), "h": tf.zeros([UNITS])}, num_unroll=UNROLL, batch_size=2,
        num_threads=1, capacity=4)
    runner = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)[-1]
    prefetch = runner.enqueue_ops[0]
    with tf.control_dependencies([prefetch]):
        ready = tf.identity(runner.queue.barrier.ready_size())
        incomplete = tf.identity(runner.queue.barrier.incomplete_size())
    with tf.variable_scope("model", initializer=tf.random_uniform_initializer(-0.5, 0.5, seed=3)):
        cell = tf.contrib.rnn.BasicLSTMCell(UNITS)
        outputs, _ = tf.contrib.rnn.static_state_saving_rnn(
            cell, tf.unstack(batch.sequences["x"], axis=1), state_saver=batch, state_name=("c", "h"))
        prediction = tf.layers.dense(tf.stack(outputs, axis=1), 1)[:, :, 0]
    mask = tf.sequence_mask(batch.length, UNROLL, dtype=tf.float32)
    error = tf.square(prediction - batch.context["target"][:, None]) * mask
    with tf.control_dependencies([prefetch]):
        loss = tf.identity(tf.reduce_sum(error) / tf.maximum(tf.reduce_sum(mask), 1.0))
    with tf.control_dependencies([prefetch]):  # keys as hashes: a golden holds no object arrays
        after = {name: tf.identity(value) for name, value in (
            ("key", tf.string_to_hash_bucket_fast(batch.key, 2 ** 31 - 1)),
            ("next_key", tf.string_to_hash_bucket_fast(batch.next_key, 2 ** 31 - 1)), ("sequence", batch.sequence),
            ("sequence_count", batch.sequence_count), ("length", batch.length), ("total_length", batch.total_length),
            ("target", batch.context["target"]), ("x", batch.sequences["x"]), ("c", batch.state("c")))}
    return Spec({"ready": ready, "incomplete": incomplete}, loss=loss,
                optimizer=tf.train.GradientDescentOptimizer(0.5), steps=6, after_training=after)


@cases.case
def resample_at_rate_seeded():
    rows = tf.constant(np.arange(12, dtype=np.float32).reshape(6, 2))
    labels = tf.constant(np.arange(6))
    resampled = tf.contrib.training.resample_at_rate([rows, labels], tf.constant([0.5, 2.0, 0.0, 3.0, 1.0, 4.0]),
                                                     seed=5)
    return Spec({"rows": resampled[0], "labels": resampled[1]})
