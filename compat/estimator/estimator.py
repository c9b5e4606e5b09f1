"""tf.estimator.Estimator on tf.compat.v1.train (tensorflow_estimator does not load on TF 2.16+).

Each graph is built in TF 1.15's order (global step, its cached read, input_fn, model_fn, the
`loss` summary, hooks), then run by the shared engine (compat/estimator/engine.py), so a seeded
model draws TF 1.15's random numbers and model_dir gets TF 1.15's checkpoints and event files.
"""

import copy
import inspect

from tensorflow.compat import v1 as tf
from tensorflow.core.protobuf import rewriter_config_pb2

from compat.estimator import engine, export, warm_start
from compat.estimator.model_fn import EstimatorSpec, ModeKeys
from compat.estimator.run_config import RunConfig


_MODEL_FN_ARGS = {"features", "labels", "mode", "params", "self", "config"}


def fn_args(fn):
    """Argument names of fn (or of the function a functools.partial wraps, minus those bound)."""
    if hasattr(fn, "func") and hasattr(fn, "keywords") and hasattr(fn, "args"):
        names = fn_args(fn.func)[len(fn.args):]
        return tuple(name for name in names if name not in set(fn.keywords or {}))
    fn = inspect.unwrap(fn)
    if not inspect.isfunction(fn) and not inspect.ismethod(fn) and hasattr(fn, "__call__"):
        fn = fn.__call__
    names = inspect.getfullargspec(fn).args
    return tuple(names[1:] if inspect.ismethod(fn) else names)


def model_fn_kwargs(model_fn, labels, mode, config, params):
    """The keyword arguments besides features that model_fn takes, by name, as TF 1.15 passes them."""
    names = fn_args(model_fn)
    kwargs = {}
    if "labels" in names:
        kwargs["labels"] = labels
    elif labels is not None:
        raise ValueError("model_fn does not take labels, but input_fn returns labels.")
    for name, value in (("mode", mode), ("params", params), ("config", config)):
        if name in names:
            kwargs[name] = value
    return kwargs


def _default_session_config():
    """TF 1.15's: soft placement, one pass of Grappler's meta optimizer."""
    rewrite = rewriter_config_pb2.RewriterConfig(meta_optimizer_iterations=rewriter_config_pb2.RewriterConfig.ONE)
    return tf.ConfigProto(allow_soft_placement=True, graph_options=tf.GraphOptions(rewrite_options=rewrite))


class _DatasetInitializerHook(tf.train.SessionRunHook):
    """Initializes the iterator of an input_fn's Dataset once the session exists (as TF 1.15)."""

    def __init__(self, iterator):
        self._iterator = iterator

    def begin(self):
        self._initializer = self._iterator.initializer

    def after_create_session(self, session, coord):
        session.run(self._initializer)


def _parse_input_fn_result(result):
    """(features, labels or None, input hooks) from a Dataset, a (features, labels) pair or features."""
    hooks = []
    if isinstance(result, tf.data.Dataset):
        iterator = tf.data.make_initializable_iterator(result)
        hooks.append(_DatasetInitializerHook(iterator))
        result = iterator.get_next()
    if isinstance(result, (list, tuple)):
        if len(result) != 2:
            raise ValueError("input_fn should return (features, labels) as a len 2 tuple.")
        return result[0], result[1], hooks
    return result, None, hooks


def _check_hooks(hooks, kind="SessionRunHook"):
    hooks = list(hooks or [])
    base = tf.train.SessionRunHook if kind == "SessionRunHook" else tf.train.CheckpointSaverListener
    for hook in hooks:
        if not isinstance(hook, base):
            raise TypeError("All hooks must be %s instances, given: %s" % (kind, hook))
    return hooks


class Estimator(object):
    """Trains, evaluates and predicts with model_fn(features, labels, mode, params, config)."""

    def __init__(self, model_fn, model_dir=None, config=None, params=None, warm_start_from=None):
        if config is None:
            config = RunConfig()
            tf.logging.info("Using default config.")
        if not isinstance(config, RunConfig):
            raise ValueError("config must be an instance of `RunConfig`, but provided %s." % config)
        model_dir, config = engine.resolve_model_dir(model_dir, config)
        if config.session_config is None:
            config = config.replace(session_config=_default_session_config())
        self._config = config
        self._model_dir = model_dir
        self._session_config = config.session_config
        tf.logging.info("Using config: %s", str(vars(self._config)))
        if model_fn is None:
            raise ValueError("model_fn must be provided to Estimator.")
        args = fn_args(model_fn)
        if "features" not in args:
            raise ValueError("model_fn (%s) must include features argument." % model_fn)
        if params is not None and "params" not in args:
            raise ValueError("model_fn (%s) does not include params argument, but params (%s) is passed to "
                             "Estimator." % (model_fn, params))
        if params is None and "params" in args:
            tf.logging.warning("Estimator's model_fn (%s) includes params argument, but params are not passed "
                               "to Estimator.", model_fn)
        unexpected = sorted(set(args) - _MODEL_FN_ARGS)
        if unexpected:
            raise ValueError("model_fn (%s) has following not expected args: %s" % (model_fn, unexpected))
        self._model_fn = model_fn
        self._params = copy.deepcopy(params or {})
        self._warm_start_settings = warm_start.warm_start_settings(warm_start_from)

    # --- public surface ---------------------------------------------------------------------------
    model_dir = property(lambda self: self._model_dir)
    config = property(lambda self: copy.deepcopy(self._config))
    params = property(lambda self: copy.deepcopy(self._params))

    @property
    def model_fn(self):
        def public_model_fn(features, labels, mode, config):
            return self._call_model_fn(features, labels, mode, config)
        return public_model_fn

    def latest_checkpoint(self):
        return tf.train.latest_checkpoint(self._model_dir)

    def get_variable_value(self, name):
        if not self.latest_checkpoint():
            raise ValueError("Could not find trained model in model_dir: {}.".format(self._model_dir))
        return tf.train.load_variable(self._model_dir, name)

    def get_variable_names(self):
        if not self.latest_checkpoint():
            raise ValueError("Could not find trained model in model_dir: {}.".format(self._model_dir))
        return [name for name, _ in tf.train.list_variables(self._model_dir)]

    def eval_dir(self, name=None):
        return engine.eval_dir(self._model_dir, name)

    def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        if steps is not None and steps <= 0:
            raise ValueError("Must specify steps > 0, given: {}".format(steps))
        if max_steps is not None and max_steps <= 0:
            raise ValueError("Must specify max_steps > 0, given: {}".format(max_steps))
        if max_steps is not None and max_steps <= engine.saved_global_step(self._model_dir, 0):
            tf.logging.info("Skipping training since max_steps has already saved.")
            return self
        hooks = _check_hooks(hooks)
        if steps is not None or max_steps is not None:
            hooks.append(tf.train.StopAtStepHook(steps, max_steps))
        saving_listeners = _check_hooks(saving_listeners, "CheckpointSaverListener")
        loss = self._train_model(input_fn, hooks, saving_listeners)
        tf.logging.info("Loss for final step: %s.", loss)
        return self

    def evaluate(self, input_fn, steps=None, hooks=None, checkpoint_path=None, name=None):
        hooks = _check_hooks(hooks)
        if steps is not None:
            if steps <= 0:
                raise ValueError("Must specify steps > 0, given: {}".format(steps))
            hooks.append(engine.StopAfterNEvalsHook(steps))
        if not checkpoint_path:
            checkpoint_path = self.latest_checkpoint()
            if not checkpoint_path:
                tf.logging.info("Could not find trained model in model_dir: {}, running initialization to "
                                "evaluate.".format(self._model_dir))
        with tf.Graph().as_default() as graph:
            tf.set_random_seed(self._config.tf_random_seed)
            global_step = self._create_global_step(graph)
            features, labels, input_hooks = self._input(input_fn, ModeKeys.EVAL)
            spec = self._call_model_fn(features, labels, ModeKeys.EVAL, self.config)
            self._maybe_warm_start(checkpoint_path)
            metric_ops = dict(spec.eval_metric_ops)
            if "loss" in metric_ops:
                raise ValueError('Metric with name "loss" is not allowed, because Estimator already defines a '
                                 'default metric with the same name.')
            metric_ops["loss"] = tf.metrics.mean(spec.loss)
            updates = [metric_ops[key][1] for key in sorted(metric_ops)]
            final_ops = {key: metric_ops[key][0] for key in sorted(metric_ops)}
            if tf.GraphKeys.GLOBAL_STEP in final_ops:
                raise ValueError("Metric with name `global_step` is not allowed, because Estimator already "
                                 "defines a default metric with the same name.")
            final_ops[tf.GraphKeys.GLOBAL_STEP] = global_step
            results = engine.run_evaluation(self._config, self._session_config, checkpoint_path, spec.scaffold,
                                            tf.group(*updates), final_ops,
                                            input_hooks + hooks + list(spec.evaluation_hooks))
            engine.write_eval_summary(self.eval_dir(name), results, results[tf.GraphKeys.GLOBAL_STEP])
            if checkpoint_path:
                engine.write_checkpoint_path_summary(self.eval_dir(name), checkpoint_path,
                                                     results[tf.GraphKeys.GLOBAL_STEP])
        return results

    def predict(self, input_fn, predict_keys=None, hooks=None, checkpoint_path=None, yield_single_examples=True):
        hooks = _check_hooks(hooks)
        checkpoint_path = checkpoint_path or self.latest_checkpoint()
        if not checkpoint_path:
            tf.logging.info("Could not find trained model in model_dir: {}, running initialization to "
                            "predict.".format(self._model_dir))
        with tf.Graph().as_default() as graph:
            tf.set_random_seed(self._config.tf_random_seed)
            self._create_global_step(graph)
            features, _, input_hooks = self._input(input_fn, ModeKeys.PREDICT)
            spec = self._call_model_fn(features, None, ModeKeys.PREDICT, self.config)
            self._maybe_warm_start(checkpoint_path)
            predictions = engine.select_predictions(spec.predictions, predict_keys)
            session = tf.train.MonitoredSession(
                session_creator=tf.train.ChiefSessionCreator(
                    checkpoint_filename_with_path=checkpoint_path, master=self._config.master,
                    scaffold=spec.scaffold, config=self._session_config),
                hooks=input_hooks + hooks + list(spec.prediction_hooks))
        # Like TF 1.15, a predict input that is neither a Dataset nor queues yields forever.
        for value in engine.predict_generator(session, predictions, None, not yield_single_examples, False):
            yield value

    def export_saved_model(self, export_dir_base, serving_input_receiver_fn, assets_extra=None, as_text=False,
                           checkpoint_path=None, experimental_mode=ModeKeys.PREDICT):
        """Write the model_fn's graph for one mode, with the checkpoint's variables, as a SavedModel."""
        return self._export(export_dir_base, serving_input_receiver_fn, assets_extra, as_text, checkpoint_path,
                            experimental_mode)

    def export_savedmodel(self, export_dir_base, serving_input_receiver_fn, assets_extra=None, as_text=False,
                          checkpoint_path=None, strip_default_attrs=False):
        """TF 1.15's older name of export_saved_model (PREDICT mode)."""
        return self._export(export_dir_base, serving_input_receiver_fn, assets_extra, as_text, checkpoint_path,
                            ModeKeys.PREDICT)

    def _export(self, export_dir_base, receiver_fn, assets_extra, as_text, checkpoint_path, mode):
        if not receiver_fn:
            raise ValueError("An input_receiver_fn must be defined.")
        checkpoint_path = checkpoint_path or self.latest_checkpoint()
        if not checkpoint_path and self._warm_start_settings:
            checkpoint_path = self._warm_start_settings.ckpt_to_initialize_from
            if tf.gfile.IsDirectory(checkpoint_path):
                checkpoint_path = tf.train.latest_checkpoint(checkpoint_path)
        if not checkpoint_path:
            raise ValueError("Couldn't find trained model at {}.".format(self._model_dir))

        def build_spec(features, labels, mode):
            self._create_global_step(tf.get_default_graph())
            tf.set_random_seed(self._config.tf_random_seed)
            return self._call_model_fn(features, labels, mode, self.config)
        return export.save_model(export_dir_base, build_spec, receiver_fn, checkpoint_path, self._session_config,
                                 mode, as_text, assets_extra)

    def _maybe_warm_start(self, checkpoint_path):
        if not checkpoint_path and self._warm_start_settings:
            warm_start.warm_start(self._warm_start_settings)

    # --- graph building, in TF 1.15's order -------------------------------------------------------
    def _create_global_step(self, graph):
        step = tf.train.create_global_step(graph)
        assert step.dtype.base_dtype == tf.int64
        return step

    def _input(self, input_fn, mode):
        args = fn_args(input_fn)
        kwargs = {}
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self.params
        if "config" in args:
            kwargs["config"] = self.config
        with tf.device("/cpu:0"):
            return _parse_input_fn_result(input_fn(**kwargs))

    def _call_model_fn(self, features, labels, mode, config):
        kwargs = model_fn_kwargs(self._model_fn, labels, mode, config, self.params)
        tf.logging.info("Calling model_fn.")
        spec = self._model_fn(features=features, **kwargs)
        tf.logging.info("Done calling model_fn.")
        if not isinstance(spec, EstimatorSpec):
            raise ValueError("model_fn should return an EstimatorSpec.")
        return spec

    def _train_model(self, input_fn, hooks, saving_listeners):
        with tf.Graph().as_default() as graph, graph.device(None):
            tf.set_random_seed(self._config.tf_random_seed)
            global_step = self._create_global_step(graph)
            engine.create_global_step_read(graph, global_step)
            features, labels, input_hooks = self._input(input_fn, ModeKeys.TRAIN)
            spec = self._call_model_fn(features, labels, ModeKeys.TRAIN, self.config)
            if self._warm_start_settings:
                warm_start.warm_start(self._warm_start_settings)
            if not any(summary.op.name == "loss" for summary in tf.get_collection(tf.GraphKeys.SUMMARIES)):
                tf.summary.scalar("loss", spec.loss)
            tf.add_to_collection(tf.GraphKeys.LOSSES, spec.loss)
            worker_hooks = (input_hooks + hooks +
                            engine.loss_hooks(spec.loss, global_step, self._config.log_step_count_steps) +
                            list(spec.training_hooks))
            engine.add_default_saver(self._config, spec.scaffold)
            chief_hooks = engine.checkpoint_hooks(self._config, self._model_dir, spec.scaffold,
                                                  worker_hooks + list(spec.training_chief_hooks), saving_listeners)
            loss = engine.run_training(self._config, self._model_dir, self._session_config, spec.scaffold,
                                       worker_hooks, chief_hooks + list(spec.training_chief_hooks),
                                       spec.train_op, spec.loss, self._config.log_step_count_steps)
        return loss

