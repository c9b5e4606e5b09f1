"""tf.estimator.export: serving input receivers, export outputs, and writing an Estimator's SavedModel.

The receivers and receiver-fn builders are TF 1.15's; the export outputs, signature building and
the timestamped export folder are TF 2.x's own (tensorflow/python/saved_model/model_utils, the
code TF 1.15's estimator used), so the SavedModel loads with tf.saved_model on TF 2.x.
"""

import collections
import os

from tensorflow.compat import v1 as tf
from tensorflow.python.saved_model import model_utils
from tensorflow.python.saved_model.model_utils.export_output import (  # noqa: F401  (tf.estimator.export's)
    ClassificationOutput, ExportOutput, PredictOutput, RegressionOutput)

__all__ = ["ServingInputReceiver", "TensorServingInputReceiver", "build_parsing_serving_input_receiver_fn",
           "build_raw_serving_input_receiver_fn", "ExportOutput", "ClassificationOutput", "RegressionOutput",
           "PredictOutput"]


def _as_dict(value, default_key, what):
    if not isinstance(value, dict):
        value = {default_key: value}
    for key, tensor in value.items():
        if not isinstance(key, str):
            raise ValueError("{} keys must be strings: {}.".format(what, key))
        if not isinstance(tensor, (tf.Tensor, tf.SparseTensor)):
            raise ValueError("{} must be a Tensor or SparseTensor: {}.".format(what, tensor))
    return value


class ServingInputReceiver(collections.namedtuple(
        "ServingInputReceiver", ["features", "receiver_tensors", "receiver_tensors_alternatives"])):
    """What a serving_input_receiver_fn returns: the model's features and the tensors fed to serve it."""

    def __new__(cls, features, receiver_tensors, receiver_tensors_alternatives=None):
        if features is None:
            raise ValueError("features must be defined.")
        features = _as_dict(features, "feature", "feature")
        receiver_tensors = _as_dict(receiver_tensors, "input", "receiver_tensor")
        alternatives = None
        if receiver_tensors_alternatives is not None:
            alternatives = {name: _as_dict(tensors, "input", "receiver_tensor")
                            for name, tensors in receiver_tensors_alternatives.items()}
        return super(ServingInputReceiver, cls).__new__(cls, features, receiver_tensors, alternatives)


class TensorServingInputReceiver(collections.namedtuple(
        "TensorServingInputReceiver", ["features", "receiver_tensors", "receiver_tensors_alternatives"])):
    """Like ServingInputReceiver, but the model_fn gets the one feature Tensor itself, not a dict."""

    def __new__(cls, features, receiver_tensors, receiver_tensors_alternatives=None):
        if features is None:
            raise ValueError("features must be defined.")
        if not isinstance(features, (tf.Tensor, tf.SparseTensor)):
            raise ValueError("feature must be a Tensor or SparseTensor.")
        receiver = ServingInputReceiver(features, receiver_tensors, receiver_tensors_alternatives)
        return super(TensorServingInputReceiver, cls).__new__(
            cls, features, receiver.receiver_tensors, receiver.receiver_tensors_alternatives)


def build_parsing_serving_input_receiver_fn(feature_spec, default_batch_size=None):
    """A receiver fn that parses serialized tf.Example protos (fed as `examples`) with feature_spec."""
    def serving_input_receiver_fn():
        serialized = tf.placeholder(dtype=tf.string, shape=[default_batch_size], name="input_example_tensor")
        receiver_tensors = {"examples": serialized}
        return ServingInputReceiver(tf.parse_example(serialized, feature_spec), receiver_tensors)
    return serving_input_receiver_fn


def build_raw_serving_input_receiver_fn(features, default_batch_size=None):
    """A receiver fn feeding one placeholder per feature (shaped like it, batch dimension free)."""
    def serving_input_receiver_fn():
        receiver_tensors = {}
        for name, tensor in features.items():
            shape = tensor.get_shape().as_list()
            shape[0] = default_batch_size
            receiver_tensors[name] = tf.placeholder(dtype=tensor.dtype, shape=shape, name=name)
        return ServingInputReceiver(receiver_tensors, receiver_tensors.copy())
    return serving_input_receiver_fn


def save_model(export_dir_base, build_spec, receiver_fn, checkpoint_path, session_config, mode, as_text=False,
               assets_extra=None):
    """Write a timestamped SavedModel of one mode; returns its folder (bytes, as TF 1.15).

    build_spec(features, labels, mode) builds the global step and the model in the current graph
    and returns the EstimatorSpec; the variables come from checkpoint_path.
    """
    export_dir = model_utils.get_timestamped_export_dir(export_dir_base)
    temp_dir = model_utils.get_temp_export_dir(export_dir)
    builder = tf.saved_model.Builder(temp_dir)
    with tf.Graph().as_default():
        receiver = receiver_fn()
        spec = build_spec(receiver.features, getattr(receiver, "labels", None), mode)
        export_outputs = model_utils.export_outputs_for_mode(
            mode=spec.mode, serving_export_outputs=spec.export_outputs, predictions=spec.predictions,
            loss=spec.loss, metrics=spec.eval_metric_ops)
        signatures = model_utils.build_all_signature_defs(
            receiver.receiver_tensors, export_outputs, getattr(receiver, "receiver_tensors_alternatives", None),
            serving_only=(mode == "infer"))
        with tf.Session(config=session_config) as session:
            local_init_op = spec.scaffold.local_init_op
            if local_init_op is None:
                local_init_op = tf.train.Scaffold.default_local_init_op()
            saver = spec.scaffold.saver or tf.train.Saver(sharded=True)
            try:
                saver.restore(session, checkpoint_path)
            except tf.errors.NotFoundError as error:
                raise ValueError("Could not load all requested variables from checkpoint. Please make sure your "
                                 "model_fn does not expect variables that were not saved in the checkpoint.\n\n"
                                 "Encountered error with mode `{}` while restoring checkpoint from: `{}`. Full "
                                 "Traceback:\n\n{}".format(mode, checkpoint_path, error))
            builder.add_meta_graph_and_variables(
                session, model_utils.EXPORT_TAG_MAP[mode], signature_def_map=signatures,
                assets_collection=tf.get_collection(tf.GraphKeys.ASSET_FILEPATHS), main_op=local_init_op,
                saver=saver, strip_default_attrs=True)
    builder.save(as_text)
    for destination, source in (assets_extra or {}).items():
        target = os.path.join(tf.compat.as_bytes(temp_dir), b"assets.extra", tf.compat.as_bytes(destination))
        tf.gfile.MakeDirs(os.path.dirname(target))
        tf.gfile.Copy(source, target)
    tf.gfile.Rename(temp_dir, export_dir)
    return export_dir
