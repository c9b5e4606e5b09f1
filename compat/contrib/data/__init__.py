"""tf.contrib.data for TensorFlow 2.x.

TF 1.15's contrib.data was mostly deprecated wrappers of tf.data.experimental, which TF 2.x keeps
(its tf.compat.v1 versions, returning v1 Datasets): compat/_moved.py (CONTRIB_MOVES) maps those
names there. What TF 2.x dropped is written here, one module per TF 1.15 source module
(contrib/data/python/ops/<module>.py). A name compat leaves out raises NotProvidedError saying why.
"""

from compat._namespace import contrib_attribute, contrib_moved_names, contrib_package_hooks

_OWN = []  # names defined by the modules imported below: each block adds its module's __all__

from compat.contrib.data.batching import (assert_element_shape, batch_and_drop_remainder,  # noqa: E402
                                          padded_batch_and_drop_remainder)
_OWN += ["assert_element_shape", "batch_and_drop_remainder", "padded_batch_and_drop_remainder"]

from compat.contrib.data.get_single_element import reduce_dataset  # noqa: E402
_OWN += ["reduce_dataset"]
# Importing that module bound its name here; tf.contrib.data.get_single_element is the function.
get_single_element = contrib_attribute("data", "get_single_element")

from compat.contrib.data.interleave_ops import sloppy_interleave  # noqa: E402
_OWN += ["sloppy_interleave"]

from compat.contrib.data.readers import read_batch_features  # noqa: E402
_OWN += ["read_batch_features"]

from compat.contrib.data.sliding import sliding_window_batch  # noqa: E402
_OWN += ["sliding_window_batch"]

__all__ = sorted(_OWN + contrib_moved_names("data"))

__getattr__, __dir__ = contrib_package_hooks("data", globals())
