"""tf.contrib.learn for TensorFlow 2.x: Estimator, SKCompat, RunConfig, ModeKeys, ModelFnOps.

The custom-model_fn Estimator that tutorials wrap in SKCompat, rebuilt on tf.compat.v1.train
(tensorflow_estimator is not used); its loops are the engine tf.estimator shares
(compat/estimator/engine.py), only contrib's own surface (SKCompat, ModelFnOps, x/y feeding) is here. It reproduces TF 1.15's training loop, checkpoints, logging
and - for numpy x/y - TF 1.15's exact batch order. The canned estimators (DNNRegressor,
LinearClassifier, ...), heads, monitors, learn_runner/Experiment, export and the
pandas/dask/iterator feeders are not provided: they raise NotProvidedError naming them. Of the
datasets, the MNIST reader is (compat/contrib/learn/datasets/).
"""

import importlib

from compat.contrib.learn._estimator import Estimator, SKCompat
from compat.contrib.learn._model_fn import ModeKeys, ModelFnOps, NotFittedError
from compat.contrib.learn._run_config import RunConfig
from compat.errors import NotProvidedError

__all__ = ["Estimator", "SKCompat", "RunConfig", "ModeKeys", "ModelFnOps", "NotFittedError", "datasets"]


def __getattr__(name):
    if name == "datasets":  # imported on first use, as `tf.contrib.learn.datasets.mnist` needs
        return importlib.import_module(__name__ + ".datasets")
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotProvidedError("tf.contrib.learn." + name)


def __dir__():
    return sorted(__all__)
