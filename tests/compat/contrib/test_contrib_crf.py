"""tf.contrib.crf: scores, log-normaliser, likelihood and Viterbi against brute force over every
tag path of tiny inputs (numpy), the `transitions` variable TF 1.15 created, the one-step paths
and the three cells. One graph, built and run once for the module."""

import itertools

import numpy as np
import pytest

from conftest import tf

BATCH, STEPS, TAGS = 3, 4, 3
LENGTHS = np.array([4, 2, 0], np.int32)

pytestmark = pytest.mark.filterwarnings("ignore:`tf.nn.rnn_cell.*is deprecated:UserWarning")


def np_score(unary, tags, transitions, length):
    """Score of one tag path: its unary potentials plus its transitions, over `length` steps."""
    total = sum(unary[t, tags[t]] for t in range(length))
    return total + sum(transitions[tags[t - 1], tags[t]] for t in range(1, length))


def np_paths(length):
    return [list(p) for p in itertools.product(range(TAGS), repeat=length)]


def np_log_norm(unary, transitions, length):
    if length <= 0:
        return 0.0
    scores = [np_score(unary, p, transitions, length) for p in np_paths(length)]
    return float(np.log(np.sum(np.exp(scores))))


def np_best_path(unary, transitions, length):
    return max(np_paths(length), key=lambda p: np_score(unary, p, transitions, length))


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(7)
    return {"unary": rng.randn(BATCH, STEPS, TAGS).astype(np.float32),
            "tags": rng.randint(0, TAGS, (BATCH, STEPS)).astype(np.int32),
            "transitions": rng.randn(TAGS, TAGS).astype(np.float32),
            "bitmap": rng.rand(BATCH, STEPS, TAGS) < 0.6}


@pytest.fixture(scope="module")
def results(data):
    """Every tensor the tests check, built in one graph and run in one session."""
    crf = tf.contrib.crf
    graph = tf.Graph()
    with graph.as_default():
        unary, tags = tf.constant(data["unary"]), tf.constant(data["tags"])
        transitions, lengths = tf.constant(data["transitions"]), tf.constant(LENGTHS)
        with tf.variable_scope("tagger"):
            likelihood, created = crf.crf_log_likelihood(unary, tags, lengths)
        names = [(v.op.name, v.shape.as_list()) for v in tf.global_variables()]
        given_likelihood, given = crf.crf_log_likelihood(unary, tags, lengths, transitions)
        fetches = {
            "sequence_score": crf.crf_sequence_score(unary, tags, lengths, transitions),
            "unary_score": crf.crf_unary_score(tags, lengths, unary),
            "unary_score_int64": crf.crf_unary_score(tf.cast(tags, tf.int64), lengths, unary),
            "binary_score": crf.crf_binary_score(tags, lengths, transitions),
            "log_norm": crf.crf_log_norm(unary, lengths, transitions),
            "likelihood": given_likelihood,
            "multitag": crf.crf_multitag_sequence_score(unary, tf.constant(data["bitmap"]), lengths, transitions),
            "onehot_multitag": crf.crf_multitag_sequence_score(unary, tf.one_hot(tags, TAGS) > 0.5, lengths,
                                                               transitions),
            "decode": crf.crf_decode(unary, transitions, lengths),
            "decode_dynamic": crf.crf_decode(tf.placeholder_with_default(unary, [None, None, TAGS]),
                                             transitions, lengths),
            "one_step_score": crf.crf_sequence_score(unary[:, :1], tags[:, :1], lengths, transitions),
            "one_step_log_norm": crf.crf_log_norm(unary[:, :1], lengths, transitions),
            "one_step_decode": crf.crf_decode(unary[:, :1], transitions, lengths),
            "one_step_multitag": crf.crf_multitag_sequence_score(
                unary[:, :1], tf.constant(data["bitmap"][:, :1]), lengths, transitions),
        }
        forward = crf.CrfForwardRnnCell(transitions)
        decode_forward = crf.CrfDecodeForwardRnnCell(transitions)
        backward = crf.CrfDecodeBackwardRnnCell(TAGS)
        fetches["cells"] = {"forward": forward(unary[:, 1], unary[:, 0]),
                            "decode_forward": decode_forward(unary[:, 1], unary[:, 0]),
                            "backward": backward(tags, tf.constant([[0], [2], [1]]))}
        sizes = [(c.state_size, c.output_size) for c in (forward, decode_forward, backward)]
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            out = session.run(fetches)
            out["created"] = session.run(created)
            out["created_likelihood"] = session.run(likelihood)
    out.update(names=names, given_is_passed_through=given is transitions, sizes=sizes,
               decode_dtype=fetches["decode"][0].dtype)
    return out


def test_log_likelihood_creates_tf115s_transitions_variable(results):
    assert results["names"] == [("tagger/transitions", [TAGS, TAGS])]
    assert results["given_is_passed_through"]


def test_likelihood_is_a_distribution_over_all_tag_paths(results, data):
    """exp(log-likelihood) over every path of a sequence sums to 1, with the created transitions."""
    for b in range(2):
        length = LENGTHS[b]
        tags = data["tags"][b]
        expected = (np_score(data["unary"][b], tags, results["created"], length)
                    - np_log_norm(data["unary"][b], results["created"], length))
        np.testing.assert_allclose(results["created_likelihood"][b], expected, rtol=1e-5)
    total = sum(np.exp(np_score(data["unary"][0], p, results["created"], STEPS)
                       - np_log_norm(data["unary"][0], results["created"], STEPS)) for p in np_paths(STEPS))
    assert abs(total - 1.0) < 1e-5


def test_scores_and_log_norm_against_brute_force(results, data):
    u, t, tr = data["unary"], data["tags"], data["transitions"]
    for b, length in enumerate(LENGTHS):
        unary = sum(u[b, i, t[b, i]] for i in range(length))
        np.testing.assert_allclose(results["unary_score"][b], unary, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(results["unary_score_int64"][b], unary, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(results["binary_score"][b], np_score(u[b], t[b], tr, length) - unary,
                                   rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(results["sequence_score"][b], np_score(u[b], t[b], tr, length),
                                   rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(results["log_norm"][b], np_log_norm(u[b], tr, length), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(results["likelihood"][b],
                                   np_score(u[b], t[b], tr, length) - np_log_norm(u[b], tr, length),
                                   rtol=1e-5, atol=1e-6)


def test_multitag_score_sums_the_allowed_paths(results, data):
    u, tr, bitmap = data["unary"], data["transitions"], data["bitmap"]
    for b, length in enumerate(LENGTHS[:2]):
        allowed = [p for p in np_paths(length) if all(bitmap[b, i, p[i]] for i in range(length))]
        expected = np.log(np.sum(np.exp([np_score(u[b], p, tr, length) for p in allowed]))) if allowed else -np.inf
        np.testing.assert_allclose(results["multitag"][b], expected, rtol=1e-5)
    np.testing.assert_allclose(results["onehot_multitag"][:2], results["sequence_score"][:2], rtol=1e-5)


def test_viterbi_decode_finds_the_best_path(data):
    for b, length in enumerate(LENGTHS[:2]):
        u = data["unary"][b, :length]
        tags, score = tf.contrib.crf.viterbi_decode(u, data["transitions"])
        best = np_best_path(u, data["transitions"], length)
        assert [int(x) for x in tags] == best
        np.testing.assert_allclose(score, np_score(u, best, data["transitions"], length), rtol=1e-5)


@pytest.mark.parametrize("key", ["decode", "decode_dynamic"])
def test_crf_decode_finds_the_best_path(results, data, key):
    tags, best_score = results[key]
    assert tags.shape == (BATCH, STEPS) and tags.dtype == np.int32
    for b, length in enumerate(LENGTHS[:2]):
        best = np_best_path(data["unary"][b], data["transitions"], length)
        assert tags[b, :length].tolist() == best
        np.testing.assert_allclose(best_score[b], np_score(data["unary"][b], best, data["transitions"], length),
                                   rtol=1e-5)


def test_one_step_sequences_skip_the_transitions(results, data):
    u, t, bitmap = data["unary"][:, 0], data["tags"][:, 0], data["bitmap"][:, 0]
    expected_score = np.where(LENGTHS > 0, u[np.arange(BATCH), t], 0)
    np.testing.assert_allclose(results["one_step_score"], expected_score, rtol=1e-6)
    log_norm = np.log(np.sum(np.exp(u), axis=1))
    np.testing.assert_allclose(results["one_step_log_norm"], np.where(LENGTHS > 0, log_norm, 0), rtol=1e-6)
    tags, score = results["one_step_decode"]
    assert tags.tolist() == [[int(np.argmax(row))] for row in u]
    np.testing.assert_allclose(score, u.max(axis=1), rtol=1e-6)
    multitag = [np.log(np.sum(np.exp(u[b][bitmap[b]]))) if bitmap[b].any() else -np.inf for b in range(BATCH)]
    np.testing.assert_allclose(results["one_step_multitag"], multitag, rtol=1e-6)


def test_cells_step_the_recursions(results, data):
    u, tr = data["unary"], data["transitions"]
    through = u[:, 0, :, None] + tr[None]                       # [batch, from, to]
    alphas = u[:, 1] + np.log(np.sum(np.exp(through), axis=1))
    output, state = results["cells"]["forward"]
    np.testing.assert_allclose(output, alphas, rtol=1e-5)
    np.testing.assert_allclose(state, alphas, rtol=1e-5)
    pointers, best = results["cells"]["decode_forward"]
    assert pointers.dtype == np.int32 and pointers.tolist() == np.argmax(through, axis=1).tolist()
    np.testing.assert_allclose(best, u[:, 1] + through.max(axis=1), rtol=1e-5)
    output, state = results["cells"]["backward"]
    expected = [[data["tags"][b, s]] for b, s in enumerate([0, 2, 1])]
    assert output.tolist() == expected and state.tolist() == expected
    assert results["sizes"] == [(TAGS, TAGS), (TAGS, TAGS), (1, 1)]
