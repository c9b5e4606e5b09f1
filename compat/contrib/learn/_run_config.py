"""tf.contrib.learn.RunConfig: TF 1.15's run settings for one local (non-distributed) process.

Same arguments and defaults as TF 1.15. In particular, checkpoints are saved every 600 s unless
`save_checkpoints_steps` is given (then by steps only), keeping the 5 newest. Cluster settings
from a TF_CONFIG environment variable are not provided.
"""

import copy
import json
import os

from tensorflow.compat import v1 as tf

from compat.errors import NotProvidedError

_USE_DEFAULT = 0  # TF 1.15's marker for "save_checkpoints_secs not given"
_DEFAULT_SAVE_SECS = 600

# Properties RunConfig.replace() may change, as in TF 1.15.
_REPLACEABLE = ("model_dir", "tf_random_seed", "save_summary_steps", "save_checkpoints_steps",
                "save_checkpoints_secs", "session_config", "keep_checkpoint_max",
                "keep_checkpoint_every_n_hours", "log_step_count_steps", "protocol")


def _tf_config():
    return json.loads(os.environ.get("TF_CONFIG") or "{}")


def _model_dir(model_dir):
    """model_dir, or the one TF_CONFIG names (they must agree if both are set), as in TF 1.15."""
    from_env = _tf_config().get("model_dir")
    if from_env is not None and model_dir is not None and from_env != model_dir:
        raise ValueError("`model_dir` provided in RunConfig construct, if set, must have the same value "
                         "as the model_dir in TF_CONFIG. model_dir: {}\nTF_CONFIG[\"model_dir\"]: {}.\n"
                         .format(model_dir, from_env))
    return model_dir or from_env


class RunConfig(object):
    """Settings for an Estimator run (TF 1.15's tf.contrib.learn.RunConfig, local only)."""

    def __init__(self, master=None, num_cores=0, log_device_placement=False, gpu_memory_fraction=1,
                 tf_random_seed=None, save_summary_steps=100, save_checkpoints_secs=_USE_DEFAULT,
                 save_checkpoints_steps=None, keep_checkpoint_max=5, keep_checkpoint_every_n_hours=10000,
                 log_step_count_steps=100, protocol=None, evaluation_master="", model_dir=None,
                 session_config=None, session_creation_timeout_secs=7200):
        if _tf_config().get("cluster"):
            raise NotProvidedError("tf.contrib.learn.RunConfig for a TF_CONFIG cluster")
        self._master = master or ""
        self._evaluation_master = evaluation_master or ""
        self._tf_config = tf.ConfigProto(
            log_device_placement=log_device_placement,
            inter_op_parallelism_threads=num_cores,
            intra_op_parallelism_threads=num_cores,
            gpu_options=tf.GPUOptions(per_process_gpu_memory_fraction=gpu_memory_fraction))
        self._tf_random_seed = tf_random_seed
        self._save_summary_steps = save_summary_steps
        if save_checkpoints_secs == _USE_DEFAULT:
            save_checkpoints_secs = _DEFAULT_SAVE_SECS if save_checkpoints_steps is None else None
        self._save_checkpoints_secs = save_checkpoints_secs
        self._save_checkpoints_steps = save_checkpoints_steps
        self._keep_checkpoint_max = keep_checkpoint_max
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._log_step_count_steps = log_step_count_steps
        self._protocol = protocol
        self._model_dir = _model_dir(model_dir)
        self._session_config = session_config
        self._session_creation_timeout_secs = session_creation_timeout_secs

    def replace(self, **kwargs):
        """A copy with some properties changed (only those TF 1.15 lets you change)."""
        unknown = sorted(set(kwargs) - set(_REPLACEABLE))
        if unknown:
            raise ValueError("Replacing {} is not supported. Allowed properties are {}."
                             .format(unknown, list(_REPLACEABLE)))
        if kwargs.get("save_checkpoints_steps") and kwargs.get("save_checkpoints_secs"):
            raise ValueError("Can not specify both save_checkpoints_steps and save_checkpoints_secs.")
        new = copy.deepcopy(self)
        if kwargs.get("save_checkpoints_steps"):
            new._save_checkpoints_secs = None
        if kwargs.get("save_checkpoints_secs"):
            new._save_checkpoints_steps = None
        for key, value in kwargs.items():
            setattr(new, "_" + key, value)
        return new

    # --- a single local process: what TF 1.15 derives when TF_CONFIG names no cluster ----------
    master = property(lambda self: self._master)
    evaluation_master = property(lambda self: self._evaluation_master)
    cluster_spec = property(lambda self: None)
    task_type = property(lambda self: None)
    task_id = property(lambda self: 0)
    num_ps_replicas = property(lambda self: 0)
    num_worker_replicas = property(lambda self: 0)
    is_chief = property(lambda self: True)
    environment = property(lambda self: _tf_config().get("environment", "local"))

    # --- the run settings ------------------------------------------------------------------------
    tf_config = property(lambda self: self._tf_config)
    tf_random_seed = property(lambda self: self._tf_random_seed)
    save_summary_steps = property(lambda self: self._save_summary_steps)
    save_checkpoints_secs = property(lambda self: self._save_checkpoints_secs)
    save_checkpoints_steps = property(lambda self: self._save_checkpoints_steps)
    keep_checkpoint_max = property(lambda self: self._keep_checkpoint_max)
    keep_checkpoint_every_n_hours = property(lambda self: self._keep_checkpoint_every_n_hours)
    log_step_count_steps = property(lambda self: self._log_step_count_steps)
    protocol = property(lambda self: self._protocol)
    model_dir = property(lambda self: self._model_dir)
    session_config = property(lambda self: self._session_config)
    session_creation_timeout_secs = property(lambda self: self._session_creation_timeout_secs)
