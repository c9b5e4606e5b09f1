"""tf.contrib.seq2seq's attention mechanisms and functions against numpy references.

Runs on both runtimes: on TF 1.15 it checks the references describe TF 1.15's contrib, on TF 2.x
that compat computes the same. Each graph is tiny; one module-scoped graph holds all the mechanisms.
"""

import numpy as np
import pytest

import compat.v1 as tf

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")

BATCH, MEMORY_TIME, MEMORY_DEPTH, UNITS = 2, 4, 3, 5
LENGTHS = np.array([4, 2], np.int32)
RNG = np.random.RandomState(0)
MEMORY = RNG.randn(BATCH, MEMORY_TIME, MEMORY_DEPTH).astype(np.float32)
QUERY = RNG.randn(BATCH, UNITS).astype(np.float32)
PREVIOUS = np.eye(MEMORY_TIME, dtype=np.float32)[[0, 1]]  # a previous alignment per row


def softmax(x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def masked(score, lengths, value=-np.inf):
    return np.where(np.arange(score.shape[1])[None, :] < lengths[:, None], score, value)


def recurrence(p, previous):
    """Monotonic attention by its definition: q[i] = (1 - p[i-1]) q[i-1] + previous[i], a = p q."""
    q = np.zeros_like(p)
    for i in range(p.shape[1]):
        q[:, i] = previous[:, i] + ((1 - p[:, i - 1]) * q[:, i - 1] if i else 0)
    return p * q


class Mechanisms(object):
    """Every mechanism built once in one graph, queried with QUERY and PREVIOUS."""

    def __init__(self):
        self.graph = tf.Graph()
        s2s = tf.contrib.seq2seq
        with self.graph.as_default():
            tf.set_random_seed(5)
            memory = tf.constant(MEMORY)
            query = tf.constant(QUERY)
            built = {
                "bahdanau": s2s.BahdanauAttention(UNITS, memory, memory_sequence_length=LENGTHS),
                "bahdanau_normalized": s2s.BahdanauAttention(UNITS, memory, memory_sequence_length=LENGTHS,
                                                             normalize=True),
                "luong": s2s.LuongAttention(UNITS, memory, memory_sequence_length=LENGTHS),
                "luong_scaled": s2s.LuongAttention(UNITS, memory, memory_sequence_length=LENGTHS, scale=True),
                "luong_no_lengths": s2s.LuongAttention(UNITS, memory),
                "luong_hardmax": s2s.LuongAttention(UNITS, memory, probability_fn=s2s.hardmax),
                "luong_raw_scores": s2s.LuongAttention(UNITS, memory, memory_sequence_length=LENGTHS,
                                                       probability_fn=lambda score: score, score_mask_value=-7.5),
                "bahdanau_monotonic": s2s.BahdanauMonotonicAttention(
                    UNITS, memory, memory_sequence_length=LENGTHS, mode="recursive", score_bias_init=-0.5),
                "luong_monotonic": s2s.LuongMonotonicAttention(UNITS, memory, scale=True, mode="parallel"),
            }
            self.mechanisms = built
            self.alignments = {}
            for name, mechanism in sorted(built.items()):
                with tf.variable_scope(name):
                    self.alignments[name], _ = mechanism(query, tf.constant(PREVIOUS))
            self.initial = {name: m.initial_alignments(BATCH, tf.float32) for name, m in built.items()}
            self.variables = {v.op.name: v for v in tf.global_variables()}
            self.session = tf.Session(graph=self.graph)
            self.session.run(tf.global_variables_initializer())
            # learned gains and biases away from their initial values, so that the tests see them used
            for name, value in (("bahdanau_normalized/bahdanau_attention/attention_g", 1.7),
                                ("bahdanau_normalized/bahdanau_attention/attention_b", np.linspace(-1, 1, UNITS)),
                                ("luong_scaled/luong_attention/attention_g", 0.6),
                                ("luong_monotonic/luong_monotonic_attention/attention_g", 0.8)):
                self.variables[name].load(value, self.session)

    def value(self, name):
        return self.session.run(self.variables[name])

    def keys(self, mechanism_name, lengths=LENGTHS):
        """The reference keys: the masked memory through the mechanism's memory_layer kernel."""
        kernel = self.session.run(self.mechanisms[mechanism_name].memory_layer.kernel)
        keep = (np.arange(MEMORY_TIME)[None, :] < lengths[:, None]).astype(np.float32)
        return (MEMORY * keep[:, :, None]) @ kernel

    def run(self, name):
        return self.session.run(self.alignments[name])


@pytest.fixture(scope="module")
def built():
    mechanisms = Mechanisms()
    yield mechanisms
    mechanisms.session.close()


def bahdanau_reference(built, name, normalized):
    mechanism = built.mechanisms[name]
    scope = name + "/bahdanau_attention/"
    processed = QUERY @ built.session.run(mechanism.query_layer.kernel)
    v = built.value(scope + "attention_v")
    if normalized:
        v = built.value(scope + "attention_g") * v / np.sqrt(np.sum(v ** 2))
        processed = processed + built.value(scope + "attention_b")
    return np.sum(v * np.tanh(built.keys(name) + processed[:, None, :]), axis=2)


@pytest.mark.parametrize("normalized", [False, True], ids=["plain", "normalized"])
def test_bahdanau_alignments(built, normalized):
    name = "bahdanau_normalized" if normalized else "bahdanau"
    expected = softmax(masked(bahdanau_reference(built, name, normalized), LENGTHS))
    actual = built.run(name)
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(actual.sum(axis=1), 1.0, rtol=1e-6)
    assert np.all(actual[1, 2:] == 0.0), "attention past memory_sequence_length must be exactly 0"


@pytest.mark.parametrize("scaled", [False, True], ids=["plain", "scaled"])
def test_luong_alignments(built, scaled):
    name = "luong_scaled" if scaled else "luong"
    score = np.einsum("bu,btu->bt", QUERY, built.keys(name))
    if scaled:
        score *= built.value("luong_scaled/luong_attention/attention_g")
    actual = built.run(name)
    np.testing.assert_allclose(actual, softmax(masked(score, LENGTHS)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(actual.sum(axis=1), 1.0, rtol=1e-6)
    assert np.all(actual[1, 2:] == 0.0)


def test_memory_is_masked_past_lengths(built):
    """values: the memory with rows past each length zeroed; keys: those through memory_layer."""
    mechanism = built.mechanisms["bahdanau"]
    values, keys = built.session.run([mechanism.values, mechanism.keys])
    keep = (np.arange(MEMORY_TIME)[None, :] < LENGTHS[:, None])[:, :, None]
    np.testing.assert_array_equal(values, MEMORY * keep)
    np.testing.assert_allclose(keys, built.keys("bahdanau"), rtol=1e-5, atol=1e-6)
    assert (mechanism.batch_size, mechanism.alignments_size, mechanism.state_size) == (BATCH, MEMORY_TIME, MEMORY_TIME)


def test_without_lengths_every_entry_is_attended(built):
    all_rows = np.array([MEMORY_TIME] * BATCH)
    score = np.einsum("bu,btu->bt", QUERY, built.keys("luong_no_lengths", all_rows))
    np.testing.assert_allclose(built.run("luong_no_lengths"), softmax(score), rtol=1e-5, atol=1e-6)


def test_probability_fn_and_score_mask_value(built):
    """A custom probability_fn sees the scores with score_mask_value past each length."""
    all_rows = np.array([MEMORY_TIME] * BATCH)
    score = np.einsum("bu,btu->bt", QUERY, built.keys("luong_raw_scores"))
    actual = built.run("luong_raw_scores")
    np.testing.assert_allclose(actual, masked(score, LENGTHS, -7.5), rtol=1e-5, atol=1e-6)
    hard = built.run("luong_hardmax")
    expected = np.eye(MEMORY_TIME)[np.argmax(np.einsum("bu,btu->bt", QUERY, built.keys("luong_hardmax", all_rows)),
                                             axis=1)]
    np.testing.assert_array_equal(hard, expected)


def test_monotonic_mechanisms(built):
    """Monotonic: sigmoid(score + bias) through the recurrence; start all on memory entry 0."""
    bias = built.value("bahdanau_monotonic/bahdanau_monotonic_attention/attention_score_bias")
    assert bias == pytest.approx(-0.5)
    mechanism = built.mechanisms["bahdanau_monotonic"]
    scope = "bahdanau_monotonic/bahdanau_monotonic_attention/"
    processed = QUERY @ built.session.run(mechanism.query_layer.kernel)
    score = np.sum(built.value(scope + "attention_v") * np.tanh(built.keys("bahdanau_monotonic")
                                                                 + processed[:, None, :]), axis=2)
    p = 1 / (1 + np.exp(-masked(score + bias, LENGTHS)))
    np.testing.assert_allclose(built.run("bahdanau_monotonic"), recurrence(p, PREVIOUS), rtol=1e-5, atol=1e-6)

    all_rows = np.array([MEMORY_TIME] * BATCH)
    score = np.einsum("bu,btu->bt", QUERY, built.keys("luong_monotonic", all_rows)) * 0.8
    p = 1 / (1 + np.exp(-score))
    np.testing.assert_allclose(built.run("luong_monotonic"), recurrence(p, PREVIOUS), rtol=1e-4, atol=1e-6)

    initial = built.session.run(built.initial)
    np.testing.assert_array_equal(initial["luong_monotonic"], np.eye(MEMORY_TIME)[[0, 0]])
    np.testing.assert_array_equal(initial["bahdanau"], np.zeros((BATCH, MEMORY_TIME)))


def test_variable_names_are_tf115s(built):
    names = set(built.variables)
    assert {"memory_layer/kernel", "memory_layer_1/kernel", "bahdanau/bahdanau_attention/query_layer/kernel",
            "bahdanau/bahdanau_attention/attention_v", "bahdanau_normalized/bahdanau_attention/attention_g",
            "bahdanau_normalized/bahdanau_attention/attention_b", "luong_scaled/luong_attention/attention_g",
            "bahdanau_monotonic/bahdanau_monotonic_attention/attention_score_bias",
            "luong_monotonic/luong_monotonic_attention/attention_g"} <= names
    assert not any(name.startswith("luong/") for name in names), "unscaled Luong attention has no variables"
    assert built.variables["memory_layer/kernel"].shape.as_list() == [MEMORY_DEPTH, UNITS]


def run_once(build):
    with tf.Graph().as_default(), tf.Session() as session:
        return session.run(build())


def test_hardmax_and_safe_cumprod():
    s2s = tf.contrib.seq2seq
    logits = np.array([[0.1, 3.0, 3.0, -1.0], [-2.0, -1.0, -5.0, -1.5]], np.float32)
    x = np.array([[0.5, 0.0, 0.9, 0.3], [1.0, 0.25, 1e-30, 0.5]], np.float32)
    hard, inclusive, exclusive = run_once(lambda: (s2s.hardmax(logits), s2s.safe_cumprod(x, axis=1),
                                                   s2s.safe_cumprod(x, axis=1, exclusive=True)))
    np.testing.assert_array_equal(hard, [[0, 1, 0, 0], [0, 1, 0, 0]])  # first of a tie
    tiny = np.finfo(np.float32).tiny
    np.testing.assert_allclose(inclusive, np.cumprod(np.clip(x, tiny, 1), axis=1), rtol=1e-5, atol=1e-30)
    np.testing.assert_allclose(exclusive[:, 0], 1.0)
    np.testing.assert_allclose(exclusive[:, 1:], inclusive[:, :-1], rtol=1e-5, atol=1e-30)


def test_monotonic_attention_modes():
    s2s = tf.contrib.seq2seq
    rng = np.random.RandomState(3)
    p = rng.uniform(0.05, 0.95, (3, 6)).astype(np.float32)
    previous = softmax(rng.randn(3, 6)).astype(np.float32)
    hard_p = np.array([[0, 1, 0, 1, 1, 0], [1, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0]], np.float32)
    hard_previous = np.eye(6, dtype=np.float32)[[2, 0, 1]]
    recursive, parallel, hard = run_once(lambda: (
        s2s.monotonic_attention(p, previous, "recursive"), s2s.monotonic_attention(p, previous, "parallel"),
        s2s.monotonic_attention(hard_p, hard_previous, "hard")))
    expected = recurrence(p, previous)
    np.testing.assert_allclose(recursive, expected, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(parallel, expected, rtol=1e-4, atol=1e-6)
    # hard: the first entry chosen at or after last step's position, nothing if none is chosen
    np.testing.assert_array_equal(hard, [[0, 0, 0, 1, 0, 0], [1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]])
    with pytest.raises(ValueError, match="mode must be 'recursive', 'parallel', or 'hard'"):
        s2s.monotonic_attention(p, previous, "soft")


def test_bad_arguments_are_tf115s_errors():
    s2s = tf.contrib.seq2seq
    with tf.Graph().as_default():
        memory = tf.constant(MEMORY)
        luong = s2s.LuongAttention(UNITS + 1, memory)
        with pytest.raises(ValueError, match="Incompatible or unknown inner dimensions between query and keys"):
            luong(tf.constant(QUERY), None)
        # TF 1.15 wraps probability_fn in a lambda first, so a non-callable one fails only when used
        not_callable = s2s.BahdanauAttention(UNITS, memory, probability_fn="softmax")
        with pytest.raises(TypeError, match="'str' object is not callable"):
            not_callable(tf.constant(QUERY), None)
        with pytest.raises(ValueError, match="to have fully defined inner dims"):
            s2s.LuongAttention(UNITS, tf.placeholder(tf.float32, [None, None, None]))
        # fed, not constant: TF 2.x's assert_positive would refuse a constant 0 while building
        lengths = tf.placeholder(tf.int32, [BATCH])
        alignments, _ = s2s.LuongAttention(UNITS, memory, memory_sequence_length=lengths)(tf.constant(QUERY), None)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError, match="must be greater than zero"):
                session.run(alignments, {lengths: [4, 0]})
