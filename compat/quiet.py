"""Quiet TensorFlow: a TF 1.x program's own output without TensorFlow's start-up and deprecation chatter.

    import compat.quiet; compat.quiet.silence()     # before TensorFlow is imported

- C++ start-up logs. TF 2.21 prints its oneDNN, CUDA-stub and CPU-feature lines (and, when it
  looks for a GPU, a cuInit error) through absl before it reads TF_CPP_MIN_LOG_LEVEL, so no
  setting stops them. silence() imports TensorFlow and initialises its devices with file
  descriptor 2 pointed at a temporary file, then writes back every line that is not such a log
  line. TF 1.15 honours TF_CPP_MIN_LOG_LEVEL, which silence() sets to 2 (errors still show), for
  child processes too.
- Deprecation notices: the `tensorflow` logger's "... is deprecated" records (both runtimes print
  one per call site of a TF 1.x name) and deprecation warnings raised from tensorflow, tf_keras,
  tensorboard and numpy's modules.
compat's own notices (CompatRenameWarning, the one-time lines compat prints) are kept, and so is
every other warning and log record. `python -m compat --quiet` and `python -m tf1_examples`
(unless --verbose) call silence(); TF 1.15 printed this chatter too, so plain `python -m compat`
keeps it.
"""

import logging
import os
import re
import sys
import tempfile
import warnings

# "I0000 00:00:1796549929.396169   25314 port.cc:153] ..." (absl) and TF 1.15's
# "2026-12-06 09:35:01.123456: I tensorflow/core/platform/cpu_feature_guard.cc:142] ..."
CPP_LOG_LINE = re.compile(r"^(?:[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ [\w./-]+:\d+\]"
                          r"|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWEF] [\w./-]+:\d+\])")
ABSL_BANNER = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR"
# a Python line that can follow a C++ log line and is not part of it
PYTHON_LINE = re.compile(r"^(?:Traceback|WARNING:|ERROR:|INFO:|\S+:\d+: \w+(?:Warning|Error)\b)")
DEPRECATION_TEXT = re.compile(r"is deprecated|will not be included in TensorFlow 2\.0|deprecated in favor of",
                              re.IGNORECASE)
NOISY_MODULES = r"(tensorflow|tensorflow_core|tf_keras|keras|tensorboard|tensorflow_estimator|numpy)(\..*)?$"


def is_deprecation_record(record):
    return bool(DEPRECATION_TEXT.search(record.getMessage()))


class DeprecationFilter(logging.Filter):
    """Drops the `tensorflow` logger's deprecation records (every other record passes)."""

    def filter(self, record):
        return not is_deprecation_record(record)


def without_cpp_logs(text):
    """`text` minus C++ log lines, absl's banner and the lines that continue a log line."""
    kept, in_log = [], False
    for line in text.splitlines(True):
        if CPP_LOG_LINE.match(line) or line.rstrip("\n") == ABSL_BANNER:
            in_log = True
            continue
        if in_log and line.strip() and not PYTHON_LINE.match(line):
            continue          # e.g. cpu_feature_guard's "To enable the following instructions: ..."
        in_log = False
        kept.append(line)
    return "".join(kept)


def _filter_warnings():
    for category in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
        warnings.filterwarnings("ignore", category=category, module=NOISY_MODULES)
    # tf_keras's legacy cells warn with a UserWarning ("`tf.nn.rnn_cell.BasicLSTMCell` is deprecated ...")
    warnings.filterwarnings("ignore", message=r".*is deprecated and will be removed", category=UserWarning)


def _import_tensorflow_without_cpp_logs():
    """Import TensorFlow and find its devices with fd 2 in a temporary file; write back the rest."""
    if "tensorflow" in sys.modules:
        return                              # too late to catch its start-up lines
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):           # no real stderr (e.g. an embedding host): nothing to catch
        import tensorflow  # noqa: F401
        return
    with tempfile.TemporaryFile(mode="w+b") as caught:
        os.dup2(caught.fileno(), 2)
        try:
            import tensorflow as tf
            if hasattr(tf, "config") and hasattr(tf.config, "list_physical_devices"):
                tf.config.list_physical_devices()   # TF 2.x: the cuInit line comes here
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            caught.seek(0)
            rest = without_cpp_logs(caught.read().decode("utf-8", "replace"))
            if rest:
                sys.stderr.write(rest)
                sys.stderr.flush()


def silence():
    """Make this process quiet; call before TensorFlow loads. Child processes inherit only
    TF_CPP_MIN_LOG_LEVEL (their Python warnings and TF 2.x's start-up lines are their own)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    _filter_warnings()
    logger = logging.getLogger("tensorflow")
    if not any(isinstance(f, DeprecationFilter) for f in logger.filters):
        logger.addFilter(DeprecationFilter())
    _import_tensorflow_without_cpp_logs()

