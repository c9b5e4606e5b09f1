"""
Title: Predict sin(x) with a 2-layer LSTM through tf.contrib.learn's Estimator and SKCompat
Original author: zoutai, sinPredict.py (2017-12-13), after 《TensorFlow实战Google深度学习框架》
    ch. 8 (caicloud/tensorflow-tutorial)
Source: https://github.com/caicloud/tensorflow-tutorial (Deep_Learning_with_TensorFlow/1.0.0/Chapter08)
Published figure: the book's notebook, 3000 steps: "Mean Square Error is: 0.009076" (a second
    run: 0.008203); its loss log 0.491647 at step 1 ... 8.82684e-05 at the end (TF 1.0, unseeded)
Run: python -m tf1_examples run sin_predict            (10 000 steps, as the script)
     python -m tf1_examples run sin_predict --steps 3000  (the book notebook's profile)

What it shows: the tf.contrib.learn way of training a custom model. lstm_model(X, y) is a
model_fn returning (predictions, loss, train_op): a MultiRNNCell of two BasicLSTMCell(30)
unrolled by dynamic_rnn, tf.contrib.layers.fully_connected(output, 1, None) as a linear output,
tf.losses.mean_squared_error, and tf.contrib.layers.optimize_loss (Adagrad, 0.1) on
tf.contrib.framework.get_global_step(). learn.Estimator wrapped in SKCompat trains it from
numpy arrays with fit(x, y, batch_size, steps) and predicts with predict(x), keeping its
checkpoints and TensorBoard events in model_dir Models/model_2.

The data are windows of TIMESTEPS = 10 consecutive sin values (SAMPLE_GAP 0.01 apart) and the
value that follows; 10 000 training points and 1000 test points starting where training ends.
As in the original, a window has shape [1, 10]: dynamic_rnn sees ONE time step of ten features,
not ten time steps of one feature, so the LSTM works as a gated feed-forward net here. That is
what the published figure measured, so it is kept.

The printed "Mean Square Error is:%f" is, as the original computes it, the root of the mean
squared error (an RMSE); run.json and metrics.csv record it as `rmse`, and an extra line says so.

Deviations, each for a reason:
- model_dir is <run>/Models/model_2. The original's relative "Models/model_2" makes a second run
  silently continue the first one's training from its checkpoint; here each run starts fresh
  unless --resume: of a finished run, fit(steps=N) trains N more steps, as the Estimator does;
  of an interrupted or killed one, fit(max_steps=the planned total) completes the plan.
- Checkpoints: besides the Estimator's own (its RunConfig's every 600 s, at the start and at the
  end of fit(), with the graph; same hook, see CheckpointSaver), one every CHECKPOINT_EVERY = 500
  steps (~1.5 s of training), without the graph (15 ms; with it, 80 ms), so a kill loses at most
  500 steps, and metrics.csv is written before each. Ctrl-C ends fit() after the current step.
- What "the data position" means here: SKCompat draws its batches with a RandomState(42) made
  anew by every fit() (TF 1.15's DataFeeder), so a resumed fit() starts that batch order again.
  The variables, the Adagrad state and the global step continue exactly, the batch order does
  not: a resumed run's figures after the interruption differ from those of a run left alone.
  Kept, as it is the Estimator's own way to continue; skipping the batches already drawn would
  need a feeder other than SKCompat's.
- A SessionRunHook passed as a fit monitor records every step's loss for metrics.csv (the
  Estimator itself only logs every 100 steps, at INFO level, which the original leaves hidden).
- --seed goes to learn.RunConfig(tf_random_seed=...) (the Estimator builds its own graph, so
  tf.set_random_seed cannot reach it); unseeded runs pass no config, as the original. The
  batches are the same in every run: SKCompat samples them with a RandomState(42).
- The original forces the Agg backend, so its plt.show() does nothing; --show displays sin.png.
- Added for the parity tests (tests/test_parity.py): --init-from DIR starts from the variables of
  a checkpoint (a TF 1.15 run's initial/ folder from --save-initial) instead of fresh random ones,
  since TF 1.15 and TF 2.x derive different initial values from one --seed. The checkpoint is
  copied into the fresh model_dir, which the Estimator then restores (at global step 0).
"""

import numpy as np
import matplotlib.pyplot as plt

import compat.v1 as tf
from tf1_examples import _runs

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
CHECKPOINT_EVERY = 500      # steps between extra checkpoints (the Estimator's own: every 600 s)


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


class StepLog(tf.train.SessionRunHook):
    """Every training step's loss into run.metrics (step = global step after the update, as
    TF's `loss = ..., step = N` log counts), the progress bar, --save-initial, a checkpoint every
    CHECKPOINT_EVERY steps, and the end of the plan or of a Ctrl-C'd run (after this step)."""

    def __init__(self, run, bar):
        self.run, self.bar = run, bar

    def begin(self):
        self._loss = tf.get_collection(tf.GraphKeys.LOSSES)[0]
        self._global_step = tf.train.get_global_step()
        self._saver = tf.train.Saver() if self.run.args.save_initial else None
        self._checkpoints = tf.get_collection(tf.GraphKeys.SAVERS)[0]    # the Estimator's own Saver

    def after_create_session(self, session, coord):
        self._step = int(session.run(self._global_step))
        if self._saver is not None and self._step == 0:
            self._saver.save(session, str(self.run.fresh_dir("initial") / "model.ckpt"))
        if self._step >= self.run.total:    # the plan is complete: this fit() only restores (see train)
            coord.request_stop()

    def before_run(self, run_context):
        return tf.train.SessionRunArgs(self._loss)

    def after_run(self, run_context, run_values):
        self._step += 1
        self.run.log(self._step, loss=float(run_values.results))
        self.bar.update()
        if self.run.stop_requested or self._step >= self.run.total:
            run_context.request_stop()  # the last step (Ctrl-C: this one): CheckpointSaver.end() saves
        elif self._step % CHECKPOINT_EVERY == 0:
            self.run.save_checkpoint(self._checkpoints, run_context.session,
                                     self.run.path("Models", "model_2", "model.ckpt"), self._step)


class SaveProgress(tf.train.CheckpointSaverListener):
    """metrics.csv and run.json before each of the saver hook's checkpoints (the order of
    _runs.Run.save_checkpoint: the rows may run ahead of a checkpoint, never behind); after
    each, the checkpoint state file made relative (a moved run folder resumes its own)."""

    def __init__(self, run):
        self.run = run

    def before_save(self, session, global_step_value):
        self.run.save_progress(int(global_step_value))

    def after_save(self, session, global_step_value):
        _runs.relative_checkpoint_state(self.run.path("Models", "model_2"))


class CheckpointSaver(tf.train.CheckpointSaverHook):
    """The CheckpointSaverHook the Estimator adds itself (on its RunConfig's schedule, when the
    session starts and when fit() ends, with the graph), with metrics written before each save,
    and never for a step that has a checkpoint already (the one a resumed fit() restored, or
    StepLog's): TensorFlow would rewrite its index in place, and a kill at that moment would
    break the checkpoint the run continues from."""

    def __init__(self, run, model_dir, save_secs):
        super(CheckpointSaver, self).__init__(str(model_dir), save_secs=save_secs, listeners=[SaveProgress(run)])
        self.model_dir = model_dir

    def _saved(self, step):
        return (self.model_dir / ("model.ckpt-%d.index" % step)).is_file()

    def after_create_session(self, session, coord):
        step = int(session.run(tf.train.get_global_step()))
        if not self._saved(step):
            super(CheckpointSaver, self).after_create_session(session, coord)
        else:   # as if just saved: else the schedule, never started, saves again after one step
            self._timer.update_last_triggered_step(step)

    def after_run(self, run_context, run_values):
        if not self._saved(int(run_values.results) + 1):    # results: the global step before this one
            super(CheckpointSaver, self).after_run(run_context, run_values)

    def end(self, session):
        if not self._saved(int(session.run(tf.train.get_global_step()))):
            super(CheckpointSaver, self).end(session)


def saved_global_step(model_dir):
    """The global step of model_dir's newest checkpoint (0 without one): where fit() goes on."""
    path = tf.train.latest_checkpoint(str(model_dir))
    if path is None:
        return 0
    reader = tf.train.NewCheckpointReader(path)
    return int(reader.get_tensor("global_step")) if reader.has_tensor("global_step") else 0


def train(run):
    run.seed_python()
    if not run.show:
        plt.switch_backend('Agg')   # the original: mpl.use('Agg')
    model_dir = run.fresh_dir("Models", "model_2")
    run.init_model_dir(model_dir)   # --init-from (parity tests): the Estimator restores it at step 0
    session_config = run.session_config(tf)     # None: TensorFlow's defaults, as the original
    config = None if run.seed is None else learn.RunConfig(tf_random_seed=run.seed, session_config=session_config)

    regressor = SKCompat(learn.Estimator(model_fn=lstm_model, model_dir=str(model_dir), config=config))

    test_start = TRAINING_EXAMPLES * SAMPLE_GAP
    test_end = (TRAINING_EXAMPLES + TESTING_EXAMPLES) * SAMPLE_GAP
    train_X, train_y = generate_data(np.sin(np.linspace(0, test_start, TRAINING_EXAMPLES, dtype=np.float32)))
    test_X, test_y = generate_data(np.sin(np.linspace(test_start, test_end, TESTING_EXAMPLES, dtype=np.float32)))
    try:    # fit() continues from model_dir's checkpoint: --resume's, or --init-from's
        run.begin(saved_global_step(model_dir))
    except tf.errors.OpError as exc:    # an unreadable checkpoint
        raise run.init_error(exc) if run.args.init_from else _runs.UsageError(_runs.mismatch(model_dir, exc))
    with run.loop(run.total - run.start) as bar:
        monitors = [StepLog(run, bar),
                    CheckpointSaver(run, model_dir, (config or learn.RunConfig()).save_checkpoints_secs)]
        try:
            # --resume: max_steps, the plan's last global step, however often it was stopped. A run
            # killed after its last checkpoint has none left: there fit(max_steps) would return at
            # once, and predict() then lacks the label shapes the model_fn reshapes, so that run
            # goes through fit(steps), which StepLog stops before its first step
            if run.resume and run.start < run.total:
                regressor.fit(train_X, train_y, batch_size=BATCH_SIZE, max_steps=run.total, monitors=monitors)
            else:
                regressor.fit(train_X, train_y, batch_size=BATCH_SIZE, steps=run.steps, monitors=monitors)
        except (tf.errors.InvalidArgumentError, tf.errors.NotFoundError) as exc:
            if run.args.init_from:
                raise run.init_error(exc)     # --init-from: a checkpoint of another model
            if not run.resume:
                raise
            raise _runs.UsageError(_runs.mismatch(model_dir, exc))   # --resume: a checkpoint of another model
    run.stop_if_interrupted()
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


def reproduce(argv=None):
    """Python entry: run with CLI-style `argv`; returns the Run (run.metrics, run.results, run.dir).
    Raises _runs.UsageError on bad input."""
    return _runs.execute(_runs.prepare("sin_predict", argv), train)


def main(argv=None):
    """`python -m tf1_examples run sin_predict ...`; returns the exit status."""
    return _runs.main("sin_predict", argv, train)


if __name__ == "__main__":
    raise SystemExit(main())
