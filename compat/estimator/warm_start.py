"""tf.estimator.WarmStartSettings: start a new model's variables from another model's checkpoint.

The warm start itself is TF 2.x's tf.compat.v1.train.warm_start (TF 1.15's warm_starting_util).
"""

import collections
import os

from tensorflow.compat import v1 as tf

VocabInfo = tf.train.VocabInfo


class WarmStartSettings(collections.namedtuple("WarmStartSettings", [
        "ckpt_to_initialize_from", "vars_to_warm_start", "var_name_to_vocab_info", "var_name_to_prev_var_name"])):
    """Which checkpoint (file, folder or SavedModel variables) and which variables to warm-start."""

    def __new__(cls, ckpt_to_initialize_from, vars_to_warm_start=".*", var_name_to_vocab_info=None,
                var_name_to_prev_var_name=None):
        if not ckpt_to_initialize_from:
            raise ValueError("`ckpt_to_initialize_from` MUST be set in WarmStartSettings")
        return super(WarmStartSettings, cls).__new__(cls, ckpt_to_initialize_from, vars_to_warm_start,
                                                     var_name_to_vocab_info or {}, var_name_to_prev_var_name or {})


def warm_start_settings(warm_start_from):
    """An Estimator's warm_start_from as WarmStartSettings (None stays None), as TF 1.15 reads it."""
    if warm_start_from is None:
        return None
    if isinstance(warm_start_from, (str, bytes)):
        variables = os.path.join(tf.compat.as_text(warm_start_from), "variables")
        if tf.gfile.Exists(os.path.join(variables, "variables.index")):
            tf.logging.info("Warm-starting from a SavedModel")
            return WarmStartSettings(ckpt_to_initialize_from=os.path.join(variables, "variables"))
        return WarmStartSettings(ckpt_to_initialize_from=warm_start_from)
    if isinstance(warm_start_from, WarmStartSettings):
        return warm_start_from
    raise ValueError("warm_start_from must be a string or a WarmStartSettings, instead got {}"
                     .format(type(warm_start_from)))


def warm_start(settings):
    """Initialize the default graph's variables from the settings' checkpoint (after the model_fn)."""
    tf.logging.info("Warm-starting with WarmStartSettings: %s" % (settings,))
    tf.train.warm_start(*settings)
