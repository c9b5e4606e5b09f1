"""sin_predict's model loaded from a model_dir by a fresh tf.contrib.learn Estimator, predicting
given windows: the one piece of code both runtimes run in tests/examples/test_checkpoint_portability.py.

    python tests/support/estimator_predict.py --windows W.npy [--train RUN] MODEL_DIR OUT.npy [MODEL_DIR OUT.npy ...]

--train RUN first trains sin_predict (--steps 30 --seed 0) into the run folder RUN, in-process.
Each MODEL_DIR's predictions for the windows in W.npy go to OUT.npy (float32, one per window),
and one line `PREDICTED {"model_dir", "global_step", "tensorflow"}` is printed per model_dir.
The windows come from a file, not from np.sin here, because NumPy 1.18 and 1.26 compute float32
sin 1 ulp apart (tests/golden/generate.py): the comparison is then about the checkpoint alone.
Python 3.7 compatible.
"""

import argparse
import json
import os
import sys

import numpy as np

TRAIN_ARGS = ["--steps", "30", "--seed", "0", "--no-progress"]


def prediction_windows():
    """sin_predict's 989 test windows, computed as its train() does."""
    from tf1_examples import sin_predict as s

    start, end = s.TRAINING_EXAMPLES * s.SAMPLE_GAP, (s.TRAINING_EXAMPLES + s.TESTING_EXAMPLES) * s.SAMPLE_GAP
    return s.generate_data(np.sin(np.linspace(start, end, s.TESTING_EXAMPLES, dtype=np.float32)))[0]


def predict(model_dir, windows):
    """(predictions, global step) of the latest checkpoint in model_dir."""
    from tf1_examples import sin_predict as s

    def model_fn(X, y):
        if y is None:   # a fresh Estimator knows no label shape; lstm_model needs labels for its loss
            y = s.tf.zeros(s.tf.shape(X)[:1])
        return s.lstm_model(X, y)

    estimator = s.learn.Estimator(model_fn=model_fn, model_dir=str(model_dir))
    predicted = s.SKCompat(estimator).predict(windows)
    return np.asarray(predicted, dtype=np.float32), int(estimator.get_variable_value("global_step"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--windows", required=True, metavar="W.npy")
    parser.add_argument("--train", metavar="RUN")
    parser.add_argument("pairs", nargs="+", metavar="MODEL_DIR OUT.npy")
    opts = parser.parse_args(argv)
    if len(opts.pairs) % 2:
        parser.error("give MODEL_DIR OUT.npy pairs")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow

    if opts.train:
        from tf1_examples.harness.cli import reproduce

        reproduce("sin_predict", TRAIN_ARGS + ["--out", opts.train])
    windows = np.load(opts.windows)
    for model_dir, out in zip(opts.pairs[::2], opts.pairs[1::2]):
        predicted, step = predict(model_dir, windows)
        np.save(out, predicted)
        print("PREDICTED " + json.dumps({"model_dir": model_dir, "global_step": step,
                                         "tensorflow": tensorflow.__version__}))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
