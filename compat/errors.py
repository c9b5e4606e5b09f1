"""Errors compat raises for TF 1.x names it does not provide.

Both carry the TF 1.x name, so `python -m compat` can report one clear line instead of a
traceback. They subclass the errors Python code already expects (`hasattr`, `getattr(..., d)`,
`try: import ... except ImportError`), so feature-detecting code keeps working.
"""

SUPPORTED_HINT = "run `python -m compat --list` for what compat provides"


class CompatError(Exception):
    """Mixin: `symbol` is the TF 1.x name (e.g. 'tf.contrib.slim') that compat lacks."""

    symbol = ""


class NotProvidedError(CompatError, AttributeError):
    """`why`, when given, is compat's reason for leaving the name out and what to use instead."""

    def __init__(self, symbol, why=None):
        self.symbol = symbol
        super().__init__("%s is not provided by compat on TensorFlow 2.x; %s" % (symbol, why or SUPPORTED_HINT))


class NotProvidedImportError(CompatError, ModuleNotFoundError):
    def __init__(self, module):
        self.symbol = module
        super().__init__("%s is not provided by compat on TensorFlow 2.x; %s" % (module, SUPPORTED_HINT),
                         name=module)
