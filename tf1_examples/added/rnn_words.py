"""What the rnn_words reproduction adds to the original's loop (tf1_examples/rnn_words.py): the
per-iteration metrics.csv rows, what a checkpoint needs to go on exactly, the averages'
TensorBoard scalars and accuracy.png, and run.json's results."""

import random

import numpy as np
from matplotlib.figure import Figure

import compat.v1 as tf


def all_batches(training_data, dictionary, n_input):
    """Every batch the original can draw, as numpy arrays: window at `offset` -> (x, one-hot y)."""
    encoded = np.array([dictionary[w] for w in training_data], dtype=np.float32)
    n_windows = len(training_data) - n_input
    batch_x = np.stack([encoded[o:o + n_input] for o in range(n_windows)]).reshape([n_windows, 1, n_input, 1])
    batch_y = np.zeros([n_windows, 1, len(dictionary)], dtype=np.float32)
    batch_y[np.arange(n_windows), 0, encoded[n_input:].astype(np.int64)] = 1.0
    return batch_x, batch_y


def resumed(position, offset, loss_total, acc_total):
    """--resume: the next window, the restart generator's state and the running sums the
    checkpoint saved (a fresh run: the values given)."""
    if not position:
        return offset, loss_total, acc_total
    version, state, gauss = position["random"]
    random.setstate((version, tuple(state), gauss))
    return position["offset"], position["loss_total"], position["acc_total"]


def checkpoint_position(run, done, step_loss, step_acc, averages, offset, loss_total, acc_total):
    """Before each checkpoint: the iterations' metrics.csv rows, and what the loop needs to go
    on exactly (the next window, the generator that picks restart offsets, the running sums)."""
    log_steps(run, step_loss, step_acc, averages, run.start, done)
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


def scalars(**values):
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
