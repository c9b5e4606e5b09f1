"""
Title: LSTM RNN regression: predict cos(x) from sin(x)
Original author: Morvan Zhou (MorvanZhou/tutorials, tensorflowTUT/tf20_RNN2.2/full_code.py), as
    republished by Eastmount ("[Python人工智能] 十四.循环神经网络LSTM RNN回归案例之sin曲线预测",
    CSDN, 2020-01-10, run there on TF 1.15)
Source: https://github.com/MorvanZhou/tutorials/blob/master/tensorflowTUT/tf20_RNN2.2/full_code.py
Published figure: `cost:` every 20 steps, 33.1673 9.1332 3.8899 1.3271 0.2682 0.4912 1.0692
    0.3812 0.63 0.335 (one unseeded run; tf1_examples/published.py)
Run: python -m tf1_examples run lstm_regression [--seed S] [--show]

What it shows: a W*x+b input layer, a BasicLSTMCell unrolled by tf.nn.dynamic_rnn and a W*x+b
output layer learn to map a window of sin(x) onto cos(x). Each batch is 50 consecutive windows
of 20 steps, and the LSTM's final state is fed back as the next batch's initial state, so the
network sees one long sequence. The cost is tf.contrib.legacy_seq2seq.sequence_loss_by_example
with a squared error as its "softmax" loss function, summed and divided by the batch size. The
name_scopes (inputs, in_hidden, LSTM_cell, out_hidden, cost, train) give the TensorBoard graph
of the post.

Deviations, each for a reason:
- The original animates every step with plt.ion()/plt.pause(0.3): 60 s of sleeping in a 200-step
  run, and a window that needs a display. Here the figure is recorded into prediction.gif (a
  matplotlib PillowWriter) every FRAME_EVERY = 2 steps, each frame shown 0.6 s so the GIF keeps
  the original's pace (every 2nd step halves the rendering time; 101 frames for 200 steps), and
  the last picture is prediction.png. --show also opens the live window with plt.pause(0.3).
  Headless (no --show), the frames are drawn by a helper process on the other core while training
  goes on (Run.animation(background=True), tf1_examples/_gif.py): the same pixels, and the
  training loop no longer waits for the ~2.7 s of CPU that drawing 101 frames takes (the 200-step
  loop measured 9.3 -> 3.0 s on a busy 2-core machine). The ~60 frames still to draw when
  training ends are split with a forked copy of the helper, one half on each core (Linux).
- The Session has one intra-op and one inter-op thread (the original: TensorFlow's defaults).
  This graph is too small to gain from thread pools: a step takes less time on one thread (4.3-5.0
  vs 4.9-5.9 ms on TF 2.21, 5.3-5.6 vs 6.8-6.9 ms on TF 1.15) at half the CPU, every cost of a
  seeded run is bit-identical, and the other core stays free for the GIF helper: the default run
  measured 8.9-11.1 s end to end instead of 10.3-12.0 s (tf1_examples/_runs.py session_config).
- The original calls plt.plot every step, leaving 400 Line2D artists on the axes, so each redraw
  gets slower (about 0.2 s a frame by the end, measured here). Here two lines grow by one
  NaN-separated segment per step (extend_line): the same picture at a constant cost per frame.
- logs/ (FileWriter with the graph) is inside the run folder, and the cost summary the original
  merges is written every step, fetched in the training sess.run (its add_summary is commented
  out in the original; fetching it there adds no forward pass).
- Every step's cost goes to metrics.csv (the original prints every 20th), and the variables are
  saved to checkpoints/model.ckpt-STEP every CHECKPOINT_EVERY = 100 steps and at the end (the
  original saves nothing), with the LSTM state fed into the next batch beside them
  (model.ckpt-STEP.position.json). So Ctrl-C (which stops after the current step) or a kill
  loses at most 100 steps, and --resume continues exactly: the same batches, the same state (a
  seeded run stopped and resumed gives the figures of one left alone). The GIF of a resumed run
  shows the steps it ran.
- --seed sets tf.set_random_seed (and numpy/random); the original is unseeded.
- Added for the parity tests (tests/test_parity.py): --init-from DIR starts from the variables of
  a checkpoint (a TF 1.15 run's initial/ folder from --save-initial) instead of fresh random ones,
  since TF 1.15 and TF 2.x derive different initial values from one --seed.
"""

import contextlib

import numpy as np
import matplotlib.pyplot as plt

import compat.v1 as tf
from tf1_examples import _runs

# ---------------------------------- parameters (the original's) --------------------------------
BATCH_START = 0
TIME_STEPS = 20
BATCH_SIZE = 50
INPUT_SIZE = 1
OUTPUT_SIZE = 1
CELL_SIZE = 10
LR = 0.006
TRAINING_STEPS = 200      # the original's `for i in range(200)`
FRAME_EVERY = 2           # GIF: one frame every 2 steps (100 frames for the 200-step run)
CHECKPOINT_EVERY = 100    # steps between checkpoints: under 1 s of training, 13 ms each (1.4%)


def get_batch():
    """50 windows of 20 consecutive x values; input sin(x), target cos(x)."""
    global BATCH_START, TIME_STEPS
    # xs shape (50batch, 20steps)
    xs = np.arange(BATCH_START, BATCH_START + TIME_STEPS * BATCH_SIZE).reshape((BATCH_SIZE, TIME_STEPS)) / (10 * np.pi)
    seq = np.sin(xs)
    res = np.cos(xs)
    BATCH_START += TIME_STEPS
    return [seq[:, :, np.newaxis], res[:, :, np.newaxis], xs]


class LSTMRNN(object):
    def __init__(self, n_steps, input_size, output_size, cell_size, batch_size):
        self.n_steps = n_steps
        self.input_size = input_size
        self.output_size = output_size
        self.cell_size = cell_size
        self.batch_size = batch_size
        with tf.name_scope('inputs'):
            self.xs = tf.placeholder(tf.float32, [None, n_steps, input_size], name='xs')
            self.ys = tf.placeholder(tf.float32, [None, n_steps, output_size], name='ys')
        with tf.variable_scope('in_hidden'):
            self.add_input_layer()
        with tf.variable_scope('LSTM_cell'):
            self.add_cell()
        with tf.variable_scope('out_hidden'):
            self.add_output_layer()
        with tf.name_scope('cost'):
            self.compute_cost()
        with tf.name_scope('train'):
            self.train_op = tf.train.AdamOptimizer(LR).minimize(self.cost)

    def add_input_layer(self,):
        # [None, n_steps, input_size] => (batch*n_step, in_size)
        l_in_x = tf.reshape(self.xs, [-1, self.input_size], name='2_2D')
        Ws_in = self._weight_variable([self.input_size, self.cell_size])
        bs_in = self._bias_variable([self.cell_size, ])
        with tf.name_scope('Wx_plus_b'):
            l_in_y = tf.matmul(l_in_x, Ws_in) + bs_in
        # (batch * n_steps, cell_size) ==> (batch, n_steps, cell_size)
        self.l_in_y = tf.reshape(l_in_y, [-1, self.n_steps, self.cell_size], name='2_3D')

    def add_cell(self):
        lstm_cell = tf.nn.rnn_cell.BasicLSTMCell(self.cell_size, forget_bias=1.0, state_is_tuple=True)
        with tf.name_scope('initial_state'):
            self.cell_init_state = lstm_cell.zero_state(self.batch_size, dtype=tf.float32)
        # the final state is fed back as the next batch's initial state
        self.cell_outputs, self.cell_final_state = tf.nn.dynamic_rnn(
            lstm_cell, self.l_in_y, initial_state=self.cell_init_state, time_major=False)

    def add_output_layer(self):
        # shape => (batch * steps, cell_size)
        l_out_x = tf.reshape(self.cell_outputs, [-1, self.cell_size], name='2_2D')
        Ws_out = self._weight_variable([self.cell_size, self.output_size])
        bs_out = self._bias_variable([self.output_size, ])
        # shape => (batch * steps, output_size)
        with tf.name_scope('Wx_plus_b'):
            self.pred = tf.matmul(l_out_x, Ws_out) + bs_out

    def compute_cost(self):
        losses = tf.contrib.legacy_seq2seq.sequence_loss_by_example(
            [tf.reshape(self.pred, [-1], name='reshape_pred')],
            [tf.reshape(self.ys, [-1], name='reshape_target')],
            [tf.ones([self.batch_size * self.n_steps], dtype=tf.float32)],
            average_across_timesteps=True,
            softmax_loss_function=self.msr_error,
            name='losses'
        )
        with tf.name_scope('average_cost'):
            self.cost = tf.div(
                tf.reduce_sum(losses, name='losses_sum'),
                self.batch_size,
                name='average_cost')
            tf.summary.scalar('cost', self.cost)

    def msr_error(self, logits, labels):
        return tf.square(tf.subtract(logits, labels))

    def _weight_variable(self, shape, name='weights'):
        initializer = tf.random_normal_initializer(mean=0., stddev=1.,)
        return tf.get_variable(shape=shape, initializer=initializer, name=name)

    def _bias_variable(self, shape, name='biases'):
        initializer = tf.constant_initializer(0.1)
        return tf.get_variable(name=name, shape=shape, initializer=initializer)


def extend_line(line, x, y):
    """Append one segment to a Line2D (NaN-separated): the picture of one more plt.plot call."""
    xs, ys = line.get_data()
    line.set_data(np.concatenate([xs, [np.nan], x]), np.concatenate([ys, [np.nan], y]))


def lstm_position(state):
    """What a checkpoint needs besides the variables: the LSTM state fed into the next batch."""
    return {} if state is None else {"state": [np.asarray(s).tolist() for s in state]}


def train(run):
    """The original's `if __name__ == '__main__':` body, writing into the run folder."""
    global BATCH_START
    run.seed_python()
    if not run.show:
        plt.switch_backend("Agg")

    graph = tf.Graph()
    with graph.as_default():
        if run.seed is not None:
            tf.set_random_seed(run.seed)
        model = LSTMRNN(TIME_STEPS, INPUT_SIZE, OUTPUT_SIZE, CELL_SIZE, BATCH_SIZE)
        saver = tf.train.Saver()
        sess = tf.Session(config=run.session_config(tf, one_thread=True))   # one thread: deviations
        merged = tf.summary.merge_all()
        writer = tf.summary.FileWriter(str(run.fresh_dir("logs")), sess.graph)
        sess.run(tf.initialize_all_variables())
        run.init_from(saver, sess)      # --init-from (parity tests): the same start on both runtimes
        checkpoints = run.fresh_dir("checkpoints")
        # --resume: the checkpoint's step, and the LSTM state to feed into the next batch
        position = run.resume_from(saver, sess, checkpoints)
        start, end = run.start, run.total
        BATCH_START = start * TIME_STEPS        # the batches continue where the run stopped
        state = tuple(np.array(s, dtype=np.float32) for s in position["state"]) if "state" in position else None
        if run.args.save_initial:
            saver.save(sess, str(run.fresh_dir("initial") / "model.ckpt"))
        graph.finalize()

        # plotting: each step adds window 0's target (red) and prediction (dashed blue) to the axes
        fig = plt.figure()
        real_line, pred_line = plt.plot([], [], 'r', [], [], 'b--')
        if run.show:
            plt.ion()
            plt.show()
        done = start
        # headless, the frames are drawn by a helper process while training goes on (deviations);
        # a run killed after its last checkpoint has no step left to draw: its pictures stay
        animation = run.animation(fig, "prediction.gif", fps=1 / (0.3 * FRAME_EVERY), dpi=72,
                                  background=not run.show) if end > start else contextlib.nullcontext()
        with animation as gif, run.loop(end - start) as bar:
            for i in range(start, end):
                seq, res, xs = get_batch()
                if state is None:           # the first step (a resumed run feeds its saved state)
                    feed_dict = {
                        model.xs: seq,
                        model.ys: res,
                        # create initial state
                    }
                else:
                    feed_dict = {
                        model.xs: seq,
                        model.ys: res,
                        model.cell_init_state: state    # use last state as the initial state for this run
                    }
                _, cost, state, pred, summary = sess.run(
                    [model.train_op, model.cost, model.cell_final_state, model.pred, merged],
                    feed_dict=feed_dict)
                writer.add_summary(summary, i)
                run.log(i, cost=float(cost))

                # = plt.plot(xs[0, :], res[0].flatten(), 'r', xs[0, :], pred.flatten()[:TIME_STEPS], 'b--')
                extend_line(real_line, xs[0, :], res[0].flatten())
                extend_line(pred_line, xs[0, :], pred.flatten()[:TIME_STEPS])
                plt.gca().relim()
                plt.gca().autoscale_view()
                plt.ylim((-1.2, 1.2))
                if (i - start) % FRAME_EVERY == 0 or i == end - 1:
                    gif.grab_frame()
                if run.show:
                    plt.draw()
                    plt.pause(0.3)

                if i % 20 == 0:
                    print('cost: ', round(cost, 4))
                bar.update()
                done = i + 1
                if run.stop_requested:      # Ctrl-C: stop after this step, through the normal end of training
                    break
                if done % CHECKPOINT_EVERY == 0 and done < end:
                    run.save_checkpoint(saver, sess, checkpoints / "model.ckpt", done, lstm_position(state))
        writer.close()
        run.save_checkpoint(saver, sess, checkpoints / "model.ckpt", done, lstm_position(state))
        sess.close()
    run.stop_if_interrupted()
    if end > start:
        run.save_figure(fig, "prediction.png")
    plt.close(fig)
    # this plan's steps (all of them, when a resumed run completes an interrupted one)
    costs = [row["cost"] for row in run.metrics if row["step"] >= run.plan_start]
    run.finish(
        hparams=dict(TIME_STEPS=TIME_STEPS, BATCH_SIZE=BATCH_SIZE, INPUT_SIZE=INPUT_SIZE,
                     OUTPUT_SIZE=OUTPUT_SIZE, CELL_SIZE=CELL_SIZE, LR=LR, steps=run.steps,
                     FRAME_EVERY=FRAME_EVERY),
        results=dict(first_cost=costs[0], last_cost=costs[-1],
                     printed_costs=[round(c, 4) for s, c in zip(range(run.plan_start, run.total), costs)
                                    if s % 20 == 0]))


def reproduce(argv=None):
    """Python entry: run with CLI-style `argv`; returns the Run (run.metrics, run.results, run.dir).
    Raises _runs.UsageError on bad input."""
    return _runs.execute(_runs.prepare("lstm_regression", argv), train)


def main(argv=None):
    """`python -m tf1_examples run lstm_regression ...`; returns the exit status."""
    return _runs.main("lstm_regression", argv, train)


if __name__ == "__main__":
    raise SystemExit(main())
