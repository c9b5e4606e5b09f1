"""Predict sin(x) with a 2-layer LSTM through tf.contrib.learn's Estimator and SKCompat.

Original: zoutai, sinPredict.py (2017-12-13), after 《TensorFlow实战Google深度学习框架》 ch. 8
    (caicloud/tensorflow-tutorial)
Source: https://github.com/caicloud/tensorflow-tutorial (Deep_Learning_with_TensorFlow/1.0.0/Chapter08)
What it shows: the tf.contrib.learn way of training a custom model: lstm_model(X, y) returns
    (predictions, loss, train_op) from a MultiRNNCell of two BasicLSTMCell(30) under dynamic_rnn,
    a linear fully_connected layer, mean_squared_error and optimize_loss (Adagrad, 0.1);
    learn.Estimator wrapped in SKCompat fits it from numpy arrays and predicts. A window has
    shape [1, 10]: dynamic_rnn sees ONE time step of ten features, as the published run did.
Published: the book's notebook, 3000 steps: "Mean Square Error is: 0.009076" (a second run:
    0.008203); its loss log 0.491647 at step 1 ... 8.82684e-05 at the end (TF 1.0, unseeded)
Run: python -m tf1_examples run sin_predict [--steps 3000 (the book's profile)] [--seed S]

The printed "Mean Square Error is" is, as the original computes it, a root mean squared error:
metrics.csv and run.json call it `rmse`, and an extra line says so.

Deviations (reasons: docs/deviations.md#sin_predict):
- model_dir is <run>/Models/model_2, emptied unless --resume (the original's relative one continues)
- fit() gets monitors: every step's loss into metrics.csv, progress, Ctrl-C, a checkpoint every 500 steps
- --resume continues the Estimator's checkpoint; SKCompat restarts its batch order (as in TF 1.15)
- --seed goes to learn.RunConfig(tf_random_seed=...); unseeded runs pass no config, as the original
- --show displays sin.png (the original forces Agg); --init-from / --save-initial for the parity tests
"""

import numpy as np
import matplotlib.pyplot as plt

import compat.v1 as tf

rnn = tf.contrib.rnn                    # from tensorflow.contrib import rnn
learn = tf.contrib.learn
SKCompat = learn.SKCompat               # from tensorflow.contrib.learn.python.learn.estimators.estimator import SKCompat

HIDDEN_SIZE = 30            # LSTM中的隐藏节点个数 (hidden units)
NUM_LAYERS = 2              # LSTM的层数 (layers)
TIMESTEPS = 10              # 循环神经网络的截断长度 (window length)
TRAINING_STEPS = 10000      # 训练次数 (training steps)
BATCH_SIZE = 32
TRAINING_EXAMPLES = 10000   # 训练数据个数
TESTING_EXAMPLES = 1000     # 测试数据个数
SAMPLE_GAP = 0.01           # 采样间隔


def generate_data(seq):
    """Windows seq[i:i+TIMESTEPS] (shape [1, TIMESTEPS] each) and the value after each."""
    x = []
    y = []
    for i in range(len(seq) - TIMESTEPS - 1):
        x.append([seq[i:i + TIMESTEPS]])
        y.append([seq[i + TIMESTEPS]])
    return np.array(x, dtype=np.float32), np.array(y, dtype=np.float32)


def LstmCell():
    lstm_cell = rnn.BasicLSTMCell(HIDDEN_SIZE, state_is_tuple=True)
    return lstm_cell


def lstm_model(X, y):
    cell = rnn.MultiRNNCell([LstmCell() for _ in range(NUM_LAYERS)])
    output, _ = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
    output = tf.reshape(output, [-1, HIDDEN_SIZE])
    # a fully connected layer without activation: linear regression, then flatten
    predictions = tf.contrib.layers.fully_connected(output, 1, None)
    labels = tf.reshape(y, [-1])
    predictions = tf.reshape(predictions, [-1])
    loss = tf.losses.mean_squared_error(predictions, labels)
    train_op = tf.contrib.layers.optimize_loss(loss, tf.contrib.framework.get_global_step(),
                                               optimizer="Adagrad",
                                               learning_rate=0.1)
    return predictions, loss, train_op


def train(run):
    if not run.show:
        plt.switch_backend('Agg')   # the original: mpl.use('Agg')
    model_dir = run.fresh_dir("Models", "model_2")
    # --init-from, --seed's RunConfig; fitting(): --resume, progress, Ctrl-C (harness/estimator_training.py)
    training = run.estimator_training(model_dir)
    regressor = SKCompat(learn.Estimator(model_fn=lstm_model, model_dir=str(model_dir), config=training.config))

    test_start = TRAINING_EXAMPLES * SAMPLE_GAP
    test_end = (TRAINING_EXAMPLES + TESTING_EXAMPLES) * SAMPLE_GAP
    train_X, train_y = generate_data(np.sin(np.linspace(0, test_start, TRAINING_EXAMPLES, dtype=np.float32)))
    test_X, test_y = generate_data(np.sin(np.linspace(test_start, test_end, TESTING_EXAMPLES, dtype=np.float32)))
    with training.fitting() as fit_options:     # steps=run.steps (the original: TRAINING_STEPS), monitors
        regressor.fit(train_X, train_y, batch_size=BATCH_SIZE, **fit_options)
    predicted = [[pred] for pred in regressor.predict(test_X)]

    # 计算MSE (the root of it: an RMSE)
    rmse = np.sqrt(((predicted - test_y) ** 2).mean(axis=0))

    fig = plt.figure()
    plot_predicted, = plt.plot(predicted, label='predicted')
    plot_test, = plt.plot(test_y, label='real_sin')
    plt.legend([plot_predicted, plot_test], ['predicted', 'real_sin'])
    if run.show:
        plt.show()
    run.save_figure(fig, 'sin.png')
    plt.close(fig)
    print("Mean Square Error is:%f" % rmse[0])
    print("(that figure is a root mean square error: RMSE %f, MSE %f)" % (rmse[0], rmse[0] ** 2))

    run.metrics[-1]["rmse"] = float(rmse[0])
    run.finish(
        hparams=dict(HIDDEN_SIZE=HIDDEN_SIZE, NUM_LAYERS=NUM_LAYERS, TIMESTEPS=TIMESTEPS,
                     TRAINING_STEPS=run.steps, BATCH_SIZE=BATCH_SIZE, TRAINING_EXAMPLES=TRAINING_EXAMPLES,
                     TESTING_EXAMPLES=TESTING_EXAMPLES, SAMPLE_GAP=SAMPLE_GAP,
                     optimizer="Adagrad", learning_rate=0.1, model_dir="Models/model_2"),
        results=dict(rmse=float(rmse[0]), mse=float(rmse[0] ** 2), printed="Mean Square Error is:%f" % rmse[0],
                     first_loss=run.metrics[0]["loss"], last_loss=run.metrics[-1]["loss"],
                     global_step=run.metrics[-1]["step"]))
