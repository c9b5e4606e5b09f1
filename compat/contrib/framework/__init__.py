"""tf.contrib.framework for TensorFlow 2.x.

What TF 2.x still has under other names (smart_cond, TensorSpec, the checkpoint readers,
sort, deprecation decorators, ...) is mapped in compat/_moved.py (CONTRIB_MOVES), same objects.
What TF 2.x dropped is written here on tf.compat.v1, one module per TF 1.15 source module:
arg_scope, variables (global step, model_variable, assign_from_checkpoint, ...), checkpoint_utils,
tensor_util, ops, and the `nest` module. A name compat leaves out raises NotProvidedError saying why.
"""

from compat._namespace import contrib_moved_names, contrib_package_hooks
from compat.contrib.framework import arg_scope as _arg_scope_module
from compat.contrib.framework import checkpoint_utils as _checkpoint_utils_module
from compat.contrib.framework import nest  # noqa: F401  (tf.contrib.framework.nest)
from compat.contrib.framework import ops as _ops_module
from compat.contrib.framework import tensor_util as _tensor_util_module
from compat.contrib.framework import variables as _variables_module
from compat.contrib.framework.arg_scope import *  # noqa: F401,F403
from compat.contrib.framework.checkpoint_utils import *  # noqa: F401,F403
from compat.contrib.framework.ops import *  # noqa: F401,F403
from compat.contrib.framework.tensor_util import *  # noqa: F401,F403
from compat.contrib.framework.variables import *  # noqa: F401,F403

__all__ = sorted(_arg_scope_module.__all__ + _checkpoint_utils_module.__all__ + _ops_module.__all__ + _tensor_util_module.__all__
                 + _variables_module.__all__ + ["nest"] + contrib_moved_names("framework"))

__getattr__, __dir__ = contrib_package_hooks("framework", globals())
