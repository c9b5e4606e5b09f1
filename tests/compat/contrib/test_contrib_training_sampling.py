"""tf.contrib.training's resampling, rejection / stratified samplers and ps placement strategies,
as TF 1.15 had them (numpy references where the math is small)."""

import hashlib

import numpy as np
import pytest

from conftest import tf

TIMEOUT = tf.RunOptions(timeout_in_ms=20000)


def start_runners(session):
    for runner in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS):
        runner.create_threads(session, daemon=True, start=True)


def test_resample_at_rate_repeats_rows_in_order(graph, session):
    rows = tf.constant(np.arange(400, dtype=np.float32).reshape(200, 2))
    rates = np.full(200, 3.0, np.float32)
    rates[::2] = 0.0
    out_rows, out_ids = tf.contrib.training.resample_at_rate([rows, tf.range(200)], rates, seed=1)
    none = tf.contrib.training.resample_at_rate([rows], tf.zeros([200]), seed=2)[0]
    got_rows, ids, empty = session.run([out_rows, out_ids, none])
    assert empty.shape == (0, 2)
    assert np.all(np.diff(ids) >= 0) and np.all(ids % 2 == 1)  # in row order, never a zero-rate row
    np.testing.assert_array_equal(got_rows, np.arange(400, dtype=np.float32).reshape(200, 2)[ids])
    assert abs(len(ids) / 100.0 - 3.0) < 0.5  # Poisson(3) per odd row


def test_weighted_resample_rates(graph, session):
    weights = tf.constant([1.0, 2.0, 5.0])
    (rows,), rates = tf.contrib.training.weighted_resample([tf.constant([[1.0], [2.0], [3.0]])], weights, 2.0, seed=3)
    assert [v.op.name for v in tf.local_variables()][0] == "estimate_mean/estimated_mean"
    session.run([tf.local_variables_initializer(), tf.global_variables_initializer()])  # zero-debias slots are global
    got_rows, got_rates = session.run([rows, rates])
    # After one update the zero-debiased running mean is the batch mean: rate = w * 2 / mean(w).
    reference = np.array([1.0, 2.0, 5.0]) * 2.0 / np.mean([1.0, 2.0, 5.0])
    assert all(np.isclose(reference, rate, rtol=1e-4).any() for rate in got_rates)
    assert len(got_rows) == len(got_rates)


def test_rejection_sample_keeps_only_accepted(graph, session):
    values = tf.constant([-2.0, 1.0, -1.0, 3.0])
    ids = tf.constant([0, 1, 2, 3])
    batch = tf.contrib.training.rejection_sample([values, ids], lambda t: tf.cast(t[0] > 0, tf.float32), 6,
                                                 enqueue_many=True, runtime_checks=True)
    start_runners(session)
    got_values, got_ids = session.run(batch, options=TIMEOUT)
    assert sorted(set(got_ids)) == [1, 3] and len(got_ids) == 6
    np.testing.assert_array_equal(got_values, np.array([-2.0, 1.0, -1.0, 3.0])[got_ids])


def test_stratified_sample_follows_target_classes(graph, session):
    data = tf.constant([10.0, 11.0, 12.0, 13.0])
    labels = tf.constant([0, 1, 0, 1])
    [batch], batch_labels = tf.contrib.training.stratified_sample([data], labels, [0.0, 1.0], 5,
                                                                  init_probs=[0.5, 0.5], enqueue_many=True)
    [estimated], estimated_labels = tf.contrib.training.stratified_sample([data], labels, [1.0, 0.0], 3,
                                                                          enqueue_many=True)
    assert any(v.op.name.endswith("class_count") for v in tf.global_variables())
    session.run(tf.global_variables_initializer())
    start_runners(session)
    values, got = session.run([batch, batch_labels], options=TIMEOUT)
    assert list(got) == [1] * 5 and set(values) <= {11.0, 13.0}
    values, got = session.run([estimated, estimated_labels], options=TIMEOUT)
    assert list(got) == [0] * 3 and set(values) <= {10.0, 12.0}


def test_stratified_sample_checks_its_probabilities(graph, session):
    data, labels = tf.constant([1.0, 2.0]), tf.constant([0, 1])
    with pytest.raises(ValueError, match="same length"):
        tf.contrib.training.stratified_sample([data], labels, [0.5, 0.5], 2, init_probs=[0.2, 0.3, 0.5],
                                              enqueue_many=True)
    [batch], _ = tf.contrib.training.stratified_sample([data], labels, [0.5, 0.5], 2, init_probs=[1.0, 0.0],
                                                       enqueue_many=True)
    start_runners(session)
    with pytest.raises((tf.errors.OutOfRangeError, tf.errors.DeadlineExceededError)):  # nothing gets through
        session.run(batch, options=tf.RunOptions(timeout_in_ms=1000))
    raised = [str(e) for r in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS) for e in r.exceptions_raised]
    assert any("zero initial probability must also have zero target" in e for e in raised)


def test_placement_strategies(graph):
    training = tf.contrib.training
    greedy = training.GreedyLoadBalancingStrategy(2, training.byte_size_load_fn)
    with tf.device(tf.train.replica_device_setter(ps_tasks=2, ps_strategy=greedy)):
        sizes = [10, 4, 4, 1, 3]
        variables = [tf.get_variable("v%d" % i, [n], initializer=tf.zeros_initializer()) for i, n in enumerate(sizes)]
        scalar = tf.get_variable("scalar", [], initializer=tf.zeros_initializer())
    loads, want = [0, 0], []
    for n in sizes + [1]:  # greedy by bytes: 4 bytes per float
        task = int(np.argmin(loads))
        loads[task] += 4 * n
        want.append("/job:ps/task:%d" % task)
    assert [v.device for v in variables + [scalar]] == want
    assert training.byte_size_load_fn(variables[0].op) == 40
    with pytest.raises(ValueError, match="must have a single output"):
        training.byte_size_load_fn(tf.split(tf.zeros([4]), 2)[0].op)
    random = training.RandomStrategy(3, seed=7)
    digest = int(hashlib.md5(b"v0_7").hexdigest(), 16)
    assert random(variables[0].op) == digest % 3
    assert {random(v.op) for v in variables} <= {0, 1, 2}
