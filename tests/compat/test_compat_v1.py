"""`import compat.v1 as tf`: TF 1.15's top-level API, in graph mode, on both runtimes."""

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

from conftest import TF1, run_python, tf

tf2_only = pytest.mark.skipif(TF1, reason="TF 1.15 is the TF 1.x API itself; compat adds nothing there")


def test_is_tensorflow_itself_on_tf1():
    import tensorflow

    if TF1:
        assert tf is tensorflow  # pure pass-through, no wrapping
    else:
        assert tf is not tensorflow and tf.placeholder is tensorflow.compat.v1.placeholder


def test_graph_mode_and_ref_variables(graph):
    assert not tf.executing_eagerly()
    v = tf.Variable(1.0)
    assert v.op.type in ("VariableV2", "Variable")  # TF 1.x ref variables, as TF 1.15 creates by default


def test_nested_namespaces_resolve(graph):
    cell = tf.nn.rnn_cell.BasicLSTMCell(3)
    outputs, state = tf.nn.dynamic_rnn(cell, tf.zeros([2, 4, 5]), dtype=tf.float32)
    assert outputs.shape.as_list() == [2, 4, 3]
    assert isinstance(state, tf.nn.rnn_cell.LSTMStateTuple)
    assert sorted(v.name for v in tf.trainable_variables()) == ["rnn/basic_lstm_cell/bias:0",
                                                                "rnn/basic_lstm_cell/kernel:0"]
    assert tf.train.AdamOptimizer and tf.summary.FileWriter and tf.losses.mean_squared_error


def test_layers_dense_keeps_tf1_names_and_math(session):
    x = tf.constant([[1.0, 2.0]])
    y = tf.layers.dense(x, 3, kernel_initializer=tf.ones_initializer(), bias_initializer=tf.constant_initializer(0.5))
    assert sorted(v.name for v in tf.trainable_variables()) == ["dense/bias:0", "dense/kernel:0"]
    session.run(tf.global_variables_initializer())
    np.testing.assert_allclose(session.run(y), [[3.5, 3.5, 3.5]])


def test_losses_mean_squared_error(session):
    a = np.array([1.0, 2.0, 4.0], np.float32)
    b = np.array([0.0, 2.0, 1.0], np.float32)
    value = session.run(tf.losses.mean_squared_error(a, b))
    np.testing.assert_allclose(value, np.mean((a - b) ** 2), rtol=1e-6)
    assert tf.get_collection(tf.GraphKeys.LOSSES)  # TF 1.x registers the loss in the LOSSES collection


def test_unknown_name_is_an_attribute_error_naming_it():
    with pytest.raises(AttributeError) as err:
        tf.this_name_never_existed
    if not TF1:
        assert "tf.this_name_never_existed" in str(err.value) and "not provided by compat" in str(err.value)
    assert not hasattr(tf.nn, "no_such_op")


@tf2_only
def test_unknown_name_error_subclass_and_nested_name():
    from compat.errors import NotProvidedError

    with pytest.raises(NotProvidedError) as err:
        tf.train.no_such_optimizer
    assert err.value.symbol == "tf.train.no_such_optimizer"
    with pytest.raises(NotProvidedError, match=r"tf\.contrib\.slim is not provided"):
        tf.contrib.slim


PRE_1_0 = [("sub", "subtract"), ("mul", "multiply"), ("neg", "negative")]


@tf2_only
@pytest.mark.parametrize("old,new", PRE_1_0)
def test_pre_1_0_math_renames(old, new, session):
    a, b = tf.constant([3.0, 4.0]), tf.constant([1.0, 2.0])
    args = (a,) if old == "neg" else (a, b)
    np.testing.assert_allclose(session.run(getattr(tf, old)(*args)), session.run(getattr(tf, new)(*args)))


@tf2_only
def test_pre_1_0_names_warn_once_naming_the_replacement(graph, tmp_path):
    from compat._namespace import CompatRenameWarning

    # Renames resolve once per process and are then cached, so look at a fresh namespace.
    from compat._namespace import build_v1

    fresh = build_v1()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tf.summary.scalar("s", tf.constant(1.0))
        for _ in range(3):
            fresh.scalar_summary("t", tf.constant(2.0))
        fresh.initialize_all_variables()
        merged = fresh.merge_all_summaries()
        fresh.histogram_summary("h", tf.constant([1.0, 2.0]))
        writer = fresh.train.SummaryWriter(str(tmp_path))
        writer.close()
    renames = [str(w.message) for w in caught if issubclass(w.category, CompatRenameWarning)]
    assert renames == [
        "tf.scalar_summary is a pre-1.0 name (moved in TF 0.12); use tf.summary.scalar",
        "tf.initialize_all_variables is a pre-1.0 name (deprecated in TF 0.12); use tf.global_variables_initializer",
        "tf.merge_all_summaries is a pre-1.0 name (moved in TF 0.12); use tf.summary.merge_all",
        "tf.histogram_summary is a pre-1.0 name (moved in TF 0.12); use tf.summary.histogram",
        "tf.train.SummaryWriter is a pre-1.0 name (moved in TF 0.12); use tf.summary.FileWriter",
    ]
    assert merged is not None and isinstance(writer, tf.summary.FileWriter)


def test_dir_lists_tf1_and_compat_names():
    names = dir(tf)
    for name in ("placeholder", "Session", "nn", "train", "contrib", "layers"):
        assert name in names
    assert "rnn_cell" in dir(tf.nn)


def test_importing_leaves_the_environment_as_it_was():
    # TF 2.x's __init__ sets TF2_BEHAVIOR=1 in os.environ, and compat sets TF_USE_LEGACY_KERAS
    # around the import: neither may stay behind for the processes this one starts.
    env = {k: v for k, v in os.environ.items() if k not in ("TF2_BEHAVIOR", "TF_USE_LEGACY_KERAS")}
    probe = ("import os, compat.v1 as tf; tf.constant(1); "
             "print(os.environ.get('TF2_BEHAVIOR'), os.environ.get('TF_USE_LEGACY_KERAS'))")
    proc = subprocess.run([sys.executable, "-c", probe], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["None", "None"]


@pytest.mark.skipif(TF1, reason="checks what a TF 2.x parent passes to a TF 1.15 child")
def test_a_legacy_child_of_this_process_runs_in_graph_mode(legacy_python):
    # this pytest process imported TF 2.x through compat (conftest); a TF 1.15 it starts must
    # still be TF 1.x: graph mode and ref variables, as the legacy runtime's figures assume
    proc = run_python(legacy_python, "-c", "import tensorflow as tf; "
                      "print(tf.executing_eagerly(), type(tf.Variable(1.0)).__name__)")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == ["False", "RefVariable"]
