"""tf.contrib.learn.Estimator and SKCompat on tf.compat.v1.train, without tensorflow_estimator.

Its graphs are built as TF 1.15's contrib Estimator builds them (so op-level random seeds derived
from a RunConfig tf_random_seed come out the same), with a FeedFnHook and StopAtStepHook; the
loops themselves (hooks, checkpoints, event files) are the shared engine, compat/estimator/engine.py.
"""

import copy

import numpy as np
from tensorflow.compat import v1 as tf

from compat.contrib.learn import _data_feeder
from compat.contrib.learn._model_fn import (ModeKeys, NotFittedError, make_metric_ops, model_fn_args,
                                            split_metric_ops, to_model_fn_ops)
from compat.contrib.learn._run_config import RunConfig
from compat.estimator import engine
from compat.errors import NotProvidedError

_LOG_EVERY_N_STEPS = 100  # contrib.learn's fixed `loss = ..., step = ...` interval


class _TensorSignature(object):
    """dtype and shape of an input tensor, to check later inputs and rebuild label placeholders."""

    def __init__(self, tensor):
        self.is_sparse = isinstance(tensor, tf.SparseTensor)
        self.dtype = tensor.values.dtype if self.is_sparse else tensor.dtype
        self.shape = None if self.is_sparse else tensor.get_shape()

    def is_compatible_with(self, tensor):
        other = _TensorSignature(tensor)
        if other.is_sparse or self.is_sparse:
            return self.is_sparse == other.is_sparse and self.dtype.is_compatible_with(other.dtype)
        if not self.dtype.is_compatible_with(other.dtype):
            return False
        if self.shape.dims is None or other.shape.dims is None:
            return True
        if self.shape.ndims != other.shape.ndims:
            return False
        # The batch dimension (0) may differ between fit, evaluate and predict.
        return all(a.is_compatible_with(b) for a, b in zip(self.shape.dims[1:], other.shape.dims[1:]))

    def placeholder(self):
        if self.is_sparse:
            return tf.sparse_placeholder(dtype=self.dtype)
        return tf.placeholder(dtype=self.dtype, shape=[None] + self.shape.as_list()[1:])


def _signatures(tensors):
    if tensors is None:
        return None
    if isinstance(tensors, dict):
        return {key: _TensorSignature(value) for key, value in tensors.items()}
    return _TensorSignature(tensors)


def _compatible(tensors, signatures):
    if tensors is None:
        return signatures is None
    if isinstance(tensors, dict):
        return isinstance(signatures, dict) and all(
            key in tensors and sig.is_compatible_with(tensors[key]) for key, sig in signatures.items())
    return isinstance(signatures, _TensorSignature) and signatures.is_compatible_with(tensors)


def _placeholders(signatures):
    if signatures is None:
        return None
    if isinstance(signatures, dict):
        return {key: sig.placeholder() for key, sig in signatures.items()}
    return signatures.placeholder()


def _hooks_from_monitors(monitors):
    """TF 1.15 also took old-style BaseMonitor objects; compat takes SessionRunHooks only."""
    hooks = list(monitors or [])
    for hook in hooks:
        if not isinstance(hook, tf.train.SessionRunHook):
            raise NotProvidedError("tf.contrib.learn.monitors (got a %s as a monitor; pass a "
                                   "tf.train.SessionRunHook)" % type(hook).__name__)
    return hooks


class Estimator(object):
    """Trains, evaluates and predicts with a model_fn; checkpoints live in model_dir.

    model_fn(features, labels[, mode][, params][, config][, model_dir]) returns ModelFnOps or
    (predictions, loss, train_op); which optional arguments it gets is decided by their names.
    """

    def __init__(self, model_fn=None, model_dir=None, config=None, params=None, feature_engineering_fn=None):
        if config is None:
            config = RunConfig()
            tf.logging.info("Using default config.")
        self._config = config
        self._session_config = config.session_config or tf.ConfigProto(allow_soft_placement=True)
        self._model_dir, self._config = engine.resolve_model_dir(model_dir, self._config)
        tf.logging.info("Using config: %s", str(vars(self._config)))
        if model_fn is not None:
            args = model_fn_args(model_fn)
            if params is not None and "params" not in args:
                raise ValueError("Estimator's model_fn (%s) does not have a params argument, but params "
                                 "(%s) were passed to the Estimator's constructor." % (model_fn, params))
            if params is None and "params" in args:
                tf.logging.warning("Estimator's model_fn (%s) includes params argument, but params are not "
                                   "passed to Estimator.", model_fn)
        self._model_fn = model_fn
        self.params = params
        self._feature_engineering_fn = feature_engineering_fn or (lambda features, labels: (features, labels))
        self._features_info = None
        self._labels_info = None
        self._graph = None

    # --- public surface ---------------------------------------------------------------------------
    @property
    def model_dir(self):
        return self._model_dir

    @property
    def config(self):
        return copy.deepcopy(self._config)

    @property
    def model_fn(self):
        """The model_fn with this Estimator's params bound: f(features, labels, mode, config)."""
        def public_model_fn(features, labels, mode, config):
            return self._call_model_fn(features, labels, mode, config=config)
        return public_model_fn

    def fit(self, x=None, y=None, input_fn=None, steps=None, batch_size=None, monitors=None, max_steps=None):
        """Train. steps= adds to the saved global_step; max_steps= is an absolute target."""
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        _data_feeder.verify_input_args(x, y, input_fn, None, batch_size)
        if x is not None:
            SKCompat(self).fit(x, y, batch_size, steps, max_steps, monitors)
            return self
        if max_steps is not None and self._saved_global_step() >= max_steps:
            tf.logging.info("Skipping training since max_steps has already saved.")
            return self
        hooks = _hooks_from_monitors(monitors)
        if steps is not None or max_steps is not None:
            hooks.append(tf.train.StopAtStepHook(steps, max_steps))
        loss = self._train_model(input_fn, hooks)
        tf.logging.info("Loss for final step: %s.", loss)
        return self

    def partial_fit(self, x=None, y=None, input_fn=None, steps=1, batch_size=None, monitors=None):
        tf.logging.warning("The current implementation of partial_fit is not optimized for use in a "
                           "loop. Consider using fit() instead.")
        return self.fit(x=x, y=y, input_fn=input_fn, steps=steps, batch_size=batch_size, monitors=monitors)

    def evaluate(self, x=None, y=None, input_fn=None, feed_fn=None, batch_size=None, steps=None,
                 metrics=None, name=None, checkpoint_path=None, hooks=None, log_progress=True):
        """Metrics of the latest checkpoint: a dict with at least 'loss' and 'global_step'."""
        _data_feeder.verify_input_args(x, y, input_fn, feed_fn, batch_size)
        if x is not None:
            return SKCompat(self).score(x, y, batch_size, steps, metrics, name)
        if metrics is not None and not isinstance(metrics, dict):
            raise ValueError("Metrics argument should be None or dict. Got %s." % metrics)
        results, global_step = self._evaluate_model(input_fn, steps, feed_fn=feed_fn, metrics=metrics,
                                                    name=name, checkpoint_path=checkpoint_path,
                                                    hooks=hooks, log_progress=log_progress)
        results["global_step"] = global_step
        return results

    def predict(self, x=None, input_fn=None, batch_size=None, outputs=None, as_iterable=True,
                iterate_batches=False):
        """Predictions of the latest checkpoint: an iterator over examples, or one batch's arrays."""
        _data_feeder.verify_input_args(x, None, input_fn, None, batch_size)
        if x is not None and not as_iterable:
            return SKCompat(self).predict(x, batch_size)  # TF 1.15 drops `outputs` here too
        input_fn, feed_fn = _data_feeder.get_input_fn(x, None, input_fn, None, batch_size)
        return self._infer_model(input_fn, feed_fn=feed_fn, outputs=outputs, as_iterable=as_iterable,
                                 iterate_batches=iterate_batches)

    def get_variable_value(self, name):
        return tf.train.load_variable(self.model_dir, name)

    def get_variable_names(self):
        return [name for name, _ in tf.train.list_variables(self.model_dir)]

    def export(self, *args, **kwargs):
        raise NotProvidedError("tf.contrib.learn.Estimator.export")

    def export_savedmodel(self, *args, **kwargs):
        raise NotProvidedError("tf.contrib.learn.Estimator.export_savedmodel")

    # --- calling the model_fn ---------------------------------------------------------------------
    def _call_model_fn(self, features, labels, mode, metrics=None, config=None):
        features, labels = self._feature_engineering_fn(features, labels)
        args = model_fn_args(self._model_fn)
        kwargs = {}
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self.params
        if "config" in args:
            kwargs["config"] = config or self.config
        if "model_dir" in args:
            kwargs["model_dir"] = self.model_dir
        model_fn_ops = to_model_fn_ops(self._model_fn(features, labels, **kwargs), mode)
        if metrics:
            model_fn_ops.eval_metric_ops.update(make_metric_ops(metrics, labels, model_fn_ops.predictions))
        return model_fn_ops

    def _check_inputs(self, features, labels):
        """Remember the first inputs' signatures; later inputs must match them (as in TF 1.15)."""
        if self._features_info is None:
            self._features_info = _signatures(features)
        elif not _compatible(features, self._features_info):
            raise ValueError("Features are incompatible with given information. Given features: %s, "
                             "required signatures: %s." % (features, self._features_info))
        if labels is None:
            return
        if self._labels_info is None:
            self._labels_info = _signatures(labels)
        elif not _compatible(labels, self._labels_info):
            raise ValueError("Labels are incompatible with given information. Given labels: %s, "
                             "required signatures: %s." % (labels, self._labels_info))

    def _saved_global_step(self):
        return engine.saved_global_step(self._model_dir, -1)

    def _latest_checkpoint(self):
        path = tf.train.latest_checkpoint(self._model_dir)
        if not path:
            raise NotFittedError("Couldn't find trained model at %s." % self._model_dir)
        return path

    # --- the three loops --------------------------------------------------------------------------
    def _train_model(self, input_fn, hooks):
        self._graph = tf.Graph()
        with self._graph.as_default() as graph, graph.device(None):
            tf.set_random_seed(self._config.tf_random_seed)
            global_step = tf.train.create_global_step(graph)
            features, labels = input_fn()
            self._check_inputs(features, labels)
            engine.create_global_step_read(graph, global_step)
            model_fn_ops = self._call_model_fn(features, labels, ModeKeys.TRAIN)
            tf.add_to_collection(tf.GraphKeys.LOSSES, model_fn_ops.loss)
            all_hooks = list(hooks) + engine.loss_hooks(model_fn_ops.loss, global_step, _LOG_EVERY_N_STEPS)
            scaffold = model_fn_ops.scaffold or tf.train.Scaffold()
            engine.add_default_saver(self._config, scaffold)
            chief_hooks = engine.checkpoint_hooks(
                self._config, self._model_dir, scaffold,
                all_hooks + model_fn_ops.training_hooks + model_fn_ops.training_chief_hooks)
            return engine.run_training(self._config, self._model_dir, self._session_config, scaffold,
                                       all_hooks + model_fn_ops.training_hooks,
                                       chief_hooks + model_fn_ops.training_chief_hooks,
                                       model_fn_ops.train_op, model_fn_ops.loss)

    def _evaluate_model(self, input_fn, steps, feed_fn=None, metrics=None, name="", checkpoint_path=None,
                        hooks=None, log_progress=True):
        checkpoint_path = checkpoint_path or self._latest_checkpoint()
        eval_dir = engine.eval_dir(self._model_dir, name)
        with tf.Graph().as_default() as graph:
            tf.set_random_seed(self._config.tf_random_seed)
            global_step = tf.train.create_global_step(graph)
            features, labels = input_fn()
            self._check_inputs(features, labels)
            model_fn_ops = self._call_model_fn(features, labels, ModeKeys.EVAL, metrics)
            if "loss" not in model_fn_ops.eval_metric_ops:
                model_fn_ops.eval_metric_ops["loss"] = tf.metrics.mean(model_fn_ops.loss)
            update_op, final_ops = split_metric_ops(model_fn_ops.eval_metric_ops)
            hooks = list(hooks or [])
            if feed_fn:
                hooks.append(tf.train.FeedFnHook(feed_fn))
            if steps == 0:
                tf.logging.warning("evaluation steps are 0. If `input_fn` does not raise `OutOfRangeError`, "
                                   "the evaluation will never stop. Use steps=None if intended.")
            if steps:
                hooks.append(engine.StopAfterNEvalsHook(steps, log_progress=log_progress))
            step_key = "global_step"
            while step_key in final_ops:
                step_key = "_" + step_key
            final_ops[step_key] = global_step
            results = engine.run_evaluation(self._config, self._session_config, checkpoint_path,
                                            model_fn_ops.scaffold, update_op, final_ops, hooks)
            global_step_value = results[step_key]
            engine.write_eval_summary(eval_dir, results, global_step_value)
        return results, global_step_value

    def _infer_model(self, input_fn, feed_fn=None, outputs=None, as_iterable=True, iterate_batches=False):
        checkpoint_path = self._latest_checkpoint()
        with tf.Graph().as_default() as graph:
            tf.set_random_seed(self._config.tf_random_seed)
            tf.train.create_global_step(graph)
            features = input_fn()
            if isinstance(features, (list, tuple)):
                features = features[0]
            labels = _placeholders(self._labels_info)  # so a model_fn that reshapes labels still builds
            infer_ops = self._call_model_fn(features, labels, ModeKeys.INFER)
            predictions = engine.select_predictions(infer_ops.predictions, outputs, "outputs")
            session = tf.train.MonitoredSession(session_creator=tf.train.ChiefSessionCreator(
                checkpoint_filename_with_path=checkpoint_path, scaffold=infer_ops.scaffold,
                config=self._session_config))
            # With no feed_fn and no queue runners the input is constant: one batch, then stop.
            input_is_constant = feed_fn is None and not graph.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
        if not as_iterable:
            with session:
                if not session.should_stop():
                    return session.run(predictions, feed_fn() if feed_fn else None)
            return None
        return engine.predict_generator(session, predictions, feed_fn, iterate_batches, input_is_constant)


class SKCompat(object):
    """scikit-learn style fit/score/predict on numpy arrays, around an Estimator.

    fit feeds shuffled batches endlessly (stop it with steps or max_steps); score and predict go
    through x once, in order, batch_size rows at a time.
    """

    def __init__(self, estimator):
        self._estimator = estimator

    def fit(self, x, y, batch_size=128, steps=None, max_steps=None, monitors=None):
        input_fn, feed_fn = _data_feeder.get_input_fn(x, y, input_fn=None, feed_fn=None,
                                                      batch_size=batch_size, shuffle=True, epochs=None)
        all_monitors = [tf.train.FeedFnHook(feed_fn)] + list(monitors or [])
        self._estimator.fit(input_fn=input_fn, steps=steps, max_steps=max_steps, monitors=all_monitors)
        return self

    def score(self, x, y, batch_size=128, steps=None, metrics=None, name=None):
        input_fn, feed_fn = _data_feeder.get_input_fn(x, y, input_fn=None, feed_fn=None,
                                                      batch_size=batch_size, shuffle=False, epochs=1)
        if metrics is not None and not isinstance(metrics, dict):
            raise ValueError("Metrics argument should be None or dict. Got %s." % metrics)
        results, global_step = self._estimator._evaluate_model(input_fn=input_fn, feed_fn=feed_fn,
                                                               steps=steps, metrics=metrics, name=name)
        results["global_step"] = global_step
        return results

    def predict(self, x, batch_size=128, outputs=None):
        """Predictions for all of x: one array, or a dict of arrays for dict predictions."""
        input_fn, feed_fn = _data_feeder.get_input_fn(x, None, input_fn=None, feed_fn=None,
                                                      batch_size=batch_size, shuffle=False, epochs=1)
        batches = list(self._estimator._infer_model(input_fn=input_fn, feed_fn=feed_fn, outputs=outputs,
                                                    as_iterable=True, iterate_batches=True))
        if not isinstance(batches[0], dict):
            return np.concatenate(batches, axis=0)
        return {key: np.concatenate([batch[key] for batch in batches], axis=0) for key in batches[0]}
