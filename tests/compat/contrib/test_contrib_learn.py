"""tf.contrib.learn: Estimator, SKCompat and RunConfig, as TF 1.15 behaves.

Runs unchanged on TF 1.15 (the real tf.contrib.learn: proof the tests describe TF 1.x) and on
TF 2.x (compat's re-implementation). Model functions use plain tf ops only.
"""

import functools
import os
import shutil

import numpy as np
import pytest

from conftest import TF1, tf
from estimator_helpers import captured_tf_log

learn = tf.contrib.learn

# A small regression problem with a known exact solution.
RNG = np.random.RandomState(0)
X = RNG.randn(64, 3).astype(np.float32)
TRUE_W = np.array([1.5, -2.0, 0.5], np.float32)
TRUE_B = 0.25
Y = (X.dot(TRUE_W) + TRUE_B).astype(np.float32)  # shape [N]


def _linear(features, labels, learning_rate=0.1):
    """predictions = x.w + b, mean squared error, plain gradient descent on the global step."""
    w = tf.get_variable("w", [int(features.shape[1]), 1], initializer=tf.zeros_initializer())
    b = tf.get_variable("b", [], initializer=tf.zeros_initializer())
    predictions = tf.reshape(tf.matmul(features, w) + b, [-1])
    if labels is None:
        return predictions, None, None
    loss = tf.reduce_mean(tf.square(predictions - tf.reshape(labels, [-1])))
    train_op = tf.train.GradientDescentOptimizer(learning_rate).minimize(
        loss, global_step=tf.train.get_global_step())
    return predictions, loss, train_op


def linear_model_fn(features, labels):
    return _linear(features, labels)


def constant_input_fn():
    return tf.constant(X), tf.constant(Y)


def model_dir(tmp_path):
    return str(tmp_path / "model")


def saved_step(estimator):
    return int(estimator.get_variable_value("global_step"))


# --- Estimator: checkpoints, resuming, steps vs max_steps ------------------------------------------

def test_fit_checkpoints_and_a_second_fit_resumes_from_the_saved_step(tmp_path):
    est = learn.Estimator(model_fn=linear_model_fn, model_dir=model_dir(tmp_path))
    assert est.model_dir == model_dir(tmp_path)
    est.fit(input_fn=constant_input_fn, steps=5)
    # Saved when the session starts (step 0) and when training ends, though 600 s never passed.
    state = tf.train.get_checkpoint_state(est.model_dir)
    assert os.path.basename(state.model_checkpoint_path) == "model.ckpt-5"
    assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == ["model.ckpt-0", "model.ckpt-5"]
    assert {"global_step", "w", "b"} <= set(est.get_variable_names())
    assert saved_step(est) == 5

    est.fit(input_fn=constant_input_fn, steps=3)  # steps= adds to the saved step
    assert saved_step(est) == 8
    fresh = learn.Estimator(model_fn=linear_model_fn, model_dir=est.model_dir)
    fresh.fit(input_fn=constant_input_fn, steps=2)  # a new Estimator reads the step from the checkpoint
    assert saved_step(fresh) == 10

    w, b = fresh.get_variable_value("w"), fresh.get_variable_value("b")
    predicted = np.array(list(fresh.predict(input_fn=constant_input_fn)))
    np.testing.assert_allclose(predicted, X.dot(w).ravel() + b, rtol=1e-5, atol=1e-6)


def test_max_steps_is_absolute_and_a_no_op_once_reached(tmp_path):
    est = learn.Estimator(model_fn=linear_model_fn, model_dir=model_dir(tmp_path))
    est.fit(input_fn=constant_input_fn, max_steps=4)
    assert saved_step(est) == 4
    files = sorted(os.listdir(est.model_dir))
    est.fit(input_fn=constant_input_fn, max_steps=3)  # already past it: not even a session
    assert saved_step(est) == 4 and sorted(os.listdir(est.model_dir)) == files
    est.fit(input_fn=constant_input_fn, max_steps=6)
    assert saved_step(est) == 6
    with pytest.raises(ValueError, match="both steps and max_steps"):
        est.fit(input_fn=constant_input_fn, steps=1, max_steps=10)


def test_evaluate_returns_loss_and_global_step_and_writes_eval_events(tmp_path):
    est = learn.Estimator(model_fn=linear_model_fn, model_dir=model_dir(tmp_path))
    with pytest.raises(learn.NotFittedError):
        est.evaluate(input_fn=constant_input_fn, steps=1)
    est.fit(input_fn=constant_input_fn, steps=3)
    mae = lambda predictions, labels: tf.metrics.mean_absolute_error(labels, predictions)  # noqa: E731
    results = est.evaluate(input_fn=constant_input_fn, steps=2, metrics={"mae": mae})
    assert sorted(results) == ["global_step", "loss", "mae"]
    assert results["global_step"] == 3
    error = X.dot(est.get_variable_value("w")).ravel() + est.get_variable_value("b") - Y
    np.testing.assert_allclose(results["loss"], np.mean(error ** 2), rtol=1e-5)
    np.testing.assert_allclose(results["mae"], np.mean(np.abs(error)), rtol=1e-5)

    tags = set()
    eval_dir = os.path.join(est.model_dir, "eval")
    for name in os.listdir(eval_dir):
        for event in tf.train.summary_iterator(os.path.join(eval_dir, name)):
            tags.update((v.tag, event.step) for v in event.summary.value)
    assert {("loss", 3), ("mae", 3)} <= tags
    assert any(name.startswith("events.out.tfevents") for name in os.listdir(est.model_dir))


def test_without_model_dir_a_temporary_folder_is_used():
    est = learn.Estimator(model_fn=linear_model_fn)
    try:
        assert os.path.isdir(est.model_dir)
        est.fit(input_fn=constant_input_fn, steps=1)
        assert tf.train.latest_checkpoint(est.model_dir)
    finally:
        shutil.rmtree(est.model_dir, ignore_errors=True)


def test_run_config_defaults_and_checkpoint_schedule(tmp_path):
    default = learn.RunConfig()
    assert (default.save_checkpoints_secs, default.save_checkpoints_steps) == (600, None)
    assert (default.keep_checkpoint_max, default.tf_random_seed, default.save_summary_steps) == (5, None, 100)
    config = learn.RunConfig(save_checkpoints_steps=2, keep_checkpoint_max=2)
    assert config.save_checkpoints_secs is None

    est = learn.Estimator(model_fn=linear_model_fn, model_dir=model_dir(tmp_path), config=config)
    assert est.config.model_dir == est.model_dir
    est.fit(input_fn=constant_input_fn, steps=5)  # saves at 0, 2, 4 and 5; keeps the newest two
    state = tf.train.get_checkpoint_state(est.model_dir)
    assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == ["model.ckpt-4", "model.ckpt-5"]


def test_loss_is_logged_every_100_steps_at_info(tmp_path):
    with captured_tf_log() as records:
        est = learn.Estimator(model_fn=linear_model_fn, model_dir=model_dir(tmp_path))
        est.fit(input_fn=constant_input_fn, steps=150)
    loss_lines = [r for r in records if r.startswith("loss = ")]
    assert len(loss_lines) == 2
    assert loss_lines[0].endswith(", step = 1") and ", step = 101 (" in loss_lines[1]


# --- model_fn signatures ---------------------------------------------------------------------------

def test_model_fn_gets_mode_params_and_config_by_argument_name(tmp_path):
    seen = []

    def with_mode(features, labels, mode):
        seen.append(mode)
        return _linear(features, labels)

    def with_params(features, labels, mode, params):
        seen.append((mode, params["learning_rate"]))
        return _linear(features, labels, params["learning_rate"])

    def with_config(features, labels, mode, params, config):
        seen.append(config.model_dir)
        return _linear(features, labels)

    est = learn.Estimator(model_fn=with_mode, model_dir=model_dir(tmp_path / "a"))
    est.fit(input_fn=constant_input_fn, steps=1)
    est.evaluate(input_fn=constant_input_fn, steps=1)
    list(est.predict(input_fn=constant_input_fn))
    assert seen == [learn.ModeKeys.TRAIN, learn.ModeKeys.EVAL, learn.ModeKeys.INFER]
    assert seen == ["train", "eval", "infer"]

    del seen[:]
    est = learn.Estimator(model_fn=with_params, model_dir=model_dir(tmp_path / "b"),
                          params={"learning_rate": 0.5})
    est.fit(input_fn=constant_input_fn, steps=1)
    assert seen == [("train", 0.5)]
    # one step of plain gradient descent from w = 0: w = lr * 2/N * X^T y
    np.testing.assert_allclose(est.get_variable_value("w").ravel(), 0.5 * 2 * X.T.dot(Y) / len(X), rtol=1e-5)

    del seen[:]
    est = learn.Estimator(model_fn=with_config, model_dir=model_dir(tmp_path / "c"), params={})
    est.fit(input_fn=constant_input_fn, steps=1)
    assert seen == [est.model_dir]

    with pytest.raises(ValueError, match="does not have a params argument"):
        learn.Estimator(model_fn=with_mode, params={"learning_rate": 0.5})


def test_model_fn_may_be_a_partial_and_may_return_model_fn_ops(tmp_path):
    def model_fn(features, labels, mode, learning_rate):
        predictions, loss, train_op = _linear(features, labels, learning_rate)
        return learn.ModelFnOps(mode=mode, predictions={"y": predictions}, loss=loss, train_op=train_op)

    est = learn.Estimator(model_fn=functools.partial(model_fn, learning_rate=0.5),
                          model_dir=model_dir(tmp_path))
    est.fit(input_fn=constant_input_fn, steps=1)
    np.testing.assert_allclose(est.get_variable_value("w").ravel(), 0.5 * 2 * X.T.dot(Y) / len(X), rtol=1e-5)
    first = next(iter(est.predict(input_fn=constant_input_fn)))
    assert sorted(first) == ["y"] and np.shape(first["y"]) == ()


def test_predict_after_fit_gets_a_labels_placeholder_and_a_fresh_estimator_gets_none(tmp_path):
    label_args = []

    def model_fn(features, labels, mode):
        label_args.append(labels)
        labels = tf.reshape(labels, [-1]) if labels is not None else None  # the sin tutorial reshapes always
        return _linear(features, labels)

    est = learn.Estimator(model_fn=model_fn, model_dir=model_dir(tmp_path))
    est.fit(input_fn=constant_input_fn, steps=1)
    list(est.predict(input_fn=constant_input_fn))
    placeholder = label_args[-1]
    assert placeholder.op.type == "Placeholder"
    assert placeholder.dtype == tf.float32 and placeholder.shape.as_list() == [None]

    fresh = learn.Estimator(model_fn=model_fn, model_dir=est.model_dir)
    fresh.predict(input_fn=constant_input_fn, as_iterable=False)
    assert label_args[-1] is None


def test_graph_before_the_model_fn_is_tf_1_15s(tmp_path):
    """The ops made before model_fn are TF 1.15's, in its order (TF 1.15 derives op seeds from it)."""
    op_names = []

    def model_fn(features, labels):
        op_names.append([op.name for op in tf.get_default_graph().get_operations()])
        return _linear(features, labels)

    config = learn.RunConfig(tf_random_seed=7)
    learn.SKCompat(learn.Estimator(model_fn=model_fn, model_dir=model_dir(tmp_path), config=config)).fit(
        X, Y, batch_size=8, steps=1)
    assert op_names[0] == [
        "global_step/Initializer/zeros", "global_step", "global_step/Assign", "global_step/read",
        "input", "output",
        "global_step/IsVariableInitialized", "global_step/cond/Switch", "global_step/cond/switch_t",
        "global_step/cond/switch_f", "global_step/cond/pred_id", "global_step/cond/read",
        "global_step/cond/read/Switch", "global_step/cond/Switch_1", "global_step/cond/Merge",
        "global_step/add/y", "global_step/add"]


# --- SKCompat: numpy x/y ---------------------------------------------------------------------------

def _recording_model_fn(features, labels):
    """Keeps what each step was fed: shapes/dtypes in `info`, first column of x/y in variables."""
    _recording_model_fn.info.append(
        (features.dtype, features.shape.as_list(), labels.dtype, labels.shape.as_list()))
    first_label = tf.reshape(labels, [tf.shape(labels)[0], -1])[:, 0]
    return _linear(features, first_label)


def test_skcompat_fit_predict_shapes_and_dtypes(tmp_path):
    cases = [
        # (x, y, feature placeholder, label placeholder)
        (X, Y.reshape(-1, 1), [None, 3], [None]),          # y [N, 1] is fed as [batch]
        (X, Y, [None, 3], [None]),
        (X[:, 0], Y, [None, 1], [None]),                   # 1-D x becomes one column
        (X, np.stack([Y, Y], axis=1), [None, 3], [None, 2]),
    ]
    for i, (x, y, x_shape, y_shape) in enumerate(cases):
        _recording_model_fn.info = []
        regressor = learn.SKCompat(learn.Estimator(model_fn=_recording_model_fn,
                                                   model_dir=model_dir(tmp_path / str(i))))
        assert regressor.fit(x, y, batch_size=16, steps=2) is regressor
        assert _recording_model_fn.info[0] == (tf.float32, x_shape, tf.float32, y_shape)
        predicted = regressor.predict(x, batch_size=20)  # 64 rows in batches of 20, 20, 20, 4
        assert isinstance(predicted, np.ndarray)
        assert predicted.dtype == np.float32 and predicted.shape == (64,)
    results = regressor.score(x, y, batch_size=20)
    assert sorted(results) == ["global_step", "loss"] and results["global_step"] == 2


def test_skcompat_predict_with_dict_predictions_concatenates_each_key(tmp_path):
    def model_fn(features, labels):
        predictions, loss, train_op = _linear(features, labels)
        twice = tf.stack([predictions, 2 * predictions], axis=1)
        return {"value": predictions, "twice": twice}, loss, train_op

    regressor = learn.SKCompat(learn.Estimator(model_fn=model_fn, model_dir=model_dir(tmp_path)))
    regressor.fit(X, Y, batch_size=16, steps=3)
    predicted = regressor.predict(X, batch_size=30)
    assert sorted(predicted) == ["twice", "value"]
    assert predicted["value"].shape == (64,) and predicted["twice"].shape == (64, 2)
    np.testing.assert_allclose(predicted["twice"][:, 1], 2 * predicted["value"], rtol=1e-6)
    only = regressor.predict(X, batch_size=30, outputs=["value"])
    assert sorted(only) == ["value"]


def test_estimator_fit_and_predict_accept_x_y_directly(tmp_path):
    est = learn.Estimator(model_fn=linear_model_fn, model_dir=model_dir(tmp_path))
    est.fit(x=X, y=Y, steps=2)  # the deprecated path: one batch of all rows
    predicted = est.predict(x=X, as_iterable=False)
    assert predicted.shape == (64,)
    assert len(list(est.predict(x=X, batch_size=10))) == 64
    assert est.evaluate(x=X, y=Y)["global_step"] == 2


def test_a_linear_model_learns_the_least_squares_solution(tmp_path):
    solution = np.linalg.lstsq(np.hstack([X, np.ones((len(X), 1), np.float32)]), Y, rcond=None)[0]
    np.testing.assert_allclose(solution, np.append(TRUE_W, TRUE_B), atol=1e-5)
    est = learn.Estimator(model_fn=linear_model_fn, model_dir=model_dir(tmp_path))
    regressor = learn.SKCompat(est)
    regressor.fit(X, Y, batch_size=16, steps=1)
    first_loss = regressor.score(X, Y)["loss"]
    regressor.fit(X, Y, batch_size=16, steps=300)
    np.testing.assert_allclose(est.get_variable_value("w").ravel(), solution[:3], atol=1e-3)
    np.testing.assert_allclose(est.get_variable_value("b"), solution[3], atol=1e-3)
    assert regressor.score(X, Y)["loss"] < 1e-5 < first_loss


def _expected_batches(num_rows, batch_size, steps):
    """TF 1.15's feeding order, re-derived: RandomState(42) permutations, one per epoch."""
    random_state = np.random.RandomState(42)
    order, offset, batches = random_state.permutation(num_rows), 0, []
    for _ in range(steps):
        batches.append(order[offset:offset + batch_size])
        offset += batch_size
        if offset >= num_rows:
            order, offset = random_state.permutation(num_rows), 0
    return batches


def test_skcompat_fit_feeds_tf_1_15s_batch_sequence(tmp_path):
    num_rows, batch_size, steps = 10, 4, 9  # epochs of 4 + 4 + 2 rows, reshuffled each epoch
    x = np.arange(num_rows, dtype=np.float32).reshape(-1, 1)
    y = 100 + np.arange(num_rows, dtype=np.float32)

    def model_fn(features, labels):
        seen = tf.get_variable("seen", [2 * steps, batch_size], initializer=tf.constant_initializer(-1.0))
        step = tf.train.get_global_step()
        pad = [[0, batch_size - tf.shape(labels)[0]]]
        rows = tf.pad(features[:, 0], pad, constant_values=-1.0) + tf.pad(labels - 100, pad) * 1000
        record = tf.scatter_update(seen, tf.reshape(step, [1]), tf.reshape(rows, [1, batch_size]))
        with tf.control_dependencies([record]):
            train_op = tf.assign_add(step, 1)
        return features, tf.reduce_sum(seen), train_op

    est = learn.Estimator(model_fn=model_fn, model_dir=model_dir(tmp_path))
    learn.SKCompat(est).fit(x, y, batch_size=batch_size, steps=steps)
    learn.SKCompat(est).fit(x, y, batch_size=batch_size, steps=steps)  # each fit restarts RandomState(42)
    seen = est.get_variable_value("seen")

    expected = _expected_batches(num_rows, batch_size, steps) * 2
    assert [len(b) for b in expected[:3]] == [4, 4, 2]
    for step, indices in enumerate(expected):
        row = seen[step]
        x_part = np.where(row >= 0, row % 1000, -1)
        assert list(x_part[:len(indices)]) == list(indices), "step %d" % step
        assert list(row[:len(indices)] // 1000) == list(indices), "labels of step %d" % step  # y matches x
        assert (row[len(indices):] == -1).all()


# --- what compat does not provide ------------------------------------------------------------------

@pytest.mark.skipif(TF1, reason="TF 1.15 has the whole tf.contrib.learn; only compat leaves names out")
def test_unprovided_names_raise_attribute_error_naming_them():
    with pytest.raises(AttributeError, match=r"tf\.contrib\.learn\.DNNRegressor"):
        learn.DNNRegressor
    with pytest.raises(AttributeError, match=r"tf\.contrib\.learn\.Experiment"):
        getattr(learn, "Experiment")
    assert not hasattr(learn, "LinearClassifier")
