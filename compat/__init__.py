"""compat: run TensorFlow 1.x graph-mode code, tf.contrib pieces included, on TensorFlow 2.x.

    import compat.v1 as tf          # in code you write or port
    python -m compat SCRIPT.py ...  # an unmodified TF 1.x script
    compat.install()                # in a notebook: `import tensorflow` now gives the TF 1.x API

On TF 1.x all three pass straight through to TensorFlow. On TF 2.x, `tf` is `tf.compat.v1` with
v2 behaviour disabled plus the names in compat/_moved.py (tf.contrib subset, legacy cells,
tf.layers, pre-1.0 renames). Importing this package does not import TensorFlow.
"""

__version__ = "0.1.0"


def install():
    """Route `import tensorflow` and `tensorflow.contrib.*` to compat; returns the `tf` module."""
    from compat._hook import install as _install

    return _install()
