"""
Title: Next-word prediction with a 2-layer LSTM over static_rnn ("Belling the Cat")
Original author: Rowel Atienza, rnn_words.py (roatienza/Deep-Learning-Experiments, 2017), as
    taught in Edureka's RNN tutorial
Source: https://github.com/roatienza/Deep-Learning-Experiments/blob/master/Experiments/Tensorflow/RNN/rnn_words.py
Published figure: "Average Accuracy= 95.20% at 50k iter" (2 layers), 90.60% (1 layer), from the
    code's comments; the article's log ends `Iter= 50000, Average Loss= 0.415811, Average
    Accuracy= 91.20%` (unseeded)
Run: python -m tf1_examples run rnn_words [--layers 1] [--prompt "had a general"] [--seed S]

What it shows: a word-level language model on a 204-word fable (112 distinct symbols). Each word
is its dictionary index (most frequent first) fed as one float; three words go through a
MultiRNNCell of two BasicLSTMCell(512) unrolled by tf.contrib.rnn.static_rnn over tf.split of
the input, and a softmax over the vocabulary predicts the fourth. Training is 50 000 RMSProp
steps on batches of one window, sliding by four words and restarting at a random offset at the
end of the text. Afterwards the model continues a 3-word prompt for 32 words.

Deviations, each for a reason:
- The corpus (Story.txt = Aesop's "Belling the Cat", public domain) ships as
  tf1_examples/data/belling_the_cat.txt; --corpus chooses another. The original's read_data only
  flattens a one-line file (np.array of unequal lines is an array of lists); here every line's
  words are joined, which gives the same list for the one-line story.
- Speed (the original builds each batch with dictionary look-ups and np.zeros, and adds a
  tf.argmax op to the graph at every display step, so the graph grows while it trains): the
  input windows and one-hot targets are built once as numpy arrays and indexed per step, the
  step runs through Session.make_callable with the original's fetches [optimizer, accuracy,
  cost, pred] (one callable: with XLA, a second fetch list would be compiled again, ~4 s), the
  argmax is numpy's, and the graph is finalized before the loop. Same ops, same batches, same
  printed lines.
- On TF 2.x, a run of XLA_MIN_ITERS = 200 iterations or more compiles the step with XLA
  (run.session_config(tf, xla=True): CPU auto-clustering): the same ops fused into fewer
  kernels, so the ~8 MB weight gradients are no longer written and re-read three times per
  iteration. Measured on 2 cores: 33 -> 13 ms of CPU per iteration (benchmarks/graph_step.py),
  for ~4 s of compiling at the first iteration; the logged figures equal to ~1e-7 relative.
  Shorter runs (most tests), where it would not pay back, skip it; so does TF 1.15, where XLA
  made the step slower.
- The 3-word prompt is interactive when stdin is a terminal, else taken from --prompt, which
  generates once (no prompt and no terminal: no generation). End of input (or Ctrl-C) ends it
  with status 0 (the original crashes with EOFError), and only an unknown word prints "Word not
  in dictionary" (the original's bare except would also swallow Ctrl-C). A --prompt of the wrong
  length or with an unknown word is refused before training, not after 50 000 iterations.
- A corpus needs at least 2 * (n_input + 1) = 8 words: the original's restart offset can be up to
  n_input + 1, and a shorter text makes it index past the end.
- logs_path ('/tmp/tensorflow/rnn_words') is <run>/tmp/tensorflow/rnn_words, with the graph as in
  the original plus the displayed averages as scalars; per-step loss/accuracy go to metrics.csv
  (its `step` is the printed Iter, 1-based; average_* columns on the display rows),
  the averages to accuracy.png, the variables to checkpoints/model.ckpt-ITER every
  CHECKPOINT_EVERY = 2500 iterations and at the end (for --resume; a kill loses at most those
  2500, some 30 s), with what the loop needs to go on exactly beside them (the
  window offset, the random generator's state, the sums of the next printed averages): a seeded
  run stopped (Ctrl-C stops after the current iteration) and resumed gives the figures of one
  left alone. metrics.csv is written with each checkpoint.
- --quick (1200 iterations, to stay under 30 s here) prints every 200 iterations instead of 1000,
  so its short log still shows the accuracy rising.
- --layers 1 is the original's commented-out 1-layer variant.
- --show opens accuracy.png's figure when training ends, before the prompt (the original draws
  nothing).
- Added for the parity tests (tests/test_parity.py): --init-from DIR starts from the variables of
  a checkpoint (a TF 1.15 run's initial/ folder from --save-initial) instead of fresh random ones,
  since TF 1.15 and TF 2.x derive different initial values from one --seed.
"""

import collections
import random
import sys
import time

import numpy as np
from matplotlib.figure import Figure

import compat.v1 as tf
from tf1_examples import _runs

rnn = tf.contrib.rnn          # = `from tensorflow.contrib import rnn`

start_time = time.time()

# Parameters (the original's)
learning_rate = 0.001
training_iters = 50000
display_step = 1000
DISPLAY_STEP, QUICK_DISPLAY_STEP = display_step, 200   # --quick prints 5x as often
n_input = 3
XLA_MIN_ITERS = 200       # XLA compiles for ~4 s of CPU once, then saves ~20 ms per iteration
CHECKPOINT_EVERY = 2500   # iterations between checkpoints (38 MB, 0.1-0.3 s each: under 1%)
# number of units in RNN cell
n_hidden = 512


def elapsed(sec):
    if sec < 60:
        return str(sec) + " sec"
    elif sec < (60 * 60):
        return str(sec / 60) + " min"
    else:
        return str(sec / (60 * 60)) + " hr"


def build_dataset(words):
    count = collections.Counter(words).most_common()
    dictionary = dict()
    for word, _ in count:
        dictionary[word] = len(dictionary)
    reverse_dictionary = dict(zip(dictionary.values(), dictionary.keys()))
    return dictionary, reverse_dictionary


def RNN(x, weights, biases, layers=2):
    # reshape to [1, n_input]
    x = tf.reshape(x, [-1, n_input])
    # Generate a n_input-element sequence of inputs
    # (eg. [had] [a] [general] -> [20] [6] [33])
    x = tf.split(x, n_input, 1)
    if layers == 2:
        # 2-layer LSTM, each layer has n_hidden units.
        # Average Accuracy= 95.20% at 50k iter
        rnn_cell = rnn.MultiRNNCell([rnn.BasicLSTMCell(n_hidden), rnn.BasicLSTMCell(n_hidden)])
    else:
        # 1-layer LSTM with n_hidden units but with lower accuracy.
        # Average Accuracy= 90.60% 50k iter
        rnn_cell = rnn.BasicLSTMCell(n_hidden)
    # generate prediction
    outputs, states = rnn.static_rnn(rnn_cell, x, dtype=tf.float32)
    # there are n_input outputs but we only want the last output
    return tf.matmul(outputs[-1], weights['out']) + biases['out']


def generate(session, pred, x, dictionary, reverse_dictionary, sentence):
    """Continue a 3-word sentence for 32 words (KeyError: a word is not in the dictionary)."""
    words = sentence.split(' ')
    symbols_in_keys = [dictionary[str(words[i])] for i in range(len(words))]
    for i in range(32):
        keys = np.reshape(np.array(symbols_in_keys), [-1, n_input, 1])
        onehot_pred = session.run(pred, feed_dict={x: keys})
        onehot_pred_index = int(np.argmax(onehot_pred, 1))
        sentence = "%s %s" % (sentence, reverse_dictionary[onehot_pred_index])
        symbols_in_keys = symbols_in_keys[1:]
        symbols_in_keys.append(onehot_pred_index)
    return sentence


def ask(session, pred, x, dictionary, reverse_dictionary):
    """The original's prompt loop; returns at end of input (Ctrl-D)."""
    while True:
        prompt = "%s words: " % n_input
        try:
            sentence = input(prompt)
        except (EOFError, KeyboardInterrupt):   # Ctrl-D / Ctrl-C: done (the original crashes)
            print()
            return
        sentence = sentence.strip()
        words = sentence.split(' ')
        if len(words) != n_input:
            continue
        try:
            print(generate(session, pred, x, dictionary, reverse_dictionary, sentence))
        except KeyError:
            print("Word not in dictionary")


def train(run):
    global start_time
    start_time = time.time()
    run.seed_python()
    logs_path = str(run.fresh_dir("tmp", "tensorflow", "rnn_words"))
    training_data = run.data            # the words of --corpus (checked by _runs.prepare)
    print("Loaded training data...")
    dictionary, reverse_dictionary = build_dataset(training_data)
    vocab_size = len(dictionary)
    training_iters = run.steps
    display_step = QUICK_DISPLAY_STEP if run.quick else DISPLAY_STEP

    # every batch the original can draw, built once: window at `offset` -> (x, one-hot y)
    encoded = np.array([dictionary[w] for w in training_data], dtype=np.float32)
    n_windows = len(training_data) - n_input
    batch_x = np.stack([encoded[o:o + n_input] for o in range(n_windows)]).reshape([n_windows, 1, n_input, 1])
    batch_y = np.zeros([n_windows, 1, vocab_size], dtype=np.float32)
    batch_y[np.arange(n_windows), 0, encoded[n_input:].astype(np.int64)] = 1.0

    graph = tf.Graph()
    with graph.as_default():
        if run.seed is not None:
            tf.set_random_seed(run.seed)
        writer = tf.summary.FileWriter(logs_path)
        # tf Graph input
        x = tf.placeholder("float", [None, n_input, 1])
        y = tf.placeholder("float", [None, vocab_size])
        # RNN output node weights and biases
        weights = {
            'out': tf.Variable(tf.random_normal([n_hidden, vocab_size]))
        }
        biases = {
            'out': tf.Variable(tf.random_normal([vocab_size]))
        }
        pred = RNN(x, weights, biases, layers=run.args.layers)
        # Loss and optimizer
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=pred, labels=y))
        optimizer = tf.train.RMSPropOptimizer(learning_rate=learning_rate).minimize(cost)
        # Model evaluation
        correct_pred = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
        # Initializing the variables
        init = tf.global_variables_initializer()
        saver = tf.train.Saver()
        graph.finalize()

        # XLA on TF 2.x, for runs long enough to pay back its compilation (deviations)
        with tf.Session(config=run.session_config(tf, xla=run.steps >= XLA_MIN_ITERS)) as session:
            session.run(init)
            run.init_from(saver, session)   # --init-from (parity tests): the same start on both runtimes
            checkpoints = run.fresh_dir("checkpoints")
            # --resume: the iteration, and the offset, random state and running totals that go on
            position = run.resume_from(saver, session, checkpoints)
            if run.args.save_initial:
                saver.save(session, str(run.fresh_dir("initial") / "model.ckpt"))
            # the original's fetches, every iteration; one callable = one XLA compilation
            train_step = session.make_callable([optimizer, accuracy, cost, pred], feed_list=[x, y])
            done = run.start
            step = done
            offset = random.randint(0, n_input + 1)
            end_offset = n_input + 1
            acc_total = 0
            loss_total = 0
            if position:
                offset, loss_total, acc_total = position["offset"], position["loss_total"], position["acc_total"]
                version, state, gauss = position["random"]
                random.setstate((version, tuple(state), gauss))
            step_loss = np.zeros(run.total - done, dtype=np.float32)
            step_acc = np.zeros(run.total - done, dtype=np.float32)
            averages = {}

            writer.add_graph(session.graph)

            with run.loop(run.total - done, unit="iter") as bar:
                while step < run.total:
                    # Generate a minibatch. Add some randomness on selection process.
                    if offset > (len(training_data) - end_offset):
                        offset = random.randint(0, n_input + 1)
                    _, acc, loss, onehot_pred = train_step(batch_x[offset], batch_y[offset])
                    loss_total += loss
                    acc_total += acc
                    step_loss[step - done], step_acc[step - done] = loss, acc
                    if (step + 1) % display_step == 0:
                        print("Iter= " + str(step + 1) + ", Average Loss= " +
                              "{:.6f}".format(loss_total / display_step) + ", Average Accuracy= " +
                              "{:.2f}%".format(100 * acc_total / display_step))
                        averages[step + 1] = (float(loss_total / display_step), float(100 * acc_total / display_step))
                        writer.add_summary(_scalars(average_loss=averages[step + 1][0],
                                                    average_accuracy=averages[step + 1][1]), step + 1)
                        acc_total = 0
                        loss_total = 0
                        symbols_in = [training_data[i] for i in range(offset, offset + n_input)]
                        symbols_out = training_data[offset + n_input]
                        symbols_out_pred = reverse_dictionary[int(np.argmax(onehot_pred, 1))]
                        print("%s - [%s] vs [%s]" % (symbols_in, symbols_out, symbols_out_pred))
                        bar.update(display_step)
                    step += 1
                    offset += (n_input + 1)
                    if run.stop_requested:  # Ctrl-C: stop after this iteration, through the normal end
                        break
                    if step % CHECKPOINT_EVERY == 0 and step < run.total:
                        log_steps(run, step_loss, step_acc, averages, done, step)
                        run.save_checkpoint(saver, session, checkpoints / "model.ckpt", step,
                                            words_position(offset, loss_total, acc_total))
            writer.close()
            log_steps(run, step_loss, step_acc, averages, done, step)
            run.save_checkpoint(saver, session, checkpoints / "model.ckpt", step,
                                words_position(offset, loss_total, acc_total))
            run.stop_if_interrupted()
            print("Optimization Finished!")
            print("Elapsed time: ", elapsed(time.time() - start_time))
            print("Run on command line.")
            print("\ttensorboard --logdir=%s" % (logs_path))
            print("Point your web browser to: http://localhost:6006/")

            generated = None
            if run.args.prompt is not None:
                generated = generate(session, pred, x, dictionary, reverse_dictionary, run.args.prompt.strip())
                print(generated)
            record(run, dict(
                learning_rate=learning_rate, training_iters=training_iters, display_step=display_step,
                n_input=n_input, n_hidden=n_hidden, layers=run.args.layers, vocab_size=vocab_size,
                corpus_words=len(training_data)), generated)
            if run.args.prompt is None and sys.stdin is not None and sys.stdin.isatty():
                ask(session, pred, x, dictionary, reverse_dictionary)


def words_position(offset, loss_total, acc_total):
    """What a checkpoint needs besides the variables to go on exactly: the next window, the
    random generator that picks restart offsets, and the sums for the next printed averages."""
    return dict(offset=offset, loss_total=float(loss_total), acc_total=float(acc_total),
                random=random.getstate())


def log_steps(run, step_loss, step_acc, averages, done, upto):
    """metrics.csv rows (every iteration; the averages at display steps) for the iterations
    done+1..upto not logged yet: kept in arrays while training, logged before each checkpoint."""
    last = run.metrics[-1]["step"] if run.metrics else 0
    for s in range(max(last, done) + 1, upto + 1):
        row = dict(loss=float(step_loss[s - done - 1]), accuracy=float(step_acc[s - done - 1]))
        if s in averages:
            row.update(average_loss=averages[s][0], average_accuracy=averages[s][1])
        run.log(s, **row)


def record(run, hparams, generated):
    """accuracy.png and run.json, over this plan's iterations (a resumed run's earlier ones too)."""
    rows = [row for row in run.metrics if row["step"] > run.plan_start]
    averages = {row["step"]: (row["average_loss"], row["average_accuracy"]) for row in rows if "average_loss" in row}
    step_acc = np.array([row["accuracy"] for row in rows], dtype=np.float32)
    if averages:
        plot_averages(run, averages)
    tenth = max(1, len(step_acc) // 10)
    run.finish(hparams, results=dict(
        last_average_loss=averages[max(averages)][0] if averages else None,
        last_average_accuracy=averages[max(averages)][1] if averages else None,
        first_average_accuracy=averages[min(averages)][1] if averages else None,
        mean_accuracy_first_10pct=float(step_acc[:tenth].mean()) * 100,
        mean_accuracy_last_10pct=float(step_acc[-tenth:].mean()) * 100,
        generated=generated))


def _scalars(**values):
    return tf.Summary(value=[tf.Summary.Value(tag=k, simple_value=v) for k, v in sorted(values.items())])


def plot_averages(run, averages):
    iters = sorted(averages)
    if run.show:    # a pyplot figure, so that plt.show() can open it
        import matplotlib.pyplot as plt

        fig = plt.figure()
    else:
        fig = Figure()
    ax1 = fig.add_subplot(111)
    ax1.plot(iters, [averages[i][1] for i in iters], 'b.-')
    ax1.set_xlabel("Iter")
    ax1.set_ylabel("Average Accuracy (%)", color='b')
    ax2 = ax1.twinx()
    ax2.plot(iters, [averages[i][0] for i in iters], 'r.-')
    ax2.set_ylabel("Average Loss", color='r')
    ax1.set_title("rnn_words, %d layer(s)" % run.args.layers)
    run.save_figure(fig, "accuracy.png")
    if run.show:
        plt.show()


def reproduce(argv=None):
    """Python entry: run with CLI-style `argv`; returns the Run (run.metrics, run.results, run.dir).
    Raises _runs.UsageError on bad input."""
    return _runs.execute(_runs.prepare("rnn_words", argv), train)


def main(argv=None):
    """`python -m tf1_examples run rnn_words ...`; returns the exit status."""
    return _runs.main("rnn_words", argv, train)


if __name__ == "__main__":
    raise SystemExit(main())
