"""tf.estimator.RunConfig: TF 1.15's run settings for one local (non-distributed) process.

Same arguments and defaults as TF 1.15: checkpoints every 600 s unless save_checkpoints_steps is
given, the 5 newest kept, `loss = ...` logged every 100 steps. Distribution strategies and cluster
settings from TF_CONFIG are not provided (NotProvidedError).
"""

import copy
import json
import os

from compat.errors import NotProvidedError

_USE_DEFAULT = object()
_REPLACEABLE = ("model_dir", "tf_random_seed", "save_summary_steps", "save_checkpoints_steps",
                "save_checkpoints_secs", "session_config", "keep_checkpoint_max",
                "keep_checkpoint_every_n_hours", "log_step_count_steps", "train_distribute", "device_fn",
                "protocol", "eval_distribute", "experimental_distribute",
                "experimental_max_worker_delay_secs", "session_creation_timeout_secs")
_SAVE_CKPT_ERR = "`save_checkpoints_steps` and `save_checkpoints_secs` cannot be both set."


class RunConfig(object):
    """Settings for a tf.estimator.Estimator run (local only)."""

    def __init__(self, model_dir=None, tf_random_seed=None, save_summary_steps=100,
                 save_checkpoints_steps=_USE_DEFAULT, save_checkpoints_secs=_USE_DEFAULT, session_config=None,
                 keep_checkpoint_max=5, keep_checkpoint_every_n_hours=10000, log_step_count_steps=100,
                 train_distribute=None, device_fn=None, protocol=None, eval_distribute=None,
                 experimental_distribute=None, experimental_max_worker_delay_secs=None,
                 session_creation_timeout_secs=7200):
        if save_checkpoints_steps is _USE_DEFAULT and save_checkpoints_secs is _USE_DEFAULT:
            save_checkpoints_steps, save_checkpoints_secs = None, 600
        elif save_checkpoints_secs is _USE_DEFAULT:
            save_checkpoints_secs = None
        elif save_checkpoints_steps is _USE_DEFAULT:
            save_checkpoints_steps = None
        elif save_checkpoints_steps is not None and save_checkpoints_secs is not None:
            raise ValueError(_SAVE_CKPT_ERR)
        if train_distribute or eval_distribute or experimental_distribute:
            raise NotProvidedError("tf.estimator.RunConfig with a distribution strategy",
                                   "compat runs Estimators in one local process; drop train_distribute/"
                                   "eval_distribute")
        tf_config = json.loads(os.environ.get("TF_CONFIG") or "{}")
        if tf_config.get("cluster"):
            raise NotProvidedError("tf.estimator.RunConfig for a TF_CONFIG cluster",
                                   "compat runs Estimators in one local process; unset TF_CONFIG")
        from_env = tf_config.get("model_dir")
        if from_env is not None and model_dir is not None and from_env != model_dir:
            raise ValueError("`model_dir` provided in RunConfig construct, if set, must have the same value "
                             "as the model_dir in TF_CONFIG. model_dir: {}\nTF_CONFIG[\"model_dir\"]: {}.\n"
                             .format(model_dir, from_env))
        self._model_dir = model_dir or from_env
        self._tf_random_seed = tf_random_seed
        self._save_summary_steps = save_summary_steps
        self._save_checkpoints_steps = save_checkpoints_steps
        self._save_checkpoints_secs = save_checkpoints_secs
        self._session_config = session_config
        self._keep_checkpoint_max = keep_checkpoint_max
        self._keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self._log_step_count_steps = log_step_count_steps
        self._train_distribute = train_distribute
        self._eval_distribute = eval_distribute
        self._experimental_distribute = experimental_distribute
        self._device_fn = device_fn
        self._protocol = protocol
        self._experimental_max_worker_delay_secs = experimental_max_worker_delay_secs
        self._session_creation_timeout_secs = session_creation_timeout_secs

    def replace(self, **kwargs):
        """A copy with some properties changed (only those TF 1.15 lets you change)."""
        for key in kwargs:
            if key not in _REPLACEABLE:
                raise ValueError("{} is not in the list of allowed properties to replace.".format(key))
        new = copy.deepcopy(self)
        steps = kwargs.get("save_checkpoints_steps", new._save_checkpoints_steps)
        secs = kwargs.get("save_checkpoints_secs", new._save_checkpoints_secs)
        if "save_checkpoints_steps" in kwargs and "save_checkpoints_secs" not in kwargs and steps is not None:
            secs = None
        if "save_checkpoints_secs" in kwargs and "save_checkpoints_steps" not in kwargs and secs is not None:
            steps = None
        if steps is not None and secs is not None:
            raise ValueError(_SAVE_CKPT_ERR)
        kwargs.update(save_checkpoints_steps=steps, save_checkpoints_secs=secs)
        for key, value in kwargs.items():
            setattr(new, "_" + key, value)
        return new

    def __repr__(self):
        return "RunConfig(%s)" % ", ".join("%s=%r" % (key.lstrip("_"), value)
                                           for key, value in sorted(vars(self).items()))

    # --- a single local process: what TF 1.15 derives when TF_CONFIG names no cluster ----------
    master = property(lambda self: "")
    evaluation_master = property(lambda self: "")
    cluster_spec = property(lambda self: None)
    task_type = property(lambda self: "worker")
    task_id = property(lambda self: 0)
    global_id_in_cluster = property(lambda self: 0)
    num_ps_replicas = property(lambda self: 0)
    num_worker_replicas = property(lambda self: 1)
    is_chief = property(lambda self: True)
    service = property(lambda self: None)

    # --- the run settings ------------------------------------------------------------------------
    model_dir = property(lambda self: self._model_dir)
    tf_random_seed = property(lambda self: self._tf_random_seed)
    save_summary_steps = property(lambda self: self._save_summary_steps)
    save_checkpoints_steps = property(lambda self: self._save_checkpoints_steps)
    save_checkpoints_secs = property(lambda self: self._save_checkpoints_secs)
    session_config = property(lambda self: self._session_config)
    keep_checkpoint_max = property(lambda self: self._keep_checkpoint_max)
    keep_checkpoint_every_n_hours = property(lambda self: self._keep_checkpoint_every_n_hours)
    log_step_count_steps = property(lambda self: self._log_step_count_steps)
    train_distribute = property(lambda self: self._train_distribute)
    eval_distribute = property(lambda self: self._eval_distribute)
    experimental_distribute = property(lambda self: self._experimental_distribute)
    device_fn = property(lambda self: self._device_fn)
    protocol = property(lambda self: self._protocol)
    experimental_max_worker_delay_secs = property(lambda self: self._experimental_max_worker_delay_secs)
    session_creation_timeout_secs = property(lambda self: self._session_creation_timeout_secs)
