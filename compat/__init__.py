"""compat: run TensorFlow 1.x graph-mode code, tf.contrib pieces included, on TensorFlow 2.x.

    import compat.v1 as tf          # in code you write or port
    python -m compat SCRIPT.py ...  # an unmodified TF 1.x script (or -m MODULE ..., -c CODE ...)
    compat.install()                # in a notebook: `import tensorflow` now gives the TF 1.x API
    %load_ext compat                # the same, as an IPython / Jupyter extension

On TF 1.x all of these pass straight through to TensorFlow. On TF 2.x, `tf` is `tf.compat.v1` with
v2 behaviour disabled plus the names in compat/_moved.py (tf.contrib subset, legacy cells,
tf.layers, pre-1.0 renames). Importing this package does not import TensorFlow.
"""

__version__ = "0.1.0"


def install():
    """Route `import tensorflow` and `tensorflow.contrib.*` to compat; returns the `tf` module.

    Python processes this one starts inherit TF1_COMPAT=1 and get compat on their first
    `import tensorflow` (compat/child_processes.py)."""
    import os

    from compat import child_processes
    from compat._hook import install as _install

    child_processes.stop_waiting_for_import()
    os.environ[child_processes.ENV_VAR] = "1"
    return _install()


def load_ipython_extension(ipython):
    """`%load_ext compat` in IPython or Jupyter: compat.install() for the notebook's kernel."""
    install()
