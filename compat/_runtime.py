"""Which TensorFlow is installed, and the one `tf` object compat hands out for it."""

import os
import sys

_V1 = None
_LEGACY_KERAS = "TF_USE_LEGACY_KERAS"
_TF2_BEHAVIOR = "TF2_BEHAVIOR"


def import_tensorflow():
    """`import tensorflow`, minus the eager Keras 3 import of TF >= 2.16.

    TF 2.x's own __init__ imports `keras.src.optimizers` (all of Keras 3: 1.1 s, 40 MB measured
    here) unless TF_USE_LEGACY_KERAS is set, in which case it imports tf_keras's optimizers,
    which compat loads anyway (its TF 1.x cells and layers are tf_keras's). So for the first
    import only, and only when the user has not chosen, the variable is set for the duration of
    the import and removed again: the real `tensorflow.keras` attribute still resolves lazily, on
    first use, to Keras 3 as before; compat's `tf.keras` is tf_keras either way; child processes
    see the user's environment; TF 1.x ignores the variable. One visible difference: TF then puts
    tf_keras's API folder first on tensorflow.__path__, so a submodule import such as
    `from tensorflow.keras.layers import Dense` finds tf_keras (TF 1.x's Keras 2) where it found
    Keras 3, the same Keras as compat's `tf.keras`.

    TF 2.x's __init__ also sets TF2_BEHAVIOR=1 in os.environ (for its own import; afterwards the
    setting lives in TF's C++ state). Left there, every child process inherits it, and a TF 1.15
    started from this one (the legacy runtime of the tests, regress, benchmarks) silently runs
    in TF 2 mode: eager, resource variables, other seeded values. So the user's value (or its
    absence) is put back after the import. A TensorFlow already imported is returned as it is."""
    if "tensorflow" in sys.modules:
        import tensorflow

        return tensorflow
    saved = {name: os.environ.get(name) for name in (_LEGACY_KERAS, _TF2_BEHAVIOR)}
    if saved[_LEGACY_KERAS] is None:
        os.environ[_LEGACY_KERAS] = "1"
    try:
        import tensorflow
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return tensorflow


def tf_major():
    tensorflow = import_tensorflow()

    return int(tensorflow.__version__.split(".")[0])


def v1_module():
    """The TF 1.x-shaped `tf`: `tensorflow` itself on TF 1.x, compat's namespace on TF 2.x."""
    global _V1
    if _V1 is None:
        tensorflow = import_tensorflow()

        if tf_major() < 2:
            _V1 = tensorflow
        else:
            from compat._namespace import build_v1

            _V1 = build_v1()
    return _V1
