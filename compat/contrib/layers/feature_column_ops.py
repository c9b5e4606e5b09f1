"""Using the legacy feature columns (TF 1.15: contrib/layers/python/layers/feature_column_ops.py
and the parsing helpers of feature_column.py): parse specs, placeholders, checks, transforms
and the DNN input layer, in TF 1.15's column order (sorted by key) and variable scopes."""

from tensorflow.compat import v1 as tf

from compat.contrib.layers.feature_column import FeatureColumnBase

__all__ = ["check_feature_columns", "create_feature_spec_for_parsing", "input_from_feature_columns",
           "make_place_holder_tensors_for_base_features", "transform_features"]


def create_feature_spec_for_parsing(feature_columns):
    """The tf.parse_example features dict of these columns (a dict's values, or an iterable)."""
    if isinstance(feature_columns, dict):
        feature_columns = feature_columns.values()
    spec = {}
    for column in feature_columns:
        if not isinstance(column, FeatureColumnBase):
            raise TypeError("feature_columns should only contain instances of _FeatureColumn. "
                            "Given column is {}".format(column))
        spec.update(column.config)
    return spec


def make_place_holder_tensors_for_base_features(feature_columns):
    """A placeholder per base feature: sparse for VarLenFeature, [None, dimension] for FixedLenFeature."""
    placeholders = {}
    for name, feature in create_feature_spec_for_parsing(feature_columns).items():
        if isinstance(feature, tf.VarLenFeature):
            placeholders[name] = tf.sparse_placeholder(feature.dtype, name="Placeholder_{}".format(name))
        else:
            placeholders[name] = tf.placeholder(feature.dtype, shape=(None, feature.shape[0]),
                                                name="Placeholder_{}".format(name))
    return placeholders


def check_feature_columns(feature_columns):
    """ValueError for a dict of columns or two columns with the same key."""
    if isinstance(feature_columns, dict):
        raise ValueError("Expected feature_columns to be iterable, found dict.")
    seen_keys = set()
    for column in feature_columns:
        if column.key in seen_keys:
            raise ValueError("Duplicate feature column key found for column: {}. This usually means that the "
                             "column is almost identical to another column, and one must be discarded."
                             .format(column.name))
        seen_keys.add(column.key)


def transformed(columns_to_tensors, column):
    """column's transformed tensor, made once and kept in columns_to_tensors (TF 1.15's _Transformer)."""
    if column not in columns_to_tensors:
        column.insert_transformed_feature(columns_to_tensors)
        if column not in columns_to_tensors:
            raise ValueError("Column {} is not supported.".format(column.name))
    return columns_to_tensors[column]


def transform_features(features, feature_columns):
    """{column: its transformed tensor} for feature_columns, from the raw features dict."""
    columns_to_tensors = features.copy()
    check_feature_columns(feature_columns)
    for column in sorted(set(feature_columns), key=lambda c: c.key):
        transformed(columns_to_tensors, column)
    return {k: v for k, v in columns_to_tensors.items() if k in feature_columns}


def input_from_feature_columns(columns_to_tensors, feature_columns, weight_collections=None, trainable=True,
                               scope=None, cols_to_outs=None):
    """The columns' DNN inputs concatenated along axis 1, each built in variable scope
    `<scope, default input_from_feature_columns>/<column name>` (embeddings: `.../weights`)."""
    columns_to_tensors = columns_to_tensors.copy()
    check_feature_columns(feature_columns)
    if cols_to_outs is not None and not isinstance(cols_to_outs, dict):
        raise ValueError("cols_to_outs must be a dict unless None")
    with tf.variable_scope(scope, default_name="input_from_feature_columns", values=columns_to_tensors.values()):
        if weight_collections:
            weight_collections = list(set(list(weight_collections) + [tf.GraphKeys.GLOBAL_VARIABLES]))
        outputs = []
        for column in sorted(set(feature_columns), key=lambda c: c.key):
            with tf.variable_scope(None, default_name=column.name, values=columns_to_tensors.values()):
                tensor = transformed(columns_to_tensors, column)
                try:
                    outputs.append(column.dnn_input_layer(tensor, weight_collections, trainable))
                except ValueError as e:
                    raise ValueError("Error creating input layer for column: {}.\n{}".format(column.name, e))
            if cols_to_outs is not None:
                cols_to_outs[column] = outputs[-1]
        return tf.concat(outputs, 1)
