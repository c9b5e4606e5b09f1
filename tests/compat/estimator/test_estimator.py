"""tf.estimator: Estimator, EstimatorSpec, RunConfig, inputs, train_and_evaluate, as TF 1.15 behaves.

On TF 1.15 the real tf.estimator runs these tests (proof they describe TF 1.x); on TF 2.x compat's
(compat/estimator/). A small seeded linear model with Adam is trained 20 steps from a tf.data input.
Also a script (Python 3.7):

    python tests/compat/estimator/test_estimator.py golden              # TF 1.15: write tests/golden/estimator/
    python tests/compat/estimator/test_estimator.py train MODEL_DIR N   # train to max_steps N, print one RESULT json line
"""

import glob
import json
import os
import shutil
import sys

import numpy as np
import pytest

TESTS_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Run as a script: the repo first (so `compat` is the package, not the folder tests/compat/), then tests/ (conftest)
sys.path[:0] = [os.path.dirname(TESTS_ROOT), TESTS_ROOT]
from conftest import REPO, TF1, run_python, tf  # noqa: E402
from estimator_helpers import LossRecorder, captured_tf_log, read_json, write_json  # noqa: E402

GOLDEN_DIR = REPO / "tests" / "golden" / "estimator"
GOLDEN = GOLDEN_DIR / "linear.json"
GOLDEN_MODEL_DIR = GOLDEN_DIR / "model_dir"
STEPS = 20
RTOL = 1e-5

X = np.random.RandomState(0).randn(12, 3).astype(np.float32)
Y = (X.dot([[1.5], [-2.0], [0.5]]) + 0.25).astype(np.float32)


def model_fn(features, labels, mode, params):
    w = tf.get_variable("w", [3, 1], initializer=tf.glorot_uniform_initializer(seed=7))
    b = tf.get_variable("b", [1], initializer=tf.zeros_initializer())
    predictions = tf.matmul(features["x"], w) + b
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"y": predictions, "twice": 2 * predictions})
    loss = tf.identity(tf.losses.mean_squared_error(labels, predictions), name="total_loss")
    train_op = tf.train.AdamOptimizer(params["learning_rate"]).minimize(loss, tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                      eval_metric_ops={"mae": tf.metrics.mean_absolute_error(labels, predictions)})


def train_input_fn():
    return tf.data.Dataset.from_tensor_slices(({"x": X}, Y)).repeat().batch(4)


def eval_input_fn():
    return tf.data.Dataset.from_tensor_slices(({"x": X}, Y)).batch(5)


def predict_input_fn():
    return tf.data.Dataset.from_tensor_slices({"x": X[:5]}).batch(2)


def make_estimator(model_dir, **config):
    config = tf.estimator.RunConfig(tf_random_seed=3, save_checkpoints_steps=10, save_summary_steps=5,
                                    log_step_count_steps=5, **config)
    return tf.estimator.Estimator(model_fn, model_dir=str(model_dir), config=config, params={"learning_rate": 0.05})


class SaveRecorder(tf.train.CheckpointSaverListener):
    def __init__(self):
        self.events = []

    def after_save(self, session, global_step_value):
        self.events.append(("after_save", int(global_step_value)))

    def end(self, session, global_step_value):
        self.events.append(("end", int(global_step_value)))


def train(model_dir, max_steps, saving_listeners=None):
    """(estimator, losses of the steps it ran)"""
    estimator = make_estimator(model_dir)
    recorder = LossRecorder()
    estimator.train(train_input_fn, hooks=[recorder], max_steps=max_steps, saving_listeners=saving_listeners)
    return estimator, recorder.losses


def as_floats(results):
    return {key: float(value) for key, value in results.items()}


def golden():
    return read_json(GOLDEN)


def assert_close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual, np.float64), np.asarray(expected, np.float64), rtol=RTOL, atol=1e-7)


def assert_logged_steps(steps):
    """Hooks log every 5 steps from the first, 1, 6, 11, 16; but the step they show is global_step
    read in the same run as train_op, which increments it with no order between the two, so
    TF 1.15 itself now and then shows one less (and counts on from there)."""
    assert len(steps) == 4 and steps[0] in (0, 1), steps
    assert all(4 <= later - earlier <= 6 for earlier, later in zip(steps, steps[1:])), steps


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One 20-step run (logs captured), then evaluate and predict: shared by the tests below."""
    model_dir = tmp_path_factory.mktemp("estimator") / "model"
    with captured_tf_log() as records:
        listener = SaveRecorder()
        estimator, losses = train(model_dir, STEPS, saving_listeners=[listener])
        evaluation = estimator.evaluate(eval_input_fn)
        predictions = list(estimator.predict(predict_input_fn))
    return {"estimator": estimator, "model_dir": model_dir, "losses": losses, "log": records, "saves": listener.events,
            "evaluation": evaluation, "predictions": predictions}


def test_training_losses_match_tf115_golden(trained):
    assert len(trained["losses"]) == STEPS
    assert_close(trained["losses"], golden()["losses"])
    assert trained["losses"][-1] < trained["losses"][0] / 2


def test_evaluate_returns_the_metrics_loss_and_global_step(trained):
    results = trained["evaluation"]
    assert sorted(results) == ["global_step", "loss", "mae"]
    assert results["global_step"] == STEPS
    estimator = trained["estimator"]
    predicted = X.dot(estimator.get_variable_value("w")) + estimator.get_variable_value("b")
    # loss is the mean over batches of each batch's MSE (batches of 5, 5, 2 rows); mae over all rows
    batch_mse = [np.mean((predicted[i:i + 5] - Y[i:i + 5]) ** 2) for i in (0, 5, 10)]
    assert_close([results["loss"], results["mae"]], [np.mean(batch_mse), np.mean(np.abs(predicted - Y))])
    assert_close([results["loss"], results["mae"]], [golden()["evaluation"]["loss"], golden()["evaluation"]["mae"]])


def test_predict_yields_single_examples_of_the_dict(trained):
    estimator = trained["estimator"]
    expected = X[:5].dot(estimator.get_variable_value("w")) + estimator.get_variable_value("b")
    assert [sorted(p) for p in trained["predictions"]] == [["twice", "y"]] * 5
    assert_close([p["y"] for p in trained["predictions"]], expected)
    batches = list(estimator.predict(predict_input_fn, predict_keys=["y"], yield_single_examples=False))
    assert [sorted(b) for b in batches] == [["y"]] * 3 and [len(b["y"]) for b in batches] == [2, 2, 1]


def test_saving_listeners_hear_every_checkpoint(trained):
    assert trained["saves"] == [("after_save", 0), ("after_save", 10), ("after_save", 20), ("end", 20)]


def test_variables_and_model_dir_layout_are_tf115s(trained):
    estimator, model_dir = trained["estimator"], trained["model_dir"]
    assert estimator.model_dir == str(model_dir) and estimator.params == {"learning_rate": 0.05}
    assert estimator.get_variable_names() == golden()["variable_names"]
    assert estimator.latest_checkpoint() == str(model_dir / "model.ckpt-20")
    names = sorted(os.listdir(str(model_dir)))
    for step in (0, 10, 20):
        for suffix in (".index", ".meta", ".data-00000-of-00001"):
            assert "model.ckpt-%d%s" % (step, suffix) in names
    assert {"checkpoint", "graph.pbtxt", "eval"} <= set(names)
    assert len([n for n in names if n.startswith("events.out.tfevents.")]) == 1
    assert len(glob.glob(str(model_dir / "eval" / "events.out.tfevents.*"))) == 1


def test_log_lines_are_tf115s(trained):
    log = trained["log"]
    loss_lines = [line for line in log if line.startswith("loss = ")]
    assert_logged_steps([int(line.split(", step = ")[1].split(" ")[0]) for line in loss_lines])
    assert "Saving checkpoints for 20 into %s." % (trained["model_dir"] / "model.ckpt") in log
    assert "Loss for final step: %s." % np.float32(trained["losses"][-1]) in log
    assert any(line.startswith("Saving dict for global step 20: global_step = 20, loss = ") for line in log)


def test_tensorboard_reads_the_loss_scalar(trained):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(trained["model_dir"]))
    events.Reload()
    assert "loss" in events.Tags()["scalars"]
    scalars = events.Scalars("loss")
    # SummarySaverHook every 5 steps: the loss of the run it shows the global step of
    assert_logged_steps([s.step for s in scalars][:4])
    for scalar in scalars[:4]:
        run_losses = [trained["losses"][i] for i in (scalar.step - 1, scalar.step) if 0 <= i < STEPS]
        assert np.isclose(run_losses, scalar.value, rtol=RTOL).any(), (scalar, run_losses)
    evaluation = EventAccumulator(str(trained["model_dir"] / "eval"))
    evaluation.Reload()
    assert {"loss", "mae"} <= set(evaluation.Tags()["scalars"])
    assert_close(evaluation.Scalars("mae")[0].value, trained["evaluation"]["mae"])
    checkpoint_path = evaluation.Tensors("checkpoint_path")[0]
    assert checkpoint_path.step == STEPS
    assert tf.make_ndarray(checkpoint_path.tensor_proto) == str(trained["model_dir"] / "model.ckpt-20").encode()


def test_steps_add_to_the_checkpoint_and_max_steps_is_absolute(trained, tmp_path):
    model_dir = tmp_path / "model"
    shutil.copytree(str(trained["model_dir"]), str(model_dir))
    estimator = make_estimator(model_dir)
    estimator.train(train_input_fn, max_steps=STEPS)  # already there: skipped
    assert estimator.latest_checkpoint().endswith("model.ckpt-20")
    estimator.train(train_input_fn, steps=3)
    assert estimator.get_variable_value("global_step") == 23
    with pytest.raises(ValueError):
        estimator.train(train_input_fn, steps=1, max_steps=30)


def test_tf115_checkpoint_evaluates_and_predicts_the_golden(tmp_path):
    model_dir = tmp_path / "model"
    shutil.copytree(str(GOLDEN_MODEL_DIR), str(model_dir))
    estimator = make_estimator(model_dir)
    results = estimator.evaluate(eval_input_fn, steps=2, name="two")
    assert results["global_step"] == STEPS and os.path.isdir(str(model_dir / "eval_two"))
    assert_close([results["loss"], results["mae"]], [golden()["evaluation_two_steps"][k] for k in ("loss", "mae")])
    assert_close([p["y"] for p in estimator.predict(predict_input_fn)], golden()["predictions"])


def test_input_fn_may_return_tensors_instead_of_a_dataset(tmp_path):
    model_dir = tmp_path / "model"
    shutil.copytree(str(GOLDEN_MODEL_DIR), str(model_dir))
    estimator = make_estimator(model_dir)
    results = estimator.evaluate(tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=5, shuffle=False))
    assert_close([results["loss"], results["mae"]], [golden()["evaluation"][k] for k in ("loss", "mae")])
    predicted = estimator.predict(tf.estimator.inputs.numpy_input_fn({"x": X[:5]}, batch_size=2, shuffle=False),
                                  predict_keys="y")
    assert_close([p["y"] for p in predicted], golden()["predictions"])


def test_numpy_input_fn_batches_in_order():
    with tf.Graph().as_default():
        features, labels = tf.estimator.inputs.numpy_input_fn({"x": X}, Y, batch_size=5, shuffle=False)()
        with tf.train.MonitoredSession() as session:
            batches = [session.run([features, labels]) for _ in range(3)]
            with pytest.raises(tf.errors.OutOfRangeError):
                session.run(features)
    with tf.Graph().as_default():  # a graph of its own: TF 1.15's feeding state lives in Python
        endless = tf.estimator.inputs.numpy_input_fn(X, batch_size=5, num_epochs=None, shuffle=False)()
        with tf.train.MonitoredSession() as session:
            wrapped = [session.run(endless) for _ in range(3)]
    assert [len(b[1]) for b in batches] == [5, 5, 2]
    np.testing.assert_array_equal(np.concatenate([b[0]["x"] for b in batches]), X)
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), Y)
    np.testing.assert_array_equal(np.concatenate(wrapped), np.concatenate([X, X])[:15])
    with pytest.raises(ValueError):
        tf.estimator.inputs.numpy_input_fn(X)


def test_pandas_input_fn_gives_a_dict_of_columns():
    import pandas as pd

    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1]})
    with tf.Graph().as_default():
        features, labels = tf.estimator.inputs.pandas_input_fn(frame, pd.Series(Y[:, 0]), batch_size=8,
                                                               shuffle=False)()
        with tf.train.MonitoredSession() as session:
            first, second = session.run([features, labels]), session.run([features, labels])
    assert sorted(first[0]) == ["a", "b"] and [len(first[1]), len(second[1])] == [8, 4]
    np.testing.assert_array_equal(np.concatenate([first[0]["b"], second[0]["b"]]), X[:, 1])
    np.testing.assert_array_equal(np.concatenate([first[1], second[1]]), Y[:, 0])


def test_run_config_defaults_and_checkpoint_schedule(tmp_path):
    config = tf.estimator.RunConfig()
    assert (config.save_checkpoints_secs, config.save_checkpoints_steps, config.keep_checkpoint_max,
            config.log_step_count_steps, config.save_summary_steps, config.tf_random_seed) == (600, None, 5, 100, 100, None)
    by_steps = config.replace(save_checkpoints_steps=7)
    assert (by_steps.save_checkpoints_secs, by_steps.save_checkpoints_steps) == (None, 7)
    with pytest.raises(ValueError):
        tf.estimator.RunConfig(save_checkpoints_steps=1, save_checkpoints_secs=1)
    with pytest.raises(ValueError):
        config.replace(master="grpc://elsewhere")
    session_config = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path / "m"), config=config).config.session_config
    assert session_config.allow_soft_placement and session_config.graph_options.rewrite_options.meta_optimizer_iterations == 1
    estimator = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path / "kept"), params={"learning_rate": 0.05},
                                       config=tf.estimator.RunConfig(save_checkpoints_steps=1, keep_checkpoint_max=2))
    estimator.train(train_input_fn, steps=4)
    state = tf.train.get_checkpoint_state(estimator.model_dir)
    assert [os.path.basename(p) for p in state.all_model_checkpoint_paths] == ["model.ckpt-3", "model.ckpt-4"]


def test_train_and_evaluate_evaluates_the_last_checkpoint(tmp_path):
    estimator = make_estimator(tmp_path / "model")
    metrics, exports = tf.estimator.train_and_evaluate(
        estimator, tf.estimator.TrainSpec(train_input_fn, max_steps=12),
        tf.estimator.EvalSpec(eval_input_fn, steps=None, name="holdout", throttle_secs=0))
    assert metrics["global_step"] == 12 and sorted(metrics) == ["global_step", "loss", "mae"]
    assert os.path.isdir(str(tmp_path / "model" / "eval_holdout"))


def test_hooks_are_tf_train_s():
    assert tf.estimator.LoggingTensorHook is tf.train.LoggingTensorHook
    assert tf.estimator.StopAtStepHook is tf.train.StopAtStepHook
    assert tf.estimator.CheckpointSaverListener is tf.train.CheckpointSaverListener


def test_model_fn_arguments_are_checked_by_name(tmp_path):
    def label_not_labels(features, label, mode):
        raise AssertionError("never called")

    with pytest.raises(ValueError, match="not expected args: \\['label'\\]"):
        tf.estimator.Estimator(label_not_labels, model_dir=str(tmp_path))
    with pytest.raises(ValueError, match="does not include params argument"):
        tf.estimator.Estimator(lambda features, labels, mode: None, model_dir=str(tmp_path), params={"a": 1})


@pytest.mark.skipif(TF1, reason="TF 1.15 has the premade estimators; compat leaves them out")
def test_premade_estimators_say_what_to_use():
    from compat.errors import NotProvidedError

    with pytest.raises(NotProvidedError, match="tf.estimator.BoostedTreesClassifier .*model_fn"):
        tf.estimator.BoostedTreesClassifier


def test_a_model_dir_from_the_other_runtime_resumes_here(tmp_path, legacy_python, modern_python):
    """The other runtime trains 9 steps; this one resumes to 20: the TF 1.15 golden run's numbers
    (the input restarts on resume, as in TF 1.15: 9 steps of 4 rows are 3 whole epochs of 12)."""
    other = modern_python if TF1 else legacy_python
    model_dir = tmp_path / "model"
    proc = run_python(other, REPO / "tests" / "compat" / "estimator" / "test_estimator.py", "train", model_dir, 9, cwd=str(REPO))
    assert proc.returncode == 0, proc.stderr[-3000:]
    first = json.loads([line for line in proc.stdout.splitlines() if line.startswith("RESULT ")][0][7:])
    assert first["tensorflow"][:2] != tf.__version__[:2]
    estimator, losses = train(model_dir, STEPS)
    assert_close(first["losses"] + losses, golden()["losses"])
    assert_close(estimator.get_variable_value("w"), golden()["w"])


def _write_golden():
    assert TF1, "the golden is TF 1.15's: run this with .venv-tf1/bin/python"
    shutil.rmtree(str(GOLDEN_MODEL_DIR), ignore_errors=True)
    estimator, losses = train(GOLDEN_MODEL_DIR, STEPS)
    record = {"tensorflow": tf.__version__, "losses": losses,
              "evaluation": as_floats(estimator.evaluate(eval_input_fn)),
              "evaluation_two_steps": as_floats(estimator.evaluate(eval_input_fn, steps=2)),
              "predictions": [p["y"].tolist() for p in estimator.predict(predict_input_fn)],
              "variable_names": estimator.get_variable_names(),
              "w": estimator.get_variable_value("w").tolist()}
    # Keep only what restoring needs: the last checkpoint and its index file.
    for name in os.listdir(str(GOLDEN_MODEL_DIR)):
        if not (name == "checkpoint" or name.startswith("model.ckpt-20.")) or name.endswith(".meta"):
            path = GOLDEN_MODEL_DIR / name
            shutil.rmtree(str(path)) if path.is_dir() else path.unlink()
    with open(str(GOLDEN_MODEL_DIR / "checkpoint"), "w") as f:
        f.write('model_checkpoint_path: "model.ckpt-20"\nall_model_checkpoint_paths: "model.ckpt-20"\n')
    write_json(GOLDEN, record)


if __name__ == "__main__":
    if sys.argv[1:] == ["golden"]:
        _write_golden()
    elif sys.argv[1] == "train":
        estimator, losses = train(sys.argv[2], int(sys.argv[3]))
        print("RESULT " + json.dumps({"tensorflow": tf.__version__, "losses": losses}))
    else:
        sys.exit(__doc__)
