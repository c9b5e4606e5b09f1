"""A 2-layer LSTM sequence model on seq_data.xlsx (pandas input, Saver, AUTO_REUSE prediction).

Original: the "tensorflow 双向LSTM" blog post; lineage LouisScorpio/datamining,
    tensorflow-program/stock_predict.py
Source: https://github.com/LouisScorpio/datamining/tree/master/tensorflow-program
What it shows: read a spreadsheet with pandas, z-score rows 1..799, cut windows of time_step = 96
    (the target: the same window shifted by one); a W*x+b input layer, a MultiRNNCell of two
    BasicLSTMCell(8) in variable_scope "sec_lstm" under dynamic_rnn and a W*x+b output layer,
    trained with Adam for 100 epochs of batches of 7 windows; a Saver keeps the weights when the
    printed loss improved; prediction() rebuilds the network for a batch of 1 under
    variable_scope("sec_lstm", reuse=tf.AUTO_REUSE), restores it and plots data vs prediction.
Published: none (the post shows only the plot, and seq_data.xlsx was never published)
Run: python -m tf1_examples run seq_data_lstm [--data PATH] [--seed S]

Deviations (reasons: docs/deviations.md#seq_data_lstm):
- without --data, a generated stand-in is written to <run>/seq_data.xlsx and read as the original's
- the checkpoint path 'model_save1\\\\modle.ckpt' (Windows) is <run>/model_save1/modle.ckpt
- if the original's rule never saved, the final weights are saved before prediction
- the plot is saved as prediction.png; --show also opens it
- per-epoch loss and mean batch loss go to metrics.csv and TensorBoard (<run>/logs)
- a checkpoint after every epoch (--resume; Ctrl-C stops after the current epoch)
- --steps counts epochs; --seed, --init-from / --save-initial as in every example
"""

import numpy as np
import matplotlib.pyplot as plt

import compat.v1 as tf
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
    with tf.Session(config=run.session_config(tf)) as sess:
        sess.run(tf.global_variables_initializer())
        # --init-from, --resume, --save-initial, a checkpoint every epoch, Ctrl-C: harness/training.py
        training = run.training(saver, sess, every=1, position=lambda done: {"saved": saved})
        saved = training.position.get("saved", False)
        loss_list = [row["loss"] for row in run.metrics]    # a resumed run's rule compares with these
        for i in training.steps():  # We can increase the number of iterations to gain better result.
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
        writer.close()
        training.end()
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
        run.seed_graph()
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
