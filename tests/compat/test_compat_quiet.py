"""compat/quiet.py: `python -m compat --quiet` keeps a script's own lines and drops TensorFlow's
start-up logs and deprecation notices, on both runtimes (TF 1.15 prints them too)."""

import logging
import subprocess
import sys
import textwrap

import pytest

from compat import quiet

SCRIPT = textwrap.dedent("""\
    import sys
    import tensorflow as tf
    print("own stderr line", file=sys.stderr)
    cell = tf.nn.rnn_cell.BasicLSTMCell(3)
    x = tf.placeholder(tf.float32, [2, 4, 1])
    out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    y = tf.contrib.layers.fully_connected(tf.reshape(out, [-1, 3]), 1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print("shape", sess.run(y, {x: [[[1.0]] * 4] * 2}).shape)
    """)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    script = tmp_path_factory.mktemp("quiet") / "script.py"
    script.write_text(SCRIPT)

    def run(*flags):
        return subprocess.run([sys.executable, "-m", "compat"] + list(flags) + [str(script)],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    return {"loud": run(), "quiet": run("--quiet")}


def test_quiet_leaves_only_the_scripts_own_lines(runs):
    quiet_run = runs["quiet"]
    assert quiet_run.returncode == 0, quiet_run.stderr
    assert quiet_run.stdout == "shape (8, 1)\n"
    assert quiet_run.stderr == "own stderr line\n"


def test_without_quiet_tensorflows_notices_are_kept(runs):
    """The control: the same script, not quiet, shows the deprecation notices --quiet removes."""
    loud = runs["loud"]
    assert loud.returncode == 0, loud.stderr
    assert loud.stdout == runs["quiet"].stdout
    assert "own stderr line" in loud.stderr
    assert "is deprecated" in loud.stderr


def test_cpp_log_lines_and_their_continuations_are_dropped_and_nothing_else():
    text = ("before\n"
            "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
            "I0000 00:00:1796549929.396169   25314 port.cc:153] oneDNN custom operations are on.\n"
            "I0000 00:00:1796549929.484833   25314 cpu_feature_guard.cc:227] This TensorFlow binary is optimized.\n"
            "To enable the following instructions: AVX2 AVX512F, rebuild TensorFlow.\n"
            "2019-11-02 10:00:00.123456: I tensorflow/core/platform/cpu_feature_guard.cc:142] Your CPU supports\n"
            "/tmp/x.py:3: UserWarning: a warning of the script\n"
            "after\n")
    assert quiet.without_cpp_logs(text) == "before\n/tmp/x.py:3: UserWarning: a warning of the script\nafter\n"


def test_the_filter_drops_tensorflows_deprecation_records_only():
    make = logging.getLogger("tensorflow").makeRecord
    notice = make("tensorflow", logging.WARNING, __file__, 1,
                  "From %s:%d: %s (from %s) is deprecated and will be removed in a future version.",
                  ("x.py", 3, "dynamic_rnn", "tensorflow.python.ops.rnn"), None)
    other = make("tensorflow", logging.WARNING, __file__, 1, "Reading checkpoint %s", ("m.ckpt",), None)
    assert not quiet.DeprecationFilter().filter(notice)
    assert quiet.DeprecationFilter().filter(other)
