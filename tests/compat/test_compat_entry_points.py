"""A TF 1.x *project* under compat: `python -m compat -m MODULE`, `-c CODE`, its own tf.test suite
(pytest, unittest, tf.test.main), the processes it starts itself, and `%load_ext compat` in IPython.

Real subprocesses on a small project written to a temporary folder: a package `tagger` (a model,
a trainer that starts a child process on the project's test file and a multiprocessing "spawn"
worker) and a top-level `test_model.py` of tf.test.TestCase tests. On TF 1.15 the same commands
run the same project on TensorFlow itself, which shows the expectations are TF 1.x's.
"""

import json
import os
import re
import subprocess
import sys
import sysconfig
import textwrap

import numpy as np
import pytest

from conftest import REPO, TF1, run_python

MODEL = '''
import tensorflow as tf

WEIGHTS = [[0.5], [-1.0]]


def apply(rows):
    """x @ WEIGHTS + 1 for rows of 2 numbers, on a TF 1.x graph in a session of its own."""
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2])
        w = tf.get_variable("w", initializer=tf.constant(WEIGHTS))
        y = tf.matmul(x, w) + 1.0
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return sess.run(y, {x: rows})[:, 0].tolist()
'''

TRAIN = '''
"""The trainer: python -m tagger.train ARGS. Starts its test suite and a spawn worker itself."""
import json, multiprocessing, os, subprocess, sys

import tensorflow as tf
from tensorflow.contrib import rnn
from . import model

ROWS = [[1.0, 2.0], [3.0, -1.0]]


def in_worker(rows):
    import tensorflow as tf
    return {"tf1_api": hasattr(tf, "placeholder"), "contrib": hasattr(tf.contrib.rnn, "BasicLSTMCell"),
            "out": model.apply(rows)}


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    suite = subprocess.Popen([sys.executable, os.path.join(root, "test_model.py")],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        worker = pool.apply(in_worker, (ROWS,))
    suite_log = suite.communicate()[0]
    print("REPORT " + json.dumps({
        "name": __name__, "argv": sys.argv, "path0": sys.path[0], "package": __package__,
        "cell": rnn.BasicLSTMCell.__name__, "out": model.apply(ROWS), "worker": worker,
        "suite_rc": suite.returncode, "suite_tail": suite_log[-1500:]}))


if __name__ == "__main__":
    main()
'''

TESTS = '''
import os

import numpy as np
import tensorflow as tf

from tagger import model


class ModelTest(tf.test.TestCase):
    def testTestSession(self):
        with self.test_session() as sess:
            x = tf.placeholder(tf.float32, [3])
            self.assertAllClose(sess.run(x * 2.0, {x: [1.0, 2.5, -1.0]}), [2.0, 5.0, -2.0])
            self.assertIs(sess.graph, tf.get_default_graph())

    def testCachedSession(self):
        with self.cached_session() as sess:
            v = tf.Variable([1, 2, 3])
            sess.run(tf.global_variables_initializer())
            self.assertAllEqual(v.eval(), [1, 2, 3])
            self.assertEqual(type(v).__name__, "RefVariable")   # TF 1.x graph mode, not eager
        with self.cached_session() as again:
            self.assertIs(again, sess)

    def testSession(self):
        with self.session() as sess:
            self.assertFalse(tf.executing_eagerly())
            self.assertEqual(sess.run(tf.constant(3) + 4), 7)

    def testModel(self):
        self.assertAllClose(model.apply([[2.0, 1.0]]), [1.0])

    def testGetTempDir(self):
        path = os.path.join(self.get_temp_dir(), "probe.txt")
        with open(path, "w") as f:
            f.write("ok")
        self.assertTrue(os.path.isfile(path))

    def testAssertAllCloseFails(self):
        with self.assertRaises(AssertionError):
            self.assertAllClose(np.array([1.0, 2.0]), [1.0, 2.1])


if __name__ == "__main__":
    tf.test.main()
'''

N_TESTS = TESTS.count("    def test")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    (root / "tagger").mkdir()
    (root / "tagger" / "__init__.py").write_text("import tensorflow as tf  # the package itself needs TF 1.x\n")
    (root / "tagger" / "model.py").write_text(MODEL)
    (root / "tagger" / "train.py").write_text(TRAIN)
    (root / "test_model.py").write_text(TESTS)
    return root


def expected_out(rows):
    return (np.dot(np.array(rows), [[0.5], [-1.0]]) + 1.0)[:, 0]


def report_of(proc, returncode=0):
    assert proc.returncode == returncode, proc.stderr[-3000:]
    # (IPython may put a terminal-title escape sequence before it on the line)
    line = [l[l.index("REPORT ") + len("REPORT "):] for l in proc.stdout.splitlines() if "REPORT " in l]
    assert line, proc.stdout[-2000:]
    return json.loads(line[-1])


def assert_suite_passed(log):
    """tf.test.main / unittest output: all tests ran and passed (TF's own `test_session` method
    is collected too and skipped as "Not a test", on TF 1.15 as on 2.x)."""
    ran = re.search(r"^Ran (\d+) tests?", log, re.M)
    assert ran and int(ran.group(1)) >= N_TESTS, log[-3000:]
    assert re.search(r"^OK\b", log, re.M) and "FAIL" not in log, log[-3000:]


def test_module_as_python_m_runs_it_with_its_child_processes(project):
    """-m: __main__, argv[0] the module's file, sys.path[0] the current folder, relative imports;
    the subprocess (the project's tf.test.main suite) and the spawn worker get compat too."""
    proc = run_python(sys.executable, "-m", "compat", "-m", "tagger.train", "--steps", "3", cwd=project)
    report = report_of(proc)
    assert report["name"] == "__main__" and report["package"] == "tagger"
    assert report["argv"] == [str(project / "tagger" / "train.py"), "--steps", "3"]
    assert report["path0"] == str(project)
    assert report["cell"] == "BasicLSTMCell"
    np.testing.assert_allclose(report["out"], expected_out([[1.0, 2.0], [3.0, -1.0]]), rtol=1e-6)
    assert report["worker"]["tf1_api"] and report["worker"]["contrib"]
    assert report["worker"]["out"] == report["out"]
    assert report["suite_rc"] == 0, report["suite_tail"]
    assert_suite_passed(report["suite_tail"])


def test_project_test_suite_with_pytest(project):
    proc = run_python(sys.executable, "-m", "compat", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                      "test_model.py", cwd=project)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert re.search(r"\b%d passed" % N_TESTS, proc.stdout) and "failed" not in proc.stdout, proc.stdout


def test_project_test_suite_with_unittest(project):
    proc = run_python(sys.executable, "-m", "compat", "-m", "unittest", "-v", "test_model", cwd=project)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert_suite_passed(proc.stderr)


def test_code_as_python_c(tmp_path):
    """-c: argv, sys.path[0] and __name__ as python -c has them; the code's own error (here after
    its report) keeps Python's traceback and exit status 1, with no compat line."""
    code = textwrap.dedent('''
        import sys
        import tensorflow as tf
        from tensorflow.contrib import layers
        x = tf.placeholder(tf.float32, [1])
        with tf.Session() as s:
            print("REPORT", __import__("json").dumps({"name": __name__, "argv": sys.argv, "path0": sys.path[0],
                  "ran": float(s.run(x * 4.0, {x: [0.5]})[0]), "has_layers": hasattr(layers, "fully_connected")}))
        import no_such_module_of_the_project
    ''')
    proc = run_python(sys.executable, "-m", "compat", "-c", code, "a", "--b=1", cwd=tmp_path)
    report = report_of(proc, returncode=1)
    assert report == {"name": "__main__", "argv": ["-c", "a", "--b=1"], "path0": "", "ran": 2.0,
                      "has_layers": True}
    line = code.splitlines().index("import no_such_module_of_the_project") + 1
    assert 'File "<string>", line %d, in <module>' % line in proc.stderr
    assert "No module named 'no_such_module_of_the_project'" in proc.stderr.splitlines()[-1]
    assert "compat: error" not in proc.stderr


PROBE_FINDER = "import sys; print([type(f).__name__ for f in sys.meta_path if 'InstallOnFirstImport' == type(f).__name__])"


def test_pth_file_installed_and_only_acts_in_a_compat_run():
    """The .pth that hands compat to child processes is in this runtime's site-packages (built by
    `make venv` / the conda env through tools/wheel_with_pth.py), and does nothing unless
    TF1_COMPAT is set: a Python started outside a compat run is left alone."""
    installed = os.path.join(sysconfig.get_paths()["purelib"], "tf1_legacy_compat.pth")
    assert os.path.isfile(installed), "reinstall the project: pip install --no-deps -e ."
    with open(installed) as f, open(str(REPO / "tools" / "tf1_legacy_compat.pth")) as g:
        assert f.read() == g.read()
    outside = {k: v for k, v in os.environ.items() if k != "TF1_COMPAT"}
    for env, expected in ((outside, "[]"), (dict(outside, TF1_COMPAT="1"), "['InstallOnFirstImport']")):
        out = subprocess.run([sys.executable, "-c", PROBE_FINDER], env=env, stdout=subprocess.PIPE,
                             universal_newlines=True, check=True).stdout.strip()
        assert out == expected


def test_load_ext_in_ipython(tmp_path):
    """`%load_ext compat` in a real IPython (what a Jupyter kernel runs), started outside a compat run."""
    cell = textwrap.dedent('''
        %load_ext compat
        import os
        import tensorflow as tf
        from tensorflow.contrib import rnn
        x = tf.placeholder(tf.float32, [2])
        with tf.Session() as sess:
            print("REPORT", __import__("json").dumps({"ran": sess.run(x + 1.0, {x: [1.0, 2.0]}).tolist(),
                  "cell": rnn.BasicLSTMCell.__name__, "children": os.environ.get("TF1_COMPAT")}))
    ''')
    proc = run_python(sys.executable, "-m", "IPython", "--colors=NoColor", "-c", cell, cwd=tmp_path,
                      env={"IPYTHONDIR": str(tmp_path / "ipython"), "TF1_COMPAT": ""})
    assert report_of(proc) == {"ran": [2.0, 3.0], "cell": "BasicLSTMCell", "children": "1"}


def test_ipython_syntax_in_a_script_is_one_line(tmp_path):
    """A notebook cell pasted into a script: compat names the line instead of a SyntaxError."""
    script = tmp_path / "from_notebook.py"
    script.write_text("import tensorflow as tf\n\n%matplotlib inline\n")
    proc = run_python(sys.executable, "-m", "compat", script, cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.stderr.splitlines()[-1] == (
        "compat: error: %s:3: `%%matplotlib inline` is IPython syntax, not Python; run it in IPython or "
        "Jupyter, or drop the line" % script)
