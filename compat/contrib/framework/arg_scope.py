"""arg_scope: default keyword arguments for decorated functions, as TF 1.15 contrib kept them.

TF 2.x has no arg_scope (it lived in contrib and tf_slim). Like TF 1.15's, the stack of scopes
is one per process and a function is keyed by its own str(), so `arg_scope([conv2d], ...)` also
reaches functools.partial wrappers (relu, linear) that call the decorated function.
"""

import contextlib
import functools

__all__ = ["add_arg_scope", "arg_scope", "arg_scoped_arguments", "current_arg_scope", "has_arg_scope"]

_SCOPE_STACK = [{}]
_DECORATED = {}  # key -> names of the function's keyword arguments


def _key(func):
    return getattr(func, "_key_op", str(func))


def current_arg_scope():
    """The innermost scope: {function key: {argument: default}}."""
    return _SCOPE_STACK[-1]


def _keyword_names(func):
    """The parameters that have defaults, in order (the ones an arg_scope may set)."""
    defaults = len(func.__defaults__ or ())
    code = func.__code__
    return code.co_varnames[code.co_argcount - defaults:code.co_argcount]


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """Within the block, calls of the listed decorated functions get `kwargs` as defaults (an
    explicit argument still wins); nested scopes add to and override outer ones. A dict (a scope
    yielded earlier) re-enters that scope."""
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling a"
                             "dictionary, kwargs must be empty.")
        scope = list_ops_or_scope.copy()
    else:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError("list_ops_or_scope must either be a list/tuple or reused "
                            "scope (i.e. dict)")
        scope = current_arg_scope().copy()
        for op in list_ops_or_scope:
            if not has_arg_scope(op):
                raise ValueError("%s is not decorated with @add_arg_scope" % ((op.__module__, op.__name__),))
            key = _key(op)
            merged = dict(scope.get(key, {}))
            merged.update(kwargs)
            scope[key] = merged
    _SCOPE_STACK.append(scope)
    try:
        yield scope
    finally:
        _SCOPE_STACK.pop()


def add_arg_scope(func):
    """Decorate `func` so arg_scope can set its keyword arguments."""
    key = _key(func)

    @functools.wraps(func)
    def func_with_args(*args, **kwargs):
        scoped = current_arg_scope().get(key)
        if scoped:
            merged = dict(scoped)
            merged.update(kwargs)
            kwargs = merged
        return func(*args, **kwargs)

    _DECORATED[key] = _keyword_names(func)
    func_with_args._key_op = key
    return func_with_args


def has_arg_scope(func):
    return _key(func) in _DECORATED


def arg_scoped_arguments(func):
    """The names of the arguments arg_scope can set for `func` (its keyword parameters)."""
    assert has_arg_scope(func)
    return _DECORATED[_key(func)]
