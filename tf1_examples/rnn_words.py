"""Next-word prediction with a 2-layer LSTM over static_rnn ("Belling the Cat").

Original: Rowel Atienza, rnn_words.py (roatienza/Deep-Learning-Experiments, 2017), as taught in
    Edureka's RNN tutorial
Source: https://github.com/roatienza/Deep-Learning-Experiments/blob/master/Experiments/Tensorflow/RNN/rnn_words.py
What it shows: a word-level language model on a 204-word fable (112 symbols): three words, each
    its dictionary index as one float, go through a MultiRNNCell of two BasicLSTMCell(512) under
    tf.contrib.rnn.static_rnn over tf.split of the input; a softmax over the vocabulary predicts
    the fourth; 50 000 RMSProp steps on one window each; then it continues a 3-word prompt.
Published: "Average Accuracy= 95.20% at 50k iter" (2 layers), 90.60% (1 layer), in the code's
    comments; the article's log ends `Iter= 50000, Average Loss= 0.415811, Average Accuracy= 91.20%`
Run: python -m tf1_examples run rnn_words [--layers 1] [--prompt "had a general"] [--seed S]

Deviations (reasons: docs/deviations.md#rnn_words):
- the corpus ships as tf1_examples/data/belling_the_cat.txt (--corpus chooses another)
- batches are built once as numpy arrays, the step is one make_callable, argmax is numpy's
- on TF 2.x, runs of 200+ iterations compile the step with XLA
- the prompt is interactive only on a terminal, else --prompt; end of input ends it (status 0)
- a corpus needs at least 8 words; a bad --prompt is refused before training
- logs in <run>/tmp/tensorflow/rnn_words; metrics.csv, accuracy.png, checkpoints every 2500
- --quick prints every 200 iterations; --layers 1 is the commented-out 1-layer variant
- --show opens accuracy.png; --seed, --init-from / --save-initial as in every example
"""

import collections
import random
import sys
import time

import numpy as np

import compat.v1 as tf
from tf1_examples.added.rnn_words import all_batches, checkpoint_position, record, resumed, scalars

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
    logs_path = str(run.fresh_dir("tmp", "tensorflow", "rnn_words"))
    training_data = run.data            # the words of --corpus (checked before TensorFlow loads)
    print("Loaded training data...")
    dictionary, reverse_dictionary = build_dataset(training_data)
    vocab_size = len(dictionary)
    training_iters = run.steps
    display_step = QUICK_DISPLAY_STEP if run.quick else DISPLAY_STEP

    batch_x, batch_y = all_batches(training_data, dictionary, n_input)   # built once (deviations)

    graph = tf.Graph()
    with graph.as_default():
        run.seed_graph()
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
        saver = tf.train.Saver()        # for the checkpoints (not in the original)
        graph.finalize()

        # Launch the graph (XLA on TF 2.x for runs long enough to pay back its compilation)
        with tf.Session(config=run.session_config(tf, xla=run.steps >= XLA_MIN_ITERS)) as session:
            session.run(init)
            # --init-from, --resume, --save-initial, checkpoints, Ctrl-C: tf1_examples/harness/training.py
            training = run.training(saver, session, every=CHECKPOINT_EVERY, position=lambda done: checkpoint_position(
                run, done, step_loss, step_acc, averages, offset, loss_total, acc_total))
            # the original's fetches, every iteration; one callable = one XLA compilation
            train_step = session.make_callable([optimizer, accuracy, cost, pred], feed_list=[x, y])
            offset = random.randint(0, n_input + 1)
            end_offset = n_input + 1
            acc_total = 0
            loss_total = 0
            offset, loss_total, acc_total = resumed(training.position, offset, loss_total, acc_total)
            step_loss = np.zeros(run.total - run.start, dtype=np.float32)
            step_acc = np.zeros(run.total - run.start, dtype=np.float32)
            averages = {}

            writer.add_graph(session.graph)

            for step in training.steps():
                # Generate a minibatch. Add some randomness on selection process.
                if offset > (len(training_data) - end_offset):
                    offset = random.randint(0, n_input + 1)
                _, acc, loss, onehot_pred = train_step(batch_x[offset], batch_y[offset])
                loss_total += loss
                acc_total += acc
                step_loss[step - run.start], step_acc[step - run.start] = loss, acc
                if (step + 1) % display_step == 0:
                    print("Iter= " + str(step + 1) + ", Average Loss= " +
                          "{:.6f}".format(loss_total / display_step) + ", Average Accuracy= " +
                          "{:.2f}%".format(100 * acc_total / display_step))
                    averages[step + 1] = (float(loss_total / display_step), float(100 * acc_total / display_step))
                    writer.add_summary(scalars(average_loss=averages[step + 1][0],
                                               average_accuracy=averages[step + 1][1]), step + 1)
                    acc_total = 0
                    loss_total = 0
                    symbols_in = [training_data[i] for i in range(offset, offset + n_input)]
                    symbols_out = training_data[offset + n_input]
                    symbols_out_pred = reverse_dictionary[int(np.argmax(onehot_pred, 1))]
                    print("%s - [%s] vs [%s]" % (symbols_in, symbols_out, symbols_out_pred))
                step += 1
                offset += (n_input + 1)
            writer.close()
            training.end()
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
