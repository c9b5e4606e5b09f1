"""The one table of what compat maps where, on TensorFlow 2.x.

Read it top to bottom to know everything compat adds on top of `tf.compat.v1` (with v2
behaviour disabled). Any other name under `tf.` is looked up in `tf.compat.v1`; a name found in
neither raises `compat.errors.NotProvidedError` naming it. Targets are "module" or
"module:attribute" and are imported only when first used, so importing compat stays cheap.
"""

from collections import namedtuple

Moved = namedtuple("Moved", "name target why")      # TF 1.x name -> where it lives now
Renamed = namedtuple("Renamed", "name new why")      # pre-1.0 name -> its TF 1.x name (warns once)
NotProvided = namedtuple("NotProvided", "name why")  # TF 1.x name compat leaves out on purpose

# tf_keras keeps the TF 1.x Keras-2 objects, with TF 1.15's variable names and math, under its
# generated v1 API; taking them from there does not depend on TF_USE_LEGACY_KERAS or import order.
_TF_KERAS_V1 = "tf_keras.api._v1.keras"
_LEGACY_CELLS = _TF_KERAS_V1 + ".__internal__.legacy.rnn_cell"

MOVES = (
    # --- names Keras 3 removed from tf.compat.v1 -------------------------------------------------
    Moved("nn.rnn_cell", _LEGACY_CELLS, "Keras 3 dropped the legacy cells"),
    Moved("layers", "compat.layers", "Keras 3 dropped tf.layers: tf_keras's legacy tf.layers, its batch "
          "normalization fusing 4-D inputs only, as TF 1.15's"),
    Moved("keras", _TF_KERAS_V1, "TF 1.x code expects Keras 2"),
    # --- TF 2.x changed behaviour -----------------------------------------------------------------
    Moved("train.Server", "compat.local_server:Server", "create_local_server's job is `local` again"),
    Moved("distribute.Server", "compat.local_server:Server", "the same class as tf.train.Server"),
    # --- tf.contrib (gone since TF 2.0): compat's own re-implementations, one module each --------
    Moved("contrib", "compat.contrib", "tf.contrib was removed in TF 2.0"),
    # --- tf.estimator (removed in TF 2.16): compat's Estimator, on the engine contrib.learn shares ---
    Moved("estimator", "compat.estimator", "TF 2.16 removed tf.estimator; tensorflow-estimator does not load"),
    # --- pre-1.0 names old tutorials still use --------------------------------------------------
    Moved("nn.seq2seq", "compat._pre1_seq2seq",
          "TF 0.x name of legacy_seq2seq; calls softmax_loss_function(logits, targets) positionally"),
)

RENAMES = (
    Renamed("sub", "subtract", "renamed in TF 1.0"),
    Renamed("mul", "multiply", "renamed in TF 1.0"),
    Renamed("neg", "negative", "renamed in TF 1.0"),
    Renamed("initialize_all_variables", "global_variables_initializer", "deprecated in TF 0.12"),
    Renamed("scalar_summary", "summary.scalar", "moved in TF 0.12"),
    Renamed("histogram_summary", "summary.histogram", "moved in TF 0.12"),
    Renamed("merge_all_summaries", "summary.merge_all", "moved in TF 0.12"),
    Renamed("train.SummaryWriter", "summary.FileWriter", "moved in TF 0.12"),
)

# Names inside a tf.contrib package that TF 2.x still has, the same objects: the package module
# (compat/contrib/<package>) answers them from here. What compat writes itself lives in the
# package's own modules, named after the TF 1.15 source module each name came from.
CONTRIB_MOVES = tuple(
    Moved("contrib.rnn." + name, _LEGACY_CELLS + ":" + name,
          "tf_keras's legacy cell: TF 1.15's math and variable names")
    for name in ("RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
                 "DropoutWrapper", "ResidualWrapper", "DeviceWrapper", "LSTMStateTuple")
) + (
    Moved("contrib.rnn.static_rnn", "tensorflow.compat.v1:nn.static_rnn", "TF's own v1 function"),
    Moved("contrib.rnn.static_bidirectional_rnn", "tensorflow.compat.v1:nn.static_bidirectional_rnn",
          "TF's own v1 function"),
    Moved("contrib.rnn.static_state_saving_rnn", "tensorflow.compat.v1:nn.static_state_saving_rnn",
          "TF's own v1 function"),
    # TF 1.15's contrib.rnn re-exported these from core modules; TF 2.x keeps them, same code,
    # but under no public name.
    Moved("contrib.rnn.LayerRNNCell", "tf_keras.src.layers.rnn.legacy_cells:LayerRNNCell",
          "the base class of tf_keras's legacy cells (TF 1.15's rnn_cell_impl.LayerRNNCell)"),
    Moved("contrib.rnn.transpose_batch_time", "tensorflow.python.ops.rnn:_transpose_batch_time",
          "TF's own function (private in TF 1.15 too)"),
    Moved("contrib.rnn.best_effort_input_batch_size",
          "tensorflow.python.ops.rnn:_best_effort_input_batch_size",
          "TF's own function (private in TF 1.15 too)"),
)

# --- contrib.lookup: TF 1.15 re-exported these from core lookup_ops, which TF 2.x keeps -----------
CONTRIB_MOVES += tuple(
    Moved("contrib.lookup." + name, "tensorflow.python.ops.lookup_ops:" + name,
          "TF's own class or function (TF 1.15's contrib.lookup re-exported it)")
    for name in ("FastHashSpec", "HasherSpec", "IdTableWithHashBuckets", "InitializableLookupTableBase",
                 "KeyValueTensorInitializer", "LookupInterface", "MutableHashTable", "StrongHashSpec",
                 "TableInitializerBase", "TextFileIdTableInitializer", "TextFileIndex", "TextFileInitializer",
                 "TextFileStringTableInitializer", "index_table_from_file", "index_to_string_table_from_file")
) + (
    Moved("contrib.lookup.MutableDenseHashTable", "tensorflow.python.ops.lookup_ops:DenseHashTable",
          "TF's own class under its core name (TF 1.15's contrib alias of it)"),
)

# --- contrib.data: TF 1.15's deprecated wrappers of tf.data.experimental -> its v1 names ---------
CONTRIB_MOVES += tuple(
    Moved("contrib.data." + name, "tensorflow.compat.v1:data.experimental." + name,
          "tf.data.experimental's v1 object, which TF 1.15's contrib.data wrapped")
    for name in ("AUTOTUNE", "Counter", "CsvDataset", "Optional", "RandomDataset", "Reducer", "SqlDataset",
                 "TFRecordWriter", "bucket_by_sequence_length", "choose_from_datasets", "copy_to_device",
                 "dense_to_sparse_batch", "enumerate_dataset", "get_next_as_optional", "group_by_reducer",
                 "group_by_window", "ignore_errors", "make_batched_features_dataset", "make_csv_dataset",
                 "make_saveable_from_iterator", "map_and_batch", "parallel_interleave", "parse_example_dataset",
                 "prefetch_to_device", "rejection_resample", "sample_from_datasets", "scan", "shuffle_and_repeat",
                 "unbatch", "unique")
) + (
    # tf.compat.v1.data.experimental.get_single_element answers the module of that name.
    Moved("contrib.data.get_single_element",
          "tensorflow.python.data.experimental.ops.get_single_element:get_single_element",
          "tf.data.experimental's function, which TF 1.15's contrib.data wrapped"),
)

# --- contrib.framework: TF 1.15 re-exported these from core modules, which TF 2.x keeps --------
CONTRIB_MOVES += tuple(
    Moved("contrib.framework." + name, target + ":" + name, "TF's own object (TF 1.15's contrib.framework re-exported it)")
    for target, names in (
        ("tensorflow.python.framework.smart_cond", ("smart_case", "smart_cond", "smart_constant_value")),
        ("tensorflow.python.framework.tensor_spec", ("BoundedTensorSpec", "TensorSpec")),
        ("tensorflow.python.framework.ops", ("prepend_name_scope", "strip_name_scope")),
        ("tensorflow.python.ops.data_flow_ops", ("RecordInput",)),
        ("tensorflow.python.ops.check_ops", ("assert_same_float_dtype", "assert_scalar")),
        ("tensorflow.python.ops.init_ops", ("convolutional_delta_orthogonal", "convolutional_orthogonal_1d",
                                            "convolutional_orthogonal_2d", "convolutional_orthogonal_3d")),
        ("tensorflow.python.util.deprecation", ("deprecated", "deprecated_args", "deprecated_arg_values")),
        ("tensorflow.compat.v1", ("is_tensor", "convert_to_tensor_or_sparse_tensor", "sort", "argsort")))
    for name in names
) + tuple(
    Moved("contrib.framework." + name, "tensorflow.python.training.checkpoint_ops:_" + name,
          "TF's own function (TF 1.15's contrib.framework exported its private core name too)")
    for name in ("load_and_remap_matrix_initializer", "load_embedding_initializer")
)

# --- contrib.training: TF 1.15 took these from core training modules, which TF 2.x keeps ---------
CONTRIB_MOVES += (
    Moved("contrib.training.evaluate_once", "tensorflow.python.training.evaluation:_evaluate_once",
          "TF's own function (private in TF 1.15 too)"),
    Moved("contrib.training.StopAfterNEvalsHook", "tensorflow.python.training.evaluation:_StopAfterNEvalsHook",
          "TF's own hook (private in TF 1.15 too)"),
    Moved("contrib.training.get_or_create_eval_step",
          "tensorflow.python.training.evaluation:_get_or_create_eval_step",
          "TF's own function (private in TF 1.15 too)"),
    Moved("contrib.training.checkpoints_iterator", "tensorflow.compat.v1:train.checkpoints_iterator",
          "TF's own function, TF 1.15's semantics"),
    Moved("contrib.training.wait_for_new_checkpoint",
          "tensorflow.python.training.checkpoint_utils:wait_for_new_checkpoint",
          "TF's own function, TF 1.15's semantics"),
)

# Names compat leaves out on purpose: using one raises NotProvidedError with this reason.
NOT_PROVIDED = ()

# --- contrib.data ---------------------------------------------------------------------------------
NOT_PROVIDED += (
    NotProvided("contrib.data.CheckpointInputPipelineHook",
                "a tf.estimator hook for input checkpoints that compat's Estimator does not rewrite; save "
                "the iterator with tf.data.experimental.make_saveable_from_iterator and a tf.train.Saver"),
    NotProvided("contrib.data.LMDBDataset",
                "LMDB databases are rarely used and compat has no LMDB data to test it with; read "
                "the records with the `lmdb` package into tf.data.Dataset.from_generator"),
)

# --- contrib.layers: TF 1.15's legacy feature columns (contrib/layers/python/layers/feature_column*.py)
# that compat does not rewrite (the common ones are in compat/contrib/layers/feature_column*.py)
_FEATURE_COLUMNS = (
    ("crossed_column", "tf.feature_column.crossed_column"),
    ("infer_real_valued_columns", "one tf.feature_column.numeric_column per feature"),
    ("joint_weighted_sum_from_feature_columns", "tf.feature_column.linear_model"),
    ("multi_class_target", "logits and tf.losses.sparse_softmax_cross_entropy"),
    ("parse_feature_columns_from_examples", "tf.parse_example with tf.feature_column.make_parse_example_spec"),
    ("parse_feature_columns_from_sequence_examples", "tf.parse_single_sequence_example"),
    ("regression_target", "logits and tf.losses.mean_squared_error"),
    ("scattered_embedding_column",
     "tf.feature_column.embedding_column over tf.feature_column.categorical_column_with_hash_bucket"),
    ("sequence_input_from_feature_columns", "tf.feature_column.input_layer on each step's features"),
    ("shared_embedding_columns", "tf.feature_column.shared_embedding_columns"),
    ("weighted_sum_from_feature_columns", "tf.feature_column.linear_model"),
)
NOT_PROVIDED += tuple(
    NotProvided("contrib.layers." + name,
                "TF 1.15's legacy feature columns were superseded by tf.feature_column (TF 2.x keeps it, "
                "tf_keras's estimators do not take the legacy ones); use " + instead)
    for name, instead in _FEATURE_COLUMNS
) + (
    NotProvided("contrib.layers.recompute_grad",
                "its variable handling needs TF 1.15's contrib.layers.rev_block_lib; use tf.recompute_grad"),
    NotProvided("contrib.layers.RevBlock", "reversible residual blocks (rev_block_lib) are not rewritten; "
                "build the two residual functions with tf.layers and train them with ordinary gradients"),
    NotProvided("contrib.layers.rev_block", "reversible residual blocks (rev_block_lib) are not rewritten; "
                "build the two residual functions with tf.layers and train them with ordinary gradients"),
    NotProvided("contrib.framework.fuse_op", "a TFLite graph-rewriting helper; use the TFLite converter "
                "(tf.lite.TFLiteConverter) instead"),
)

# --- tf.estimator: what compat/estimator leaves out (it answers these names with the reason) -------
_ESTIMATOR_LEFT_OUT = (
    (("BaselineClassifier", "BaselineEstimator", "BaselineRegressor", "BoostedTreesClassifier",
      "BoostedTreesEstimator", "BoostedTreesRegressor", "DNNEstimator", "DNNLinearCombinedClassifier",
      "DNNLinearCombinedEstimator", "DNNLinearCombinedRegressor", "LinearEstimator"),
     "of the premade estimators only DNNClassifier, DNNRegressor, LinearClassifier and LinearRegressor are "
     "rewritten; use one of them, or write a model_fn and pass it to tf.estimator.Estimator"),
    (("BinaryClassHead", "Head", "LogisticRegressionHead", "MultiClassHead", "MultiHead", "MultiLabelHead",
      "PoissonRegressionHead", "RegressionHead", "add_metrics", "classifier_parse_example_spec",
      "regressor_parse_example_spec"),
     "heads are not rewritten; compute the loss and eval_metric_ops in your model_fn"),
    (("BestExporter", "Exporter", "FinalExporter", "LatestExporter"),
     "exporters are not rewritten; after training call estimator.export_saved_model(export_dir_base, "
     "serving_input_receiver_fn)"),
    (("tpu",), "compat provides TPUEstimator (use_tpu=False) under its TF 1.x name: use tf.contrib.tpu.TPUEstimator, "
               "TPUEstimatorSpec, RunConfig and TPUConfig"),
    (("experimental",), "tf.estimator.experimental is not rewritten yet; use tf.estimator.Estimator with a model_fn "
                        "returning tf.estimator.EstimatorSpec"),
)
NOT_PROVIDED += tuple(NotProvided("estimator." + name, why) for names, why in _ESTIMATOR_LEFT_OUT for name in names)

# tf.contrib packages compat provides (compat/contrib/<name>.py or package), as TF 1.15 named them.
CONTRIB_MODULES = ("rnn", "legacy_seq2seq", "layers", "framework", "learn", "seq2seq",
                   "crf", "training", "lookup", "data")

# --- contrib.cudnn_rnn and contrib.tensorboard (the projector plugin) ---------------------------
CONTRIB_MODULES += ("cudnn_rnn", "tensorboard")

# --- contrib.tpu (TPUEstimator with use_tpu=False, compat/contrib/tpu) and contrib.cluster_resolver ---
CONTRIB_MODULES += ("tpu", "cluster_resolver")
CONTRIB_MOVES += tuple(
    Moved("contrib.tpu." + name, "tensorflow.compat.v1:tpu." + name,
          "TF's own v1 object (TF 1.15's contrib.tpu exported it); running its ops needs a TPU, as in TF 1.15")
    for name in ("CrossShardOptimizer", "batch_parallel", "bfloat16_scope", "core", "cross_replica_sum",
                 "initialize_system", "outside_compilation", "replicate", "rewrite", "shard", "shutdown_system")
) + tuple(
    Moved("contrib.cluster_resolver." + name, "tensorflow.compat.v1:distribute.cluster_resolver." + new,
          "TF's own class (TF 1.15's contrib.cluster_resolver exported it)")
    for name, new in (("ClusterResolver", "ClusterResolver"), ("GCEClusterResolver", "GCEClusterResolver"),
                      ("KubernetesClusterResolver", "KubernetesClusterResolver"),
                      ("SimpleClusterResolver", "SimpleClusterResolver"),
                      ("SlurmClusterResolver", "SlurmClusterResolver"),
                      ("TFConfigClusterResolver", "TFConfigClusterResolver"), ("UnionClusterResolver", "UnionResolver"))
)
_NEEDS_A_TPU = ("it drives a TPU system, and compat runs TPUEstimator on this machine's CPU/GPU "
                "(TPUEstimator(use_tpu=False)); on TPUs use TF 2.x's tf.distribute.TPUStrategy")
NOT_PROVIDED += tuple(
    NotProvided("contrib.tpu." + name, _NEEDS_A_TPU)
    for name in ("AsyncCheckpointSaverHook", "DeviceAssignment", "InfeedQueue", "TPUDistributionStrategy",
                 "Topology", "device_assignment", "export_estimator_savedmodel", "infeed_dequeue",
                 "infeed_dequeue_tuple", "infeed_enqueue", "infeed_enqueue_tuple", "keras_to_tpu_model",
                 "outfeed_dequeue", "outfeed_dequeue_tuple", "outfeed_enqueue", "outfeed_enqueue_tuple",
                 "profiler", "repeat", "while_loop")
) + (
    NotProvided("contrib.cluster_resolver.TPUClusterResolver",
                "it connects to a Cloud TPU, and compat runs TPUEstimator on this machine's CPU/GPU; "
                "pass use_tpu=False and no cluster (BERT: --use_tpu=False, no --tpu_name)"),
)

# Deep import paths into tf.contrib that tutorials use, beyond `tensorflow.contrib.<package>`.
CONTRIB_MODULE_ALIASES = {
    "tensorflow.contrib.learn.python": "compat.contrib.learn",
    "tensorflow.contrib.learn.python.learn": "compat.contrib.learn",
    "tensorflow.contrib.learn.python.learn.estimators": "compat.contrib.learn",
    "tensorflow.contrib.learn.python.learn.estimators.estimator": "compat.contrib.learn",
    # tensorflow.contrib.rnn.python.ops.<module> then finds compat.contrib.rnn.<module>
    "tensorflow.contrib.rnn.python": "compat.contrib.rnn",
    "tensorflow.contrib.rnn.python.ops": "compat.contrib.rnn",
    # tensorflow.contrib.legacy_seq2seq.python.ops.seq2seq then finds compat.contrib.legacy_seq2seq.seq2seq
    "tensorflow.contrib.legacy_seq2seq.python": "compat.contrib.legacy_seq2seq",
    "tensorflow.contrib.legacy_seq2seq.python.ops": "compat.contrib.legacy_seq2seq",
    # tensorflow.contrib.seq2seq.python.ops.<module> then finds compat.contrib.seq2seq.<module>
    "tensorflow.contrib.seq2seq.python": "compat.contrib.seq2seq",
    "tensorflow.contrib.seq2seq.python.ops": "compat.contrib.seq2seq",
}

# --- contrib.layers, contrib.framework, contrib.cudnn_rnn: TF 1.15's source paths -----------------
CONTRIB_MODULE_ALIASES.update({
    # tensorflow.contrib.layers.python.layers.<module> then finds compat.contrib.layers.<module>
    "tensorflow.contrib.layers.python": "compat.contrib.layers",
    "tensorflow.contrib.layers.python.layers": "compat.contrib.layers",
    # tensorflow.contrib.framework.python.{ops,framework}.<module> then finds compat.contrib.framework.<module>
    "tensorflow.contrib.framework.python": "compat.contrib.framework",
    "tensorflow.contrib.framework.python.ops": "compat.contrib.framework",
    "tensorflow.contrib.framework.python.framework": "compat.contrib.framework",
    "tensorflow.contrib.cudnn_rnn.python": "compat.contrib.cudnn_rnn",
    "tensorflow.contrib.cudnn_rnn.python.layers": "compat.contrib.cudnn_rnn",
    "tensorflow.contrib.cudnn_rnn.python.ops": "compat.contrib.cudnn_rnn",
})
