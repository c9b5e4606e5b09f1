"""tf.contrib.lookup for TensorFlow 2.x.

TF 1.15 re-exported most of it from core lookup_ops, which TF 2.x keeps: compat/_moved.py
(CONTRIB_MOVES) maps those names to the same classes and functions (MutableDenseHashTable is
TF 2.x's DenseHashTable, as it was TF 1.15's). The names contrib defined itself are in
compat/contrib/lookup/lookup_ops.py (TF 1.15: contrib/lookup/lookup_ops.py).
"""

from compat._namespace import contrib_moved_names, contrib_package_hooks

_OWN = []  # names defined by the modules imported below

from compat.contrib.lookup.lookup_ops import (HashTable, index_table_from_tensor, index_to_string,  # noqa: E402
                                              index_to_string_table_from_tensor, string_to_index,
                                              string_to_index_table_from_file,
                                              string_to_index_table_from_tensor)
_OWN += ["HashTable", "index_table_from_tensor", "index_to_string", "index_to_string_table_from_tensor",
         "string_to_index", "string_to_index_table_from_file", "string_to_index_table_from_tensor"]

__all__ = sorted(_OWN + contrib_moved_names("lookup"))

__getattr__, __dir__ = contrib_package_hooks("lookup", globals())
