"""Write the TF 1.15 parity goldens of the four reproductions (run by the legacy runtime):

    .venv-tf1/bin/python tests/golden/generate.py [--out DIR]      # = make goldens; DIR: tests/golden

For each example, one seeded run in-process through tf1_examples.harness.cli.reproduce(NAME, [...]) (CASES
below), and into DIR:
    NAME.json            the golden, in the format tf1_examples/regress.py draws ("TF 1.15 golden"):
        values, steps, column   the first logged values of `column` (50 training steps) and their steps
        columns                 more logged columns over the same steps (seq_data_lstm mean_loss,
                                rnn_words accuracy)
        results                 end-of-run figures compared as well (sin_predict rmse, seq_data_lstm
                                prediction_rmse)
        seed, tensorflow, python, numpy, command, label
        initial                 where the run started: {"checkpoint": "NAME/initial/model.ckpt",
                                "sha256"} or, for rnn_words, {"recipe", "variables", "sha256"}
        feeds                   every array the run fed to a placeholder, in call order
                                (recorded_feeds): {"calls", "sha256" of the bytes, "fingerprints"}
    NAME/initial/model.ckpt.{index,data-00000-of-00001}   the initial variables (--save-initial)

Why a checkpoint and not the seed: TF 2.x derives op-level seeds from a per-graph counter where
TF 1.15 uses the op id, so one --seed gives different initial weights on the two runtimes.
tests/examples/test_parity.py restores these with --init-from and must match every step.

The batches are not assumed runtime-independent, they are checked: `feeds` records what was
fed (lstm_regression's sine windows, sin_predict's DataFeeder batches in RandomState(42) order,
the seq_data_lstm windows, rnn_words' windows at offsets drawn by Python's `random`), and the
parity test records it again on TF 2.x: the same bytes for three examples, and for sin_predict
the same windows in the same order up to 1 ulp of float32 (NumPy's sin, see CASES).

Choices, each for a reason:
- seq_data_lstm: each logged step is an epoch, and an epoch of the full 1344-row stand-in is ~100
  training steps of a 96-step LSTM (3-5 s). The golden trains on the first 113 rows of the same
  stand-in (seq_data.write(path, rows=113), 15 windows: 2 batches an epoch) for 25 epochs = 50
  training steps; `loss` (the epoch's last batch) and `mean_loss` (the mean of its two) together
  fix both steps' losses. Same graph, same code path, 1/50 of the time.
- rnn_words: its 2 x 512 LSTM is 13 MB of weights, 38 MB with the RMSProp slots: too big to
  commit. Its initial variables instead follow a numpy recipe (recipe_values: the same
  distributions as TensorFlow's initialisers, drawn from RandomState(seed)), written into a
  checkpoint by write_checkpoint, on both runtimes by this same code; the golden keeps the
  variable list and the values' sha256, and generate() checks the recipe against TF 1.15's own
  initial values (names, shapes, constants equal, random ones within the initialiser's range).
- No --prompt for rnn_words: generated words are fed back as input, which would put model
  outputs into `feeds`; stdin is /dev/null during the runs so no interactive prompt opens.

tests/examples/test_parity.py imports this module (CASES, case_argv, recorded_feeds, the recipe), so the
golden runs and the parity runs are built by the same code. Python 3.7 compatible.
"""

import argparse
import contextlib
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections import OrderedDict, namedtuple
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PROG = "tests/golden/generate.py"
SEED = 0
N_STEPS = 50            # training steps compared per example

# args: the run's options besides --seed/--out/--no-progress; rows: logged rows compared (the
# first N_STEPS training steps); column: the golden's "values"; extra: more columns compared step
# by step; results: run.results keys compared at the end; data_rows: seq_data_lstm's stand-in rows;
# exact_feeds: the fed bytes are the same on both runtimes. Not sin_predict's: its data are
# np.sin of float32 values, and NumPy >= 1.22 computes float32 sin with SIMD code that differs
# from NumPy 1.18's (the legacy runtime's) by 1 ulp in 16% of the values (measured); the windows
# and their RandomState(42) order are the same, which the fingerprints check.
Case = namedtuple("Case", "name args rows column extra results data_rows recipe exact_feeds")
CASES = OrderedDict((c.name, c) for c in [
    Case("lstm_regression", ["--steps", "50"], 50, "cost", [], [], None, False, True),
    Case("sin_predict", ["--steps", "50"], 50, "loss", [], ["rmse"], None, False, False),
    Case("seq_data_lstm", ["--steps", "25"], 25, "loss", ["mean_loss"], ["prediction_rmse"], 113, False, True),
    Case("rnn_words", ["--steps", "50"], 50, "loss", ["accuracy"], [], None, True, True),
])


def case_argv(case, run_dir, work):
    """The run's argv (without --save-initial / --init-from); writes seq_data_lstm's data file
    into `work`."""
    argv = ["--seed", str(SEED), "--no-progress", "--out", str(run_dir)] + case.args
    if case.data_rows:
        from tf1_examples.data import seq_data

        argv += ["--data", str(seq_data.write(Path(work) / "seq_data.csv", rows=case.data_rows))]
    return argv


# --- what was fed --------------------------------------------------------------------------------

class FeedLog(object):
    """What a run fed: `sha256` over the exact bytes, and per fed array a fingerprint
    [call, name, shape, scale, sum, weighted sum] (weights 1 + index % 13, scale = the weighted
    sum of |x|) that tells the same data in the same order from other data, yet survives a
    1-ulp change (see sin_predict in Case)."""

    def __init__(self):
        self.calls = 0
        self.fingerprints = []
        self.in_callable = False
        self._sha = hashlib.sha256()

    def add(self, graph, pairs):
        """One session call's feeds: placeholders only (lstm_regression also feeds back the LSTM
        state, a model output, which is no batch), each as the placeholder's dtype."""
        fed = []
        for key, value in pairs:
            try:
                tensor = graph.as_graph_element(key) if isinstance(key, str) else key
            except (KeyError, ValueError, TypeError):
                continue
            op = getattr(tensor, "op", None)
            if op is not None and op.type in ("Placeholder", "PlaceholderV2"):
                fed.append((tensor.name, _array(value, tensor.dtype.as_numpy_dtype)))
        if fed:
            self.calls += 1
            for name, array in sorted(fed, key=lambda item: item[0]):
                _update(self._sha, name, array)
                self.fingerprints.append([self.calls - 1, name, list(array.shape)] + _fingerprint(array))

    def as_dict(self):
        return OrderedDict([("calls", self.calls), ("sha256", self._sha.hexdigest()),
                            ("fingerprints", self.fingerprints)])


def _fingerprint(array):
    import numpy as np

    x = array.astype(np.float64).ravel()
    w = 1.0 + np.arange(x.size) % 13
    return [float(np.dot(np.abs(x), w)), float(x.sum()), float(np.dot(x, w))]


def _array(value, dtype):
    import numpy as np

    return np.ascontiguousarray(np.asarray(value, dtype=dtype))


def _update(sha, name, array):
    sha.update(("%s %s %s\n" % (name, array.dtype.str, list(array.shape))).encode("utf-8"))
    sha.update(array.tobytes())


@contextlib.contextmanager
def recorded_feeds():
    """Within the block, every Session.run feed_dict and every make_callable call's arguments
    go into the yielded FeedLog (the same session class on TF 1.15 and under compat)."""
    from tensorflow.python.client import session as session_lib

    log = FeedLog()
    cls = session_lib.BaseSession
    real_run, real_make_callable = cls.run, cls.make_callable

    def run(self, fetches, feed_dict=None, *args, **kwargs):
        if feed_dict and not log.in_callable:
            log.add(self.graph, feed_dict.items())
        return real_run(self, fetches, feed_dict, *args, **kwargs)

    def make_callable(self, fetches, feed_list=None, *args, **kwargs):
        call = real_make_callable(self, fetches, feed_list, *args, **kwargs)
        if not feed_list:
            return call
        graph, feeds = self.graph, list(feed_list)

        def logged(*values, **options):
            log.add(graph, zip(feeds, values))
            log.in_callable = True      # a callable may go through Session.run: log its feeds once
            try:
                return call(*values, **options)
            finally:
                log.in_callable = False
        return logged

    cls.run, cls.make_callable = run, make_callable
    try:
        yield log
    finally:
        cls.run, cls.make_callable = real_run, real_make_callable


# --- checkpoints and rnn_words' recipe -----------------------------------------------------------

def checkpoint_values(prefix):
    """{name: numpy array} of a checkpoint, in name order."""
    import compat.v1 as tf

    reader = tf.train.load_checkpoint(str(prefix))
    names = sorted(reader.get_variable_to_shape_map())
    return OrderedDict((n, reader.get_tensor(n)) for n in names)


def values_sha256(values):
    sha = hashlib.sha256()
    for name in sorted(values):
        _update(sha, name, _array(values[name], values[name].dtype))
    return sha.hexdigest()


def recipe_values(variables, seed):
    """rnn_words' initial variables drawn by numpy: [(name, shape)] -> {name: float32 array}.
    In name order from np.random.RandomState(seed) (a stream fixed across NumPy versions), each
    from the distribution TensorFlow's own initialiser for it uses:
        */RMSProp     ones      RMSPropOptimizer's `rms` slot starts at 1
        */RMSProp_1   zeros     its `momentum` slot
        */bias        zeros     BasicLSTMCell's bias initializer
        */kernel      uniform(-a, a), a = sqrt(6 / (fan_in + fan_out))   get_variable's default,
                                glorot_uniform, which BasicLSTMCell's kernel gets
        Variable*     normal(0, 1)   the script's tf.random_normal weights and biases
    """
    import numpy as np

    rng = np.random.RandomState(seed)
    values = OrderedDict()
    for name, shape in sorted((n, tuple(s)) for n, s in variables):
        if name.endswith("/RMSProp"):
            value = np.ones(shape)
        elif name.endswith(("/RMSProp_1", "/bias")):
            value = np.zeros(shape)
        elif name.endswith("/kernel"):
            limit = _glorot_limit(shape)
            value = rng.uniform(-limit, limit, size=shape)
        elif name.startswith("Variable") and "/" not in name:
            value = rng.normal(0.0, 1.0, size=shape)
        else:
            raise ValueError("recipe_values: no rule for variable %r" % name)
        values[name] = value.astype(np.float32)
    return values


def _glorot_limit(shape):
    return (6.0 / (shape[0] + shape[1])) ** 0.5


def check_recipe(recipe, tf_values):
    """The recipe must stand in for TensorFlow's initialisation: the same variables and shapes,
    the constant ones equal, the random ones of the same kind and scale."""
    import numpy as np

    problems = []
    if list(recipe) != list(tf_values):
        problems.append("variables differ: %s vs %s" % (list(recipe), list(tf_values)))
    for name in set(recipe) & set(tf_values):
        ours, theirs = recipe[name], tf_values[name]
        if ours.shape != theirs.shape:
            problems.append("%s: shape %s vs TF %s" % (name, ours.shape, theirs.shape))
        elif np.all(theirs == theirs.flat[0]) or np.all(ours == ours.flat[0]):
            if not np.array_equal(ours, theirs):
                problems.append("%s: constant %s vs TF %s" % (name, ours.flat[0], theirs.flat[0]))
        elif name.endswith("/kernel"):      # ~1M values: they must fill the range, and no more
            limit = _glorot_limit(ours.shape)
            if not 0.999 * limit < float(np.abs(theirs).max()) <= limit:
                problems.append("%s: TF's values do not fill uniform(+-%.4f)" % (name, limit))
        else:       # normal(0, 1): mean and std within 4 standard errors
            n = theirs.size
            if abs(float(theirs.mean())) > 4 / n ** 0.5 or abs(float(theirs.std()) - 1) > 4 / (2 * n) ** 0.5:
                problems.append("%s: TF's mean %.3f, std %.3f are not normal(0, 1)'s" % (
                    name, theirs.mean(), theirs.std()))
    if problems:
        raise ValueError("the rnn_words recipe does not match TF's initial values: " + "; ".join(problems))


def write_checkpoint(values, prefix):
    """Save {name: array} as a checkpoint at `prefix` (the same code on both runtimes)."""
    import compat.v1 as tf

    with tf.Graph().as_default():
        variables, feed = OrderedDict(), {}
        for k, (name, value) in enumerate(values.items()):
            initial = tf.placeholder(tf.as_dtype(value.dtype), value.shape)
            variables[name] = tf.Variable(initial, name="v%d" % k)
            feed[initial] = value
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer(), feed)
            tf.train.Saver(variables).save(sess, str(prefix), write_meta_graph=False)
    return Path(str(prefix)).parent


# --- the golden runs ------------------------------------------------------------------------------

def logged(run, case):
    """{column: (steps, values)} of the first N_STEPS training steps' logged rows."""
    rows = run.metrics[:case.rows]
    return OrderedDict((c, ([r["step"] for r in rows], [r[c] for r in rows]))
                       for c in [case.column] + case.extra)


def run_golden(case, out, work):
    import numpy as np
    import tensorflow

    from tf1_examples.harness.cli import reproduce

    argv = case_argv(case, work / "run", work)
    if case.recipe:
        tf_init = reproduce(case.name, case_argv(case, work / "tf_init", work) + ["--steps", "1", "--save-initial"])
        tf_values = checkpoint_values(tf_init.dir / "initial" / "model.ckpt")
        values = recipe_values([(n, v.shape) for n, v in tf_values.items()], SEED)
        check_recipe(values, tf_values)
        extra = ["--init-from", str(write_checkpoint(values, work / "recipe" / "model.ckpt"))]
        initial = OrderedDict([("recipe", "tests/golden/generate.py recipe_values(variables, seed=%d)" % SEED),
                               ("variables", [[n, list(v.shape)] for n, v in values.items()]),
                               ("sha256", values_sha256(values))])
    else:
        extra = ["--save-initial"]
    with recorded_feeds() as feeds:
        run = reproduce(case.name, argv + extra)
    if not case.recipe:
        target = Path(out) / case.name / "initial"
        if target.exists():
            shutil.rmtree(str(target))
        target.mkdir(parents=True)
        for f in (run.dir / "initial").glob("model.ckpt.*"):
            if f.suffix == ".index" or ".data-" in f.name:    # no .meta (a graph) nor `checkpoint` (abs paths)
                shutil.copyfile(str(f), str(target / f.name))
        initial = OrderedDict([("checkpoint", "%s/initial/model.ckpt" % case.name),
                               ("sha256", values_sha256(checkpoint_values(target / "model.ckpt")))])
    columns = logged(run, case)
    steps, values = columns.pop(case.column)
    return OrderedDict([
        ("example", case.name),
        ("label", "TF %s golden%s" % (tensorflow.__version__,       # regress draws it with this label
                                      " (the stand-in's first %d rows)" % case.data_rows if case.data_rows else
                                      " (numpy-recipe initial values)" if case.recipe else "")),
        ("column", case.column), ("steps", steps), ("values", values),
        ("columns", OrderedDict((c, v) for c, (_, v) in columns.items())),
        ("results", OrderedDict((k, run.results[k]) for k in case.results)),
        ("seed", SEED),
        ("tensorflow", tensorflow.__version__), ("python", platform.python_version()),
        ("numpy", np.__version__),
        ("command", "python -m tf1_examples run %s %s" % (
            case.name, " ".join(a.replace(str(work) + os.sep, "") for a in argv + extra))),
        ("data", "seq_data.write('seq_data.csv', rows=%d): the stand-in's first rows" % case.data_rows
         if case.data_rows else None),
        ("initial", initial),
        ("feeds", feeds.as_dict()),
    ])


def generate(out, names=None):
    from compat.regress.report import write_text

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with open(os.devnull) as devnull:
        saved, sys.stdin = sys.stdin, devnull      # rnn_words asks for words only on a terminal
        try:
            for case in CASES.values():
                if names and case.name not in names:
                    continue
                work, started = Path(tempfile.mkdtemp(prefix="golden-%s-" % case.name)), time.time()
                try:
                    record = run_golden(case, out, work)
                finally:
                    shutil.rmtree(str(work), ignore_errors=True)
                write_text(out / (case.name + ".json"), "{\n%s\n}\n" % ",\n".join(   # a key a line
                    " %s: %s" % (json.dumps(k), json.dumps(v)) for k, v in record.items()))
                print("%s: %s.json, %d rows, %s %.6g -> %.6g, %.1f s" % (
                    PROG, case.name, len(record["values"]), case.column, record["values"][0],
                    record["values"][-1], time.time() - started))
        finally:
            sys.stdin = saved


def main(argv=None):
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    parser.add_argument("--out", metavar="DIR", default=str(HERE), help="where to write (default: %(default)s)")
    parser.add_argument("names", nargs="*", metavar="NAME", help="only these examples (default: all four)")
    opts = parser.parse_args(argv)
    unknown = [n for n in opts.names if n not in CASES]
    if unknown:
        sys.stderr.write("%s: error: unknown example %r; choose from %s\n" % (PROG, unknown[0], ", ".join(CASES)))
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow

    if not tensorflow.__version__.startswith("1."):
        sys.stderr.write("%s: error: the goldens come from TF 1.x, this is TF %s; run it with "
                         ".venv-tf1/bin/python (make goldens)\n" % (PROG, tensorflow.__version__))
        return 2
    # TF2_BEHAVIOR=1 inherited from a TF 2.x parent that imported TensorFlow without compat (which
    # puts the environment back) makes TF 1.15 eager, with other seeded values: refuse, not record
    if tensorflow.executing_eagerly():
        sys.stderr.write("%s: error: TF 1.15 runs eagerly here (TF2_BEHAVIOR=%s in the environment); "
                         "unset TF2_BEHAVIOR and run it again\n" % (PROG, os.environ.get("TF2_BEHAVIOR")))
        return 2
    generate(opts.out, opts.names)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
