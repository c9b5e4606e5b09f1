"""tf.contrib.layers for TensorFlow 2.x.

One module per TF 1.15 source module (contrib/layers/python/layers/<module>.py), each built on
what TF 2.x still has (tf_keras's tf.layers for dense, convolution, pooling and batch norm;
tf.compat.v1 for the rest), with TF 1.15's scopes, variable names, collections and arg_scope:
layers (with normalization and tensor_layers), initializers, regularizers, optimizers,
summaries, encoders, embedding_ops. `tensorflow.contrib.layers.python.layers.<module>` imports
them by those names. TF 1.15's legacy feature columns are left out on purpose: they raise
NotProvidedError naming their tf.feature_column equivalent (compat/_moved.py, NOT_PROVIDED), except
the common columns and input_from_feature_columns (feature_column.py, feature_column_ops.py).
"""

from compat._namespace import contrib_moved_names, contrib_package_hooks
from compat.contrib.layers import embedding_ops, encoders, initializers, layers, optimizers, regularizers
from compat.contrib.layers import feature_column, feature_column_ops
from compat.contrib.layers import summaries  # noqa: F401  (tf.contrib.layers.summaries is this module)
from compat.contrib.layers.embedding_ops import *  # noqa: F401,F403
from compat.contrib.layers.encoders import *  # noqa: F401,F403
from compat.contrib.layers.feature_column import *  # noqa: F401,F403
from compat.contrib.layers.feature_column_ops import *  # noqa: F401,F403
from compat.contrib.layers.initializers import *  # noqa: F401,F403
from compat.contrib.layers.layers import *  # noqa: F401,F403
from compat.contrib.layers.optimizers import *  # noqa: F401,F403
from compat.contrib.layers.regularizers import *  # noqa: F401,F403
from compat.contrib.layers.summaries import (summarize_activation, summarize_activations,  # noqa: F401
                                             summarize_collection, summarize_tensor, summarize_tensors)

del pool  # noqa: F821  (in TF 1.15's layers.py, but not exported by tf.contrib.layers)

# TF 1.15's tf.contrib.layers exported these of summaries.py (not summarize_variables & co).
_SUMMARIES = ["summarize_activation", "summarize_activations", "summarize_collection", "summarize_tensor",
              "summarize_tensors"]

# The default hash key of TF 1.15's sparse_feature_cross op (contrib/layers/python/ops).
SPARSE_FEATURE_CROSS_DEFAULT_HASH_KEY = 0xDECAFCAFFE

__all__ = sorted(embedding_ops.__all__ + encoders.__all__ + initializers.__all__
                 + feature_column.__all__ + feature_column_ops.__all__ + ["feature_column"]
                 + [name for name in layers.__all__ if name != "pool"]
                 + optimizers.__all__ + regularizers.__all__ + _SUMMARIES + ["summaries", "SPARSE_FEATURE_CROSS_DEFAULT_HASH_KEY"]
                 + contrib_moved_names("layers"))

__getattr__, __dir__ = contrib_package_hooks("layers", globals())
