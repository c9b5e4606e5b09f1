"""One step of several RNN cells in one graph, for numpy-reference tests of tf.contrib.rnn's cells.

`run_steps({"name": make_cell, ...})` builds, in one graph, each cell under variable scope `name`,
called once on fixed [BATCH, INPUT] inputs and a random state of the cell's state_size, sets every
variable to random values (so biases, gains and peepholes all matter), and evaluates everything in
one session. Each result: inputs `x`, `state_in`, `output`, `state`, `variables` ({name relative
to the cell's scope: array}) and `shapes` ([name, shape] in creation order). Python 3.7 compatible.
"""

import numpy as np

import compat.v1 as tf

BATCH, INPUT = 2, 4


class Step(object):
    def __init__(self, **fields):
        self.__dict__.update(fields)


def step_inputs(steps, batch, width, seed=0):
    """`steps` arrays of [batch, width] from numpy's RandomState(seed)."""
    rng = np.random.RandomState(seed)
    return [rng.randn(batch, width).astype(np.float32) for _ in range(steps)]


def _random_state(rng, state_size):
    return tf.nest.map_structure(lambda size: rng.uniform(-1, 1, (BATCH, size)).astype(np.float32), state_size)


def run_steps(builders, input_width=INPUT, seed=0):
    rng = np.random.RandomState(seed)
    graph = tf.Graph()
    built = {}
    with graph.as_default():
        for name in sorted(builders):
            with tf.variable_scope(name):
                cell = builders[name]()
                x = rng.randn(BATCH, input_width).astype(np.float32)
                state_in = _random_state(rng, cell.state_size)
                output, state = cell(tf.constant(x), tf.nest.map_structure(tf.constant, state_in))
            variables = [v for v in tf.global_variables() if v.op.name.startswith(name + "/")]
            built[name] = (cell, x, state_in, output, state, variables)
        init = tf.global_variables_initializer()
    results = {}
    with tf.Session(graph=graph) as session:
        session.run(init)
        for name in sorted(built):
            for variable in built[name][5]:
                variable.load(rng.uniform(-1, 1, variable.shape.as_list()).astype(np.float32), session)
        fetched = session.run({name: (b[3], b[4], b[5]) for name, b in built.items()})
    for name, (cell, x, state_in, _, _, variables) in built.items():
        output, state, values = fetched[name]
        prefix = len(name) + 1
        results[name] = Step(
            cell=cell, x=x, state_in=state_in, output=output, state=state,
            variables={v.op.name[prefix:]: value for v, value in zip(variables, values)},
            shapes=[[v.op.name[prefix:], v.shape.as_list()] for v in variables])
    return results


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def layer_norm(x, gamma, beta, epsilon=1e-12):
    """Over the last axis, as contrib's layer_norm does (biased variance)."""
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + epsilon) * gamma + beta


def linear(variables, scope, *args):
    """[args] @ scope/kernel + scope/bias (bias only if the cell made one)."""
    prefix = scope + "/" if scope else ""
    out = np.concatenate(args, axis=1).dot(variables[prefix + "kernel"])
    if prefix + "bias" in variables:
        out = out + variables[prefix + "bias"]
    return out


def assert_close(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)
