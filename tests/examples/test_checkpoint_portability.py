"""Checkpoints cross the runtimes: an S2 (sin_predict) Estimator model_dir trained by TF 1.15
restores under compat and predicts what TF 1.15 predicts from it, and a model_dir trained under
compat restores in TF 1.15 likewise (max abs diff <= 1e-5; measured 3.0e-7 and 2.4e-7 on
predictions of magnitude ~1: the two runtimes' float32 kernels sum in other orders). Both sides
load the model_dir the same way, tests/support/estimator_predict.py (a fresh Estimator, SKCompat.predict),
on the same window file.

Runs in the modern suite and drives TF 1.15 with one subprocess (train, then predict from both
model_dirs); on TF 1.15 it is skipped, since the modern suite covers both directions.
"""

import json

import numpy as np
import pytest

from conftest import REPO, TF1, run_python
import estimator_predict

MAX_ABS_DIFF = 1e-5

pytestmark = pytest.mark.skipif(TF1, reason="the modern suite runs this, driving TF 1.15 by subprocess "
                                            "in both directions")


def test_model_dirs_restore_across_runtimes(legacy_python, tmp_path):
    from tf1_examples.harness.cli import reproduce

    windows = tmp_path / "windows.npy"
    np.save(str(windows), estimator_predict.prediction_windows())
    # another seed than the legacy side's: since compat gives TF 1.15's op seeds, the same seed would
    # train the same model on both runtimes, and the last check below could not fail
    compat_dir = reproduce("sin_predict", estimator_predict.TRAIN_ARGS + ["--seed", "1", "--out",
                                                                       str(tmp_path / "compat")]).dir
    compat_dir = compat_dir / "Models" / "model_2"
    legacy_dir = tmp_path / "legacy" / "Models" / "model_2"

    proc = run_python(legacy_python, REPO / "tests" / "support" / "estimator_predict.py", "--windows", windows,
                      "--train", tmp_path / "legacy", legacy_dir, tmp_path / "tf1_from_tf1.npy",
                      compat_dir, tmp_path / "tf1_from_compat.npy", cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = [json.loads(l.split(" ", 1)[1]) for l in proc.stdout.splitlines() if l.startswith("PREDICTED ")]
    assert [(l["tensorflow"][:2], l["global_step"]) for l in lines] == [("1.", 30), ("1.", 30)]

    loaded = np.load(str(windows))
    compat_from_tf1, step_tf1 = estimator_predict.predict(legacy_dir, loaded)
    compat_from_compat, step_compat = estimator_predict.predict(compat_dir, loaded)
    tf1_from_tf1 = np.load(str(tmp_path / "tf1_from_tf1.npy"))
    tf1_from_compat = np.load(str(tmp_path / "tf1_from_compat.npy"))
    assert step_tf1 == step_compat == 30
    assert compat_from_tf1.shape == tf1_from_tf1.shape == (len(loaded),)
    # TF 1.15-written, restored under compat; compat-written, restored in TF 1.15
    assert np.abs(compat_from_tf1 - tf1_from_tf1).max() <= MAX_ABS_DIFF
    assert np.abs(tf1_from_compat - compat_from_compat).max() <= MAX_ABS_DIFF
    # the two model_dirs hold different models (other seeds), so the comparisons above
    # could fail: a checkpoint that was not really restored would show
    assert np.abs(compat_from_tf1 - compat_from_compat).max() > 1e-3
