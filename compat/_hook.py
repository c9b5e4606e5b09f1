"""Import hook: `tensorflow` and `tensorflow.contrib.*` resolve to compat (TF 2.x only).

`install()` imports the real TensorFlow first, then puts compat's TF1-shaped namespace in
sys.modules["tensorflow"]. The namespace keeps the real package's __path__, so
`import tensorflow.python...` (TensorFlow's and tf_keras's own imports) still finds the real
submodules. A meta-path finder answers `tensorflow.contrib` and everything below it from
compat.contrib, and says clearly which contrib module compat does not provide; it answers
`tensorflow.examples...` (the tutorials' MNIST reader) from compat.examples and
`tensorflow.estimator...` (gone since TF 2.16) from compat.estimator the same way.
"""

import importlib
import importlib.abc
import importlib.util
import sys

from compat import _moved, _runtime
from compat.errors import NotProvidedImportError

CONTRIB = "tensorflow.contrib"
MIRRORED = ("tensorflow.examples", "tensorflow.estimator")  # served by compat.<the same path>


def _mirrored_target(fullname):
    """compat.examples... / compat.estimator... module serving `tensorflow.<fullname>`, or None."""
    candidate = "compat" + fullname[len("tensorflow"):]
    try:
        return candidate if importlib.util.find_spec(candidate) else None
    except ImportError:
        return None


def _target_for(fullname):
    """compat module name serving `tensorflow.contrib...` fullname, or None if not provided."""
    if fullname in _moved.CONTRIB_MODULE_ALIASES:
        return _moved.CONTRIB_MODULE_ALIASES[fullname]
    if fullname == CONTRIB:
        return "compat.contrib"
    if fullname[len(CONTRIB) + 1:].split(".")[0] not in _moved.CONTRIB_MODULES:
        return None
    # The import system has already imported the parent, under its tensorflow.contrib name, as
    # the compat module serving it (an alias such as ...learn.python.learn.estimators included):
    # the child is that module's child, if it has one.
    parent_name, _, leaf = fullname.rpartition(".")
    parent = sys.modules.get(parent_name)
    if parent is None or not hasattr(parent, "__path__"):
        return None
    candidate = parent.__name__ + "." + leaf
    try:
        return candidate if importlib.util.find_spec(candidate) else None
    except ImportError:
        return None


class _AliasLoader(importlib.abc.Loader):
    """Serves an already importable compat module under its `tensorflow.contrib...` name."""

    def __init__(self, target):
        self._target = target

    def create_module(self, spec):
        return importlib.import_module(self._target)

    def exec_module(self, module):
        # The import system stamped the alias spec on the module; give it back its own.
        module.__spec__ = importlib.util.find_spec(self._target)


class ContribFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if any(fullname == top or fullname.startswith(top + ".") for top in MIRRORED):
            module = _mirrored_target(fullname)
        elif fullname == CONTRIB or fullname.startswith(CONTRIB + "."):
            module = _target_for(fullname)
        else:
            return None
        if module is None:
            raise NotProvidedImportError(fullname)
        return importlib.util.spec_from_loader(fullname, _AliasLoader(module))


def install():
    """Make `import tensorflow` (and tensorflow.contrib) give compat's TF 1.x API. Idempotent."""
    tensorflow = _runtime.import_tensorflow()

    if _runtime.tf_major() < 2:
        return tensorflow  # TF 1.x: nothing to do, the real thing is the TF 1.x API
    shim = _runtime.v1_module()
    if sys.modules.get("tensorflow") is not shim:
        shim.__path__ = tensorflow.__path__
        shim.__file__ = tensorflow.__file__
        sys.modules["tensorflow"] = shim
    if not any(isinstance(f, ContribFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, ContribFinder())
    return shim
