"""tf.contrib.tpu.TPUEstimator and TPUEstimatorSpec with use_tpu=False (TF 1.15's tpu_estimator.py).

On a CPU/GPU, TF 1.15's TPUEstimator is tf.estimator's Estimator with a few rules, which this
subclass of compat's Estimator keeps: input_fn and model_fn must take `params`, and get
params["batch_size"] (the train, eval or predict batch size of the mode) and, for model_fn,
params["use_tpu"] = False; a TPUEstimatorSpec becomes an EstimatorSpec (scaffold_fn called,
eval_metrics' metric_fn called on its tensors, host_call run every step by a hook); the global
step is a resource variable; the `loss = ...` log is replaced by `global_step/sec` and
`examples/sec` every log_step_count_steps / iterations_per_loop steps. use_tpu=True needs a TPU,
which compat does not drive: NotProvidedError.
"""

import collections
import copy
import inspect
import math

from tensorflow.compat import v1 as tf
from tensorflow.python.ops import summary_ops_v2

from compat.contrib.tpu.tpu_config import InputPipelineConfig, RunConfig, check_positive_integer, \
    parse_iterations_per_loop
from compat.errors import NotProvidedError
from compat.estimator.estimator import Estimator, fn_args, model_fn_kwargs
from compat.estimator.model_fn import EstimatorSpec, ModeKeys

_BATCH_SIZE_KEY = "batch_size"
_USE_TPU_KEY = "use_tpu"
_RESERVED_PARAMS_KEYS = [_BATCH_SIZE_KEY, "context"]

_SPEC_FIELDS = ("mode", "predictions", "loss", "train_op", "eval_metrics", "export_outputs", "scaffold_fn",
                "host_call", "training_hooks", "evaluation_hooks", "prediction_hooks")


def _validate_host_calls(host_calls):
    for name, host_call in host_calls.items():
        if not isinstance(host_call, (tuple, list)):
            raise ValueError("{} should be tuple or list".format(name))
        if len(host_call) != 2:
            raise ValueError("{} should have two elements.".format(name))
        if not callable(host_call[0]):
            raise TypeError("{}[0] should be callable.".format(name))
        if not isinstance(host_call[1], (tuple, list, dict)):
            raise ValueError("{}[1] should be tuple or list, or dict.".format(name))
        if isinstance(host_call[1], (tuple, list)):
            has_varargs = inspect.getfullargspec(host_call[0]).varargs is not None
            if not has_varargs and len(host_call[1]) != len(fn_args(host_call[0])):
                raise RuntimeError("In TPUEstimatorSpec.{}, length of tensors {} does not match method args of "
                                   "the function, which takes {}.".format(name, len(host_call[1]),
                                                                          len(fn_args(host_call[0]))))


def _call_host_fns_on_cpu(host_calls):
    """{name: fn(*tensors) or fn(**tensors)}, called in the order given (as TF 1.15 on a CPU)."""
    _validate_host_calls(host_calls)
    results = {}
    for name, (host_fn, tensors) in host_calls.items():
        if isinstance(tensors, (tuple, list)):
            results[name] = host_fn(*tensors)
            continue
        try:
            results[name] = host_fn(**tensors)
        except TypeError as error:
            tf.logging.warning("Exception while calling %s: %s. It is likely the tensors (%s[1]) do not match "
                               "the function's arguments", name, error, name)
            raise
    return results


class TPUEstimatorSpec(collections.namedtuple("TPUEstimatorSpec", _SPEC_FIELDS)):
    """What a TPUEstimator model_fn returns: eval_metrics = (metric_fn, tensors), scaffold_fn,
    host_call = (fn, tensors); as_estimator_spec() gives the EstimatorSpec run on a CPU."""

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metrics=None, export_outputs=None,
                scaffold_fn=None, host_call=None, training_hooks=None, evaluation_hooks=None,
                prediction_hooks=None):
        host_calls = collections.OrderedDict()
        if eval_metrics is not None:
            host_calls["eval_metrics"] = eval_metrics
        if host_call is not None:
            host_calls["host_call"] = host_call
        _validate_host_calls(host_calls)
        training_hooks = tuple(training_hooks or [])
        evaluation_hooks = tuple(evaluation_hooks or [])
        prediction_hooks = tuple(prediction_hooks or [])
        for hook in training_hooks + evaluation_hooks + prediction_hooks:
            if not isinstance(hook, tf.train.SessionRunHook):
                raise TypeError("All hooks must be SessionRunHook instances, given: {}".format(hook))
        return super(TPUEstimatorSpec, cls).__new__(
            cls, mode=mode, predictions=predictions, loss=loss, train_op=train_op, eval_metrics=eval_metrics,
            export_outputs=export_outputs, scaffold_fn=scaffold_fn, host_call=host_call,
            training_hooks=training_hooks, evaluation_hooks=evaluation_hooks, prediction_hooks=prediction_hooks)

    def as_estimator_spec(self):
        """The equivalent EstimatorSpec that train/evaluate/predict run on a CPU."""
        host_calls = collections.OrderedDict()
        if self.eval_metrics is not None:
            host_calls["eval_metrics"] = self.eval_metrics
        if self.host_call is not None:
            host_calls["host_call"] = self.host_call
        results = _call_host_fns_on_cpu(host_calls)
        hooks = (HostCallHook(results["host_call"]),) if self.host_call is not None else ()
        return EstimatorSpec(
            mode=self.mode, predictions=self.predictions, loss=self.loss, train_op=self.train_op,
            eval_metric_ops=results.get("eval_metrics"), export_outputs=self.export_outputs,
            scaffold=self.scaffold_fn() if self.scaffold_fn else None,
            training_hooks=self.training_hooks + hooks, evaluation_hooks=self.evaluation_hooks + hooks,
            prediction_hooks=self.prediction_hooks + hooks)


class HostCallHook(tf.train.SessionRunHook):
    """Runs host_call's outputs with every step; initializes and flushes tf.contrib.summary-style
    writers around the run (TF 1.15's hook for host_call when use_tpu=False)."""

    def __init__(self, tensors):
        self._tensors = tensors

    def begin(self):
        self._init_ops = summary_ops_v2.summary_writer_initializer_op()
        self._finalize_ops = [summary_ops_v2.flush(writer=op.inputs[0]) for op in self._init_ops]

    def after_create_session(self, session, coord):
        session.run(self._init_ops)

    def before_run(self, run_context):
        return tf.train.SessionRunArgs(self._tensors)

    def end(self, session):
        session.run(self._finalize_ops)


class ExamplesPerSecondHook(tf.train.StepCounterHook):
    """Logs (and writes as summaries) global_step/sec and examples/sec."""

    def __init__(self, batch_size, every_n_steps=100, every_n_secs=None, output_dir=None, summary_writer=None):
        self._batch_size = batch_size
        super(ExamplesPerSecondHook, self).__init__(every_n_steps=every_n_steps, every_n_secs=every_n_secs,
                                                    output_dir=output_dir, summary_writer=summary_writer)

    def _log_and_record(self, elapsed_steps, elapsed_time, global_step):
        steps_per_sec = elapsed_steps / elapsed_time
        examples_per_sec = self._batch_size * steps_per_sec
        if self._summary_writer is not None:
            for tag, value in (("global_step/sec", steps_per_sec), ("examples/sec", examples_per_sec)):
                self._summary_writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag=tag, simple_value=value)]),
                                                 global_step)
        tf.logging.info("global_step/sec: %g", steps_per_sec)
        tf.logging.info("examples/sec: %g", examples_per_sec)


def _add_item_to_params(params, key, value):
    if hasattr(params, "set_hparam"):  # an HParams object
        if key in params:
            params.set_hparam(key, value)
        else:
            params.add_hparam(key, value)
    else:
        params[key] = value


class TPUEstimator(Estimator):
    """tf.estimator.Estimator for TPU code, run on this machine's CPU/GPU (use_tpu=False)."""

    def __init__(self, model_fn=None, model_dir=None, config=None, params=None, use_tpu=True,
                 train_batch_size=None, eval_batch_size=None, predict_batch_size=None, batch_axis=None,
                 eval_on_tpu=True, export_to_tpu=True, export_to_cpu=True, warm_start_from=None,
                 embedding_config_spec=None, export_saved_model_api_version=None):
        if config is None or not isinstance(config, RunConfig):
            raise ValueError("`config` must be provided with type `tpu_config.RunConfig`")
        if params is not None and any(key in params for key in _RESERVED_PARAMS_KEYS):
            raise ValueError("{} are reserved keys but existed in params {}.".format(_RESERVED_PARAMS_KEYS, params))
        if use_tpu:
            if train_batch_size is None:
                raise ValueError("`train_batch_size` cannot be `None`")
            check_positive_integer(train_batch_size, "train_batch_size")
            if (config.tpu_config.per_host_input_for_training is InputPipelineConfig.PER_SHARD_V1 and
                    config.tpu_config.num_cores_per_replica):
                raise ValueError("Model parallelism only supports per host input for training. Please adjust "
                                 "TPURunconfig.per_host_input_for_training.")
            raise NotProvidedError("tf.contrib.tpu.TPUEstimator(use_tpu=True)",
                                   "compat runs TPUEstimator on this machine's CPU/GPU, not on a TPU; pass "
                                   "use_tpu=False (BERT: --use_tpu=False)")
        if embedding_config_spec is not None:
            raise NotProvidedError("tf.contrib.tpu.TPUEstimator(embedding_config_spec=...)",
                                   "TPU embeddings need a TPU; use tf.nn.embedding_lookup in the model_fn")
        if model_fn is None or "features" not in fn_args(model_fn):
            raise ValueError("model_fn (%s) must include features argument." % model_fn)
        if params is not None and "params" not in fn_args(model_fn):
            raise ValueError("model_fn (%s) does not include params argument, but params (%s) is passed to "
                             "Estimator." % (model_fn, params))
        self._user_model_fn = model_fn
        # TPUEstimator logs examples/sec itself: the Estimator's `loss = ...` log and step counter are off.
        self._log_every_n_steps = config.log_step_count_steps
        config = config.replace(log_step_count_steps=None)
        super(TPUEstimator, self).__init__(model_fn=self._augmented_model_fn, model_dir=model_dir, config=config,
                                           params=params or {}, warm_start_from=warm_start_from)
        iterations = parse_iterations_per_loop(self._config.tpu_config.iterations_per_loop)
        self._log_every_n_secs = None
        if iterations.unit == "seconds":
            self._log_every_n_secs, self._log_every_n_steps = iterations.value, None
        elif self._log_every_n_steps is not None:
            # a TPU loop runs iterations_per_loop steps per session.run; TF 1.15 scales the log interval
            # by it even on a CPU
            self._log_every_n_steps = int(math.ceil(float(self._log_every_n_steps) / iterations.value))
        self._batch_sizes = {ModeKeys.TRAIN: train_batch_size, ModeKeys.EVAL: eval_batch_size,
                             ModeKeys.PREDICT: predict_batch_size}
        self._export_to_cpu = export_to_cpu
        self._export_to_tpu = export_to_tpu
        self._is_input_fn_invoked = None

    # --- train / evaluate / predict: TF 1.15 logs an error before re-raising it ---------------------
    def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
        with _ErrorRecorded("training_loop"):
            return super(TPUEstimator, self).train(self._input_fn_with_batch_size(input_fn, ModeKeys.TRAIN),
                                                   hooks=hooks, steps=steps, max_steps=max_steps,
                                                   saving_listeners=saving_listeners)

    def evaluate(self, input_fn, steps=None, hooks=None, checkpoint_path=None, name=None):
        with _ErrorRecorded("evaluation_loop"):
            return super(TPUEstimator, self).evaluate(self._input_fn_with_batch_size(input_fn, ModeKeys.EVAL),
                                                      steps=steps, hooks=hooks, checkpoint_path=checkpoint_path,
                                                      name=name)

    def predict(self, input_fn, predict_keys=None, hooks=None, checkpoint_path=None, yield_single_examples=True):
        with _ErrorRecorded("prediction_loop"):
            for result in super(TPUEstimator, self).predict(
                    self._input_fn_with_batch_size(input_fn, ModeKeys.PREDICT), predict_keys=predict_keys,
                    hooks=hooks, checkpoint_path=checkpoint_path, yield_single_examples=yield_single_examples):
                yield result

    # --- what TPUEstimator changes in the graph ---------------------------------------------------
    def _create_global_step(self, graph):
        """TF 1.15's TPU global step: a resource variable."""
        if tf.train.get_global_step(graph) is not None:
            raise ValueError('"global_step" already exists.')
        with graph.as_default(), graph.name_scope(None):
            return tf.get_variable(tf.GraphKeys.GLOBAL_STEP, shape=[], dtype=tf.int64,
                                   initializer=tf.zeros_initializer(), trainable=False, use_resource=True,
                                   collections=[tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.GLOBAL_STEP])

    def _input_fn_with_batch_size(self, input_fn, mode):
        """input_fn called with params["batch_size"] set to the mode's batch size."""
        names = fn_args(input_fn)

        def input_fn_for_mode(params, config):
            if "params" not in names:
                raise ValueError('input_fn ({}) does not include params argument, required by TPUEstimator to '
                                 'pass batch size as params["batch_size"]'.format(input_fn))
            kwargs = {"params": params}
            if "config" in names:
                kwargs["config"] = config
            if "mode" in names:
                kwargs["mode"] = mode
            if self._batch_sizes[mode] is not None:
                _add_item_to_params(params, _BATCH_SIZE_KEY, self._batch_sizes[mode])
            self._is_input_fn_invoked = True
            return input_fn(**kwargs)
        return input_fn_for_mode

    def _augmented_model_fn(self, features, labels, mode, config, params):
        examples_hook = None
        if self._log_every_n_steps is not None or self._log_every_n_secs is not None:
            examples_hook = ExamplesPerSecondHook(
                self._batch_sizes[mode],
                output_dir=self.model_dir if not config or config.save_summary_steps else None,
                every_n_steps=self._log_every_n_steps, every_n_secs=self._log_every_n_secs)
        # export_saved_model calls the model_fn without an input_fn: then no batch size (TF 1.15)
        is_export_mode = not self._is_input_fn_invoked
        self._is_input_fn_invoked = None
        tf.logging.info("Running %s on CPU", mode)
        spec = self._call_user_model_fn(features, labels, mode, config, params, is_export_mode)
        if examples_hook is not None:
            spec = spec._replace(training_hooks=spec.training_hooks + (examples_hook,))
        return spec

    def _call_user_model_fn(self, features, labels, mode, config, params, is_export_mode):
        config, params = copy.deepcopy(config), copy.deepcopy(params)
        kwargs = model_fn_kwargs(self._user_model_fn, labels, mode, config, params)
        if "params" not in kwargs:
            raise ValueError("model_fn ({}) does not include params argument, required by TPUEstimator to pass "
                             "batch size as params['batch_size']".format(self._user_model_fn))
        if self._batch_sizes[mode] is not None and not is_export_mode:
            _add_item_to_params(params, _BATCH_SIZE_KEY, self._batch_sizes[mode])
        _add_item_to_params(params, _USE_TPU_KEY, False)
        spec = self._user_model_fn(features=features, **kwargs)
        if isinstance(spec, TPUEstimatorSpec):
            return spec.as_estimator_spec()
        return spec


class _ErrorRecorded(object):
    """TF 1.15's TPUEstimator logs `Error recorded from <loop>: <error>` before re-raising."""

    def __init__(self, source):
        self._source = source

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is not None and issubclass(kind, Exception) and not isinstance(value, tf.errors.OutOfRangeError):
            tf.logging.error("Error recorded from %s: %s", self._source, value)
            tf.logging.warning("Reraising captured error")
        tf.logging.info("%s marked as finished", self._source)
        return False
