"""tf.contrib.rnn.LSTMBlockCell / LSTMBlockFusedCell: TF 1.15's names, math and gradients.

The forward math is checked against numpy written from the block kernel's equations; the
gradients (registered by compat on TF 2.x) against TensorFlow's own autodiff of LSTMCell, which
computes the same function from elementary ops when given the same weights.
"""

import numpy as np
import pytest

from conftest import tf

BATCH, STEPS, INPUT, UNITS = 2, 4, 3, 5

pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def sequence(seed=0):
    """[STEPS, BATCH, INPUT] (time-major)."""
    return np.random.RandomState(seed).randn(STEPS, BATCH, INPUT).astype(np.float32)


def np_block_lstm(xs, kernel, bias, forget_bias=1.0, cell_clip=-1.0, peepholes=None):
    """LSTMBlockCell's equations over time: gates (i, ci, f, o) from [x, h] @ kernel + bias,
    peepholes from the previous cell state for i and f and the new one for o. Returns the list of
    (c, h) per step."""
    wci, wcf, wco = peepholes if peepholes is not None else (0.0, 0.0, 0.0)
    c = np.zeros((xs.shape[1], kernel.shape[1] // 4), np.float32)
    h = np.zeros_like(c)
    states = []
    for x in xs:
        i, ci, f, o = np.split(np.concatenate([x, h], axis=1).dot(kernel) + bias, 4, axis=1)
        i = sigmoid(i + wci * c)
        f = sigmoid(f + forget_bias + wcf * c)
        c = f * c + i * np.tanh(ci)
        if cell_clip > 0:
            c = np.clip(c, -cell_clip, cell_clip)
        h = sigmoid(o + wco * c) * np.tanh(c)
        states.append((c, h))
    return states


def randomize(session, scale=1.0, seed=7):
    """Give every variable random values (a zero bias would hide bias/forget-bias mistakes)."""
    rng = np.random.RandomState(seed)
    for v in tf.global_variables():
        session.run(v.assign(scale * rng.randn(*v.shape.as_list()).astype(np.float32)))
    return {v.op.name: value for v, value in zip(tf.global_variables(), session.run(tf.global_variables()))}


def test_block_cell_names_shapes_and_initial_values(session):
    cell = tf.contrib.rnn.LSTMBlockCell(UNITS, use_peephole=True)
    outputs, state = tf.nn.static_rnn(cell, tf.unstack(sequence()), dtype=tf.float32)
    assert isinstance(state, tf.contrib.rnn.LSTMStateTuple)
    assert cell.state_size == (UNITS, UNITS) and cell.output_size == UNITS
    assert [(v.op.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("rnn/lstm_cell/kernel", [INPUT + UNITS, 4 * UNITS]), ("rnn/lstm_cell/bias", [4 * UNITS]),
        ("rnn/lstm_cell/w_i_diag", [UNITS]), ("rnn/lstm_cell/w_f_diag", [UNITS]),
        ("rnn/lstm_cell/w_o_diag", [UNITS])]
    assert [o.shape.as_list() for o in outputs] == [[BATCH, UNITS]] * STEPS
    assert sum(op.type == "LSTMBlockCell" for op in tf.get_default_graph().get_operations()) == STEPS
    session.run(tf.global_variables_initializer())
    np.testing.assert_array_equal(session.run(tf.global_variables()[1]), 0.0)  # bias starts at zero


@pytest.mark.parametrize("peephole, clip", [(False, None), (True, 0.3)], ids=["plain", "peephole_clip"])
def test_block_cell_equals_numpy(session, peephole, clip):
    xs = sequence(1)
    cell = tf.contrib.rnn.LSTMBlockCell(UNITS, forget_bias=0.6, cell_clip=clip, use_peephole=peephole)
    _, state = tf.nn.static_rnn(cell, tf.unstack(xs), dtype=tf.float32)
    weights = randomize(session, scale=0.8)
    peepholes = tuple(weights["rnn/lstm_cell/w_%s_diag" % g] for g in "ifo") if peephole else None
    c, h = np_block_lstm(xs, weights["rnn/lstm_cell/kernel"], weights["rnn/lstm_cell/bias"], forget_bias=0.6,
                         cell_clip=clip or -1.0, peepholes=peepholes)[-1]
    got = session.run(state)
    if clip:
        assert np.abs(got.c).max() == pytest.approx(clip)  # the clip was reached, so it was tested
    np.testing.assert_allclose(got.c, c, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got.h, h, rtol=1e-5, atol=1e-6)


def test_block_cell_gradients_equal_lstm_cell_autodiff(session):
    """compat registers LSTMBlockCell's gradient on TF 2.x: it must equal what TensorFlow derives
    for LSTMCell (same gate layout and peephole math) by differentiating elementary ops. Without
    cell_clip: TF 1.x's gradient kernel lets the gradient through clipped cell values."""
    xs = tf.constant(sequence(2))
    block_out, _ = tf.nn.static_rnn(tf.contrib.rnn.LSTMBlockCell(UNITS, use_peephole=True),
                                    tf.unstack(xs), dtype=tf.float32, scope="block")
    ref_out, _ = tf.nn.static_rnn(tf.contrib.rnn.LSTMCell(UNITS, use_peepholes=True),
                                  tf.unstack(xs), dtype=tf.float32, scope="ref")
    by_name = {v.op.name: v for v in tf.global_variables()}
    suffixes = ["kernel", "bias", "w_i_diag", "w_f_diag", "w_o_diag"]
    block_vars = [by_name["block/lstm_cell/" + s] for s in suffixes]
    ref_vars = [by_name["ref/lstm_cell/" + s] for s in suffixes]
    target = np.random.RandomState(3).randn(BATCH, UNITS).astype(np.float32)
    block_grads = tf.gradients(tf.reduce_sum(tf.square(block_out[-1] - target)) + tf.reduce_sum(block_out[0]),
                               block_vars + [xs])
    ref_grads = tf.gradients(tf.reduce_sum(tf.square(ref_out[-1] - target)) + tf.reduce_sum(ref_out[0]),
                             ref_vars + [xs])
    randomize(session, scale=0.6)
    session.run([r.assign(b) for b, r in zip(block_vars, ref_vars)])
    got, expected = session.run([block_grads, ref_grads])
    for name, g, e in zip(suffixes + ["inputs"], got, expected):
        assert np.abs(e).max() > 1e-3, name  # a gradient that flows, so equality means something
        np.testing.assert_allclose(g, e, rtol=1e-4, atol=1e-5, err_msg=name)


@pytest.fixture(scope="module")
def fused_and_unrolled():
    """One graph: LSTMBlockFusedCell and LSTMBlockCell unrolled on its weights, with lengths."""
    graph = tf.Graph()
    with graph.as_default():
        xs = tf.constant(sequence(4))
        lengths = tf.constant([STEPS, 2])
        fused = tf.contrib.rnn.LSTMBlockFusedCell(UNITS, forget_bias=0.5, use_peephole=True)
        fused_out, fused_state = fused(xs, dtype=tf.float32, sequence_length=lengths)
        variables = tf.global_variables()
        cell = tf.contrib.rnn.LSTMBlockCell(UNITS, forget_bias=0.5, use_peephole=True)
        unrolled_out, unrolled_state = tf.nn.dynamic_rnn(cell, xs, sequence_length=lengths, time_major=True,
                                                         dtype=tf.float32)
        # The unrolled cell takes the fused cell's weights (same names after the scope, same order).
        copy = tf.group(*[b.assign(f) for f, b in zip(variables, tf.global_variables()[len(variables):])])
        loss = tf.reduce_mean(tf.square(fused_out - 0.3))
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
        session = tf.Session(graph=graph)
        session.run(tf.global_variables_initializer())
        yield dict(graph=graph, session=session, variables=variables, fused=(fused_out, fused_state),
                   unrolled=(unrolled_out, unrolled_state), copy=copy,
                   loss=loss, train=train)
        session.close()


def test_fused_cell_names_and_shapes(fused_and_unrolled):
    f = fused_and_unrolled
    assert [(v.op.name, v.shape.as_list()) for v in f["variables"]] == [
        ("lstm_fused_cell/kernel", [INPUT + UNITS, 4 * UNITS]), ("lstm_fused_cell/bias", [4 * UNITS]),
        ("lstm_fused_cell/w_i_diag", [UNITS]), ("lstm_fused_cell/w_f_diag", [UNITS]),
        ("lstm_fused_cell/w_o_diag", [UNITS])]
    assert f["fused"][0].shape.as_list() == [STEPS, BATCH, UNITS]
    assert "BlockLSTM" in [op.type for op in f["graph"].get_operations()]


def test_fused_cell_equals_block_cell_unrolled(fused_and_unrolled):
    """Outputs past a sequence's length are zero and its final state is the one at its last step,
    as dynamic_rnn gives."""
    f = fused_and_unrolled
    f["session"].run(f["copy"])
    (fused_out, fused_state), (unrolled_out, unrolled_state) = f["session"].run([f["fused"], f["unrolled"]])
    np.testing.assert_allclose(fused_out, unrolled_out, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(fused_out[2:, 1], 0.0)
    for got, expected in zip(fused_state, unrolled_state):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_fused_cell_gradient_trains(fused_and_unrolled):
    f = fused_and_unrolled
    losses = [f["session"].run([f["loss"], f["train"]])[0] for _ in range(15)]
    assert losses[-1] < 0.5 * losses[0], losses


def test_fused_cell_initial_state_and_errors(graph):
    fused = tf.contrib.rnn.LSTMBlockFusedCell(UNITS)
    with pytest.raises(ValueError, match="Either initial_state or dtype"):
        fused(tf.constant(sequence()))
    c = tf.fill([BATCH, UNITS], 0.5)
    out, state = fused(tf.constant(sequence()), initial_state=(c, c))
    assert out.dtype == tf.float32 and state.c.shape.as_list() == [BATCH, UNITS]
    with pytest.raises(ValueError):
        tf.contrib.rnn.LSTMBlockCell(UNITS)(tf.zeros([BATCH, STEPS, INPUT]), (c, c))  # not rank 2
    # The docstring promises list inputs, but TF 1.15's input spec (one rank-3 tensor) refuses them.
    with pytest.raises(ValueError, match="lstm_fused_cell"):
        fused(tf.unstack(tf.constant(sequence())), dtype=tf.float32)
