"""
Title: A 2-layer LSTM sequence model on seq_data.xlsx (pandas input, Saver, AUTO_REUSE prediction)
Original author: the "tensorflow 双向LSTM" blog post; lineage LouisScorpio/datamining,
    tensorflow-program/stock_predict.py
Source: https://github.com/LouisScorpio/datamining/tree/master/tensorflow-program
Published figure: none (the post shows only the plot, and seq_data.xlsx was never published)
Run: python -m tf1_examples run seq_data_lstm [--data PATH] [--seed S]

What it shows: the classic "read a spreadsheet with pandas, z-score it, cut it into windows"
pipeline. Rows 1..799 of the first column are normalised; every window of time_step = 96 values
is an input and the same window shifted by one its target. A W*x+b input layer, a MultiRNNCell
of two BasicLSTMCell(8) in variable_scope "sec_lstm" unrolled by dynamic_rnn and a W*x+b output
layer are trained with Adam on the mean squared error, 100 epochs of consecutive batches of 7
windows. A Saver keeps the weights whenever the printed loss improved; prediction() then builds
the same network again for a batch of 1 under variable_scope("sec_lstm", reuse=tf.AUTO_REUSE),
restores it, predicts the last step of every window, de-normalises and plots data vs prediction.

Deviations, each for a reason:
- seq_data.xlsx is not public. Without --data the deterministic stand-in of
  tf1_examples/data/seq_data.py (14 days of 96 samples: daily and weekly cycles, trend, noise)
  is written to <run>/seq_data.xlsx and read back with pd.read_excel as the original reads its
  file. --data takes an .xlsx, .xls or .csv file and uses its first numeric column (the original
  takes every column, so it needs a one-column sheet); files it cannot use stop with one line.
- The original saves to 'model_save1\\\\modle.ckpt', a Windows path: on Linux the backslash is
  part of the file name and restore fails ("not a valid checkpoint"). Here the same names sit in
  the run folder, joined portably: <run>/model_save1/modle.ckpt.
- The original saves only when the loss printed every 10 epochs beat the previous epoch's, so a
  run may never save (always with fewer than 11 epochs) and prediction() then crashes. If no
  checkpoint was saved, the final weights are saved there before prediction (run.json says so).
- The plot (the original's plt.show()) is saved as prediction.png; --show also opens it.
- Added: per-epoch loss (the original's loss_list: the epoch's last batch) and mean batch loss in
  metrics.csv and as a TensorBoard scalar (<run>/logs, with the graph), and the variables in
  checkpoints/model.ckpt-EPOCH after every epoch (whether the original's rule has saved, beside
  it), for --resume: it continues with the next epoch, the rule comparing with the losses in
  metrics.csv, so a seeded run stopped and resumed gives the figures of one left alone. Ctrl-C
  stops at the end of the current epoch; a kill loses at most one epoch.
- --steps is the number of epochs (the original's `for i in range(100)`, "Number of iterations").
- Added for the parity tests (tests/test_parity.py): --init-from DIR starts from the variables of
  a checkpoint (a TF 1.15 run's initial/ folder from --save-initial) instead of fresh random ones,
  since TF 1.15 and TF 2.x derive different initial values from one --seed.
"""

import numpy as np
import matplotlib.pyplot as plt

import compat.v1 as tf
from tf1_examples import _runs
from tf1_examples.data import seq_data

# the original's parameters
time_step = 96      # 序列段长度 (length of a window)
rnn_unit = 8        # 隐藏层节点数目 (hidden units)
lstm_layers = 2     # cell层数 (LSTM layers)
batch_size = 7      # 序列段批处理数目 (windows per batch)
input_size = 1
output_size = 1
lr = 0.006
EPOCHS = 100        # the original's `for i in range(100)`

# set by load_data() / build_graph(), module globals as in the original
data = normalize_data = s = m = None
train_x, train_y = [], []
X = Y = weights = biases = None


def load_data(frame):
    """The original's module-level data preparation, on a DataFrame read by pandas."""
    global data, normalize_data, s, m, train_x, train_y
    data = frame.values[1:800]   # 取前800个 (rows 1..799)
    normalize_data = (data - np.mean(data)) / np.std(data)
    s = np.std(data)
    m = np.mean(data)
    train_x, train_y = [], []
    for i in range(len(data) - time_step - 1):
        x = normalize_data[i:i + time_step]
        y = normalize_data[i + 1:i + time_step + 1]
        train_x.append(x.tolist())
        train_y.append(y.tolist())


def build_graph():
    global X, Y, weights, biases
    X = tf.placeholder(tf.float32, [None, time_step, input_size])    # shape(?,time_step, input_size)
    Y = tf.placeholder(tf.float32, [None, time_step, output_size])   # shape(?,time_step, out_size)
    weights = {
        'in': tf.Variable(tf.random_normal([input_size, rnn_unit])),
        'out': tf.Variable(tf.random_normal([rnn_unit, 1]))
    }
    biases = {
        'in': tf.Variable(tf.constant(0.1, shape=[rnn_unit, ])),
        'out': tf.Variable(tf.constant(0.1, shape=[1, ]))
    }


def lstm(batch):
    w_in = weights['in']
    b_in = biases['in']
    input = tf.reshape(X, [-1, input_size])
    input_rnn = tf.matmul(input, w_in) + b_in
    input_rnn = tf.reshape(input_rnn, [-1, time_step, rnn_unit])
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(rnn_unit) for i in range(lstm_layers)])
    init_state = cell.zero_state(batch, dtype=tf.float32)
    output_rnn, final_states = tf.nn.dynamic_rnn(cell, input_rnn, initial_state=init_state, dtype=tf.float32)
    output = tf.reshape(output_rnn, [-1, rnn_unit])
    w_out = weights['out']
    b_out = biases['out']
    pred = tf.matmul(output, w_out) + b_out
    return pred, final_states


def train_lstm(run, save_path):
    """Returns whether the original's rule saved a checkpoint."""
    with tf.variable_scope("sec_lstm"):
        pred, _ = lstm(batch_size)
    loss = tf.reduce_mean(tf.square(tf.reshape(pred, [-1]) - tf.reshape(Y, [-1])))
    train_op = tf.train.AdamOptimizer(lr).minimize(loss)
    saver = tf.train.Saver(tf.global_variables())
    writer = tf.summary.FileWriter(str(run.fresh_dir("logs")), tf.get_default_graph())
    checkpoints = run.fresh_dir("checkpoints")
    last = checkpoints / "model.ckpt"
    saved = False
    loss_list = []
    with tf.Session(config=run.session_config(tf)) as sess:
        sess.run(tf.global_variables_initializer())
        run.init_from(saver, sess)      # --init-from (parity tests): the same start on both runtimes
        position = run.resume_from(saver, sess, checkpoints)     # --resume: continue after its epoch
        saved = position.get("saved", False)
        loss_list = [row["loss"] for row in run.metrics]         # the rule compares with the last epoch's
        if run.args.save_initial:
            saver.save(sess, str(run.fresh_dir("initial") / "model.ckpt"))
        done = run.start
        with run.loop(run.total - run.start, unit="epoch") as bar:
            for i in range(run.start, run.total):  # We can increase the number of iterations to gain better result.
                start = 0
                end = start + batch_size
                epoch_loss = 0.0
                while (end < len(train_x)):
                    _, loss_ = sess.run([train_op, loss], feed_dict={X: train_x[start:end], Y: train_y[start:end]})
                    start += batch_size
                    end = end + batch_size
                    epoch_loss += loss_
                loss_list.append(loss_)
                run.log(i, loss=float(loss_), mean_loss=float(epoch_loss / (start // batch_size)))
                writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="loss", simple_value=float(loss_))]), i)
                if i % 10 == 0:
                    print("Number of iterations:", i, " loss:", loss_list[-1])
                    if i > 0 and len(loss_list) > 1 and loss_list[-2] > loss_list[-1]:
                        saver.save(sess, save_path)
                        saved = True
                bar.update()
                done = i + 1
                if run.stop_requested:      # Ctrl-C: stop after this epoch, through the normal end of training
                    break
                if done < run.total:        # every epoch (seconds each): a kill loses at most one
                    run.save_checkpoint(saver, sess, last, done, {"saved": saved})
        writer.close()
        run.save_checkpoint(saver, sess, last, done, {"saved": saved})
        run.stop_if_interrupted()
        print("The train has finished")
        if not saved and not tf.train.checkpoint_exists(save_path):
            saver.save(sess, save_path)    # the original may never save one: prediction needs it
    return saved


def prediction(run, save_path):
    with tf.variable_scope("sec_lstm", reuse=tf.AUTO_REUSE):
        pred, _ = lstm(1)
    saver = tf.train.Saver(tf.global_variables())
    with tf.Session(config=run.session_config(tf)) as sess:
        saver.restore(sess, save_path)
        predict = []
        with run.progress(len(train_x), desc="prediction", unit="window") as bar:
            for i in range(0, np.shape(train_x)[0]):
                next_seq = sess.run(pred, feed_dict={X: [train_x[i]]})
                predict.append(next_seq[-1])
                bar.update()
        fig = plt.figure()
        plt.plot(list(range(len(data))), data, color='b')
        plt.plot(list(range(time_step + 1, np.shape(train_x)[0] + 1 + time_step)), [value * s + m for value in predict], color='r')
        run.save_figure(fig, "prediction.png")
        if run.show:
            plt.show()
        plt.close(fig)
    return np.array(predict).reshape(-1) * s + m


def train(run):
    run.seed_python()
    if not run.show:
        plt.switch_backend("Agg")
    if run.data is None:    # no --data: the stand-in, written and read like the original's file
        source = seq_data.write(run.path("seq_data.xlsx"))
        frame = seq_data.read(source, 0)
    else:
        source, frame = run.args.data, run.data
    load_data(frame)
    save_path = str(run.fresh_dir("model_save1") / "modle.ckpt")

    with tf.Graph().as_default():
        if run.seed is not None:
            tf.set_random_seed(run.seed)
        build_graph()
        saved = train_lstm(run, save_path)
        predicted = prediction(run, save_path)

    target = data[time_step:time_step + len(predicted), 0]   # the value each prediction is for
    losses = [row["mean_loss"] for row in run.metrics]
    run.finish(
        hparams=dict(time_step=time_step, rnn_unit=rnn_unit, lstm_layers=lstm_layers, batch_size=batch_size,
                     input_size=input_size, output_size=output_size, lr=lr, epochs=run.steps,
                     data=str(source), rows_used=len(data), windows=len(train_x)),
        results=dict(first_mean_loss=losses[0], last_mean_loss=losses[-1], last_loss=run.metrics[-1]["loss"],
                     checkpoint_saved_by_original_rule=saved,
                     prediction_rmse=float(np.sqrt(np.mean((predicted - target) ** 2))),
                     data_std=float(s)))


def reproduce(argv=None):
    """Python entry: run with CLI-style `argv`; returns the Run (run.metrics, run.results, run.dir).
    Raises _runs.UsageError on bad input."""
    return _runs.execute(_runs.prepare("seq_data_lstm", argv), train)


def main(argv=None):
    """`python -m tf1_examples run seq_data_lstm ...`; returns the exit status."""
    return _runs.main("seq_data_lstm", argv, train)


if __name__ == "__main__":
    raise SystemExit(main())
