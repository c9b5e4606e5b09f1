"""tf.contrib.lookup's own names (TF 1.15: contrib/lookup/lookup_ops.py) on TF 2.x.

The tables and initializers TF 1.15 re-exported from core lookup_ops are TF 2.x's same classes
(compat/_moved.py maps them). Written here: HashTable with TF 1.15's `shared_name`, `init` and
export op name, the `mapping=` spellings of index_table_from_tensor /
index_to_string_table_from_tensor, and the deprecated string_to_index* / index_to_string helpers.
"""

from tensorflow.compat import v1 as tf
from tensorflow.python.ops import lookup_ops
from tensorflow.python.util.deprecation import deprecated

__all__ = ["HashTable", "index_table_from_tensor", "index_to_string", "index_to_string_table_from_tensor",
           "string_to_index", "string_to_index_table_from_file", "string_to_index_table_from_tensor"]


class HashTable(lookup_ops.StaticHashTableV1):
    """An immutable table filled by `initializer`; run `table.init` (or tables_initializer()).
    As in TF 1.15, tables in one graph share nothing unless given the same `shared_name`."""

    def __init__(self, initializer, default_value, shared_name=None, name=None):
        self._requested_shared_name = shared_name
        super(HashTable, self).__init__(initializer, default_value, name=name)

    def _create_resource(self):
        # TF 2.x names every table uniquely unless its initializer names it; TF 1.15 used the
        # caller's shared_name ("" = not shared).
        self._shared_name = self._requested_shared_name or self._shared_name
        return super(HashTable, self)._create_resource()

    @property
    def init(self):
        return self.initializer

    def export(self, name=None):
        """(keys, values): every entry of the table, in one LookupTableExportV2 op."""
        with tf.name_scope(name, "%s_Export" % self.name, [self.resource_handle]) as scope:
            keys, values = tf.raw_ops.LookupTableExportV2(table_handle=self.resource_handle, Tkeys=self._key_dtype,
                                                          Tvalues=self._value_dtype, name=scope)
        values.set_shape(keys.get_shape().concatenate(self._value_shape))
        return keys, values


def index_table_from_tensor(mapping, num_oov_buckets=0, default_value=-1, hasher_spec=lookup_ops.FastHashSpec,
                            dtype=tf.string, name=None):
    """A table from the keys in `mapping` (1-D) to their int64 positions; see tf.lookup's
    index_table_from_tensor (`vocabulary_list` there)."""
    if mapping is None:
        raise ValueError("mapping must be specified.")
    return lookup_ops.index_table_from_tensor(vocabulary_list=mapping, num_oov_buckets=num_oov_buckets,
                                              default_value=default_value, hasher_spec=hasher_spec,
                                              dtype=dtype, name=name)


def index_to_string_table_from_tensor(mapping, default_value="UNK", name=None):
    """A table from int64 positions to the strings of `mapping` (1-D)."""
    if mapping is None:
        raise ValueError("mapping must be specified.")
    return lookup_ops.index_to_string_table_from_tensor(vocabulary_list=mapping, default_value=default_value,
                                                        name=name)


@deprecated("2017-04-10", "Use `index_table_from_file`.")
def string_to_index_table_from_file(vocabulary_file=None, num_oov_buckets=0, vocab_size=None, default_value=-1,
                                    hasher_spec=lookup_ops.FastHashSpec, name=None):
    return lookup_ops.index_table_from_file(vocabulary_file, num_oov_buckets, vocab_size, default_value,
                                            hasher_spec, key_dtype=tf.string, name=name)


@deprecated("2017-04-10", "Use `index_table_from_tensor`.")
def string_to_index_table_from_tensor(mapping, num_oov_buckets=0, default_value=-1,
                                      hasher_spec=lookup_ops.FastHashSpec, name=None):
    with tf.name_scope(name, "string_to_index") as scope:
        mapping = tf.convert_to_tensor(mapping)
    if mapping.dtype.base_dtype != tf.string:
        raise ValueError("string_to_index_table_from_tensor requires string.")
    return index_table_from_tensor(mapping, num_oov_buckets, default_value, hasher_spec, name=scope)


@deprecated("2017-01-07", "This op will be removed after the deprecation date. Please switch to "
            "index_table_from_tensor and call the lookup method of the returned table.")
def string_to_index(tensor, mapping, default_value=-1, name=None):
    """`tensor`'s strings as their int64 positions in `mapping` (default_value when absent)."""
    return index_table_from_tensor(mapping=mapping, default_value=default_value, name=name).lookup(tensor)


@deprecated("2017-01-07", "This op will be removed after the deprecation date. Please switch to "
            "index_to_string_table_from_tensor and call the lookup method of the returned table.")
def index_to_string(tensor, mapping, default_value="UNK", name=None):
    """`tensor`'s int64 indices as the strings of `mapping` (default_value when out of range)."""
    return index_to_string_table_from_tensor(mapping=mapping, default_value=default_value, name=name).lookup(tensor)
