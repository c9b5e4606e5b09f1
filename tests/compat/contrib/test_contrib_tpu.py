"""tf.contrib.tpu's TPUEstimator with use_tpu=False, its specs and configs, against TF 1.15.

On TF 1.15 the real tf.contrib.tpu runs these tests (proof they describe TF 1.x); on TF 2.x
compat's (compat/contrib/tpu/). The parity golden (tests/golden/compat/tpu/) is TF 1.15's: a tiny
TPUEstimator trained 10 steps (its checkpoint, model_dir/) and then 10 more (losses), evaluated
and asked to predict. Here the same estimator resumes that checkpoint. Also a script (Python 3.7):

    python tests/compat/contrib/test_contrib_tpu.py golden     # TF 1.15: write tests/golden/compat/tpu/
"""

import os
import re
import shutil
import sys

import numpy as np
import pytest

TESTS_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Run as a script: the repo first (so `compat` is the package, not the folder tests/compat/), then tests/ (conftest)
sys.path[:0] = [os.path.dirname(TESTS_ROOT), TESTS_ROOT]
from conftest import REPO, TF1, tf  # noqa: E402
from estimator_helpers import LossRecorder, captured_tf_log, golden_script, read_json, write_json  # noqa: E402

GOLDEN_DIR = REPO / "tests" / "golden" / "compat" / "tpu"
GOLDEN = GOLDEN_DIR / "tpu_estimator.json"
GOLDEN_MODEL_DIR = GOLDEN_DIR / "model_dir"
FIRST, STEPS = 10, 20
TRAIN_BATCH, EVAL_BATCH, PREDICT_BATCH = 4, 5, 3

X = np.random.RandomState(0).randn(12, 3).astype(np.float32)
Y = (X.dot([[1.5], [-2.0], [0.5]]) + 0.25).astype(np.float32)


class Recorder(object):
    """What input_fn, model_fn and scaffold_fn saw, per mode, in order."""

    def __init__(self):
        self.calls = []


RECORD = Recorder()


def model_fn(features, labels, mode, params):
    RECORD.calls.append(("model_fn", mode, params.get("batch_size"), params.get("use_tpu"),
                         tf.train.get_global_step().op.type))
    hidden = tf.layers.dense(features["x"], 4, activation=tf.nn.tanh,
                             kernel_initializer=tf.glorot_uniform_initializer(seed=7), name="hidden")
    hidden = tf.layers.dropout(hidden, rate=0.25, seed=11, training=mode == tf.estimator.ModeKeys.TRAIN)
    predictions = tf.layers.dense(hidden, 1, kernel_initializer=tf.glorot_uniform_initializer(seed=8), name="out")

    def scaffold_fn():
        RECORD.calls.append(("scaffold_fn", mode))
        return tf.train.Scaffold()

    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.contrib.tpu.TPUEstimatorSpec(mode, predictions={"y": predictions}, scaffold_fn=scaffold_fn)
    loss = tf.identity(tf.losses.mean_squared_error(labels, predictions), name="total_loss")
    optimizer = tf.train.AdamOptimizer(params["learning_rate"])
    train_op = optimizer.minimize(loss, tf.train.get_global_step())
    host_calls = tf.get_variable("host_calls", [], tf.int64, initializer=tf.zeros_initializer(), trainable=False)

    def host_fn(global_step):
        return [tf.assign_add(host_calls, tf.reduce_sum(tf.ones_like(global_step)))]

    def metric_fn(labels, predictions):
        return {"mae": tf.metrics.mean_absolute_error(labels, predictions),
                "rmse": tf.metrics.root_mean_squared_error(labels, predictions)}

    return tf.contrib.tpu.TPUEstimatorSpec(
        mode, loss=loss, train_op=train_op, scaffold_fn=scaffold_fn,
        eval_metrics=(metric_fn, {"labels": labels, "predictions": predictions}),
        host_call=(host_fn, [tf.reshape(tf.train.get_global_step(), [1])]))


def train_input_fn(params):
    RECORD.calls.append(("input_fn", "train", params["batch_size"]))
    return tf.data.Dataset.from_tensor_slices(({"x": X}, Y)).repeat().batch(params["batch_size"])


def eval_input_fn(params, mode):
    RECORD.calls.append(("input_fn", mode, params["batch_size"]))
    return tf.data.Dataset.from_tensor_slices(({"x": X}, Y)).batch(params["batch_size"])


def predict_input_fn(params):
    RECORD.calls.append(("input_fn", "infer", params["batch_size"]))
    return tf.data.Dataset.from_tensor_slices({"x": X[:7]}).batch(params["batch_size"])


def make_estimator(model_dir, **kwargs):
    config = tf.contrib.tpu.RunConfig(
        model_dir=str(model_dir), tf_random_seed=3, save_checkpoints_steps=10, save_summary_steps=5,
        log_step_count_steps=4, tpu_config=tf.contrib.tpu.TPUConfig(
            iterations_per_loop=2, per_host_input_for_training=tf.contrib.tpu.InputPipelineConfig.PER_HOST_V2))
    options = dict(use_tpu=False, train_batch_size=TRAIN_BATCH, eval_batch_size=EVAL_BATCH,
                   predict_batch_size=PREDICT_BATCH, params={"learning_rate": 0.05})
    options.update(kwargs)
    return tf.contrib.tpu.TPUEstimator(model_fn, config=config, **options)


def run_all(model_dir):
    """Train to STEPS, evaluate, predict: {losses, evaluation, predictions, host_calls}."""
    estimator = make_estimator(model_dir)
    recorder = LossRecorder()
    estimator.train(train_input_fn, hooks=[recorder], max_steps=STEPS)
    evaluation = {key: float(value) for key, value in estimator.evaluate(eval_input_fn).items()}
    predictions = [p["y"].tolist() for p in estimator.predict(predict_input_fn)]
    return estimator, {"losses": recorder.losses, "evaluation": evaluation, "predictions": predictions,
                       "host_calls": int(estimator.get_variable_value("host_calls"))}


def golden():
    return read_json(GOLDEN)


def assert_close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual, np.float64), np.asarray(expected, np.float64), rtol=1e-5, atol=1e-7)


@pytest.fixture(scope="module")
def resumed(tmp_path_factory):
    """TF 1.15's 10-step model_dir resumed to 20 steps, evaluated and predicted (logs captured)."""
    model_dir = tmp_path_factory.mktemp("tpu") / "model"
    shutil.copytree(str(GOLDEN_MODEL_DIR), str(model_dir))
    del RECORD.calls[:]
    with captured_tf_log() as records:
        estimator, results = run_all(model_dir)
    return dict(results, estimator=estimator, log=records, calls=list(RECORD.calls), model_dir=model_dir)


def test_training_from_the_tf115_checkpoint_gives_its_losses(resumed):
    assert len(resumed["losses"]) == STEPS - FIRST
    assert_close(resumed["losses"], golden()["losses"][FIRST:])


def test_evaluate_gives_tf115s_dict_from_eval_metrics(resumed):
    evaluation = resumed["evaluation"]
    assert sorted(evaluation) == ["global_step", "loss", "mae", "rmse"]
    assert evaluation["global_step"] == STEPS
    assert_close([evaluation[k] for k in ("loss", "mae", "rmse")],
                 [golden()["evaluation"][k] for k in ("loss", "mae", "rmse")])
    # rmse of the whole set, computed from the predictions of the same checkpoint
    predicted = np.concatenate([np.asarray(p).reshape(1, 1) for p in resumed["predictions"]])
    assert predicted.shape == (7, 1)


def test_predict_yields_tf115s_predictions_in_predict_batches(resumed):
    assert len(resumed["predictions"]) == 7
    assert_close(resumed["predictions"], golden()["predictions"])


def test_params_batch_size_and_use_tpu_per_mode(resumed):
    """input_fn and model_fn get the mode's batch size; model_fn also use_tpu=False; the global
    step is TF 1.15's TPU one, a resource variable."""
    calls = resumed["calls"]
    assert [c for c in calls if c[0] == "input_fn"] == [("input_fn", "train", 4), ("input_fn", "eval", 5),
                                                        ("input_fn", "infer", 3)]
    assert [c for c in calls if c[0] == "model_fn"] == [
        ("model_fn", "train", 4, False, "VarHandleOp"), ("model_fn", "eval", 5, False, "VarHandleOp"),
        ("model_fn", "infer", 3, False, "VarHandleOp")]
    # scaffold_fn is called once per graph, after the model_fn built it
    assert [c for c in calls if c[0] == "scaffold_fn"] == [("scaffold_fn", m) for m in ("train", "eval", "infer")]


def test_host_call_runs_with_every_training_step(resumed):
    assert golden()["host_calls_at_first"] == FIRST
    assert resumed["host_calls"] == STEPS


def test_log_lines_are_tf115s(resumed):
    """`Running <mode> on CPU`; instead of `loss = ...`, global_step/sec and examples/sec every
    log_step_count_steps / iterations_per_loop = 2 steps, examples = 4 per step."""
    log = resumed["log"]
    assert [line for line in log if re.match(r"^Running \w+ on CPU$", line)] == [
        "Running train on CPU", "Running eval on CPU", "Running infer on CPU"]
    assert not [line for line in log if line.startswith("loss = ")]
    rates = [float(line.split(": ")[1]) for line in log if line.startswith("global_step/sec: ")]
    examples = [float(line.split(": ")[1]) for line in log if line.startswith("examples/sec: ")]
    assert len(rates) == len(examples) == (STEPS - FIRST) // 2 - 1
    assert_close(examples, [4 * rate for rate in rates])
    assert "Loss for final step: %s." % np.float32(resumed["losses"][-1]) in log


def test_checkpoint_holds_tf115s_variables(resumed):
    names = sorted(name for name, _ in tf.train.list_variables(str(resumed["model_dir"])))
    assert names == golden()["variable_names"]
    assert tf.train.latest_checkpoint(str(resumed["model_dir"])).endswith("model.ckpt-%d" % STEPS)


def test_export_saved_model_serves_the_predictions(resumed, tmp_path):
    """export_to_tpu=False: the CPU graph only (TF 1.15's default also adds a TPU graph, which
    compat does not write); the model_fn gets no batch size, use_tpu=False."""
    estimator = make_estimator(resumed["model_dir"], export_to_tpu=False)
    del RECORD.calls[:]

    def receiver_fn():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        return tf.estimator.export.ServingInputReceiver({"x": x}, {"x": x})
    path = estimator.export_saved_model(str(tmp_path / "export"), receiver_fn)
    assert RECORD.calls[0] == ("model_fn", "infer", None, False, "VarHandleOp")
    with tf.Graph().as_default(), tf.Session() as session:
        meta = tf.saved_model.loader.load(session, ["serve"], path.decode() if isinstance(path, bytes) else path)
        signature = meta.signature_def["serving_default"]
        served = session.run(signature.outputs["y"].name, {signature.inputs["x"].name: X[:7]})
    assert_close(served, golden()["predictions"])


def test_constructor_checks(tmp_path):
    with pytest.raises(ValueError, match="are reserved keys but existed in params"):
        make_estimator(tmp_path, params={"batch_size": 3})
    with pytest.raises(ValueError, match="`config` must be provided with type `tpu_config.RunConfig`"):
        tf.contrib.tpu.TPUEstimator(model_fn, config=tf.estimator.RunConfig(), use_tpu=False)
    with pytest.raises(ValueError, match="`train_batch_size` cannot be `None`"):
        make_estimator(tmp_path, use_tpu=True, train_batch_size=None)


def test_input_fn_and_model_fn_must_take_params(tmp_path):
    estimator = make_estimator(tmp_path / "a")
    with pytest.raises(ValueError, match="does not include params argument, required by TPUEstimator"):
        estimator.train(lambda: tf.data.Dataset.from_tensors(({"x": X}, Y)), steps=1)

    def no_params(features, labels, mode):
        raise AssertionError("not called")
    config = tf.contrib.tpu.RunConfig(model_dir=str(tmp_path / "b"))
    estimator = tf.contrib.tpu.TPUEstimator(no_params, config=config, use_tpu=False, train_batch_size=4)
    with pytest.raises(ValueError, match=re.escape("required by TPUEstimator to pass batch size as "
                                                   "params['batch_size']")):
        estimator.train(train_input_fn, steps=1)


def test_tpu_config_defaults_and_checks():
    config = tf.contrib.tpu.TPUConfig()
    assert config.iterations_per_loop == 2 and config.num_shards is None
    assert config.per_host_input_for_training == tf.contrib.tpu.InputPipelineConfig.PER_HOST_V1 == 2
    assert tf.contrib.tpu.TPUConfig(per_host_input_for_training=False).per_host_input_for_training == 1
    pipeline = tf.contrib.tpu.InputPipelineConfig
    assert (pipeline.PER_SHARD_V1, pipeline.PER_HOST_V1, pipeline.PER_HOST_V2, pipeline.BROADCAST,
            pipeline.SLICED) == (1, 2, 3, 4, 5)
    assert tf.contrib.tpu.TPUConfig(iterations_per_loop="1h").iterations_per_loop == "1h"
    with pytest.raises(ValueError, match="Invalid TPUConfig `iterations_per_loop` value"):
        tf.contrib.tpu.TPUConfig(iterations_per_loop="often")
    with pytest.raises(ValueError, match="num_cores_per_replica must be 1, 2, 4, 8, 16, 32, 64, 128; got 3"):
        tf.contrib.tpu.TPUConfig(num_cores_per_replica=3)
    with pytest.raises(ValueError, match="num_shards must be positive"):
        tf.contrib.tpu.TPUConfig(num_shards=0)


def test_run_config_keeps_tpu_config_and_masters():
    tpu_config = tf.contrib.tpu.TPUConfig(iterations_per_loop=7)
    config = tf.contrib.tpu.RunConfig(tpu_config=tpu_config, model_dir="m", save_checkpoints_steps=3)
    assert isinstance(config, tf.estimator.RunConfig)
    assert config.tpu_config is tpu_config and config.master == "" and config.evaluation_master == ""
    assert config.save_checkpoints_steps == 3 and config.save_checkpoints_secs is None
    replaced = config.replace(tpu_config=tf.contrib.tpu.TPUConfig(iterations_per_loop=9), keep_checkpoint_max=2)
    assert replaced.tpu_config.iterations_per_loop == 9 and replaced.keep_checkpoint_max == 2
    assert config.replace(log_step_count_steps=None).tpu_config == tpu_config
    remote = tf.contrib.tpu.RunConfig(master="grpc://10.0.0.1:8470")
    assert remote.master == remote.evaluation_master == "grpc://10.0.0.1:8470"


def test_estimator_spec_checks_and_cpu_conversion(graph):
    labels = tf.constant([[1.0], [2.0]])
    predictions = tf.constant([[1.5], [2.0]])
    with pytest.raises(ValueError, match="eval_metrics should be tuple or list"):
        tf.contrib.tpu.TPUEstimatorSpec("eval", loss=tf.constant(1.0), eval_metrics={"a": 1})
    with pytest.raises(RuntimeError, match="length of tensors 1 does not match method args"):
        tf.contrib.tpu.TPUEstimatorSpec("eval", loss=tf.constant(1.0),
                                        eval_metrics=(lambda a, b: {}, [labels]))
    with pytest.raises(TypeError, match="All hooks must be SessionRunHook instances"):
        tf.contrib.tpu.TPUEstimatorSpec("train", training_hooks=[object()])
    spec = tf.contrib.tpu.TPUEstimatorSpec(
        "eval", loss=tf.constant(0.125),
        eval_metrics=(lambda l, p: {"mae": tf.metrics.mean_absolute_error(l, p)}, [labels, predictions]))
    converted = spec.as_estimator_spec()
    assert isinstance(converted, tf.estimator.EstimatorSpec)
    assert sorted(converted.eval_metric_ops) == ["mae"]
    with tf.Session() as session:
        session.run(tf.local_variables_initializer())
        session.run(converted.eval_metric_ops["mae"][1])
        assert session.run(converted.eval_metric_ops["mae"][0]) == pytest.approx(0.25)


def test_cross_shard_optimizer_on_one_cpu_computes_the_inner_gradients(graph):
    """Outside a TPU shard it assumes one shard (TF 1.15's warning): the plain gradients."""
    w = tf.Variable([1.0, -2.0])
    loss = tf.reduce_sum(tf.square(w)) * 0.5
    optimizer = tf.contrib.tpu.CrossShardOptimizer(tf.train.GradientDescentOptimizer(0.1))
    grads = optimizer.compute_gradients(loss)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        np.testing.assert_allclose(session.run(grads[0][0]), [1.0, -2.0])
    with pytest.raises(ValueError, match="reduction"):  # TF's own class: its message changed wording
        tf.contrib.tpu.CrossShardOptimizer(tf.train.GradientDescentOptimizer(0.1), reduction="none")


def test_use_tpu_true_without_a_tpu_fails_with_one_line(tmp_path):
    """TF 1.15 fails at train() (no TPU cores); compat at once: it never drives a TPU."""
    if TF1:
        estimator = make_estimator(tmp_path, use_tpu=True)
        with pytest.raises(RuntimeError, match="Cannot find any TPU cores in the system"):
            estimator.train(train_input_fn, steps=1)
        return
    from compat.errors import NotProvidedError

    with pytest.raises(NotProvidedError) as info:
        make_estimator(tmp_path, use_tpu=True)
    assert "\n" not in str(info.value) and "use_tpu=False" in str(info.value)


def test_tpu_cluster_resolver_without_a_tpu_fails_with_one_line():
    if TF1:
        with pytest.raises(ValueError, match="Please provide a TPU Name to connect to."):
            tf.contrib.cluster_resolver.TPUClusterResolver()
        return
    from compat.errors import NotProvidedError

    with pytest.raises(NotProvidedError) as info:
        tf.contrib.cluster_resolver.TPUClusterResolver(tpu="my-tpu")
    assert "\n" not in str(info.value) and "use_tpu=False" in str(info.value)


def test_other_cluster_resolvers_are_tfs():
    resolver = tf.contrib.cluster_resolver.SimpleClusterResolver(tf.train.ClusterSpec({"worker": ["a:1"]}))
    assert resolver.cluster_spec().as_dict() == {"worker": ["a:1"]}
    assert issubclass(tf.contrib.cluster_resolver.TFConfigClusterResolver, tf.contrib.cluster_resolver.ClusterResolver)


def test_every_tf115_name_is_provided_or_refused_with_a_reason():
    """On TF 1.15 the names compat handles are exactly TF 1.15's; on TF 2.x each one resolves, or
    raises NotProvidedError with its reason."""
    from compat import _moved

    own = {"tpu": {"InputPipelineConfig", "RunConfig", "TPUConfig", "TPUEstimator", "TPUEstimatorSpec"},
           "cluster_resolver": set()}
    for package, own_names in own.items():
        prefix = "contrib.%s." % package
        moved = {m.name[len(prefix):] for m in _moved.CONTRIB_MOVES if m.name.startswith(prefix)}
        refused = {n.name[len(prefix):]: n.why for n in _moved.NOT_PROVIDED if n.name.startswith(prefix)}
        module = getattr(tf.contrib, package)
        if TF1:
            assert {n for n in dir(module) if not n.startswith("_")} == own_names | moved | set(refused)
            continue
        from compat.errors import NotProvidedError

        for name in sorted(own_names | moved):
            assert getattr(module, name) is not None
        for name, why in sorted(refused.items()):
            with pytest.raises(NotProvidedError) as info:
                getattr(module, name)
            assert str(info.value).endswith(why)


def _write_golden():
    assert TF1, "the golden is TF 1.15's: run this with .venv-tf1/bin/python"
    shutil.rmtree(str(GOLDEN_DIR), ignore_errors=True)
    first_dir = GOLDEN_MODEL_DIR
    estimator = make_estimator(first_dir)
    recorder = LossRecorder()
    estimator.train(train_input_fn, hooks=[recorder], max_steps=FIRST)
    host_calls_at_first = int(estimator.get_variable_value("host_calls"))
    shutil.copytree(str(first_dir), str(GOLDEN_DIR / "scratch"))
    _, results = run_all(GOLDEN_DIR / "scratch")
    record = dict(results, tensorflow=tf.__version__, losses=recorder.losses + results["losses"],
                  host_calls_at_first=host_calls_at_first,
                  variable_names=sorted(name for name, _ in tf.train.list_variables(str(GOLDEN_DIR / "scratch"))))
    shutil.rmtree(str(GOLDEN_DIR / "scratch"))
    for name in os.listdir(str(first_dir)):  # restoring needs only the checkpoint and its index
        if not (name == "checkpoint" or name.startswith("model.ckpt-%d." % FIRST)) or name.endswith(".meta"):
            path = first_dir / name
            shutil.rmtree(str(path)) if path.is_dir() else path.unlink()
    with open(str(first_dir / "checkpoint"), "w") as f:
        f.write('model_checkpoint_path: "model.ckpt-%d"\nall_model_checkpoint_paths: "model.ckpt-%d"\n' % (FIRST, FIRST))
    write_json(GOLDEN, record)


if __name__ == "__main__":
    golden_script(__doc__, _write_golden)
