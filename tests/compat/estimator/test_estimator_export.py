"""tf.estimator.export and Estimator.export_saved_model / export_savedmodel, as TF 1.15.

The estimators start from the TF 1.15 checkpoints of tests/golden/estimator_canned/ (no
training here); their SavedModels are loaded back with tf.saved_model's loader on the same
runtime, and the served outputs must equal Estimator.predict's.
"""

import json
import os
import shutil
import sys

import numpy as np
import pytest

TESTS_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Run as a script: the repo first (so `compat` is the package, not the folder tests/compat/), then tests/ (conftest)
sys.path[:0] = [os.path.dirname(TESTS_ROOT), TESTS_ROOT]
from conftest import TF1, run_python, tf  # noqa: E402
from test_estimator_canned import C, GOLDEN_DIR, X, input_fn, make_estimator  # noqa: E402


def estimator_from_golden(name, tmp_path):
    model_dir = tmp_path / name
    shutil.copytree(str(GOLDEN_DIR / name), str(model_dir))
    return make_estimator(name, model_dir)


def serve(export_dir, signature_key, feed):
    """Load the SavedModel in a fresh graph and run one signature: {output key: value}."""
    with tf.Graph().as_default(), tf.Session() as session:
        meta_graph = tf.saved_model.loader.load(session, [tf.saved_model.tag_constants.SERVING], export_dir)
        signature = meta_graph.signature_def[signature_key]
        fetches = {key: info.name for key, info in signature.outputs.items()}
        feeds = {signature.inputs[key].name: value for key, value in feed.items()}
        return session.run(fetches, feeds), sorted(meta_graph.signature_def)


@pytest.fixture(scope="module")
def regressor_export(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("export")
    estimator = estimator_from_golden("linear_regressor", tmp_path)
    receiver_fn = tf.estimator.export.build_raw_serving_input_receiver_fn(
        {"x": tf.placeholder(tf.float32, [None, 3]), "c": tf.placeholder(tf.int64, [None])})
    export_dir = estimator.export_saved_model(str(tmp_path / "export"), receiver_fn)
    predicted = [p["predictions"] for p in estimator.predict(input_fn("linear_regressor", repeat=False))]
    return {"estimator": estimator, "export_dir": export_dir, "predicted": np.array(predicted), "tmp": tmp_path}


def test_export_dir_is_timestamped_bytes_with_a_saved_model(regressor_export):
    export_dir = regressor_export["export_dir"]
    assert isinstance(export_dir, bytes)
    assert os.path.basename(export_dir).isdigit()
    assert tf.saved_model.loader.maybe_saved_model_directory(export_dir.decode())
    assert sorted(os.listdir(export_dir)) == [b"saved_model.pb", b"variables"]


def test_saved_model_serves_the_estimators_predictions(regressor_export):
    served, signatures = serve(regressor_export["export_dir"], "predict", {"x": X, "c": C})
    assert signatures == ["predict"]  # regress and classify signatures need one string input
    np.testing.assert_allclose(served["predictions"], regressor_export["predicted"], rtol=1e-6)


SERVE_WITH_TF2 = """
import sys, json, numpy as np, tensorflow as tf
served = tf.saved_model.load(sys.argv[1]).signatures["predict"](
    x=tf.constant(json.loads(sys.argv[2]), tf.float32), c=tf.constant(json.loads(sys.argv[3]), tf.int64))
print("RESULT " + json.dumps(served["predictions"].numpy().tolist()))
"""


@pytest.mark.skipif(TF1, reason="TF 2.x's own eager tf.saved_model.load, without compat")
def test_plain_tf2_loads_and_serves_the_export(regressor_export, this_python):
    proc = run_python(this_python, "-c", SERVE_WITH_TF2, regressor_export["export_dir"].decode(),
                      json.dumps(X.tolist()), json.dumps(C.tolist()))
    assert proc.returncode == 0, proc.stderr[-2000:]
    served = json.loads([line for line in proc.stdout.splitlines() if line.startswith("RESULT ")][0][7:])
    np.testing.assert_allclose(served, regressor_export["predicted"], rtol=1e-6)


def test_export_savedmodel_parsing_receiver_serves_classification(tmp_path):
    estimator = estimator_from_golden("linear_classifier", tmp_path)
    columns = [tf.feature_column.numeric_column("x", shape=(3,)),
               tf.feature_column.categorical_column_with_identity("c", 4)]
    receiver_fn = tf.estimator.export.build_parsing_serving_input_receiver_fn(
        tf.feature_column.make_parse_example_spec(columns))
    export_dir = estimator.export_savedmodel(str(tmp_path / "export"), receiver_fn)
    examples = [tf.train.Example(features=tf.train.Features(feature={
        "x": tf.train.Feature(float_list=tf.train.FloatList(value=X[i].tolist())),
        "c": tf.train.Feature(int64_list=tf.train.Int64List(value=[int(C[i])]))})).SerializeToString()
        for i in range(len(X))]
    served, _ = serve(export_dir, "classification", {"inputs": examples})
    expected = [p["probabilities"] for p in estimator.predict(input_fn("linear_classifier", repeat=False))]
    np.testing.assert_allclose(served["scores"], expected, rtol=1e-6)
    assert served["classes"].tolist() == [[b"0", b"1"]] * len(X)


def test_custom_model_fn_export_outputs(tmp_path):
    def model_fn(features, labels, mode):
        w = tf.get_variable("w", [3, 1], initializer=tf.constant_initializer([[1.], [2.], [3.]]))
        y = tf.matmul(features["x"], w)
        step = tf.train.get_or_create_global_step()
        outputs = {"scaled": tf.estimator.export.PredictOutput({"y": y, "half": y / 2})}
        return tf.estimator.EstimatorSpec(mode, predictions={"y": y}, export_outputs=outputs,
                                          loss=tf.reduce_sum(y), train_op=tf.assign_add(step, 1))

    estimator = tf.estimator.Estimator(model_fn, model_dir=str(tmp_path / "model"))
    with pytest.raises(ValueError, match="Couldn't find trained model"):
        estimator.export_saved_model(str(tmp_path / "export"),
                                     tf.estimator.export.build_raw_serving_input_receiver_fn(
                                         {"x": tf.placeholder(tf.float32, [None, 3])}))
    estimator.train(lambda: ({"x": tf.constant(X)}, tf.constant(X[:, :1])), steps=1)

    def receiver_fn():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        return tf.estimator.export.ServingInputReceiver({"x": x}, x)

    export_dir = estimator.export_saved_model(str(tmp_path / "export"), receiver_fn)
    served, signatures = serve(export_dir, "scaled", {"input": X})
    assert signatures == ["scaled", "serving_default"]  # the only output is also the default
    np.testing.assert_allclose(served["y"], X.dot([[1.], [2.], [3.]]), rtol=1e-6)
    np.testing.assert_allclose(served["half"], X.dot([[1.], [2.], [3.]]) / 2, rtol=1e-6)


def test_serving_input_receiver_checks_and_wraps_its_tensors():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        receiver = tf.estimator.export.ServingInputReceiver(x, x)
        assert receiver.features == {"feature": x} and receiver.receiver_tensors == {"input": x}
        assert tf.estimator.export.TensorServingInputReceiver(x, x).features is x
        with pytest.raises(ValueError):
            tf.estimator.export.ServingInputReceiver(None, x)
        with pytest.raises(ValueError):
            tf.estimator.export.ServingInputReceiver({"x": x}, {"x": "not a tensor"})
