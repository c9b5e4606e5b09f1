"""compat's own symbols, timed: one training step of a small model built around each, through
compat on TF 2.x against TF 1.15's tf.contrib, side by side.

    python -m benchmarks.cells --row NAME [--steps K] [--warmup W]     (one child: a JSON line)

A row is data (ROWS): the TF 1.x symbol it times, what the model is, and a builder that makes
the graph with `import compat.v1 as tf` (so the same code is compat on TF 2.x and TF 1.15's own
contrib on TF 1.15) and returns its training fetches and feeds. A new row (seq2seq decoding, crf
...) is one builder and one Row. The child builds the graph, runs W warm-up steps (the first
carries the graph optimisation), times K more (Session.make_callable, TensorFlow's default
thread pools), and prints per_step_ms, cpu_per_step_ms, steps_per_s and how many of each fused
kernel op the graph holds (KERNEL_OPS): the same counts on both runtimes show the same kernels
run. `measure` (the parent, `python -m benchmarks`) alternates runtimes row by row and repeat by
repeat; modern / legacy is the median of the repeats' own ratios. No target: these rows say
what a user of the symbol gets, the examples' rows carry the speed targets.
"""

import argparse
import collections
import json
import os
import sys
import time

from benchmarks.suite import measure_row_group

Row = collections.namedtuple("Row", "name symbol what build")

# PTB "small" sizes (tensorflow/models tutorials/rnn/ptb): batch 20, 20 steps, 200 units.
BATCH, TIME, INPUT, UNITS = 20, 20, 200, 200
STEPS, WARMUP = 200, 10
CHILD_TIMEOUT_S = 900
KERNEL_OPS = ("LSTMBlockCell", "LSTMBlockCellGrad", "BlockLSTM", "BlockLSTMGrad", "GRUBlockCell",
              "GRUBlockCellGrad")


def _sequence_model(tf, run_rnn, time_major=False):
    """Random inputs fed each step -> run_rnn(inputs) -> squared error to a fed target, plain SGD.
    Returns (fetches, feed_list, feeds): what a step runs, and the arrays it is fed."""
    import numpy as np

    shape = [TIME, BATCH, INPUT] if time_major else [BATCH, TIME, INPUT]
    inputs = tf.placeholder(tf.float32, shape)
    outputs = run_rnn(inputs)
    targets = tf.placeholder(tf.float32, outputs.shape)
    loss = tf.reduce_mean(tf.square(outputs - targets))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    rng = np.random.RandomState(0)
    feeds = [rng.randn(*shape).astype(np.float32), rng.randn(*outputs.shape.as_list()).astype(np.float32)]
    return [train, loss], [inputs, targets], feeds


def lstm_block_cell(tf):
    cell = tf.contrib.rnn.LSTMBlockCell(UNITS)
    return _sequence_model(tf, lambda x: tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)[0])


def lstm_block_fused_cell(tf):
    cell = tf.contrib.rnn.LSTMBlockFusedCell(UNITS)
    return _sequence_model(tf, lambda x: cell(x, dtype=tf.float32)[0], time_major=True)


def gru_block_cell_v2(tf):
    cell = tf.contrib.rnn.GRUBlockCellV2(UNITS)
    return _sequence_model(tf, lambda x: tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)[0])


def _seq2seq_parts(tf):
    """tests/parity_cases/seq2seq_decoders.py's model: embedding, LSTM encoder, decoder cell, Dense
    output layer (batch 2, source 5, target 4, vocab 8, embedding 4, 6 units)."""
    import numpy as np

    rng = np.random.RandomState(0)
    source = tf.constant(rng.randint(2, 8, (2, 5)).astype(np.int32))
    embedding = tf.get_variable("embedding", [8, 4])
    with tf.variable_scope("encoder"):
        _, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(6), tf.nn.embedding_lookup(embedding, source),
                                     dtype=tf.float32)
    return embedding, state, tf.nn.rnn_cell.BasicLSTMCell(6), tf.layers.Dense(8, use_bias=False), rng


def seq2seq_train(tf):
    import numpy as np

    s2s = tf.contrib.seq2seq
    embedding, state, cell, projection, rng = _seq2seq_parts(tf)
    targets = tf.constant(rng.randint(2, 8, (2, 4)).astype(np.int32))
    helper = s2s.TrainingHelper(tf.nn.embedding_lookup(embedding, targets), [4, 3])
    outputs, _, _ = s2s.dynamic_decode(s2s.BasicDecoder(cell, helper, state, output_layer=projection))
    loss = s2s.sequence_loss(outputs.rnn_output, targets, tf.sequence_mask([4, 3], 4, dtype=tf.float32))
    return [tf.train.AdamOptimizer(0.01).minimize(loss), loss], [], []


def seq2seq_beam_search(tf):
    s2s = tf.contrib.seq2seq
    embedding, state, cell, projection, _ = _seq2seq_parts(tf)
    decoder = s2s.BeamSearchDecoder(cell, embedding, tf.fill([2], 1), 0, s2s.tile_batch(state, 3), 3,
                                    output_layer=projection, length_penalty_weight=0.5)
    outputs, _, _ = s2s.dynamic_decode(decoder, maximum_iterations=7)
    return [outputs.predicted_ids], [], []


def crf_train_decode(tf):
    """A CRF layer on fed unary scores (batch 20 x 20 steps x 10 tags): crf_log_likelihood (its own
    transitions) and crf_decode, one SGD step on the negative log-likelihood."""
    import numpy as np

    rng = np.random.RandomState(0)
    scores = tf.placeholder(tf.float32, [BATCH, TIME, 10])
    tags = tf.constant(rng.randint(0, 10, (BATCH, TIME)).astype(np.int32))
    lengths = tf.constant(rng.randint(1, TIME + 1, BATCH).astype(np.int32))
    unary = tf.layers.dense(scores, 10)
    log_likelihood, transitions = tf.contrib.crf.crf_log_likelihood(unary, tags, lengths)
    decoded, _ = tf.contrib.crf.crf_decode(unary, transitions, lengths)
    loss = tf.reduce_mean(-log_likelihood)
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    return [train, loss, decoded], [scores], [rng.randn(BATCH, TIME, 10).astype(np.float32)]


def data_bucket_pipeline(tf):
    """tf.contrib.data.bucket_by_sequence_length over an endless stream of int sequences of
    lengths 1..40 (boundaries 10, 20, 30; batch 20): one step reads one padded batch."""
    lengths = tf.data.Dataset.range(1, 41).repeat()
    sequences = lengths.map(lambda n: tf.range(n))
    batches = sequences.apply(tf.contrib.data.bucket_by_sequence_length(
        lambda s: tf.shape(s)[0], [10, 20, 30], [BATCH] * 4))
    return [tf.data.make_one_shot_iterator(batches).get_next()], [], []


_SEQUENCE = "dynamic_rnn, batch %d x %d steps x %d inputs, %d units, SGD on squared error" % (
    BATCH, TIME, INPUT, UNITS)
ROWS = (
    Row("LSTMBlockCell", "tf.contrib.rnn.LSTMBlockCell", _SEQUENCE, lstm_block_cell),
    Row("LSTMBlockFusedCell", "tf.contrib.rnn.LSTMBlockFusedCell",
        _SEQUENCE.replace("dynamic_rnn", "one BlockLSTM op, time-major"), lstm_block_fused_cell),
    Row("GRUBlockCellV2", "tf.contrib.rnn.GRUBlockCellV2", _SEQUENCE, gru_block_cell_v2),
    Row("seq2seq_train", "tf.contrib.seq2seq.BasicDecoder", "the seq2seq_decoders parity model: TrainingHelper, "
        "dynamic_decode, sequence_loss, one Adam step", seq2seq_train),
    Row("seq2seq_beam", "tf.contrib.seq2seq.BeamSearchDecoder", "the seq2seq_decoders parity model decoded: beam "
        "width 3, length_penalty_weight 0.5, 7 steps (no training)", seq2seq_beam_search),
    Row("crf", "tf.contrib.crf.crf_log_likelihood", "dense scores -> crf_log_likelihood + crf_decode, batch %d x %d "
        "steps x 10 tags, one SGD step" % (BATCH, TIME), crf_train_decode),
    Row("data_bucket", "tf.contrib.data.bucket_by_sequence_length", "one padded batch of %d from 4 length buckets "
        "(no training)" % BATCH, data_bucket_pipeline),
)
ROW_NAMES = tuple(row.name for row in ROWS)


def row_named(name):
    for row in ROWS:
        if row.name == name:
            return row
    raise KeyError("no benchmark row %r; rows: %s" % (name, ", ".join(ROW_NAMES)))


# --- the child: one row on this interpreter's TensorFlow ---------------------------------------

def run_row(name, steps=STEPS, warmup=WARMUP, seed=1):
    """Build row `name`'s graph, warm up, time `steps` training steps: the result dict."""
    t0 = time.perf_counter()
    import compat.v1 as tf

    import_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(seed)
        fetches, feed_list, feeds = row_named(name).build(tf)
        op_types = collections.Counter(op.type for op in graph.get_operations())
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        graph.finalize()
        step = sess.make_callable(fetches, feed_list=feed_list)
    build_s = time.perf_counter() - t1
    tw = time.perf_counter()
    for _ in range(warmup):
        step(*feeds)
    warmup_s = time.perf_counter() - tw
    ts, cs = time.perf_counter(), time.process_time()
    for _ in range(steps):
        step(*feeds)
    loop_s, cpu_s = time.perf_counter() - ts, time.process_time() - cs
    sess.close()
    return {
        "row": name, "tensorflow": tf.__version__, "python": "%d.%d.%d" % sys.version_info[:3],
        "steps": steps, "warmup_steps": warmup, "import_s": round(import_s, 4), "build_s": round(build_s, 4),
        "warmup_s": round(warmup_s, 4), "loop_s": round(loop_s, 4),
        "per_step_ms": round(1000.0 * loop_s / steps, 4), "cpu_per_step_ms": round(1000.0 * cpu_s / steps, 4),
        "steps_per_s": round(steps / loop_s, 3),
        "kernel_ops": {op: op_types[op] for op in KERNEL_OPS if op_types[op]},
    }


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.cells")
    p.add_argument("--row", choices=ROW_NAMES, required=True)
    p.add_argument("--steps", type=int, default=STEPS)
    p.add_argument("--warmup", type=int, default=WARMUP)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    print(json.dumps(run_row(args.row, args.steps, args.warmup, args.seed)))
    sys.stdout.flush()
    return 0


# --- the parent: rows x runtimes x repeats -----------------------------------------------------

def measure(ctx, names, repeats, steps=STEPS, warmup=WARMUP):
    """{row name: entry} for the named rows, each child `python -m benchmarks.cells` run under
    ctx (benchmarks/suite.py's Context), runtimes alternating (suite.measure_row_group)."""
    return measure_row_group(ctx, "benchmarks.cells", [row_named(n) for n in names], repeats, steps, warmup,
                             CHILD_TIMEOUT_S, "cells", "row")


if __name__ == "__main__":
    sys.exit(main())
