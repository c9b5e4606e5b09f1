"""tf.estimator's premade DNNClassifier, DNNRegressor, LinearClassifier and LinearRegressor.

On TF 1.15 the real estimators run these tests; on TF 2.x compat's (compat/estimator/canned/).
The golden (written by TF 1.15) holds, per model, a checkpoint after one step; both runtimes
resume it to step 5 and must give TF 1.15's losses, evaluate() dict, predictions and variable
names (the TF 1.15 checkpoint restores, slots included). Also a script (Python 3.7):

    python tests/compat/estimator/test_estimator_canned.py golden    # TF 1.15: write tests/golden/estimator_canned/
"""

import os
import shutil
import sys

import numpy as np
import pytest

TESTS_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Run as a script: the repo first (so `compat` is the package, not the folder tests/compat/), then tests/ (conftest)
sys.path[:0] = [os.path.dirname(TESTS_ROOT), TESTS_ROOT]
from conftest import REPO, TF1, tf  # noqa: E402
from estimator_helpers import (LossRecorder, golden_script, last_of_losses_collection, read_json,  # noqa: E402
                               write_json)

GOLDEN_DIR = REPO / "tests" / "golden" / "estimator_canned"
START_STEP, STEPS = 1, 5
RTOL = 1e-5

X = np.random.RandomState(0).randn(6, 3).astype(np.float32)
C = np.array([0, 1, 2, 3, 1, 0], np.int64)
LABELS = {"dnn_classifier": np.array([0, 1, 2, 1, 0, 2], np.int64),
          "dnn_regressor": (X[:, :1] * 2 - 1).astype(np.float32),
          "linear_classifier": np.array([0, 1, 1, 1, 0, 0], np.int64),
          "linear_regressor": (X[:, :1] * 2 + C[:, None]).astype(np.float32)}
COMPARED = {"dnn_classifier": "probabilities", "dnn_regressor": "predictions", "linear_classifier": "logistic",
            "linear_regressor": "predictions"}


def make_estimator(name, model_dir):
    fc = tf.feature_column
    config = tf.estimator.RunConfig(tf_random_seed=5, save_checkpoints_steps=100, log_step_count_steps=100)
    numeric = fc.numeric_column("x", shape=(3,))
    category = fc.categorical_column_with_identity("c", 4)
    model_dir = str(model_dir)
    if name == "dnn_classifier":
        return tf.estimator.DNNClassifier([4, 3], [numeric, fc.embedding_column(category, 2)], model_dir=model_dir,
                                          n_classes=3, config=config)
    if name == "dnn_regressor":
        return tf.estimator.DNNRegressor([3], [numeric, fc.indicator_column(category)], model_dir=model_dir,
                                         optimizer="Adam", batch_norm=True, config=config)
    if name == "linear_classifier":
        return tf.estimator.LinearClassifier([numeric, category], model_dir=model_dir, config=config)
    return tf.estimator.LinearRegressor([numeric, category], model_dir=model_dir, config=config)


def input_fn(name, repeat=True):
    def make():
        dataset = tf.data.Dataset.from_tensor_slices(({"x": X, "c": C}, LABELS[name]))
        return (dataset.repeat() if repeat else dataset).batch(2)
    return make


def resume_and_record(name, model_dir):
    """Train from the step-1 checkpoint in model_dir to STEPS; the numbers the golden holds."""
    estimator = make_estimator(name, model_dir)
    recorder = LossRecorder(last_of_losses_collection)
    estimator.train(input_fn(name), hooks=[recorder], max_steps=STEPS)
    evaluation = {key: float(value) for key, value in estimator.evaluate(input_fn(name, repeat=False)).items()}
    predictions = [p[COMPARED[name]].tolist() for p in estimator.predict(input_fn(name, repeat=False))]
    return {"losses": recorder.losses, "evaluation": evaluation, "predictions": predictions,
            "variables": [[n, s] for n, s in tf.train.list_variables(str(model_dir))]}


def golden(name):
    return read_json(GOLDEN_DIR / (name + ".json"))


@pytest.fixture(scope="module", params=sorted(LABELS))
def resumed(request, tmp_path_factory):
    name = request.param
    model_dir = tmp_path_factory.mktemp(name) / "model"
    shutil.copytree(str(GOLDEN_DIR / name), str(model_dir))
    record = resume_and_record(name, model_dir)
    record.update(name=name, model_dir=model_dir)
    return record


def test_variables_and_slots_have_tf115s_names_and_shapes(resumed):
    assert resumed["variables"] == golden(resumed["name"])["variables"]


def test_training_from_a_tf115_checkpoint_gives_its_losses(resumed):
    assert len(resumed["losses"]) == STEPS - START_STEP
    np.testing.assert_allclose(resumed["losses"], golden(resumed["name"])["losses"], rtol=RTOL)


def test_evaluate_gives_tf115s_metrics(resumed):
    expected = golden(resumed["name"])["evaluation"]
    assert sorted(resumed["evaluation"]) == sorted(expected)
    for key, value in expected.items():
        np.testing.assert_allclose(resumed["evaluation"][key], value, rtol=RTOL, atol=1e-6, err_msg=key)


def test_predict_gives_tf115s_predictions(resumed):
    np.testing.assert_allclose(resumed["predictions"], golden(resumed["name"])["predictions"], rtol=RTOL,
                               atol=1e-7)


def test_linear_regressor_predicts_the_checkpoint_weights_times_features(tmp_path):
    """numpy reference: x . w_x + w_c[c] + b with the trained weights."""
    model_dir = tmp_path / "model"
    shutil.copytree(str(GOLDEN_DIR / "linear_regressor"), str(model_dir))
    estimator = make_estimator("linear_regressor", model_dir)
    weights = {key: estimator.get_variable_value("linear/linear_model/%s" % key)
               for key in ("x/weights", "c/weights", "bias_weights")}
    expected = X.dot(weights["x/weights"]) + weights["c/weights"][C] + weights["bias_weights"]
    predicted = [p["predictions"] for p in estimator.predict(input_fn("linear_regressor", repeat=False))]
    np.testing.assert_allclose(np.array(predicted), expected, rtol=1e-5)


def test_classifier_predictions_are_consistent(tmp_path):
    model_dir = tmp_path / "model"
    shutil.copytree(str(GOLDEN_DIR / "dnn_classifier"), str(model_dir))
    estimator = make_estimator("dnn_classifier", model_dir)
    first = next(estimator.predict(input_fn("dnn_classifier", repeat=False)))
    assert sorted(first) == ["all_class_ids", "all_classes", "class_ids", "classes", "logits", "probabilities"]
    logits = first["logits"].astype(np.float64)
    np.testing.assert_allclose(first["probabilities"], np.exp(logits) / np.exp(logits).sum(), rtol=1e-5)
    assert first["class_ids"].tolist() == [int(np.argmax(logits))]
    assert first["classes"].tolist() == [str(np.argmax(logits)).encode()]
    assert first["all_classes"].tolist() == [b"0", b"1", b"2"]


def test_bad_arguments_fail_as_in_tf115(tmp_path):
    numeric = tf.feature_column.numeric_column("x", shape=(3,))
    estimator = tf.estimator.DNNRegressor([2], [numeric], model_dir=str(tmp_path), optimizer="NoSuchOptimizer")
    with pytest.raises(ValueError, match="Unsupported optimizer name: NoSuchOptimizer"):
        estimator.train(input_fn("dnn_regressor"), steps=1)
    with pytest.raises(ValueError, match="n_classes"):
        tf.estimator.LinearClassifier([numeric], n_classes=1)


@pytest.mark.skipif(TF1, reason="TF 1.15 has all premade estimators; compat leaves some out")
def test_premade_estimators_left_out_say_what_to_use():
    from compat.errors import NotProvidedError

    for name in ("BoostedTreesClassifier", "DNNLinearCombinedClassifier", "BaselineRegressor"):
        with pytest.raises(NotProvidedError, match="DNNClassifier, DNNRegressor, LinearClassifier"):
            getattr(tf.estimator, name)


def _write_golden():
    assert TF1, "the golden is TF 1.15's: run this with .venv-tf1/bin/python"
    shutil.rmtree(str(GOLDEN_DIR), ignore_errors=True)
    GOLDEN_DIR.mkdir(parents=True)
    for name in sorted(LABELS):
        work = GOLDEN_DIR / (name + "_work")
        make_estimator(name, work).train(input_fn(name), max_steps=START_STEP)
        start = GOLDEN_DIR / name
        start.mkdir()
        for file_name in os.listdir(str(work)):  # the step-1 checkpoint only: what resuming needs
            if file_name.startswith("model.ckpt-%d." % START_STEP) and not file_name.endswith(".meta"):
                shutil.copy(str(work / file_name), str(start / file_name))
        with open(str(start / "checkpoint"), "w") as f:
            f.write('model_checkpoint_path: "model.ckpt-{0}"\nall_model_checkpoint_paths: "model.ckpt-{0}"\n'
                    .format(START_STEP))
        record = resume_and_record(name, work)
        record["tensorflow"] = tf.__version__
        shutil.rmtree(str(work))
        write_json(GOLDEN_DIR / (name + ".json"), record)


if __name__ == "__main__":
    golden_script(__doc__, _write_golden)
