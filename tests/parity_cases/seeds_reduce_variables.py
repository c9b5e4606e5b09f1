"""Reductions over all axes of a tf.Variable and of tensors that read it, under a graph-level seed,
each followed by a random op (a probe) whose op seed is TF 1.15's op count there. TF 1.15 took the
axes from Rank + range for a Variable and made a Const of them for a Tensor; on TF 2.x a reference
variable's `v.value()` and `tf.convert_to_tensor(v)` are the very tensor the reduction reads for `v`
(compat notes which reductions got the Variable: compat/seeds/variable_reductions.py)."""

import compat.v1 as tf
from symbol_parity import Registry, Spec

cases = Registry("seeds_reduce_variables")


def probed_after_each(reductions):
    """Each (name, reduction builder) in turn, each followed by its own probe, in this order."""
    outputs = {}
    for index, (name, reduce) in enumerate(reductions):
        outputs[name] = reduce()
        outputs["probe_%d_after_%s" % (index, name)] = tf.random_uniform([2], name="probe_%d" % index)
    return outputs


@cases.case
def reference_variable_reduced():
    """A [2, 3] reference variable reduced itself, through v.value() and convert_to_tensor (the
    same tensor on TF 2.x), through tf.identity and v + 0, with a name of another scope, by
    reduce_euclidean_norm and by reduce_logsumexp (which TF 1.15 converted first); then reduce_sum(v)
    and reduce_mean(v.value()) minimized."""
    v = tf.get_variable("v", [2, 3])
    outputs = probed_after_each([
        ("sum_of_variable", lambda: tf.reduce_sum(v)),
        ("mean_of_value", lambda: tf.reduce_mean(v.value())),
        ("max_of_converted", lambda: tf.reduce_max(tf.convert_to_tensor(v))),
        ("sum_of_identity", lambda: tf.reduce_sum(tf.identity(v))),
        ("prod_of_plus_zero", lambda: tf.reduce_prod(v + 0)),
        ("min_of_variable", lambda: tf.reduce_min(v)),
        ("named_sum_of_variable", lambda: tf.reduce_sum(v, name="scoped/sum")),
        ("euclidean_norm_of_variable", lambda: tf.math.reduce_euclidean_norm(v)),
        ("logsumexp_of_variable", lambda: tf.reduce_logsumexp(v)),
    ])
    loss = outputs["sum_of_variable"] + outputs["mean_of_value"]
    tf.train.GradientDescentOptimizer(0.1).minimize(loss)  # built, not run: the probe after it counts
    outputs["probe_after_minimize"] = tf.random_uniform([2], name="probe_after_minimize")
    return Spec(outputs)


@cases.case
def scalar_reference_variable_reduced():
    """A scalar reference variable: reduce_sum(s) (Rank + range on both runtimes) and
    reduce_sum(s.value()) (a Const of no axes on TF 1.15, Rank + range on TF 2.x)."""
    s = tf.get_variable("s", [], initializer=tf.random_normal_initializer())
    return Spec(probed_after_each([
        ("sum_of_variable", lambda: tf.reduce_sum(s)),
        ("sum_of_value", lambda: tf.reduce_sum(s.value())),
    ]))


@cases.case
def resource_variables_reduced():
    """A [2, 3] and a scalar resource variable, each reduced itself and through r.value(), then
    reduce_logsumexp(r) (TF 1.15 read it once, TF 2.x reads it twice)."""
    r = tf.get_variable("r", [2, 3], use_resource=True)
    scalar = tf.get_variable("scalar", [], initializer=tf.random_normal_initializer(), use_resource=True)
    return Spec(probed_after_each([
        ("sum_of_variable", lambda: tf.reduce_sum(r)),
        ("mean_of_value", lambda: tf.reduce_mean(r.value())),
        ("sum_of_scalar", lambda: tf.reduce_sum(scalar)),
        ("sum_of_scalar_value", lambda: tf.reduce_sum(scalar.value())),
        ("logsumexp_of_variable", lambda: tf.reduce_logsumexp(r)),
    ]))
