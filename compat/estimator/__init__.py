"""tf.estimator for TensorFlow 2.x (which removed it in 2.16).

Estimator, EstimatorSpec, ModeKeys, RunConfig, TrainSpec/EvalSpec/train_and_evaluate (local),
WarmStartSettings, export (SavedModel), inputs.numpy_input_fn/pandas_input_fn and the premade
DNN/Linear Classifier/Regressor are compat's, on the engine tf.contrib.learn shares
(compat/estimator/engine.py); the SessionRunHooks are tf.compat.v1.train's own classes, as they
were in TF 1.15. The other premade estimators, heads, exporters and distribution raise
NotProvidedError saying what to use instead.
"""

import importlib

from compat._moved import NOT_PROVIDED
from compat.errors import NotProvidedError
from compat.estimator.canned.dnn import DNNClassifier, DNNRegressor
from compat.estimator.canned.linear import LinearClassifier, LinearRegressor
from compat.estimator.estimator import Estimator
from compat.estimator.model_fn import EstimatorSpec, ModeKeys
from compat.estimator.run_config import RunConfig
from compat.estimator.training import EvalSpec, TrainSpec, train_and_evaluate
from compat.estimator.warm_start import VocabInfo, WarmStartSettings

# tf.estimator re-exported these from tf.train in TF 1.15; TF 2.x keeps them under tf.compat.v1.train.
_FROM_TRAIN = ("CheckpointSaverHook", "CheckpointSaverListener", "FeedFnHook", "FinalOpsHook",
               "GlobalStepWaiterHook", "LoggingTensorHook", "NanLossDuringTrainingError", "NanTensorHook",
               "ProfilerHook", "SecondOrStepTimer", "SessionRunArgs", "SessionRunContext", "SessionRunHook",
               "SessionRunValues", "StepCounterHook", "StopAtStepHook", "SummarySaverHook")

__all__ = ["Estimator", "EstimatorSpec", "ModeKeys", "RunConfig", "TrainSpec", "EvalSpec", "train_and_evaluate",
           "WarmStartSettings", "VocabInfo", "DNNClassifier", "DNNRegressor", "LinearClassifier", "LinearRegressor",
           "inputs", "export"] + list(_FROM_TRAIN)


_LEFT_OUT = {entry.name[len("estimator."):]: entry.why for entry in NOT_PROVIDED if entry.name.startswith("estimator.")}


def __getattr__(name):
    if name in ("inputs", "export"):
        return importlib.import_module(__name__ + ".inputs")
    if name in _FROM_TRAIN:
        from tensorflow.compat import v1

        return getattr(v1.train, name)
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotProvidedError("tf.estimator." + name, _LEFT_OUT.get(name))


def __dir__():
    return sorted(__all__)
