"""tf.contrib for TensorFlow 2.x: the subset classic tutorials use, one module per package.

Submodules load on first use (`tf.contrib.rnn` imports compat.contrib.rnn then). A contrib
package compat does not provide raises NotProvidedError naming it.
"""

import importlib

from compat._moved import CONTRIB_MODULES
from compat.errors import NotProvidedError

__all__ = list(CONTRIB_MODULES)


def __getattr__(name):
    if name in CONTRIB_MODULES:
        return importlib.import_module(__name__ + "." + name)
    if name.startswith("__"):
        raise AttributeError(name)
    raise NotProvidedError("tf.contrib." + name)


def __dir__():
    return sorted(set(globals()) | set(CONTRIB_MODULES))
