"""LSTM RNN regression: predict cos(x) from sin(x).

Original: Morvan Zhou, MorvanZhou/tutorials tensorflowTUT/tf20_RNN2.2/full_code.py, as republished
    by Eastmount (CSDN, "[Python人工智能] 十四.循环神经网络LSTM RNN回归案例之sin曲线预测", 2020-01-10, TF 1.15)
Source: https://github.com/MorvanZhou/tutorials/blob/master/tensorflowTUT/tf20_RNN2.2/full_code.py
What it shows: a W*x+b input layer, a BasicLSTMCell unrolled by dynamic_rnn and a W*x+b output
    layer map windows of sin(x) onto cos(x); each batch's final LSTM state is fed into the next
    batch, so the network sees one long sequence; the cost is legacy_seq2seq's
    sequence_loss_by_example with a squared error; name_scopes give the post's TensorBoard graph.
Published: `cost:` every 20 steps, 33.1673 9.1332 3.8899 1.3271 0.2682 0.4912 1.0692 0.3812
    0.63 0.335 (one unseeded run; tf1_examples/registry.py)
Run: python -m tf1_examples run lstm_regression [--seed S] [--show]

Deviations (reasons: docs/deviations.md#lstm_regression):
- the plt.ion()/plt.pause(0.3) animation is recorded into prediction.gif (a frame every 2 steps,
  drawn by a helper process) and prediction.png; --show also opens the live window
- two lines grow by one segment per step instead of 400 plt.plot calls (same picture)
- the Session has one intra-op and one inter-op thread
- logs/ is in the run folder; the merged cost summary is fetched and written every step
- every step's cost goes to metrics.csv; checkpoints every 100 steps and at the end (--resume)
- --seed seeds the graph, numpy and random; --init-from / --save-initial for the parity tests
"""

import numpy as np
import matplotlib.pyplot as plt

import compat.v1 as tf
from tf1_examples.added.lstm_regression import extend_line, lstm_position, lstm_state

# ---------------------------------- parameters (the original's) --------------------------------
BATCH_START = 0
TIME_STEPS = 20
BATCH_SIZE = 50
INPUT_SIZE = 1
OUTPUT_SIZE = 1
CELL_SIZE = 10
LR = 0.006
TRAINING_STEPS = 200      # the original's `for i in range(200)`
FRAME_EVERY = 2           # GIF: one frame every 2 steps (101 frames for the 200-step run)
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


def train(run):
    """The original's `if __name__ == '__main__':` body, writing into the run folder."""
    global BATCH_START
    if not run.show:
        plt.switch_backend("Agg")
    graph = tf.Graph()
    with graph.as_default():
        run.seed_graph()
        # 定义模型并初始化 (build the model and initialise it)
        model = LSTMRNN(TIME_STEPS, INPUT_SIZE, OUTPUT_SIZE, CELL_SIZE, BATCH_SIZE)
        saver = tf.train.Saver()        # for the checkpoints (not in the original)
        sess = tf.Session(config=run.session_config(tf, one_thread=True))
        merged = tf.summary.merge_all()
        writer = tf.summary.FileWriter(str(run.fresh_dir("logs")), sess.graph)
        sess.run(tf.initialize_all_variables())
        # --init-from, --resume, --save-initial, checkpoints, Ctrl-C: tf1_examples/harness/training.py
        training = run.training(saver, sess, every=CHECKPOINT_EVERY, position=lambda done: lstm_position(state))
        BATCH_START = run.start * TIME_STEPS        # a resumed run's batches go on where it stopped
        state = lstm_state(training.position)
        graph.finalize()

        # 交互模式启动 (the plot: each step adds window 0's target and prediction)
        fig = plt.figure()
        real_line, pred_line = plt.plot([], [], 'r', [], [], 'b--')
        if run.show:
            plt.ion()
            plt.show()
        with run.animation(fig, "prediction.gif", fps=1 / (0.3 * FRAME_EVERY), dpi=72,
                           background=not run.show) as gif:
            # 训练模型 (train the model)
            for i in training.steps():
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
                if (i - run.start) % FRAME_EVERY == 0 or i == run.total - 1:
                    gif.grab_frame()
                if run.show:
                    plt.draw()
                    plt.pause(0.3)

                # 每隔20步输出结果 (print every 20 steps)
                if i % 20 == 0:
                    print('cost: ', round(cost, 4))
        writer.close()
        training.end()
        sess.close()
    if run.total > run.start:           # a resumed run with no step left keeps its picture
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

