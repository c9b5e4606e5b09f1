"""tf.estimator.WarmStartSettings and Estimator(warm_start_from=...), as TF 1.15.

The source of the warm start is a TF 1.15 checkpoint (tests/golden/estimator_canned/linear_regressor,
at step 1); the warm-started estimators have no checkpoint of their own.
"""

import os
import sys

import numpy as np
import pytest

TESTS_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Run as a script: the repo first (so `compat` is the package, not the folder tests/compat/), then tests/ (conftest)
sys.path[:0] = [os.path.dirname(TESTS_ROOT), TESTS_ROOT]
from conftest import tf  # noqa: E402
from test_estimator_canned import GOLDEN_DIR, input_fn  # noqa: E402

SOURCE = str(GOLDEN_DIR / "linear_regressor")
WEIGHTS = "linear/linear_model/x/weights"
BIAS = "linear/linear_model/bias_weights"


def regressor(model_dir, warm_start_from, optimizer="Ftrl"):
    columns = [tf.feature_column.numeric_column("x", shape=(3,)),
               tf.feature_column.categorical_column_with_identity("c", 4)]
    return tf.estimator.LinearRegressor(columns, model_dir=str(model_dir), warm_start_from=warm_start_from,
                                        optimizer=optimizer)


def predictions(estimator):
    return np.array([p["predictions"] for p in estimator.predict(input_fn("linear_regressor", repeat=False))])


def test_a_path_warm_starts_predict_from_that_checkpoint(tmp_path):
    expected = predictions(regressor(SOURCE, None))
    warm = regressor(tmp_path / "warm", SOURCE)
    np.testing.assert_allclose(predictions(warm), expected, rtol=1e-6)
    assert warm.latest_checkpoint() is None


def test_settings_warm_start_only_the_chosen_variables_before_training(tmp_path):
    settings = tf.estimator.WarmStartSettings(ckpt_to_initialize_from=SOURCE, vars_to_warm_start=".*x/weights.*")
    warm = regressor(tmp_path / "warm", settings, optimizer=lambda: tf.train.GradientDescentOptimizer(0.0))
    warm.train(input_fn("linear_regressor"), steps=1)  # learning rate 0: the values stay the warm start's
    np.testing.assert_array_equal(warm.get_variable_value(WEIGHTS), tf.train.load_variable(SOURCE, WEIGHTS))
    np.testing.assert_array_equal(warm.get_variable_value(BIAS), [0.])
    np.testing.assert_array_equal(warm.get_variable_value("linear/linear_model/c/weights"), np.zeros((4, 1)))


def test_a_variable_renamed_since_the_checkpoint(tmp_path):
    def model_fn(features, labels, mode):
        w = tf.get_variable("new_name", [3, 1])
        step = tf.train.get_or_create_global_step()
        return tf.estimator.EstimatorSpec(mode, predictions={"y": tf.matmul(features["x"], w)},
                                          loss=tf.constant(0.), train_op=tf.assign_add(step, 1))

    settings = tf.estimator.WarmStartSettings(SOURCE, vars_to_warm_start="new_name",
                                              var_name_to_prev_var_name={"new_name": WEIGHTS})
    estimator = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path / "m"), warm_start_from=settings)
    estimator.train(lambda: ({"x": tf.constant(np.ones((2, 3), np.float32))}, tf.zeros([2])), steps=1)
    np.testing.assert_array_equal(estimator.get_variable_value("new_name"), tf.train.load_variable(SOURCE, WEIGHTS))


def test_settings_defaults_and_errors():
    settings = tf.estimator.WarmStartSettings("/some/checkpoint")
    assert settings == ("/some/checkpoint", ".*", {}, {})
    with pytest.raises(ValueError, match="ckpt_to_initialize_from"):
        tf.estimator.WarmStartSettings(None)
    with pytest.raises(ValueError, match="warm_start_from must be a string or a WarmStartSettings"):
        tf.estimator.Estimator(lambda features, labels, mode: None, warm_start_from=3)
