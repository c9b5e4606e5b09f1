"""The check every contrib package's left-out names share (compat/_moved.py NOT_PROVIDED)."""

import pytest

from conftest import TF1, tf


def assert_left_out_with_reason(package, name):
    """TF 1.15 has tf.contrib.<package>.<name> (the name is real); compat raises NotProvidedError
    saying why and what to use instead."""
    module = getattr(tf.contrib, package)
    if TF1:
        assert callable(getattr(module, name))
        return
    from compat.errors import NotProvidedError

    with pytest.raises(NotProvidedError, match="tf.contrib.%s.%s is not provided.*;" % (package, name)):
        getattr(module, name)
