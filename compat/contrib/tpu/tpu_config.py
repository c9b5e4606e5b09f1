"""tf.contrib.tpu's InputPipelineConfig, TPUConfig and RunConfig (TF 1.15's tpu_config.py).

RunConfig is tf.estimator's RunConfig plus a TPUConfig, with TF 1.15's arguments, defaults and
checks. On a machine without a TPU only use_tpu=False runs, so the TPU settings are kept and
checked but change nothing; a ClusterResolver (a TPU's address) is not provided.
"""

import collections
import json
import os
import re

from compat.errors import NotProvidedError
from compat.estimator.run_config import RunConfig as EstimatorRunConfig

IterationsPerLoopCounter = collections.namedtuple("IterationsPerLoopCounter", "value unit")

_ITERATIONS_PER_LOOP = re.compile(r"^(?P<value>[1-9]\d*)(?P<suffix>[smh])?$")
_CORES_PER_REPLICA = (1, 2, 4, 8, 16, 32, 64, 128)


def parse_iterations_per_loop(iterations_per_loop):
    """`N` (a count) or `N<s|m|h>` (a time, in seconds) -> IterationsPerLoopCounter."""
    match = _ITERATIONS_PER_LOOP.match(str(iterations_per_loop))
    if match is None:
        raise ValueError("Invalid TPUConfig `iterations_per_loop` value. Value must be positive integer value or "
                         "time-based value `<N><s|m|h>` where <N> is anypositive integer and `s`, `m`, `h` are "
                         "unit of time in seconds, minutes, hours respectively. Examples of valid values: "
                         "`3600s`, `60m`, `1h`.")
    value = int(match.group("value")) * {None: 1, "s": 1, "m": 60, "h": 3600}[match.group("suffix")]
    return IterationsPerLoopCounter(value, "count" if match.group("suffix") is None else "seconds")


def check_positive_integer(value, name):
    if not isinstance(value, int):
        raise TypeError("{} must be int, got {}".format(name, type(value)))
    if value <= 0:
        raise ValueError("{} must be positive, got {}".format(name, value))


class InputPipelineConfig(object):
    """How TPUEstimator feeds a TPU (TF 1.15's values; on a CPU input_fn runs once either way)."""

    PER_SHARD_V1 = 1
    PER_HOST_V1 = 2
    PER_HOST_V2 = 3
    BROADCAST = 4
    SLICED = 5


_TPU_CONFIG_FIELDS = ("iterations_per_loop", "num_shards", "num_cores_per_replica", "per_host_input_for_training",
                      "tpu_job_name", "initial_infeed_sleep_secs", "input_partition_dims",
                      "eval_training_input_configuration", "experimental_host_call_every_n_steps")


class TPUConfig(collections.namedtuple("TPUConfig", _TPU_CONFIG_FIELDS)):
    """TPU settings of a RunConfig, checked as TF 1.15 checks them."""

    def __new__(cls, iterations_per_loop=2, num_shards=None, num_cores_per_replica=None,
                per_host_input_for_training=True, tpu_job_name=None, initial_infeed_sleep_secs=None,
                input_partition_dims=None, eval_training_input_configuration=InputPipelineConfig.PER_HOST_V1,
                experimental_host_call_every_n_steps=1):
        parse_iterations_per_loop(iterations_per_loop)
        if num_shards is not None:
            check_positive_integer(num_shards, "TPUConfig num_shards")
        if input_partition_dims is not None:
            if len(input_partition_dims) not in (1, 2):
                raise ValueError("input_partition_dims must be a list/tuple with one or two elements.")
            if per_host_input_for_training is not InputPipelineConfig.PER_HOST_V2:
                raise ValueError("input_partition_dims is only supported in PER_HOST_V2 mode.")
            if num_cores_per_replica is None:
                raise ValueError("input_partition_dims requires setting num_cores_per_replica.")
        if num_cores_per_replica is not None and num_cores_per_replica not in _CORES_PER_REPLICA:
            raise ValueError("num_cores_per_replica must be 1, 2, 4, 8, 16, 32, 64, 128; got {}"
                             .format(num_cores_per_replica))
        if eval_training_input_configuration not in (InputPipelineConfig.PER_HOST_V1, InputPipelineConfig.SLICED):
            raise ValueError("eval_training_input_configuration must be PER_HOST_V1 or SLICED; got {}"
                             .format(eval_training_input_configuration))
        if per_host_input_for_training is False:
            per_host_input_for_training = InputPipelineConfig.PER_SHARD_V1
        elif per_host_input_for_training is True:
            per_host_input_for_training = InputPipelineConfig.PER_HOST_V1
        if initial_infeed_sleep_secs:
            check_positive_integer(initial_infeed_sleep_secs, "TPUConfig initial_infeed_sleep_secs")
        tpu_job_name = tpu_job_name or _tpu_job_name_from_tf_config()
        return super(TPUConfig, cls).__new__(
            cls, iterations_per_loop, num_shards, num_cores_per_replica, per_host_input_for_training,
            tpu_job_name, initial_infeed_sleep_secs, input_partition_dims, eval_training_input_configuration,
            experimental_host_call_every_n_steps)


def _tpu_job_name_from_tf_config():
    tf_config = json.loads(os.environ.get("TF_CONFIG") or "{}")
    return tf_config.get("service", {}).get("tpu_worker_job_name")


class RunConfig(EstimatorRunConfig):
    """tf.estimator.RunConfig with a TPUConfig (tpu_config), master and evaluation_master."""

    def __init__(self, tpu_config=None, evaluation_master=None, master=None, cluster=None, **kwargs):
        super(RunConfig, self).__init__(**kwargs)
        if cluster is not None:
            if master is not None:
                raise ValueError("Both master and cluster are set.")
            raise NotProvidedError("tf.contrib.tpu.RunConfig(cluster=...)",
                                   "a ClusterResolver names a TPU, and compat runs on this machine's CPU/GPU; "
                                   "pass cluster=None and TPUEstimator(use_tpu=False)")
        self._tpu_config = tpu_config or TPUConfig()
        self._cluster = None
        self._master = master if master is not None else ""
        self._evaluation_master = evaluation_master if evaluation_master is not None else self._master

    master = property(lambda self: self._master)
    evaluation_master = property(lambda self: self._evaluation_master)
    tpu_config = property(lambda self: self._tpu_config)
    cluster = property(lambda self: self._cluster)

    def replace(self, **kwargs):
        if "tpu_config" not in kwargs:
            return super(RunConfig, self).replace(**kwargs)
        tpu_config = kwargs.pop("tpu_config")
        new = super(RunConfig, self).replace(**kwargs)
        new._tpu_config = tpu_config
        return new
