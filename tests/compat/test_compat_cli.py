"""`python -m compat SCRIPT.py` and `compat.install()`: unmodified TF 1.x scripts, real subprocesses."""

import re
import sys
import textwrap

import pytest

from conftest import TF1, run_python

PROBE = textwrap.dedent('''
    import sys, os
    import tensorflow as tf
    from tensorflow.contrib import rnn
    import tensorflow.contrib.layers as layers
    from tensorflow.contrib.learn.python.learn.estimators.estimator import SKCompat
    learn = tf.contrib.learn
    print("name", __name__)
    print("argv", sys.argv)
    print("path0", sys.path[0])
    print("version", tf.__version__)
    print("rnn", rnn.BasicLSTMCell.__module__)
    print("layers", layers.fully_connected.__module__)
    print("skcompat", SKCompat is learn.SKCompat)
    x = tf.placeholder(tf.float32, [None, 1])
    with tf.Session() as s:
        print("ran", s.run(x * 2.0, {x: [[1.5]]})[0][0])
''')


def lines_of(proc):
    return dict(line.split(" ", 1) for line in proc.stdout.splitlines() if " " in line)


def test_runs_script_as_python_would(tmp_path):
    script = tmp_path / "sub dir" / "probe.py"
    script.parent.mkdir()
    script.write_text(PROBE)
    proc = run_python(sys.executable, "-m", "compat", script, "a", "--b=1", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = lines_of(proc)
    assert out["name"] == "__main__"
    assert out["argv"] == repr([str(script), "a", "--b=1"])
    assert out["path0"] == str(script.parent)
    assert out["ran"] == "3.0"
    assert out["skcompat"] == "True"
    if TF1:
        assert out["version"].startswith("1.15") and "tensorflow" in out["rnn"]
    else:
        assert out["version"].startswith("2.")
        assert out["layers"].startswith("compat.contrib.layers")  # TF 1.15: tensorflow.contrib.layers...


def test_install_in_a_running_interpreter():
    code = textwrap.dedent('''
        import compat
        tf = compat.install()
        import tensorflow
        from tensorflow.contrib import rnn
        assert tensorflow is tf and tensorflow.placeholder is tf.placeholder
        assert tensorflow.contrib.rnn is rnn
        import tensorflow.compat.v1 as real_v1          # TensorFlow's own modules still import
        assert real_v1.placeholder is tf.placeholder
        print("ok", tf.__version__)
    ''')
    proc = run_python(sys.executable, "-c", code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok ")


def test_list_prints_the_table():
    proc = run_python(sys.executable, "-m", "compat", "--list")
    assert proc.returncode == 0
    for name in ("tf.nn.rnn_cell", "tf.contrib", "tf.sub", "legacy_seq2seq", "learn"):
        assert name in proc.stdout
    if not TF1:  # the provided contrib names, as the missing-symbol errors point here
        assert "SKCompat" in proc.stdout and "sequence_loss_by_example" in proc.stdout
        assert re.search(r"^ +GatherTree +(compiled: |composed from core ops: )", proc.stdout, re.M), proc.stdout


@pytest.mark.skipif(TF1, reason="on TF 1.15 tf.contrib.slim exists: nothing is missing")
@pytest.mark.parametrize("line,symbol", [    # `slim = tf.contrib.slim`: docs/errors.md, row 52
    ("tf.contrib.layers.no_such_layer", "tf.contrib.layers.no_such_layer"),
    ("from tensorflow.contrib import slim", "slim"),
    ("import tensorflow.contrib.slim.nets", "tensorflow.contrib.slim"),
])
def test_unprovided_symbol_is_one_line_exit_2(tmp_path, line, symbol):
    script = tmp_path / "uses_missing.py"
    script.write_text("import tensorflow as tf\nx = 1\n%s\n" % line)
    proc = run_python(sys.executable, "-m", "compat", script, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [l for l in proc.stderr.splitlines() if l.startswith("compat: error: ")]
    assert len(lines) == 1 and symbol in lines[0] and "uses_missing.py:3" in lines[0], proc.stderr


def test_help_exits_0():
    proc = run_python(sys.executable, "-m", "compat", "--help")
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.startswith("usage: python -m compat [--quiet] SCRIPT.py") and "docs/errors.md" in proc.stdout
