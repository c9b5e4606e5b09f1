"""contrib.layers built as TF 1.15 built them. GDN's lower bound: one Maximum whose gradient is
overridden by name (`GDNLowerBound`), so a graph exported with it differentiates after an import
as well. batch_norm on 5-D inputs: TF 1.15's layer did not fuse them, and its moving variance takes
the batch's population variance (the fused kernel's is Bessel-corrected). Op sequences as a whole
are checked against TF 1.15's records (tests/compat/test_seeds_op_sequence.py)."""

import numpy as np

from conftest import tf

layers = tf.contrib.layers
OFFSET = 2.0 ** -18
X = np.random.RandomState(5).randn(2, 3, 4).astype(np.float32)


def test_lower_bound_is_one_maximum_with_the_gradient_named_as_in_tf115(graph):
    layers.gdn(tf.constant(X))
    bounds = [op for op in graph.get_operations() if "GDNLowerBound" in op.name]
    assert [(op.name, op.type) for op in bounds] == [("gdn/GDNLowerBound", "Maximum"),
                                                     ("gdn/GDNLowerBound_1", "Maximum")]
    assert [op.get_attr("_gradient_op_type") for op in bounds] == [b"GDNLowerBound"] * 2


def test_an_imported_graph_uses_the_lower_bounds_gradient(graph):
    """A reparameterized gamma fed below its bound, in a copy of the graph made by
    import_graph_def: minimizing sum |y| wants gamma up (the gradient passes), maximizing it
    wants gamma down (blocked). tf.maximum's own gradient would block both."""
    layers.gdn(tf.constant(X), name="exported")
    exported = graph.as_graph_def()
    with tf.Graph().as_default() as imported, tf.Session() as session:
        tf.import_graph_def(exported, name="")
        outputs = imported.get_tensor_by_name("exported/truediv:0")
        reparam_gamma = imported.get_tensor_by_name("exported/reparam_gamma/read:0")
        magnitude = tf.reduce_sum(outputs * np.sign(X))
        lower, raise_ = [tf.gradients(sign * magnitude, reparam_gamma)[0] for sign in (1.0, -1.0)]
        below = np.full([4, 4], OFFSET / 4, np.float32)
        np.fill_diagonal(below, 1.0)
        feed = {reparam_gamma: below, imported.get_tensor_by_name("exported/reparam_beta/read:0"): np.ones(4)}
        lower_grad, raise_grad = session.run([lower, raise_], feed)
    off_diagonal = ~np.eye(4, dtype=bool)
    assert np.all(lower_grad[off_diagonal] < 0)
    assert np.all(raise_grad[off_diagonal] == 0) and np.all(raise_grad[~off_diagonal] != 0)


def test_batch_norm_on_5d_inputs_moves_to_the_population_variance(session):
    volumes = np.random.RandomState(6).randn(2, 2, 2, 2, 3).astype(np.float32)
    layers.batch_norm(tf.constant(volumes), decay=0.0, is_training=True)  # decay 0: the batch's moments
    session.run(tf.global_variables_initializer())
    session.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
    moving_mean, moving_variance = session.run([v for v in tf.global_variables() if "moving_" in v.op.name])
    flat = volumes.reshape(-1, 3).astype(np.float64)
    np.testing.assert_allclose(moving_mean, flat.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(moving_variance, flat.var(0), rtol=1e-5)
