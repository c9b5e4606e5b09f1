"""oneDNN under compat: compat keeps TensorFlow's own default, and TF_ENABLE_ONEDNN_OPTS set by the
user reaches TensorFlow through `python -m compat` (compat's import of TensorFlow changes other
variables around it). While oneDNN is on, compat's Sessions run without Grappler's remapper
(compat/session_defaults.py), unless their config names it. Measured and decided in docs/benchmarks.md ("oneDNN"): off is slower on
compat's LSTMBlockCell row, so compat does not turn it off. The probe asks TensorFlow itself whether
its oneDNN kernels are on (the flag TF reads from TF_ENABLE_ONEDNN_OPTS once, when it loads); TF
1.15's pip build has no oneDNN, so there the answer is always no."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import compat.v1 as tf
from conftest import TF1

from tensorflow.core.protobuf.rewriter_config_pb2 import RewriterConfig

PROBE = """\
import json
import tensorflow as tf
try:
    from tensorflow.python.util._pywrap_util_port import IsMklEnabled      # TF 2.x
except ImportError:
    from tensorflow.python.pywrap_tensorflow import IsMklEnabled           # TF 1.15
Session = getattr(tf, "Session", None) or tf.compat.v1.Session
config = Session()._config
remapping = config.graph_options.rewrite_options.remapping if config is not None else None
print(json.dumps({"onednn": bool(IsMklEnabled()), "placeholder": hasattr(tf, "placeholder"),
                  "remapping": remapping}))
"""
RUNS = (("plain", None), ("compat", "0"))


def onednn_on():
    """TensorFlow's own answer in this process (conftest imported it through compat)."""
    try:
        from tensorflow.python.util._pywrap_util_port import IsMklEnabled      # TF 2.x
    except ImportError:
        from tensorflow.python.pywrap_tensorflow import IsMklEnabled           # TF 1.15
    return bool(IsMklEnabled())


@pytest.fixture(scope="module")
def onednn_reports(tmp_path_factory):
    """{(how, TF_ENABLE_ONEDNN_OPTS): the probe's answer} for RUNS: plain `python probe.py`
    (TensorFlow without compat) or `python -m compat probe.py`; the processes run at once."""
    script = tmp_path_factory.mktemp("onednn") / "probe.py"
    script.write_text(PROBE)
    procs = {}
    for how, setting in RUNS:
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONDONTWRITEBYTECODE="1")
        env.pop("TF1_COMPAT", None)
        env.pop("TF_ENABLE_ONEDNN_OPTS", None)
        if setting is not None:
            env["TF_ENABLE_ONEDNN_OPTS"] = setting
        prefix = ["-m", "compat"] if how == "compat" else []
        procs[how, setting] = subprocess.Popen([sys.executable] + prefix + [str(script)], env=env,
                                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                               universal_newlines=True)
    reports = {}
    for key, proc in procs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, (key, err[-2000:])
        reports[key] = json.loads(out.strip().splitlines()[-1])
    return reports


@pytest.mark.skipif("TF_ENABLE_ONEDNN_OPTS" in os.environ, reason="the test run has its own oneDNN setting")
def test_compat_keeps_tensorflows_onednn_default(onednn_reports):
    """This process imported TensorFlow through compat (conftest), the probe without it."""
    assert onednn_on() is onednn_reports["plain", None]["onednn"]
    if TF1:
        assert onednn_on() is False          # TF 1.15's pip build: Eigen kernels only


def test_oneDNN_off_reaches_tensorflow_through_python_m_compat(onednn_reports):
    """TF_ENABLE_ONEDNN_OPTS=0 is how a user gets TF 1.15's Eigen kernels back (long seeded runs
    then follow TF 1.15's digits further, docs/seeds.md)."""
    got = onednn_reports["compat", "0"]
    assert got["placeholder"] and got["onednn"] is False          # tf.placeholder: compat is on
    assert got["remapping"] in (None, RewriterConfig.DEFAULT)  # without oneDNN, Grappler as TF has it


def fused_kernels(config):
    """The node types Grappler left in a MatMul + BiasAdd graph (tf.layers.dense: an RNN cell's
    core) as a Session with config ran it."""
    with tf.Graph().as_default():
        outputs = tf.layers.dense(tf.constant(np.ones((2, 6), np.float32)), 8)
        with tf.Session(config=config) as session:
            session.run(tf.global_variables_initializer())
            metadata = tf.RunMetadata()
            session.run(outputs, options=tf.RunOptions(output_partition_graphs=True), run_metadata=metadata)
    return sorted({node.op for graph in metadata.partition_graphs for node in graph.node if "MatMul" in node.op})


@pytest.mark.skipif(TF1, reason="TF 1.15 has no oneDNN: compat passes its Sessions through untouched")
def test_sessions_run_without_the_remapper_while_onednn_is_on():
    if not onednn_on():
        pytest.skip("oneDNN is off in this run: compat leaves Grappler as it is")
    user = tf.ConfigProto(allow_soft_placement=True)
    session = tf.Session(config=user)
    assert session._config.graph_options.rewrite_options.remapping == RewriterConfig.OFF
    assert session._config.allow_soft_placement
    assert user.graph_options.rewrite_options.remapping == RewriterConfig.DEFAULT  # the user's object: unchanged
    session.close()
    assert not [op for op in fused_kernels(None) if "Fused" in op]
    explicit = tf.ConfigProto()
    explicit.graph_options.rewrite_options.remapping = RewriterConfig.ON  # the user's choice wins
    assert [op for op in fused_kernels(explicit) if "Fused" in op]
