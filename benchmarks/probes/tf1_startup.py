"""Start-up probe: `python -m compat benchmarks/probes/tf1_startup.py` (benchmarks/suite.py) does
what an unmodified TF 1.x script does first. On TF 2.x `tensorflow` is compat's TF1-shaped
namespace (through the import hook); on TF 1.x it is TensorFlow itself.

This file is alone in its folder on purpose: `python -m compat` puts the script's folder first on
sys.path, and nothing next to it may shadow a module TensorFlow imports."""

import tensorflow as tf

tf.placeholder  # noqa: B018  (resolve one TF 1.x name, as a script's first lines would)
