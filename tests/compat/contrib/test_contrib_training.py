"""tf.contrib.training's train ops, gradient transforms, training and evaluation loops and
queue-based bucketing, as TF 1.15 had them (numpy references for the small math)."""

import numpy as np
import pytest

from conftest import tf

W0 = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)
X = np.array([[1.0, 2.0]], np.float32)


def model():
    """loss = sum((x W)^2) on a 2x2 weight `w`; its gradient is 2 x^T (x W)."""
    w = tf.get_variable("w", initializer=tf.constant(W0))
    loss = tf.reduce_sum(tf.square(tf.matmul(tf.constant(X), w)))
    return w, loss, 2 * X.T.dot(X.dot(W0))


def test_create_train_op_steps_and_returns_the_loss(graph, session):
    w, loss, gradient = model()
    counter = tf.get_variable("counter", initializer=0, trainable=False)
    tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, tf.assign_add(counter, 1))
    train_op = tf.contrib.training.create_train_op(
        loss, tf.train.GradientDescentOptimizer(0.1), summarize_gradients=True,
        transform_grads_fn=tf.contrib.training.clip_gradient_norms_fn(1.0))
    assert train_op in tf.get_collection(tf.GraphKeys.TRAIN_OP)
    assert train_op.op.name.startswith("train_op/")
    summaries = sorted(op.name for op in graph.get_operations() if op.type in ("HistogramSummary", "ScalarSummary"))
    assert summaries == ["summarize_grads/w_gradient", "summarize_grads/w_gradient_norm"]
    session.run(tf.global_variables_initializer())
    value = session.run(train_op)
    clipped = gradient / max(1.0, np.linalg.norm(gradient))
    np.testing.assert_allclose(value, np.sum(X.dot(W0) ** 2), rtol=1e-6)
    np.testing.assert_allclose(session.run(w), W0 - 0.1 * clipped, rtol=1e-5)
    assert session.run([counter, tf.train.get_global_step()]) == [1, 1]


def test_check_numerics_rejects_a_nan_loss(graph, session):
    w = tf.get_variable("w", initializer=1.0)
    train_op = tf.contrib.training.create_train_op(w * float("nan"), tf.train.GradientDescentOptimizer(0.1))
    session.run(tf.global_variables_initializer())
    with pytest.raises(tf.errors.InvalidArgumentError, match="LossTensor is inf or nan"):
        session.run(train_op)


def test_gradient_transforms(graph, session):
    training = tf.contrib.training
    w, loss, gradient = model()
    embedding = tf.get_variable("embedding", initializer=tf.ones([3, 2]))
    loss += tf.reduce_sum(tf.gather(embedding, [0, 2]) * 4.0)
    grads = tf.train.GradientDescentOptimizer(1.0).compute_gradients(loss)
    clipped = training.clip_gradient_norms(grads + [(None, w)], 2.0)
    assert clipped[-1][0] is None and isinstance(clipped[1][0], tf.IndexedSlices)
    multiplied = training.multiply_gradients(grads, {w: 0.5, "embedding": 3.0})
    with pytest.raises(ValueError, match="must be a list"):
        training.multiply_gradients(tuple(grads), {w: 1.0})
    with pytest.raises(ValueError, match="is empty"):
        training.multiply_gradients(grads, {})
    with pytest.raises(ValueError, match="of `None` gradient"):
        training.multiply_gradients([(None, w)], {w: 2.0})
    summaries = training.add_gradients_summaries(grads + [(None, w)])
    assert len(summaries) == 4
    session.run(tf.global_variables_initializer())
    c_dense, c_sparse, m_dense, m_sparse = session.run([clipped[0][0], clipped[1][0].values,
                                                         multiplied[0][0], multiplied[1][0].values])
    np.testing.assert_allclose(c_dense, gradient * 2.0 / np.linalg.norm(gradient), rtol=1e-5)
    np.testing.assert_allclose(c_sparse, np.full((2, 2), 4.0) * 2.0 / 8.0, rtol=1e-5)  # the slices' norm: 8
    np.testing.assert_allclose(m_dense, 0.5 * gradient, rtol=1e-5)
    np.testing.assert_allclose(m_sparse, np.full((2, 2), 12.0), rtol=1e-6)


def test_train_runs_until_a_hook_stops_and_checkpoints(graph, tmp_path):
    training = tf.contrib.training
    _, loss, _ = model()
    train_op = training.create_train_op(loss, tf.train.GradientDescentOptimizer(0.01))
    with pytest.raises(ValueError, match="logdir cannot be None"):
        training.train(train_op, None)
    last = training.train(train_op, str(tmp_path), hooks=[tf.train.StopAtStepHook(num_steps=3)],
                          save_checkpoint_secs=None, save_summaries_steps=None)
    assert np.isfinite(last)
    saver_dir = str(tmp_path / "ckpt")
    training.train(train_op, saver_dir, hooks=[tf.train.StopAtStepHook(last_step=5)], save_summaries_steps=None)
    assert tf.train.load_checkpoint(tf.train.latest_checkpoint(saver_dir)).get_tensor("global_step") == 5


@pytest.fixture
def checkpoint_dir(tmp_path):
    """A folder with one checkpoint of w = 2 at global step 7."""
    with tf.Graph().as_default():
        tf.get_variable("w", initializer=2.0)
        step = tf.train.get_or_create_global_step()
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            session.run(tf.assign(step, 7))
            tf.train.Saver().save(session, str(tmp_path / "model.ckpt"), global_step=step)
    return str(tmp_path)


def test_checkpoint_waiting(checkpoint_dir, tmp_path):
    training = tf.contrib.training
    found = training.wait_for_new_checkpoint(checkpoint_dir, timeout=1)
    assert found.endswith("model.ckpt-7")
    assert training.wait_for_new_checkpoint(checkpoint_dir, last_checkpoint=found, seconds_to_sleep=0.1,
                                            timeout=0.2) is None
    assert list(training.checkpoints_iterator(checkpoint_dir, timeout=0.2)) == [found]


def test_evaluation_loops(checkpoint_dir, tmp_path):
    training = tf.contrib.training
    w = tf.get_variable("w", initializer=0.0)
    tf.train.get_or_create_global_step()
    eval_step = training.get_or_create_eval_step()
    assert eval_step.op.name == "eval_step"
    total = tf.get_variable("total", initializer=0.0, trainable=False, collections=[tf.GraphKeys.LOCAL_VARIABLES])
    accumulate = tf.assign_add(total, w)
    tf.summary.scalar("eval_total", total)
    path = tf.train.latest_checkpoint(checkpoint_dir)
    once = training.evaluate_once(path, eval_ops=accumulate, final_ops=total,
                                  hooks=[training.StopAfterNEvalsHook(3)])
    assert once == 6.0
    repeated = training.evaluate_repeatedly(
        checkpoint_dir, eval_ops=[accumulate], final_ops={"total": total}, eval_interval_secs=0,
        hooks=[training.StopAfterNEvalsHook(2), training.SummaryAtEndHook(str(tmp_path / "eval"))],
        max_number_of_evaluations=1, timeout=1)
    assert repeated == {"total": 4.0}
    events = list((tmp_path / "eval").glob("events.out.tfevents.*"))
    tags = [(e.step, v.tag) for f in events for e in tf.train.summary_iterator(str(f)) for v in e.summary.value]
    assert tags == [(7, "eval_total")]
    with pytest.raises(ValueError, match="One of log_dir or summary_writer"):
        training.SummaryAtEndHook()


def read_batches(fetch, count):
    with tf.Session() as session:
        coordinator = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(session, coordinator)
        batches = [session.run(fetch) for _ in range(count)]
        coordinator.request_stop()
        coordinator.join(threads, stop_grace_period_secs=5)
    return batches


def test_bucket_by_sequence_length_groups_lengths(graph):
    lengths = [1, 4, 2, 5, 3, 6, 1, 7]
    queue = tf.train.input_producer(tf.constant(lengths), shuffle=False, num_epochs=None)
    length = queue.dequeue()
    sequence = tf.fill([length], length)
    got_lengths, (padded,) = tf.contrib.training.bucket_by_sequence_length(
        length, [sequence], batch_size=2, bucket_boundaries=[3, 5], dynamic_pad=True)
    assert got_lengths.shape.as_list() == [2] and padded.shape.as_list() == [2, None]
    batches = read_batches([got_lengths, padded], 3)
    for batch_lengths, batch in batches:
        buckets = {int(np.searchsorted([3, 5], n, side="right")) for n in batch_lengths}
        assert len(buckets) == 1  # one bucket per batch
        assert batch.shape[1] == max(batch_lengths)
        assert [row[:n].tolist() for row, n in zip(batch, batch_lengths)] == [[n] * n for n in batch_lengths]
    with pytest.raises(ValueError, match="sequential increasing"):
        tf.contrib.training.bucket_by_sequence_length(length, [sequence], 2, [5, 3])
    with pytest.raises(TypeError, match="must be a list or tuple"):
        tf.contrib.training.bucket_by_sequence_length(length, [sequence], 2, 3)


def test_bucket_with_per_bucket_batch_sizes(graph):
    numbers = tf.train.input_producer(tf.range(12), shuffle=False).dequeue()
    # One tensor in a list: TF 1.15 returns the batch as a tensor (not a one-element list).
    which, batch = tf.contrib.training.bucket([numbers], numbers % 2, batch_size=[2, 3], num_buckets=2)
    assert batch.shape.as_list() == [None]
    for bucket_id, values in read_batches([which, batch], 4):
        assert len(values) == [2, 3][bucket_id] and all(v % 2 == bucket_id for v in values)
    with pytest.raises(ValueError, match="num_buckets elements"):
        tf.contrib.training.bucket([numbers], 0, batch_size=[1, 2, 3], num_buckets=2)
