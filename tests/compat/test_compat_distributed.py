"""Distributed TF 1.x under compat: create_local_server's job is `local`, and a real two-process
ps/worker training on localhost (replica_device_setter, MonitoredTrainingSession, StopAtStepHook)
ends with the variables plain gradient descent computes in numpy, on both runtimes."""

import json
import sys
import textwrap

import numpy as np
import portpicker
import pytest

import compat.v1 as tf
from conftest import run_python


@pytest.mark.parametrize("server_class", ["train.Server", "distribute.Server"])
def test_create_local_server_job_is_local(server_class):
    """TF 1.x scripts place ops on /job:local/task:0 of the local server (TF 2.x named it localhost)."""
    server_type = tf.train.Server if server_class == "train.Server" else tf.distribute.Server
    server = server_type.create_local_server()
    assert [job.name for job in server.server_def.cluster.job] == ["local"]
    assert server.server_def.job_name == "local" and isinstance(server, tf.train.Server)
    graph = tf.Graph()
    with graph.as_default():
        with tf.device("/job:local/task:0"):
            product = tf.constant([1.5, -2.0]) * 4.0
        with tf.Session(server.target) as sess:
            np.testing.assert_array_equal(sess.run(product), [6.0, -8.0])
            assert "/job:local/replica:0/task:0/device:CPU:0" in [d.name for d in sess.list_devices()]


STEPS, LEARNING_RATE = 5, 0.1
X = [[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [-2.0, 1.0]]
Y = [[1.0], [2.0], [0.0], [-1.0]]

TRAINER = textwrap.dedent('''
    import json, socket, sys, time
    import numpy as np
    import tensorflow as tf

    ps_port, worker_port = int(sys.argv[1]), int(sys.argv[2])
    cluster = tf.train.ClusterSpec({"ps": ["localhost:%%d" %% ps_port], "worker": ["localhost:%%d" %% worker_port]})
    server = tf.train.Server(cluster, job_name="worker", task_index=0)

    with tf.device(tf.train.replica_device_setter(cluster=cluster)):
        global_step = tf.train.get_or_create_global_step()
        w = tf.get_variable("w", initializer=tf.zeros([2, 1]))
        b = tf.get_variable("b", initializer=tf.zeros([1]))
        x, y = tf.constant(np.array(%(x)r, np.float32)), tf.constant(np.array(%(y)r, np.float32))
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        train_op = tf.train.GradientDescentOptimizer(%(lr)r).minimize(loss, global_step=global_step)

    deadline = time.time() + 120     # the ps task may start after this one: wait until it listens
    while True:
        try:
            socket.create_connection(("localhost", ps_port), timeout=1).close()
            break
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)
    runs = 0
    hooks = [tf.train.StopAtStepHook(last_step=%(steps)d)]
    with tf.train.MonitoredTrainingSession(master=server.target, is_chief=True, hooks=hooks) as sess:
        while not sess.should_stop():
            sess.run(train_op)
            runs += 1
    with tf.Session(server.target) as sess:     # the variables live on the ps, which is still up
        w_value, b_value, step = sess.run([w, b, global_step])
    print("REPORT " + json.dumps({"w": w_value.tolist(), "b": b_value.tolist(), "step": int(step), "runs": runs,
                                  "devices": [w.device, loss.device]}))
''') % {"x": X, "y": Y, "lr": LEARNING_RATE, "steps": STEPS}


def gradient_descent():
    """The same training in float64 numpy: STEPS updates of w, b on the mean squared error."""
    x, y = np.array(X), np.array(Y)
    w, b = np.zeros((2, 1)), np.zeros(1)
    for _ in range(STEPS):
        residual = x.dot(w) + b - y
        w, b = w - LEARNING_RATE * 2 * x.T.dot(residual) / len(x), b - LEARNING_RATE * 2 * residual.mean(0)
    return w, b


def test_ps_worker_training_in_two_processes(tmp_path):
    """The ps task is this test's process (a ps only serves variables: TF 1.x scripts start it and
    join() forever), the worker a `python -m compat trainer.py` process that trains through it."""
    script = tmp_path / "trainer.py"
    script.write_text(TRAINER)
    ps_port, worker_port = portpicker.pick_unused_port(), portpicker.pick_unused_port()
    cluster = tf.train.ClusterSpec({"ps": ["localhost:%d" % ps_port], "worker": ["localhost:%d" % worker_port]})
    ps = tf.train.Server(cluster, job_name="ps", task_index=0)   # serves until this process ends
    worker = run_python(sys.executable, "-m", "compat", script, ps_port, worker_port, cwd=tmp_path, timeout=300)
    assert ps.server_def.job_name == "ps"
    assert worker.returncode == 0, worker.stderr[-3000:]
    report = json.loads([l for l in worker.stdout.splitlines() if l.startswith("REPORT ")][-1][len("REPORT "):])
    assert report["step"] == report["runs"] == STEPS
    assert report["devices"][0].startswith("/job:ps/task:0") and report["devices"][1].startswith("/job:worker")
    w, b = gradient_descent()
    np.testing.assert_allclose(report["w"], w, rtol=1e-5)
    np.testing.assert_allclose(report["b"], b, rtol=1e-5)
