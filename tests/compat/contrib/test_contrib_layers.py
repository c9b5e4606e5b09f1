"""tf.contrib.layers: fully_connected, optimize_loss, initializers, regularizers as in TF 1.15.

Expected values come from numpy (a dense layer, one optimizer step, a norm), never from a run.
"""

import numpy as np
import pytest

from conftest import TF1, tf

def names(variables):
    return [v.op.name for v in variables]


# --- fully_connected -----------------------------------------------------------------------------

def test_fully_connected_variable_names_and_collections(graph):
    x = tf.placeholder(tf.float32, [None, 3])
    hidden = tf.contrib.layers.fully_connected(x, 4)
    out = tf.contrib.layers.fully_connected(hidden, 2, activation_fn=None)
    expected = ["fully_connected/weights", "fully_connected/biases",
                "fully_connected_1/weights", "fully_connected_1/biases"]
    assert names(tf.global_variables()) == expected
    assert names(tf.trainable_variables()) == expected
    assert names(tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)) == expected
    assert [v.shape.as_list() for v in tf.global_variables()] == [[3, 4], [4], [4, 2], [2]]
    assert hidden.op.name == "fully_connected/Relu"  # default activation_fn is relu
    assert out.op.name == "fully_connected_1/BiasAdd"  # None: linear
    assert out.shape.as_list() == [None, 2]


def test_fully_connected_values(session):
    x_value = np.random.RandomState(0).randn(5, 3).astype(np.float32)
    x = tf.constant(x_value)
    relu_out = tf.contrib.layers.fully_connected(x, 4, biases_initializer=tf.constant_initializer(0.25))
    linear_out = tf.contrib.layers.linear(x, 4, scope="lin")
    session.run(tf.global_variables_initializer())
    w, b, w_lin, b_lin = session.run(tf.global_variables())
    got_relu, got_linear = session.run([relu_out, linear_out])
    np.testing.assert_allclose(b, 0.25)
    np.testing.assert_allclose(got_relu, np.maximum(x_value.dot(w) + b, 0.0), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(b_lin, 0.0)  # default biases_initializer: zeros
    np.testing.assert_allclose(got_linear, x_value.dot(w_lin), rtol=1e-5, atol=1e-6)
    assert (got_linear < 0).any()  # really linear, not clipped


def test_fully_connected_rank3_multiplies_the_last_axis(session):
    x_value = np.random.RandomState(1).randn(2, 5, 3).astype(np.float32)
    out = tf.contrib.layers.fully_connected(tf.constant(x_value), 4, activation_fn=None)
    assert out.shape.as_list() == [2, 5, 4]
    session.run(tf.global_variables_initializer())
    w = session.run(tf.global_variables()[0])
    np.testing.assert_allclose(session.run(out), np.einsum("bti,io->bto", x_value, w), rtol=1e-5, atol=1e-6)


def test_fully_connected_scope_reuse_and_no_biases(graph):
    x = tf.placeholder(tf.float32, [None, 3])
    first = tf.contrib.layers.fully_connected(x, 2, scope="fc", biases_initializer=None)
    second = tf.contrib.layers.fully_connected(x, 2, scope="fc", biases_initializer=None, reuse=True)
    assert names(tf.global_variables()) == ["fc/weights"]
    assert first.op.name == "fc/Relu" and second.op.name == "fc_1/Relu"


def test_fully_connected_collections_and_regularizer(session):
    x = tf.constant(np.ones((2, 3), np.float32))
    out = tf.contrib.layers.fully_connected(x, 2, weights_regularizer=tf.contrib.layers.l2_regularizer(0.1),
                                    variables_collections={"weights": ["my_weights"]},
                                    outputs_collections="end_points", scope="fc")
    assert names(tf.get_collection("my_weights")) == ["fc/weights"]
    assert tf.get_collection("end_points") == [out] and out.aliases == ["fc"]
    [penalty] = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    session.run(tf.global_variables_initializer())
    w = session.run(tf.global_variables()[0])
    np.testing.assert_allclose(session.run(penalty), 0.1 * np.sum(w ** 2) / 2, rtol=1e-5)


def test_flatten(graph):
    x = tf.placeholder(tf.float32, [None, 2, 3, 4])
    assert tf.contrib.layers.flatten(x).shape.as_list() == [None, 24]


# --- initializers and regularizers ---------------------------------------------------------------

def _sample(initializer, shape, session):
    return session.run(tf.get_variable("v", shape, initializer=initializer).initialized_value())


def test_xavier_uniform_bounds(session):
    fan_in, fan_out = 60, 40
    values = _sample(tf.contrib.layers.xavier_initializer(seed=3), [fan_in, fan_out], session)
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    assert np.abs(values).max() <= limit
    assert np.abs(values).max() > 0.95 * limit  # fills the whole range
    np.testing.assert_allclose(values.std(), limit / np.sqrt(3), rtol=0.05)


def test_xavier_normal_is_contrib_truncated_normal(session):
    # TF 1.15 contrib: truncated normal with stddev sqrt(1.3 / n), n = (fan_in + fan_out) / 2.
    fan_in, fan_out = 60, 40
    values = _sample(tf.contrib.layers.xavier_initializer(uniform=False, seed=3), [fan_in, fan_out], session)
    stddev = np.sqrt(1.3 / ((fan_in + fan_out) / 2.0))
    assert np.abs(values).max() <= 2 * stddev
    truncated_std = stddev * 0.8796256610342398  # std of a normal truncated at +-2 stddev
    np.testing.assert_allclose(values.std(), truncated_std, rtol=0.05)


def test_variance_scaling_default_is_he_fan_in(session):
    values = _sample(tf.contrib.layers.variance_scaling_initializer(seed=5), [200, 30], session)
    np.testing.assert_allclose(values.std(), np.sqrt(1.3 * 2.0 / 200) * 0.8796256610342398, rtol=0.05)


def test_l2_and_l1_regularizer_values(session):
    w_value = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)
    w = tf.constant(w_value)
    l2 = tf.contrib.layers.l2_regularizer(0.3)(w)
    l1 = tf.contrib.layers.l1_regularizer(0.2)(w)
    assert l2.op.name == "l2_regularizer" and l1.op.name == "l1_regularizer"
    np.testing.assert_allclose(session.run(l2), 0.3 * np.sum(w_value ** 2) / 2, rtol=1e-6)
    np.testing.assert_allclose(session.run(l1), 0.2 * np.sum(np.abs(w_value)), rtol=1e-6)


def test_regularizer_scale_rules(graph):
    assert tf.contrib.layers.l2_regularizer(0.0)(tf.constant([1.0])) is None
    with pytest.raises(ValueError, match="scale cannot be an integer"):
        tf.contrib.layers.l2_regularizer(1)
    with pytest.raises(ValueError, match="scale less than 0"):
        tf.contrib.layers.l2_regularizer(-0.5)


def test_apply_regularization(session):
    a, b = tf.constant([1.0, 2.0]), tf.constant([3.0])
    total = tf.contrib.layers.apply_regularization(tf.contrib.layers.l2_regularizer(0.5), [a, b])
    assert tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) == [total]
    np.testing.assert_allclose(session.run(total), 0.5 * (1 + 4 + 9) / 2, rtol=1e-6)


# --- optimize_loss -------------------------------------------------------------------------------

X0, TARGET, LR = np.array([3.0, -1.0]), np.array([1.0, 0.5]), 0.1


def quadratic_problem():
    """x, loss = sum((x - TARGET)**2), and the graph's global step."""
    x = tf.get_variable("x", initializer=tf.constant(X0, tf.float32))
    loss = tf.reduce_sum(tf.square(x - TARGET.astype(np.float32)))
    return x, loss, tf.train.get_or_create_global_step()


def np_grad(x):
    return 2 * (x - TARGET)


def np_sgd(steps, lr=LR):
    x = X0.copy()
    for _ in range(steps):
        x = x - lr * np_grad(x)
    return x


def np_momentum(steps):  # TF 1.15's "Momentum": MomentumOptimizer(lr, momentum=0.9)
    x, accum = X0.copy(), np.zeros(2)
    for _ in range(steps):
        accum = 0.9 * accum + np_grad(x)
        x = x - LR * accum
    return x


def np_adam(steps):  # AdamOptimizer defaults: beta1 .9, beta2 .999, epsilon 1e-8
    x, m, v = X0.copy(), np.zeros(2), np.zeros(2)
    for t in range(1, steps + 1):
        g = np_grad(x)
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        lr_t = LR * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        x = x - lr_t * m / (np.sqrt(v) + 1e-8)
    return x


def np_adagrad(steps):  # AdagradOptimizer default initial_accumulator_value 0.1
    x, accum = X0.copy(), np.full(2, 0.1)
    for _ in range(steps):
        g = np_grad(x)
        accum = accum + g * g
        x = x - LR * g / np.sqrt(accum)
    return x


def np_rmsprop(steps):  # RMSPropOptimizer defaults: decay .9, momentum 0, epsilon 1e-10, ms starts at 1
    x, ms = X0.copy(), np.ones(2)
    for _ in range(steps):
        g = np_grad(x)
        ms = 0.9 * ms + 0.1 * g * g
        x = x - LR * g / np.sqrt(ms + 1e-10)
    return x


NP_OPTIMIZERS = {"SGD": np_sgd, "Momentum": np_momentum, "Adam": np_adam, "Adagrad": np_adagrad,
                 "RMSProp": np_rmsprop, "Ftrl": None}


@pytest.mark.parametrize("name", sorted(NP_OPTIMIZERS))
def test_optimize_loss_by_name(session, name):
    x, loss, step = quadratic_problem()
    train = tf.contrib.layers.optimize_loss(loss, step, LR, name)
    session.run(tf.global_variables_initializer())
    initial = session.run(loss)
    for expected_step in (1, 2, 3):
        session.run(train)
        assert session.run(step) == expected_step
    assert session.run(loss) < initial
    if NP_OPTIMIZERS[name] is not None:
        np.testing.assert_allclose(session.run(x), NP_OPTIMIZERS[name](3), rtol=1e-5)


def test_optimize_loss_names_and_default_summaries(session):
    x, loss, step = quadratic_problem()
    train = tf.contrib.layers.optimize_loss(loss, step, LR, "SGD")
    assert train.op.name == "OptimizeLoss/control_dependency"
    assert "OptimizeLoss/train" in [op.name for op in session.graph.get_operations()]
    assert names(tf.global_variables()) == ["x", "global_step", "OptimizeLoss/learning_rate"]
    assert names(tf.trainable_variables()) == ["x"]
    session.run(tf.global_variables_initializer())
    np.testing.assert_allclose(session.run("OptimizeLoss/learning_rate:0"), LR)
    tags = summary_tags(session)
    # TF 1.15's default list is ["loss", "learning_rate", "global_gradient_norm"], but it only
    # writes a learning_rate summary when a learning_rate_decay_fn is given.
    assert tags == {"OptimizeLoss/loss": np.sum((X0 - TARGET) ** 2),
                    "OptimizeLoss/global_norm/gradient_norm": np.linalg.norm(np_grad(X0))}


def summary_tags(session):
    """{tag: value} of every summary in tf.GraphKeys.SUMMARIES (histograms: their sum)."""
    result = {}
    for serialized in session.run(tf.get_collection(tf.GraphKeys.SUMMARIES)):
        for value in tf.Summary.FromString(serialized).value:
            result[value.tag] = value.simple_value if value.WhichOneof("value") == "simple_value" else value.histo.sum
    return {tag: pytest.approx(value, rel=1e-5) for tag, value in result.items()}


def test_optimize_loss_all_summaries_and_name(session):
    x, loss, step = quadratic_problem()
    tf.contrib.layers.optimize_loss(loss, step, LR, "SGD", name="opt", learning_rate_decay_fn=lambda lr, gs: lr * 0.5,
                            summaries=["learning_rate", "loss", "gradients", "gradient_norm"])
    session.run(tf.global_variables_initializer())
    grad = np_grad(X0)
    assert set(summary_tags(session)) == {
        "opt/learning_rate_1", "opt/loss", "opt/global_norm/gradient_norm", "opt/gradients/x_0",
        "opt/gradient_norm/x_0"}
    tags = summary_tags(session)
    assert tags["opt/learning_rate_1"] == LR * 0.5
    assert tags["opt/gradients/x_0"] == grad.sum()
    assert tags["opt/gradient_norm/x_0"] == np.linalg.norm(grad)


def test_optimize_loss_clip_gradients_by_global_norm(session):
    x, loss, step = quadratic_problem()
    train = tf.contrib.layers.optimize_loss(loss, step, 1.0, "SGD", clip_gradients=0.5)
    session.run(tf.global_variables_initializer())
    grad = np_grad(X0)
    assert summary_tags(session)["OptimizeLoss/global_norm/clipped_gradient_norm"] == 0.5
    session.run(train)
    np.testing.assert_allclose(session.run(x), X0 - grad * 0.5 / np.linalg.norm(grad), rtol=1e-5)


def test_optimize_loss_clip_gradients_callable(session):
    x, loss, step = quadratic_problem()
    train = tf.contrib.layers.optimize_loss(loss, step, LR, "SGD",
                                    clip_gradients=lambda grads_and_vars: [(g * 0.0, v) for g, v in grads_and_vars])
    session.run(tf.global_variables_initializer())
    session.run(train)
    np.testing.assert_allclose(session.run(x), X0)  # zeroed gradients: no change...
    assert session.run(step) == 1  # ...but the step still counts


def test_optimize_loss_default_global_step_and_no_increment(session):
    x, loss, step = quadratic_problem()
    train = tf.contrib.layers.optimize_loss(loss, None, LR, "SGD")  # None: the graph's global step
    frozen = tf.contrib.layers.optimize_loss(loss, step, LR, "SGD", increment_global_step=False)
    session.run(tf.global_variables_initializer())
    session.run(train)
    session.run(frozen)
    assert session.run(step) == 1
    np.testing.assert_allclose(session.run(x), np_sgd(2), rtol=1e-5)


@pytest.mark.parametrize("kind", ["class", "instance", "callable", "tensor_lr"])
def test_optimize_loss_optimizer_forms(session, kind):
    x, loss, step = quadratic_problem()
    lr = LR
    if kind == "class":
        optimizer = tf.train.GradientDescentOptimizer
    elif kind == "instance":
        optimizer = tf.train.GradientDescentOptimizer(LR)
    elif kind == "callable":
        optimizer = lambda learning_rate: tf.train.GradientDescentOptimizer(learning_rate)  # noqa: E731
    else:
        optimizer, lr = "SGD", tf.constant(LR, name="fixed_lr")
    train = tf.contrib.layers.optimize_loss(loss, step, lr, optimizer)
    if kind == "tensor_lr":
        assert names(tf.global_variables()) == ["x", "global_step"]  # no learning_rate variable
    session.run(tf.global_variables_initializer())
    session.run(train)
    np.testing.assert_allclose(session.run(x), np_sgd(1), rtol=1e-5)


def test_optimize_loss_runs_update_ops(session):
    x, loss, step = quadratic_problem()
    counter = tf.get_variable("counter", initializer=0.0, trainable=False)
    tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, tf.assign_add(counter, 1.0))
    train = tf.contrib.layers.optimize_loss(loss, step, LR, "SGD")
    session.run(tf.global_variables_initializer())
    session.run(train)
    assert session.run(counter) == 1.0


def test_optimize_loss_rejects_bad_arguments(graph):
    x, loss, step = quadratic_problem()
    with pytest.raises(ValueError, match="Optimizer name should be one of"):
        tf.contrib.layers.optimize_loss(loss, step, LR, "Nesterov")
    with pytest.raises(ValueError, match="Summaries should be one of"):
        tf.contrib.layers.optimize_loss(loss, step, LR, "SGD", summaries=["weights"])
    with pytest.raises(ValueError, match="Learning rate should be 0d Tensor or float"):
        tf.contrib.layers.optimize_loss(loss, step, 1, "SGD")


@pytest.mark.skipif(TF1, reason="on TF 1.15 tf.contrib.layers is complete: nothing is missing")
def test_legacy_feature_column_names_its_replacement():
    with pytest.raises(AttributeError, match=r"tf\.contrib\.layers\.crossed_column .*"
                                             r"use tf\.feature_column\.crossed_column"):
        tf.contrib.layers.crossed_column
