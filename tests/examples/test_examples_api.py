"""The reproductions called from Python (`tf1_examples.harness.cli.reproduce(NAME, argv)`), with tiny runs:
seeded reruns repeat exactly, --resume continues, --save-initial, rnn_words' prompt handling,
and the registry. In-process, so TensorFlow is imported once for all of them.
"""

import importlib
import json

import pytest

from tf1_examples import registry
from tf1_examples.harness.cli import reproduce
from tf1_examples.harness.errors import UsageError
from tf1_examples.harness.metrics_csv import read_metrics
from tf1_examples.harness.session import session_config
from tf1_examples.data import seq_data

EXAMPLES = ("lstm_regression", "sin_predict", "seq_data_lstm", "rnn_words")


@pytest.fixture(scope="module")
def small_series(tmp_path_factory):
    """A 130-row stand-in: 32 windows, 4 batches an epoch - seconds instead of minutes."""
    return seq_data.write(tmp_path_factory.mktemp("seq") / "small.csv", rows=130)


def _module(name):
    return importlib.import_module("tf1_examples." + name)


@pytest.mark.parametrize("name, extra", [
    ("lstm_regression", ["--steps", "6"]),
    ("sin_predict", ["--steps", "5"]),
    ("seq_data_lstm", ["--steps", "2"]),
    ("rnn_words", ["--steps", "40", "--prompt", "had a general"]),
])
def test_seeded_reruns_repeat_exactly(tmp_path, capsys, small_series, name, extra):
    if name == "seq_data_lstm":
        extra = extra + ["--data", str(small_series)]
    outputs = []
    for k in range(2):
        run = reproduce(name, extra + ["--seed", "123", "--out", str(tmp_path / str(k)), "--no-progress"])
        stdout = capsys.readouterr().out
        stdout = "\n".join(l for l in stdout.splitlines() if not l.startswith(("Elapsed time", "\ttensorboard")))
        outputs.append((run.metrics, run.results, stdout))
        record = json.loads((run.dir / "run.json").read_text())
        assert record["seed"] == 123
    assert outputs[0][0] == outputs[1][0]          # every logged figure, every step
    assert outputs[0][1] == outputs[1][1]
    assert outputs[0][2] == outputs[1][2]          # the printed log


def test_resume_continues(tmp_path, capsys):
    out = str(tmp_path / "run")
    first = reproduce("lstm_regression", ["--steps", "3", "--out", out, "--no-progress", "--save-initial"])
    assert [r["step"] for r in first.metrics] == [0, 1, 2]
    assert (first.dir / "initial" / "model.ckpt.index").is_file()
    resumed = reproduce("lstm_regression", ["--steps", "2", "--out", out, "--no-progress", "--resume"])
    assert [r["step"] for r in resumed.metrics] == [0, 1, 2, 3, 4]
    assert resumed.metrics[:3] == first.metrics
    record = json.loads((resumed.dir / "run.json").read_text())
    assert record["resumed"] is True and len(record["previous_runs"]) == 1
    assert read_metrics(resumed.dir / "metrics.csv") == resumed.metrics
    # a fresh run into the same folder replaces it (its checkpoint is not silently continued)
    fresh = reproduce("lstm_regression", ["--steps", "2", "--out", out, "--no-progress"])
    assert [r["step"] for r in fresh.metrics] == [0, 1]
    assert not (fresh.dir / "initial").exists()
    assert json.loads((fresh.dir / "run.json").read_text())["resumed"] is False

    # a checkpoint that does not fit the graph (here: another shape) is bad input, not a crash
    import compat.v1 as tf

    with tf.Graph().as_default():
        with tf.variable_scope("in_hidden"):
            tf.get_variable("weights", shape=[3, 7])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver().save(sess, str(fresh.dir / "checkpoints" / "model.ckpt"))
    with pytest.raises(UsageError, match="does not fit this model"):
        reproduce("lstm_regression", ["--steps", "1", "--out", out, "--no-progress", "--resume"])


def test_rnn_words_prompt_interactive(tmp_path, capsys, monkeypatch):
    """On a terminal: ask for 3 words until end of input; a wrong count asks again, an unknown
    word prints "Word not in dictionary", EOF ends the run normally."""
    from tf1_examples import rnn_words

    answers = iter(["had a", "had a unicorn", "had a general"])

    def fake_input(prompt):
        assert prompt == "3 words: "
        try:
            return next(answers)
        except StopIteration:
            raise EOFError

    class Terminal(object):
        def isatty(self):
            return True

    monkeypatch.setattr(rnn_words, "input", fake_input, raising=False)
    monkeypatch.setattr(rnn_words.sys, "stdin", Terminal())
    run = reproduce("rnn_words", ["--steps", "3", "--out", str(tmp_path / "r"), "--no-progress", "--layers", "1"])
    out = capsys.readouterr().out.splitlines()
    assert "Word not in dictionary" in out
    generated = [l for l in out if l.startswith("had a general ")]
    assert len(generated) == 1 and len(generated[0].split(" ")) == 3 + 32
    assert run.results["generated"] is None and run.hparams["layers"] == 1


def test_registry_constants_match_the_examples():
    """The registry's copies of what the examples define (the input checks run before they load)."""
    assert registry.SEQ_TIME_STEP == _module("seq_data_lstm").time_step
    assert registry.SEQ_BATCH_SIZE == _module("seq_data_lstm").batch_size
    assert registry.WORDS_N_INPUT == _module("rnn_words").n_input
    original_length = {"lstm_regression": "TRAINING_STEPS", "sin_predict": "TRAINING_STEPS",
                       "seq_data_lstm": "EPOCHS", "rnn_words": "training_iters"}
    for e in registry.EXAMPLES:
        assert e.steps[0] == getattr(_module(e.name), original_length[e.name])


def test_registry():
    """One record per example, in S1..S4 order; each example module has train(run) and a short
    docstring that names its original, its source and its exact command, and links its
    deviations' reasons; each published figure names a column, a source and a rule."""
    assert [e.name for e in registry.EXAMPLES] == list(EXAMPLES)
    assert [e.code for e in registry.EXAMPLES] == ["S1", "S2", "S3", "S4"]
    for e in registry.EXAMPLES:
        module = importlib.import_module(e.module)
        assert callable(module.train)
        doc = module.__doc__.strip().splitlines()
        assert len(doc) <= 25, e.name
        assert "python -m tf1_examples run %s" % e.name in module.__doc__
        assert "docs/deviations.md#%s" % e.name in module.__doc__
        for figure in e.published:
            assert figure.column and figure.source and isinstance(figure.value, float)
            assert figure.rule[0] in ("band", "range", "ratio", "at_least")
    assert registry.BY_NAME["seq_data_lstm"].published == ()


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_seq_data_lstm_reads_excel(tmp_path, capsys, suffix):
    """--data end to end with the Excel formats (the .csv one runs in the seeded test above)."""
    if suffix == ".xls":
        pytest.importorskip("xlwt", reason="writing the .xls fixture needs xlwt (requirements: xlwt==1.3.0)")
    from tf1_examples import seq_data_lstm

    data = seq_data.write(tmp_path / ("small" + suffix), rows=125)
    run = reproduce("seq_data_lstm", ["--steps", "1", "--data", str(data), "--out", str(tmp_path / "r"), "--no-progress"])
    assert run.hparams["data"] == str(data)
    assert run.hparams["rows_used"] == 124 and run.hparams["windows"] == 124 - 96 - 1
    assert "Number of iterations: 0  loss:" in capsys.readouterr().out


def test_session_configs():
    """lstm_regression's Session: one intra-op and one inter-op thread (its docstring says why);
    rnn_words': XLA auto-clustering on TF 2.x only; the others: TensorFlow's defaults (None)."""
    import compat.v1 as tf

    tf2 = not tf.__version__.startswith("1.")
    assert session_config(tf) is None
    one = session_config(tf, one_thread=True)
    assert (one.intra_op_parallelism_threads, one.inter_op_parallelism_threads) == (1, 1)
    assert one.graph_options.optimizer_options.global_jit_level == 0           # DEFAULT: no XLA
    xla = session_config(tf, xla=True)
    assert (xla is not None) == tf2
    if tf2:
        assert xla.graph_options.optimizer_options.global_jit_level == tf.OptimizerOptions.ON_1
        assert xla.intra_op_parallelism_threads == 0                             # TensorFlow's pool
        both = session_config(tf, xla=True, one_thread=True)
        assert both.intra_op_parallelism_threads == 1 and both.graph_options.optimizer_options.cpu_global_jit
