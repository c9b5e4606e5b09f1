"""tf.contrib.rnn's TimeFreqLSTMCell, GridLSTMCell and BidirectionalGridLSTMCell: TF 1.15's
variable names, state layout and maths (numpy, from the cells' equations, on their own weights)."""

import numpy as np
import pytest

from conftest import TF1, tf

BATCH, UNITS = 2, 3

pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def windows(x, start, count, size, skip):
    return [x[:, start + k * skip:start + k * skip + size] for k in range(count)]


def values_by_name(session, scope):
    """{name relative to `scope`: value} of the graph's variables, after initialising them."""
    session.run(tf.global_variables_initializer())
    variables = tf.global_variables()
    return {v.op.name[len(scope) + 1:]: value for v, value in zip(variables, session.run(variables))}


def np_grid_block(block_windows, previous, w, block, forget_bias=1.0, peepholes=False, shared=False,
                  coupled=False, clip=None):
    """One step of one frequency block. `previous` = [(c_time, m_time)] per window; `w` holds the
    weights by TF 1.15 name. Returns ([m_time, m_freq] per window, [c_time, m_time] per window)."""
    gates = 3 if coupled else 4
    kinds = {"freq": "f", "time": "f" if shared else "t"}

    def diag(gate, kind, source):
        return w["W_%s_diag_%s%s_%d" % (gate, "freq" if shared else kind, source, block)]

    def lstm(kind, pre, c_prev, c_prev_freq, c_prev_time):
        i, j = pre[0], pre[1]
        peep_i = diag("I", kind, "f") * c_prev_freq + diag("I", kind, "t") * c_prev_time if peepholes else 0
        input_gate = sigmoid(i + peep_i)
        if coupled:
            forget_gate = 1.0 - input_gate
        else:
            peep_f = diag("F", kind, "f") * c_prev_freq + diag("F", kind, "t") * c_prev_time if peepholes else 0
            forget_gate = sigmoid(pre[2] + forget_bias + peep_f)
        c = forget_gate * c_prev + input_gate * np.tanh(j)
        return np.clip(c, -clip, clip) if clip is not None else c

    m_prev_freq = c_prev_freq = np.zeros((BATCH, UNITS), np.float32)
    outputs, states = [], []
    for window, (c_prev_time, m_prev_time) in zip(block_windows, previous):
        joined = np.concatenate([window, m_prev_time, m_prev_freq], axis=1)
        pre = {kind: np.split(joined.dot(w["W_%s_%d_0" % (k, block)]) + w["B_%s_%d" % (k, block)], gates, axis=1)
               for kind, k in kinds.items()}
        c_freq = lstm("freq", pre["freq"], c_prev_freq, c_prev_freq, c_prev_time)
        c_time = lstm("time", pre["time"], c_prev_time, c_prev_freq, c_prev_time)
        m = {}
        for kind, c in (("freq", c_freq), ("time", c_time)):
            peep_o = diag("O", kind, "f") * c_freq + diag("O", kind, "t") * c_time if peepholes else 0
            m[kind] = sigmoid(pre[kind][-1] + peep_o) * np.tanh(c)
        outputs += [m["time"], m["freq"]]
        states += [c_time, m["time"]]
        m_prev_freq, c_prev_freq = m["freq"], c_freq
    return outputs, states


def random_state(rng, count):
    return [(rng.randn(BATCH, UNITS).astype(np.float32), rng.randn(BATCH, UNITS).astype(np.float32))
            for _ in range(count)]


@pytest.mark.parametrize("options", [
    dict(),
    dict(peepholes=True, clip=0.7, forget_bias=0.5),
    dict(peepholes=True, shared=True, coupled=True),
], ids=["defaults", "peepholes_clip", "peepholes_shared_coupled"])
def test_grid_lstm_cell_step_matches_numpy(session, options):
    rng = np.random.RandomState(0)
    x = rng.randn(BATCH, 6).astype(np.float32)
    previous = random_state(rng, 3)
    cell = tf.contrib.rnn.GridLSTMCell(
        UNITS, use_peepholes=options.get("peepholes", False), share_time_frequency_weights=options.get("shared", False),
        couple_input_forget_gates=options.get("coupled", False), cell_clip=options.get("clip"),
        forget_bias=options.get("forget_bias", 1.0), feature_size=2, frequency_skip=2, num_frequency_blocks=[3])
    state = cell.state_tuple_type(*[tensor for pair in previous for tensor in map(tf.constant, pair)])
    with tf.variable_scope("grid"):
        output, new_state = cell(tf.constant(x), state)
    w = values_by_name(session, "grid/grid_lstm_cell")
    expected_outputs, expected_states = np_grid_block(windows(x, 0, 3, 2, 2), previous, w, 0, **options)
    got_output, got_state = session.run([output, new_state])
    np.testing.assert_allclose(got_output, np.concatenate(expected_outputs, axis=1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.concatenate(got_state, axis=1), np.concatenate(expected_states, axis=1),
                               rtol=1e-5, atol=1e-6)


def test_grid_lstm_cell_variables_state_names_and_sizes(graph):
    cell = tf.contrib.rnn.GridLSTMCell(UNITS, use_peepholes=True, feature_size=2, frequency_skip=1,
                                       num_frequency_blocks=[1, 2], start_freqindex_list=[0, 1],
                                       end_freqindex_list=[2, 4])
    assert cell.output_size == UNITS * 3 * 2
    assert cell.state_tuple_type._fields == ("state_f00_b00_c", "state_f00_b00_m", "state_f00_b01_c",
                                            "state_f00_b01_m", "state_f01_b01_c", "state_f01_b01_m")
    assert tuple(cell.state_size) == (UNITS,) * 6
    tf.contrib.rnn.static_rnn(cell, [tf.zeros([BATCH, 4])], dtype=tf.float32)

    def block_variables(b):
        diag = ["W_%s_diag_%s%s_%d" % (g, kind, s, b) for kind in ("freq", "time") for g in "FIO" for s in "ft"]
        return ([("W_f_%d_0" % b, [2 + 2 * UNITS, 4 * UNITS]), ("B_f_%d" % b, [4 * UNITS]),
                 ("W_t_%d_0" % b, [2 + 2 * UNITS, 4 * UNITS]), ("B_t_%d" % b, [4 * UNITS])]
                + [(name, [UNITS]) for name in diag])

    assert [(v.op.name, v.shape.as_list()) for v in tf.global_variables()] == [
        ("rnn/grid_lstm_cell/" + name, shape) for name, shape in block_variables(0) + block_variables(1)]


def test_grid_lstm_cell_concatenated_state_and_sharded_weights(session):
    """state_is_tuple=False: one [batch, 2 * units * windows] state; num_unit_shards splits the
    weight rows (7 rows -> 4 + 3). TF 1.15 looks the concatenation up by variable scope but names
    it in the name scope (`rnn/rnn/...`), so under static_rnn every step concatenates anew."""
    cell = tf.contrib.rnn.GridLSTMCell(UNITS, num_unit_shards=2, couple_input_forget_gates=True, feature_size=1,
                                       frequency_skip=1, num_frequency_blocks=[2], state_is_tuple=False)
    assert cell.state_size == 2 * UNITS * 2 and cell.state_tuple_type is None
    outputs, state = tf.contrib.rnn.static_rnn(cell, [tf.ones([BATCH, 2])] * 2, dtype=tf.float32)
    shapes = {v.op.name.split("/")[-1]: v.shape.as_list() for v in tf.global_variables()}
    assert shapes["W_f_0_0"] == [4, 3 * UNITS] and shapes["W_f_0_1"] == [3, 3 * UNITS]
    assert [t.name for t in tf.get_collection(tf.GraphKeys.CONCATENATED_VARIABLES)] == [
        "rnn/rnn/grid_lstm_cell/W_f_0/concat:0", "rnn/rnn/grid_lstm_cell/W_t_0/concat:0",
        "rnn/rnn/grid_lstm_cell/W_f_0/concat_1:0", "rnn/rnn/grid_lstm_cell/W_t_0/concat_1:0"]
    session.run(tf.global_variables_initializer())
    assert session.run(state).shape == (BATCH, 2 * UNITS * 2)


def test_bidirectional_grid_lstm_cell_matches_numpy(session):
    """fwd runs over the windows, bwd over the windows of the input padded by the offset,
    in reverse, with their own weights; outputs and states are fwd then bwd."""
    rng = np.random.RandomState(1)
    x = rng.randn(BATCH, 4).astype(np.float32)
    previous = random_state(rng, 6)
    cell = tf.contrib.rnn.BidirectionalGridLSTMCell(UNITS, use_peepholes=True, feature_size=2, frequency_skip=1,
                                                    num_frequency_blocks=[3], backward_slice_offset=1)
    assert cell.output_size == 2 * UNITS * 3 * 2
    assert cell.state_tuple_type._fields[:2] == ("fwd_state_f00_b00_c", "fwd_state_f00_b00_m")
    assert cell.state_tuple_type._fields[6:8] == ("bwd_state_f00_b00_c", "bwd_state_f00_b00_m")
    state = cell.state_tuple_type(*[tensor for pair in previous for tensor in map(tf.constant, pair)])
    output, new_state = cell(tf.constant(x), state)
    names = values_by_name(session, "bidirectional_grid_lstm_cell")
    w_fwd = {k[4:]: v for k, v in names.items() if k.startswith("fwd/")}
    w_bwd = {k[4:]: v for k, v in names.items() if k.startswith("bwd/")}
    assert sorted(w_fwd) == sorted(w_bwd) and len(w_fwd) + len(w_bwd) == len(names) == 2 * 16
    fwd_out, fwd_state = np_grid_block(windows(x, 0, 3, 2, 1), previous[:3], w_fwd, 0, peepholes=True)
    padded = np.pad(x, [(0, 0), (0, 1)], "constant")
    bwd_out, bwd_state = np_grid_block(windows(padded, 1, 3, 2, 1)[::-1], previous[3:], w_bwd, 0, peepholes=True)
    got_output, got_state = session.run([output, new_state])
    np.testing.assert_allclose(got_output, np.concatenate(fwd_out + bwd_out, axis=1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.concatenate(got_state, axis=1), np.concatenate(fwd_state + bwd_state, axis=1),
                               rtol=1e-5, atol=1e-6)


def test_time_freq_lstm_cell_matches_numpy(session):
    rng = np.random.RandomState(2)
    x = rng.randn(BATCH, 5).astype(np.float32)
    state = rng.randn(BATCH, 2 * UNITS * 2).astype(np.float32)
    cell = tf.contrib.rnn.TimeFreqLSTMCell(UNITS, use_peepholes=True, cell_clip=0.6, forget_bias=0.5,
                                           feature_size=3, frequency_skip=2)
    # TF 1.15 reports one window's sizes whatever the input: kept as it was.
    assert (cell.state_size, cell.output_size) == (2 * UNITS, UNITS)
    output, new_state = cell(tf.constant(x), tf.constant(state))
    w = values_by_name(session, "time_freq_lstm_cell")
    assert sorted(w) == ["B", "W_0", "W_F_diag", "W_I_diag", "W_O_diag"]
    m_prev_freq = np.zeros((BATCH, UNITS), np.float32)
    outputs, states = [], []
    for k, window in enumerate(windows(x, 0, 2, 3, 2)):
        c_prev, m_prev = np.split(state[:, 2 * k * UNITS:2 * (k + 1) * UNITS], 2, axis=1)
        joined = np.concatenate([window, m_prev, m_prev_freq], axis=1)
        i, j, f, o = np.split(joined.dot(w["W_0"]) + w["B"], 4, axis=1)
        c = (sigmoid(f + 0.5 + w["W_F_diag"] * c_prev) * c_prev
             + sigmoid(i + w["W_I_diag"] * c_prev) * np.tanh(j))
        c = np.clip(c, -0.6, 0.6)
        m = sigmoid(o + w["W_O_diag"] * c) * np.tanh(c)
        outputs.append(m)
        states += [c, m]
        m_prev_freq = m
    got_output, got_state = session.run([output, new_state])
    np.testing.assert_allclose(got_output, np.concatenate(outputs, axis=1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_state, np.concatenate(states, axis=1), rtol=1e-5, atol=1e-6)


def test_time_freq_lstm_cell_with_batch_size_known_only_at_run_time(session):
    """compat's one deliberate difference: TF 1.15 could not build this cell on such an input."""
    x = tf.placeholder(tf.float32, [None, 5])
    cell = tf.contrib.rnn.TimeFreqLSTMCell(UNITS, feature_size=5)
    if TF1:
        with pytest.raises(TypeError):
            cell(x, tf.zeros([BATCH, 2 * UNITS]))
        return
    output, state = cell(x, tf.zeros([BATCH, 2 * UNITS]))
    session.run(tf.global_variables_initializer())
    got_output, got_state = session.run([output, state], {x: np.ones((BATCH, 5), np.float32)})
    assert got_output.shape == (BATCH, UNITS) and got_state.shape == (BATCH, 2 * UNITS)
    np.testing.assert_allclose(got_state[:, UNITS:], got_output)


@pytest.mark.parametrize("kwargs, message", [
    (dict(feature_size=2, frequency_skip=1), "Must specify num_frequency_blocks"),
    (dict(feature_size=2, frequency_skip=1, num_frequency_blocks=[2]), "requires 2 but gets 3"),
    (dict(feature_size=2, frequency_skip=1, num_frequency_blocks=[1, 1]), "Length of num_frequency_blocks"),
])
def test_grid_lstm_cell_rejects_inconsistent_frequency_blocks(graph, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cell = tf.contrib.rnn.GridLSTMCell(UNITS, **kwargs)
        cell(tf.zeros([BATCH, 4]), cell.zero_state(BATCH, tf.float32))
