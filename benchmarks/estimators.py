"""Estimator.train steps/s, through compat on TF 2.x against TF 1.15, side by side.

    python -m benchmarks.estimators --row NAME [--steps K] [--warmup W] [--bert-dir DIR]   (one child)

Rows: `sin_predict`, the examples' S2 model (tf1_examples/sin_predict.py's lstm_model, batch 32)
in tf.contrib.learn's Estimator via SKCompat.fit, as the example trains it; `bert_tiny`, BERT's
own pre-training model_fn (google-research/bert's run_pretraining.model_fn_builder, a 2-layer
hidden-32 config, sequences of 32 with 5 masked positions, batch 8) in tf.contrib.tpu's
TPUEstimator(use_tpu=False), fed synthetic token ids. BERT's code is not part of this project:
the row needs a checkout of it (--bert-dir, or $BERT_DIR) and reports an error without one.

One train() call runs W + K steps; a hook stamps every step (wall and CPU time), and steps/s and
CPU ms per step are over the last K (graph building, session start-up and checkpoint saving at the
end are outside them; train_s is the whole call). The parent (`measure`, for `python -m
benchmarks --estimators`) alternates runtimes repeat by repeat through suite.measure_row_group,
as cells.py does, so its entries have cells' shape (suite.row_entry): modern / legacy
is the median of the repeats' own ratios.
"""

import argparse
import collections
import json
import os
import shutil
import sys
import tempfile
import time

from benchmarks.suite import measure_row_group

Row = collections.namedtuple("Row", "name symbol what build")   # the shape of cells.Row
STEPS, WARMUP = 100, 10
CHILD_TIMEOUT_S = 900
BERT_CONFIG = {"attention_probs_dropout_prob": 0.1, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
               "hidden_size": 32, "initializer_range": 0.02, "intermediate_size": 64, "max_position_embeddings": 64,
               "num_attention_heads": 2, "num_hidden_layers": 2, "type_vocab_size": 2, "vocab_size": 500}
BERT_SEQ, BERT_MASKED, BERT_BATCH = 32, 5, 8


def _step_stamps(tf):
    class StepStamps(tf.train.SessionRunHook):
        """Wall and CPU time (this process, all threads) at the end of every step."""

        def __init__(self):
            self.times, self.cpu_times = [], []

        def after_run(self, run_context, run_values):
            self.times.append(time.perf_counter())
            self.cpu_times.append(time.process_time())
    return StepStamps()


def sin_predict(tf, model_dir, total_steps, stamps, bert_dir):
    """SKCompat(learn.Estimator(lstm_model)).fit, batch 32, as tf1_examples/sin_predict.py trains."""
    import numpy as np
    from tf1_examples import sin_predict as s2

    seq = np.sin(np.linspace(0, s2.TRAINING_EXAMPLES * s2.SAMPLE_GAP, s2.TRAINING_EXAMPLES, dtype=np.float32))
    x, y = s2.generate_data(seq)
    estimator = tf.contrib.learn.SKCompat(tf.contrib.learn.Estimator(
        model_fn=s2.lstm_model, model_dir=model_dir, config=tf.contrib.learn.RunConfig(tf_random_seed=1)))
    estimator.fit(x, y, batch_size=s2.BATCH_SIZE, steps=total_steps, monitors=[stamps])


def bert_checkout(bert_dir):
    """True when bert_dir holds google-research/bert's run_pretraining.py (what bert_tiny imports)."""
    return bool(bert_dir) and os.path.isfile(os.path.join(bert_dir, "run_pretraining.py"))


def bert_tiny(tf, model_dir, total_steps, stamps, bert_dir):
    """BERT's pre-training model_fn in TPUEstimator(use_tpu=False) on synthetic ids."""
    import numpy as np

    import compat

    if not bert_checkout(bert_dir):
        raise SystemExit(BERT_MISSING)
    compat.install()              # BERT's own modules `import tensorflow as tf`
    sys.path.insert(0, bert_dir)
    import modeling
    import run_pretraining

    config = modeling.BertConfig.from_dict(BERT_CONFIG)
    rng = np.random.RandomState(0)
    n = 4 * BERT_BATCH
    features = {
        "input_ids": rng.randint(5, BERT_CONFIG["vocab_size"], (n, BERT_SEQ)).astype(np.int32),
        "input_mask": np.ones((n, BERT_SEQ), np.int32),
        "segment_ids": (np.arange(BERT_SEQ) >= BERT_SEQ // 2).astype(np.int32)[None].repeat(n, 0),
        "masked_lm_positions": rng.randint(1, BERT_SEQ, (n, BERT_MASKED)).astype(np.int32),
        "masked_lm_ids": rng.randint(5, BERT_CONFIG["vocab_size"], (n, BERT_MASKED)).astype(np.int32),
        "masked_lm_weights": np.ones((n, BERT_MASKED), np.float32),
        "next_sentence_labels": rng.randint(0, 2, (n, 1)).astype(np.int32)}

    def input_fn(params):
        return tf.data.Dataset.from_tensor_slices(features).repeat().batch(params["batch_size"], drop_remainder=True)

    model_fn = run_pretraining.model_fn_builder(config, None, 1e-4, total_steps, 2, False, False)
    run_config = tf.contrib.tpu.RunConfig(model_dir=model_dir, tf_random_seed=1, save_checkpoints_steps=10 ** 6,
                                          tpu_config=tf.contrib.tpu.TPUConfig(iterations_per_loop=10))
    estimator = tf.contrib.tpu.TPUEstimator(model_fn=model_fn, config=run_config, use_tpu=False,
                                            train_batch_size=BERT_BATCH)
    estimator.train(input_fn, hooks=[stamps], max_steps=total_steps)


ROWS = (
    Row("sin_predict", "tf.contrib.learn.Estimator",
        "S2: sin_predict's lstm_model (2 x BasicLSTMCell(30), Adagrad), batch 32, SKCompat.fit", sin_predict),
    Row("bert_tiny", "tf.contrib.tpu.TPUEstimator(use_tpu=False)",
        "BERT pre-training model_fn, 2 layers x hidden 32, seq 32, batch 8 (synthetic ids)", bert_tiny),
)
ROW_NAMES = tuple(row.name for row in ROWS)
NEEDS_BERT = ("bert_tiny",)
BERT_NEEDED = "bert_tiny needs a google-research/bert checkout"
BERT_MISSING = BERT_NEEDED + ": --bert-dir DIR or $BERT_DIR"


def row_named(name):
    for row in ROWS:
        if row.name == name:
            return row
    raise KeyError("no estimator row %r; rows: %s" % (name, ", ".join(ROW_NAMES)))


def run_row(name, steps=STEPS, warmup=WARMUP, bert_dir=None):
    """Train row `name` warmup + steps steps in a fresh model_dir: the result dict."""
    t0 = time.perf_counter()
    import compat.v1 as tf

    import_s = time.perf_counter() - t0
    row = row_named(name)
    model_dir = tempfile.mkdtemp(prefix="bench-estimator-")
    stamps = _step_stamps(tf)
    try:
        t1 = time.perf_counter()
        row.build(tf, model_dir, warmup + steps, stamps, bert_dir)
        train_s = time.perf_counter() - t1
    finally:
        shutil.rmtree(model_dir, ignore_errors=True)
    times, cpu_times = stamps.times, stamps.cpu_times
    if len(times) != warmup + steps:
        raise RuntimeError("%s ran %d steps, not %d" % (name, len(times), warmup + steps))
    loop_s, cpu_s = times[-1] - times[warmup - 1], cpu_times[-1] - cpu_times[warmup - 1]
    return {"row": name, "tensorflow": tf.__version__, "python": "%d.%d.%d" % sys.version_info[:3],
            "steps": steps, "warmup_steps": warmup, "import_s": round(import_s, 4), "train_s": round(train_s, 4),
            "loop_s": round(loop_s, 4), "per_step_ms": round(1000.0 * loop_s / steps, 4),
            "cpu_per_step_ms": round(1000.0 * cpu_s / steps, 4), "steps_per_s": round(steps / loop_s, 3)}


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.estimators")
    p.add_argument("--row", choices=ROW_NAMES, required=True)
    p.add_argument("--steps", type=int, default=STEPS)
    p.add_argument("--warmup", type=int, default=WARMUP)
    p.add_argument("--bert-dir", default=os.environ.get("BERT_DIR"))
    args = p.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    print(json.dumps(run_row(args.row, args.steps, args.warmup, args.bert_dir)))
    sys.stdout.flush()
    return 0


def measure(ctx, names, repeats, steps=STEPS, warmup=WARMUP, bert_dir=None):
    """{row name: entry}: each row's children (`python -m benchmarks.estimators`) under ctx
    (benchmarks/suite.py's Context), runtimes alternating; entries as cells.measure's (suite.measure_row_group)."""
    return measure_row_group(ctx, "benchmarks.estimators", [row_named(n) for n in names], repeats, steps, warmup,
                             CHILD_TIMEOUT_S, "estim", "estimator row", ["--bert-dir", bert_dir] if bert_dir else [])


if __name__ == "__main__":
    sys.exit(main())
