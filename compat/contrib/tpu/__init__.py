"""tf.contrib.tpu for TensorFlow 2.x: TPUEstimator and its configs with use_tpu=False.

TPUEstimator, TPUEstimatorSpec, RunConfig, TPUConfig and InputPipelineConfig are compat's, one
module per TF 1.15 source module (tpu_estimator.py, tpu_config.py), on compat's tf.estimator
engine. The TPU ops and CrossShardOptimizer are TF 2.x's own tf.compat.v1.tpu objects
(compat/_moved.py); they build TF 1.15's graphs, which need a TPU to run. What needs a TPU
system (infeed queues, keras_to_tpu_model, ...) raises NotProvidedError saying so.
"""

from compat._namespace import contrib_moved_names, contrib_package_hooks
from compat.contrib.tpu.tpu_config import InputPipelineConfig, RunConfig, TPUConfig
from compat.contrib.tpu.tpu_estimator import TPUEstimator, TPUEstimatorSpec

_OWN = ["InputPipelineConfig", "RunConfig", "TPUConfig", "TPUEstimator", "TPUEstimatorSpec"]

__all__ = sorted(_OWN + contrib_moved_names("tpu"))

__getattr__, __dir__ = contrib_package_hooks("tpu", globals())
