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
    Moved("layers", _TF_KERAS_V1 + ".__internal__.legacy.layers", "Keras 3 dropped tf.layers"),
    Moved("keras", _TF_KERAS_V1, "TF 1.x code expects Keras 2"),
    # --- tf.contrib (gone since TF 2.0): compat's own re-implementations, one module each --------
    Moved("contrib", "compat.contrib", "tf.contrib was removed in TF 2.0"),
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
)

# Names compat leaves out on purpose: using one raises NotProvidedError with this reason.
NOT_PROVIDED = ()

# tf.contrib packages compat provides (compat/contrib/<name>.py or package), as TF 1.15 named them.
CONTRIB_MODULES = ("rnn", "legacy_seq2seq", "layers", "framework", "learn")

# Deep import paths into tf.contrib that tutorials use, beyond `tensorflow.contrib.<package>`.
CONTRIB_MODULE_ALIASES = {
    "tensorflow.contrib.learn.python": "compat.contrib.learn",
    "tensorflow.contrib.learn.python.learn": "compat.contrib.learn",
    "tensorflow.contrib.learn.python.learn.estimators": "compat.contrib.learn",
    "tensorflow.contrib.learn.python.learn.estimators.estimator": "compat.contrib.learn",
    # tensorflow.contrib.rnn.python.ops.<module> then finds compat.contrib.rnn.<module>
    "tensorflow.contrib.rnn.python": "compat.contrib.rnn",
    "tensorflow.contrib.rnn.python.ops": "compat.contrib.rnn",
}
