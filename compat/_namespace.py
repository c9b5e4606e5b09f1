"""The TF1-shaped `tf` namespace on TensorFlow 2.x, built lazily from compat/_moved.py.

`Namespace("nn", base=tf.compat.v1.nn)` answers `tf.nn.<name>` by, in order: an entry of the
table (imported on first use), a child namespace when the table has entries below that name
(`tf.nn` has `nn.rnn_cell`, `nn.seq2seq`), else `tf.compat.v1.nn.<name>`; a name found nowhere
raises NotProvidedError naming it. Each answer is cached on the namespace, so a name costs one
lookup, and a pre-1.0 name warns once, the first time it is used.
"""

import importlib
import types
import warnings

from compat import _moved
from compat.errors import NotProvidedError


class CompatRenameWarning(UserWarning):
    """A pre-1.0 TensorFlow name was used; the message names its TF 1.x replacement."""


def resolve_target(target):
    """Import "pkg.module" or "pkg.module:attr.subattr" and return the object."""
    module_name, _, attr = target.partition(":")
    value = importlib.import_module(module_name)
    for part in attr.split(".") if attr else ():
        value = getattr(value, part)
    return value


_CONTRIB_MOVED = {m.name: m for m in _moved.CONTRIB_MOVES}
_NOT_PROVIDED = {n.name: n for n in _moved.NOT_PROVIDED}


def contrib_moved_names(package):
    """The names of tf.contrib.<package> that compat/_moved.py maps onto TF 2.x objects."""
    prefix = "contrib.%s." % package
    return sorted(name[len(prefix):] for name in _CONTRIB_MOVED if name.startswith(prefix))


def contrib_package_hooks(package, module_globals):
    """The module-level __getattr__ and __dir__ of compat/contrib/<package>/__init__.py: a name the
    module does not define itself comes from the table (contrib_attribute), cached in the module."""

    def __getattr__(name):
        value = contrib_attribute(package, name)
        module_globals[name] = value  # later lookups never reach __getattr__
        return value

    def __dir__():
        return sorted(set(module_globals) | set(module_globals["__all__"]))

    return __getattr__, __dir__


def contrib_attribute(package, name):
    """tf.contrib.<package>.<name> from the table: the object it maps to, or NotProvidedError
    (with compat's reason when the table gives one). For a package module's __getattr__."""
    full = "contrib.%s.%s" % (package, name)
    if full in _CONTRIB_MOVED:
        return resolve_target(_CONTRIB_MOVED[full].target)
    if name.startswith("__"):
        raise AttributeError(name)
    if full in _NOT_PROVIDED:
        raise NotProvidedError("tf." + full, _NOT_PROVIDED[full].why)
    raise NotProvidedError("tf." + full)


_MOVED = {m.name: m for m in _moved.MOVES}
_RENAMED = {r.name: r for r in _moved.RENAMES}
# Names that need a compat namespace because the table has entries below them ("nn", "train").
_PARENTS = {name.rsplit(".", 1)[0] for name in list(_MOVED) + list(_RENAMED) if "." in name}


class Namespace(types.ModuleType):
    def __init__(self, path, base, root=None):
        super().__init__("tensorflow" + ("." + path if path else ""))
        self._compat_path = path
        self._compat_base = base
        self._compat_root = root if root is not None else self

    def _lookup(self, name):
        full = self._compat_path + "." + name if self._compat_path else name
        if full in _MOVED:
            return resolve_target(_MOVED[full].target)
        if full in _RENAMED:
            rename = _RENAMED[full]
            value = self._compat_root
            for part in rename.new.split("."):
                value = getattr(value, part)
            warnings.warn("tf.%s is a pre-1.0 name (%s); use tf.%s" % (full, rename.why, rename.new),
                          CompatRenameWarning, stacklevel=3)
            return value
        base_value = getattr(self._compat_base, name, _MISSING) if self._compat_base is not None else _MISSING
        if full in _PARENTS:
            return Namespace(full, None if base_value is _MISSING else base_value, self._compat_root)
        if base_value is _MISSING:
            raise NotProvidedError("tf." + full)
        return base_value

    def __getattr__(self, name):
        if name.startswith("_compat_"):
            raise AttributeError(name)
        value = self._lookup(name)
        setattr(self, name, value)  # cache: later lookups never reach __getattr__
        return value

    def __dir__(self):
        names = set(super().__dir__())
        if self._compat_base is not None:
            names.update(dir(self._compat_base))
        prefix = self._compat_path + "." if self._compat_path else ""
        for full in list(_MOVED) + list(_RENAMED):
            if full.startswith(prefix) and "." not in full[len(prefix):]:
                names.add(full[len(prefix):])
        return sorted(n for n in names if not n.startswith("_compat_"))

    def __repr__(self):
        return "<compat namespace %r over %r>" % (self.__name__, getattr(self._compat_base, "__name__", None))


_MISSING = object()


def build_v1():
    """Return the top-level `tf` namespace for TF 2.x, switching TF to TF 1.x graph behaviour."""
    import tensorflow

    v1 = tensorflow.compat.v1
    # TF 1.x semantics process-wide: graph mode, ref variables, v1 control flow and shapes —
    # exactly what a TF 1.x script assumes from the moment it starts.
    v1.disable_v2_behavior()
    # A seeded TF 1.x script draws TF 1.15's random numbers: op seeds by TF 1.15's rule.
    from compat import seeds

    seeds.install()
    # TF 1.15's ops that TF 2.x dropped, where compat has them compiled (GatherTree): TF 1.15's
    # graphs and meta graphs holding them import, and beam search runs TF 1.15's one kernel.
    from compat import kernels

    kernels.load()
    # oneDNN's fused MatMul is slow on TF 1.x RNN code's small matrices (compat/session_defaults.py).
    from compat import session_defaults

    session_defaults.install()
    top = Namespace("", v1)
    top.__version__ = tensorflow.__version__
    top.VERSION = tensorflow.__version__
    return top
