"""One example's training step alone: per-step time of its graph, without the example's
per-step Python work (plotting, logging).

    python -m benchmarks.graph_step [--example lstm_regression|rnn_words] [--steps K] [--warmup W]
                                    [--threads INTRA,INTER] [--fetch example|train_cost|train]
                                    [--callable] [--seed S]

Builds the graph with the example's own code (tf1_examples.lstm_regression.LSTMRNN;
tf1_examples.rnn_words.RNN + its loss, optimizer and accuracy), so through compat on TF 2.x and
straight TF on TF 1.15; runs W warm-up steps (the first sess.run carries the graph optimisation),
then times K more steps. Prints one JSON line: per_step_ms (wall), cpu_per_step_ms (CPU time of
all threads, less disturbed by a busy machine), steps_per_s, warmup_s, build_s, import_s.

`python -m benchmarks` uses it for the S1 "graph only" row (defaults). The options are for
finding where time goes:
--fetch example    the example's fetches (S1: train_op, cost, final state, pred, merged summary;
                   S4: optimizer, accuracy, cost, pred)
--fetch train_cost train op and cost (S1: + the final state, which the next step feeds)
--fetch train      the train op only (S1: + the final state)
--callable         Session.make_callable (S4 always uses it, as the example does; S1's example uses
                   sess.run with a feed dict)
--threads          intra_op, inter_op thread-pool sizes (default: the example's; S1 1,1)
--xla on|off       XLA auto-clustering (tf1_examples.harness.session.session_config(xla=True)); default: as
                   the example's Session (S4 on TF 2.x: on; S1, and anything on TF 1.15: off)
--trace-compat N   after the timed steps, N more under a profile hook that counts the Python calls
                   made in compat/ (printed as compat_calls_per_step): the shim maps names while
                   the graph is built, and should not be in the training step at all
"""

import argparse
import json
import os
import sys
import time


def _s1(tf, args):
    from tf1_examples import lstm_regression as s1

    model = s1.LSTMRNN(s1.TIME_STEPS, s1.INPUT_SIZE, s1.OUTPUT_SIZE, s1.CELL_SIZE, s1.BATCH_SIZE)
    merged = tf.summary.merge_all()
    fetches = [model.train_op, model.cell_final_state]
    if args.fetch in ("example", "train_cost"):
        fetches.append(model.cost)
    if args.fetch == "example":
        fetches += [model.pred, merged]
    state_feed = [model.cell_init_state.c, model.cell_init_state.h]

    def prepare(sess):
        s1.BATCH_START = 0
        seq, res, _ = s1.get_batch()
        holder = {"state": sess.run(fetches, feed_dict={model.xs: seq, model.ys: res})[1]}
        call = (sess.make_callable(fetches, feed_list=[model.xs, model.ys] + state_feed)
                if args.callable else None)

        def step():
            seq, res, _ = s1.get_batch()
            state = holder["state"]
            if call is not None:
                holder["state"] = call(seq, res, state.c, state.h)[1]
            else:
                holder["state"] = sess.run(fetches, feed_dict={model.xs: seq, model.ys: res,
                                                               model.cell_init_state: state})[1]
        return step
    return prepare


def _s4(tf, args):
    import numpy as np

    from tf1_examples import rnn_words as s4
    from tf1_examples.data import BELLING_THE_CAT

    with open(str(BELLING_THE_CAT), encoding="utf-8") as f:
        words = [w for line in f for w in line.split()]
    dictionary, _ = s4.build_dataset(words)
    vocab_size, n_input = len(dictionary), s4.n_input
    encoded = np.array([dictionary[w] for w in words], dtype=np.float32)
    n_windows = len(words) - n_input
    batch_x = np.stack([encoded[o:o + n_input] for o in range(n_windows)]).reshape([n_windows, 1, n_input, 1])
    batch_y = np.zeros([n_windows, 1, vocab_size], dtype=np.float32)
    batch_y[np.arange(n_windows), 0, encoded[n_input:].astype(np.int64)] = 1.0

    x = tf.placeholder("float", [None, n_input, 1])
    y = tf.placeholder("float", [None, vocab_size])
    weights = {'out': tf.Variable(tf.random_normal([s4.n_hidden, vocab_size]))}
    biases = {'out': tf.Variable(tf.random_normal([vocab_size]))}
    pred = s4.RNN(x, weights, biases, layers=2)
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=pred, labels=y))
    optimizer = tf.train.RMSPropOptimizer(learning_rate=s4.learning_rate).minimize(cost)
    correct_pred = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
    fetches = {"example": [optimizer, accuracy, cost, pred], "train_cost": [optimizer, cost],
               "train": [optimizer]}[args.fetch]

    def prepare(sess):
        call = sess.make_callable(fetches, feed_list=[x, y])
        pos = {"offset": 0}

        def step():
            o = pos["offset"] = (pos["offset"] + n_input + 1) % n_windows
            call(batch_x[o], batch_y[o])
        step()
        return step
    return prepare


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.graph_step")
    p.add_argument("--example", choices=("lstm_regression", "rnn_words"), default="lstm_regression")
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--threads", default=None, metavar="INTRA,INTER")
    p.add_argument("--fetch", choices=("example", "train_cost", "train"), default="example")
    p.add_argument("--callable", action="store_true")
    p.add_argument("--xla", choices=("on", "off"), default=None,
                   help="XLA auto-clustering (default: as the example's own Session)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--trace-compat", type=int, default=0, metavar="N",
                   help="then N steps counting the Python calls made in compat/ (see the docstring)")
    args = p.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("MPLBACKEND", "Agg")

    t0 = time.perf_counter()
    import numpy as np

    import compat.v1 as tf
    from tf1_examples.harness.session import session_config

    import_s = time.perf_counter() - t0
    np.random.seed(args.seed)
    t1 = time.perf_counter()
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(args.seed)
        prepare = (_s1 if args.example == "lstm_regression" else _s4)(tf, args)
        # the example's own config (rnn_words: XLA on TF 2.x; lstm_regression: one thread), unless
        # --xla / --threads say otherwise
        xla = (args.example == "rnn_words") if args.xla is None else args.xla == "on"
        config = session_config(tf, xla=xla, one_thread=args.example == "lstm_regression")
        if args.threads:
            config = config or tf.ConfigProto()
            intra, inter = (int(n) for n in args.threads.split(","))
            config.intra_op_parallelism_threads, config.inter_op_parallelism_threads = intra, inter
        sess = tf.Session(config=config)
        sess.run(tf.global_variables_initializer())
        graph.finalize()
    build_s = time.perf_counter() - t1

    tw = time.perf_counter()
    step = prepare(sess)                 # includes the first step (graph optimisation)
    for _ in range(max(0, args.warmup - 1)):
        step()
    warmup_s = time.perf_counter() - tw
    ts, cs = time.perf_counter(), time.process_time()
    for _ in range(args.steps):
        step()
    loop_s, cpu_s = time.perf_counter() - ts, time.process_time() - cs
    compat_calls = _count_compat_calls(step, args.trace_compat) if args.trace_compat else None
    sess.close()
    print(json.dumps({
        "example": args.example, "tensorflow": tf.__version__, "python": "%d.%d.%d" % sys.version_info[:3],
        "steps": args.steps, "warmup_steps": args.warmup, "threads": args.threads, "fetch": args.fetch,
        "xla": bool(config is not None and config.graph_options.optimizer_options.global_jit_level > 0),
        "callable": args.callable or args.example == "rnn_words", "import_s": round(import_s, 4),
        "build_s": round(build_s, 4), "warmup_s": round(warmup_s, 4), "loop_s": round(loop_s, 4),
        "per_step_ms": round(1000.0 * loop_s / args.steps, 4),
        "cpu_per_step_ms": round(1000.0 * cpu_s / args.steps, 4),
        "steps_per_s": round(args.steps / loop_s, 3),
        "compat_calls_per_step": None if compat_calls is None else compat_calls / args.trace_compat}))
    return 0


def _count_compat_calls(step, steps):
    """Python calls into compat/ (any thread) during `steps` training steps."""
    import threading

    import compat

    root = os.path.dirname(os.path.abspath(compat.__file__)) + os.sep
    calls = [0]

    def hook(frame, event, arg):
        if event == "call" and frame.f_code.co_filename.startswith(root):
            calls[0] += 1

    threading.setprofile(hook)
    sys.setprofile(hook)
    try:
        for _ in range(steps):
            step()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
    return calls[0]


if __name__ == "__main__":
    sys.exit(main())
