"""compat/kernels: TF 1.15's GatherTree op, compiled for TF 2.x by `python -m compat.kernels`
(tools/build_venv.sh runs it), loaded as compat switches TF to TF 1.x behaviour; the composed
fallback when it is not built; graphs TF 1.15 wrote with the op. Its results are checked by the
gather_tree and beam-search tests, which use it whenever it is built."""

import os
import shutil
import stat
import sys
import textwrap

import numpy as np
import pytest

import compat.v1 as tf
from compat import kernels
from conftest import REPO, TF1, run_python
from seq2seq_reference import numpy_gather_tree

modern_only = pytest.mark.skipif(TF1, reason="TF 1.15 has GatherTree itself: nothing is compiled")


def test_python_m_compat_kernels_builds_or_finds_it():
    """The venv's build ran it; run again it finds the library built from this source (on TF
    1.15 there is nothing to build)."""
    proc = run_python(sys.executable, "-m", "compat.kernels")
    assert proc.returncode == 0, proc.stderr
    if TF1:
        assert proc.stdout.startswith("compat.kernels: TensorFlow 1.15") and "nothing to build" in proc.stdout
        return
    line, = proc.stdout.splitlines()
    assert line.startswith(("compat.kernels: GatherTree is up to date: ", "compat.kernels: built GatherTree in "))
    assert line.endswith(kernels.library_path("GatherTree")) and os.path.exists(kernels.library_path("GatherTree"))


@modern_only
def test_compat_runs_the_compiled_gather_tree():
    if not os.path.exists(kernels.library_path("GatherTree")) and not shutil.which(os.environ.get("CXX", "g++")):
        pytest.skip("no C++ compiler here: gather_tree is composed from core ops (tested below)")
    assert kernels.status() == [("GatherTree", "compiled: " + kernels.library_path("GatherTree"))]
    with tf.Graph().as_default() as graph:
        tf.contrib.seq2seq.gather_tree([[[1, 2]], [[3, 4]]], [[[0, 0]], [[1, 0]]], [2], 5, name="beams")
    assert graph.get_operation_by_name("beams").type == "GatherTree"
    assert not graph.as_graph_def().library.function  # a kernel, not the composed function


@modern_only
def test_the_folder_can_be_chosen(tmp_path, monkeypatch):
    """TF1_LEGACY_KERNELS_DIR: where a Python whose prefix is not writable builds and loads them."""
    monkeypatch.setenv(kernels.DIR_VAR, str(tmp_path))
    assert kernels.default_directory() == str(tmp_path / ("tensorflow-" + tf.__version__))
    assert kernels.library_path("GatherTree").startswith(str(tmp_path))


@modern_only
def test_the_library_name_follows_the_source(tmp_path, monkeypatch):
    """Edited source, other library: one built from older source is never loaded."""
    source = tmp_path / "gather_tree.cc"
    shutil.copy(kernels.source_path("GatherTree"), str(source))
    monkeypatch.setattr(kernels, "source_path", lambda op: str(source))
    before = kernels.library_name("GatherTree")
    source.write_text(source.read_text() + "// edited\n")
    assert kernels.library_name("GatherTree") != before
    assert before.startswith("gather_tree-") and before.endswith(".so") and len(before) == len("gather_tree-") + 15


@modern_only
def test_a_build_replaces_its_library_only_when_it_succeeds(tmp_path):
    """The compiler writes to a temporary name: a failure keeps the library built before and
    writes the compiler's output to the log; a success renames it into place (loadable by
    everyone) and removes libraries of older source. The compilers here are scripts: the real
    compile is the venv build's (checked above)."""
    from compat.kernels.build import build
    from compat.regress.usage import UsageError

    out = tmp_path / "kernels"
    out.mkdir()
    stale = out / "gather_tree-000000000000.so"
    stale.write_text("built from older source\n")
    target = out / kernels.library_name("GatherTree")
    target.write_text("built before\n")
    failing = tmp_path / "failing-cxx"
    failing.write_text("#!/bin/sh\necho 'gather_tree.cc:1:1: error: no' >&2\nexit 3\n")
    failing.chmod(0o755)
    with pytest.raises(UsageError, match=r"could not compile GatherTree \(exit 3\); its output is in .*gather_tree\.log"):
        build("GatherTree", str(out), str(failing), force=True)
    assert target.read_text() == "built before\n"
    assert "error: no" in (out / "gather_tree.log").read_text()
    assert sorted(p.name for p in out.iterdir()) == sorted([stale.name, target.name, "gather_tree.log"])

    copying = tmp_path / "copying-cxx"  # "compiles" by writing its source file to -o
    copying.write_text('#!/bin/sh\nwhile [ "$1" != "-o" ]; do case "$1" in *.cc) src=$1;; esac; shift; done\n'
                       'cp "$src" "$2"\n')
    copying.chmod(0o755)
    path, seconds = build("GatherTree", str(out), str(copying), force=True)
    assert path == str(target) and seconds >= 0
    assert target.read_text().startswith("// GatherTree for TensorFlow 2.x")
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert sorted(p.name for p in out.iterdir()) == sorted([target.name, "gather_tree.log"])
    assert build("GatherTree", str(out), str(failing)) == (str(target), None)  # built: not compiled again


@modern_only
def test_without_the_library_the_composed_gather_tree_passes_the_same_tests():
    """TF1_LEGACY_KERNELS=0: the fallback (a function named GatherTree) passes the gather_tree
    tests, in a process of its own (a process cannot unload an op library)."""
    code = textwrap.dedent('''
        import sys, pytest
        import compat.v1 as tf
        from compat import kernels
        status = pytest.main(["-q", "-p", "no:cacheprovider", sys.argv[1]])
        with tf.Graph().as_default() as graph:
            tf.contrib.seq2seq.gather_tree([[[1]]], [[[0]]], [1], 5, name="beams")
        print(int(status), kernels.status(), [f.signature.name for f in graph.as_graph_def().library.function])
    ''')
    tests = REPO / "tests" / "compat" / "contrib" / "test_contrib_seq2seq_gather_tree.py"
    proc = run_python(sys.executable, "-c", code, tests, cwd=REPO, env={kernels.SWITCH_VAR: "0"})
    summary = proc.stdout.splitlines()[-2]
    assert " passed" in summary and "skipped" not in summary and "failed" not in summary, proc.stdout[-3000:]
    assert proc.stdout.splitlines()[-1] == "0 [('GatherTree', 'composed from core ops: turned off (%s=0)')] "\
        "['GatherTree']" % kernels.SWITCH_VAR


def test_a_meta_graph_tf115_wrote_with_gather_tree_imports_and_runs(tmp_path, legacy_python):
    """The NMT tutorial exports its inference graph: TF 1.15's file holds a GatherTree op, which
    TF 2.x alone cannot import ("Op type not registered")."""
    if not TF1 and kernels.op_module("GatherTree") is None:
        pytest.skip("GatherTree is not compiled here: %s" % kernels.status()[0][1])
    path = tmp_path / "beams.meta"
    export = textwrap.dedent('''
        import sys
        import tensorflow as tf
        ids = tf.placeholder(tf.int32, [None, None, 3], name="ids")
        parents = tf.placeholder(tf.int32, [None, None, 3], name="parents")
        lengths = tf.placeholder(tf.int32, [None], name="lengths")
        tf.contrib.seq2seq.gather_tree(ids, parents, lengths, 9, name="beams")
        tf.train.export_meta_graph(sys.argv[1])
    ''')
    proc = run_python(legacy_python, "-c", export, str(path))
    assert proc.returncode == 0, proc.stderr[-2000:]
    rng = np.random.RandomState(3)
    steps = rng.randint(0, 10, (6, 2, 3)).astype(np.int32)
    parents = rng.randint(0, 3, (6, 2, 3)).astype(np.int32)
    lengths = np.array([6, 4], np.int32)
    tf.contrib.seq2seq  # TF 1.15 registers a contrib package's ops when it is first accessed
    with tf.Graph().as_default() as graph:
        tf.train.import_meta_graph(str(path))
        assert graph.get_operation_by_name("beams").type == "GatherTree"
        with tf.Session() as session:
            beams = session.run("beams:0", {"ids:0": steps, "parents:0": parents, "lengths:0": lengths})
    np.testing.assert_array_equal(beams, numpy_gather_tree(steps, parents, lengths, 9))
