"""tf.layers.batch_normalization / tf.layers.BatchNormalization by input rank, against numpy.

TF 1.15 fused 4-D inputs only: its fused kernel's moving variance took the Bessel-corrected
batch variance (ddof=1); every other rank (5-D with fused=True too) went through tf.nn.moments
(ddof=0). tf_keras fuses 5-D inputs as well; compat/layers/normalization.py keeps TF 1.15's choice.
The goldens of tests/parity_cases/layers_normalization.py check the same on TF 1.15's checkpoints.
"""

import numpy as np
import pytest

import compat.v1 as tf

pytestmark = pytest.mark.filterwarnings("ignore:`tf.layers.batch_normalization` is deprecated:UserWarning")

MOMENTUM, EPSILON = 0.5, 1e-3
SHAPES = {"5d": (2, 2, 3, 3, 2), "5d_fused_true": (2, 2, 3, 2, 3), "4d": (2, 3, 3, 2), "3d": (2, 4, 3), "2d": (6, 3)}


def values(shape, seed):
    return (np.random.RandomState(seed).randn(*shape) * 2.0 + 1.0).astype(np.float32)


def expected_moving(inputs, axis, ddof):
    """One moving-average update from moving_mean 0, moving_variance 1."""
    axes = tuple(i for i in range(inputs.ndim) if i != axis % inputs.ndim)
    mean, variance = inputs.mean(axis=axes), inputs.var(axis=axes, ddof=ddof)
    return MOMENTUM * 0.0 + (1 - MOMENTUM) * mean, MOMENTUM * 1.0 + (1 - MOMENTUM) * variance


@pytest.fixture(scope="module")
def one_update():
    """Each rank through one layer in training (built: {name: (inputs, axis, outputs tensor, layer
    or None)}), its outputs evaluated, then every UPDATE_OPS op run once and the variables read."""
    graph = tf.Graph()
    built = {}
    with graph.as_default():
        for seed, (name, shape) in enumerate(sorted(SHAPES.items())):
            inputs = values(shape, seed)
            if name == "5d_fused_true":  # channels first, through the class
                axis, layer = 1, tf.layers.BatchNormalization(axis=1, momentum=MOMENTUM, fused=True, name="bn_" + name)
                outputs = layer.apply(tf.constant(inputs), training=True)
            else:
                axis, layer = -1, None
                outputs = tf.layers.batch_normalization(tf.constant(inputs), momentum=MOMENTUM, training=True,
                                                        name="bn_" + name)
            built[name] = (inputs, axis, outputs, layer)
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        variables = {v.op.name: v for v in tf.global_variables()}
        op_types = {name: {op.type for op in graph.get_operations() if op.name.startswith("bn_%s/" % name)}
                    for name in SHAPES}
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            results = session.run({name: item[2] for name, item in built.items()})
            session.run(update_ops)
            moving = session.run(variables)
    return {"built": built, "outputs": results, "moving": moving, "op_types": op_types,
            "update_ops": update_ops, "variable_names": sorted(variables)}


def moving_of(one_update, name):
    return one_update["moving"]["bn_%s/moving_mean" % name], one_update["moving"]["bn_%s/moving_variance" % name]


@pytest.mark.parametrize("name", ["5d", "5d_fused_true", "3d", "2d"])
def test_unfused_ranks_update_moving_variance_with_the_biased_batch_variance(one_update, name):
    inputs, axis, _, _ = one_update["built"][name]
    mean, variance = moving_of(one_update, name)
    expected_mean, biased = expected_moving(inputs, axis, ddof=0)
    _, unbiased = expected_moving(inputs, axis, ddof=1)
    np.testing.assert_allclose(mean, expected_mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(variance, biased, rtol=1e-5)
    assert not np.allclose(variance, unbiased, rtol=1e-3)  # the two rules are told apart


def test_4d_is_fused_and_takes_the_bessel_corrected_variance(one_update):
    inputs, axis, _, _ = one_update["built"]["4d"]
    _, variance = moving_of(one_update, "4d")
    np.testing.assert_allclose(variance, expected_moving(inputs, axis, ddof=1)[1], rtol=1e-5)
    assert {"FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3"} & one_update["op_types"]["4d"]


@pytest.mark.parametrize("name", ["5d", "5d_fused_true", "3d", "2d"])
def test_only_4d_builds_the_fused_kernel(one_update, name):
    assert not {t for t in one_update["op_types"][name] if t.startswith("FusedBatchNorm")}


def test_fused_true_on_5d_is_dropped_by_the_class(one_update):
    layer = one_update["built"]["5d_fused_true"][3]
    assert layer.fused is False


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_outputs_normalize_with_the_batch_statistics(one_update, name):
    inputs, axis, _, _ = one_update["built"][name]
    axes = tuple(i for i in range(inputs.ndim) if i != axis % inputs.ndim)
    mean, variance = inputs.mean(axis=axes, keepdims=True), inputs.var(axis=axes, keepdims=True)
    expected = (inputs - mean) / np.sqrt(variance + EPSILON)
    np.testing.assert_allclose(one_update["outputs"][name], expected, rtol=1e-4, atol=1e-4)


def test_variable_names_and_two_update_ops_per_layer(one_update):
    expected = sorted("bn_%s/%s" % (name, kind) for name in SHAPES
                      for kind in ("beta", "gamma", "moving_mean", "moving_variance"))
    assert one_update["variable_names"] == expected
    assert len(one_update["update_ops"]) == 2 * len(SHAPES)


def test_a_tensor_training_updates_only_when_true_and_inference_uses_the_moving_statistics(graph, session):
    inputs = values((2, 2, 2, 3, 2), seed=9)
    training = tf.placeholder(tf.bool, shape=())
    outputs = tf.layers.batch_normalization(tf.constant(inputs), momentum=MOMENTUM, training=training,
                                            moving_mean_initializer=tf.constant_initializer(0.5), name="bn")
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    moving = [v for v in tf.global_variables() if v.op.name in ("bn/moving_mean", "bn/moving_variance")]
    session.run(tf.global_variables_initializer())
    inferred, _ = session.run([outputs, update_ops], {training: False})
    np.testing.assert_allclose(inferred, (inputs - 0.5) / np.sqrt(1.0 + EPSILON), rtol=1e-5, atol=1e-6)
    mean, variance = session.run(moving)
    np.testing.assert_allclose(mean, [0.5, 0.5])
    np.testing.assert_allclose(variance, [1.0, 1.0])
    session.run(update_ops, {training: True})
    axes = (0, 1, 2, 3)
    mean, variance = session.run(moving)
    np.testing.assert_allclose(mean, MOMENTUM * 0.5 + (1 - MOMENTUM) * inputs.mean(axis=axes), rtol=1e-5)
    np.testing.assert_allclose(variance, MOMENTUM + (1 - MOMENTUM) * inputs.var(axis=axes), rtol=1e-5)


def test_inference_adds_no_update_ops(graph):
    tf.layers.batch_normalization(tf.constant(values((2, 2, 2, 2, 2), seed=3)), training=False)
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    assert sorted(v.op.name for v in tf.global_variables()) == [
        "batch_normalization/beta", "batch_normalization/gamma", "batch_normalization/moving_mean",
        "batch_normalization/moving_variance"]


# Fused (4-D) without gamma and/or beta: TF 1.15 made the missing one's Const in build(), where its
# variable would be (gamma's before beta, beta's before the moving statistics), and fed it to the
# kernel; each layer below is built in training, then applied again.
WITHOUT = {"no_gamma": {"scale": False, "beta_initializer": tf.constant_initializer(0.3)},
           "no_beta": {"center": False, "gamma_initializer": tf.constant_initializer(2.0)},
           "neither": {"scale": False, "center": False}}


@pytest.fixture(scope="module")
def without_params():
    graph = tf.Graph()
    inputs = values((2, 3, 2, 2), seed=11)
    built = {}
    with graph.as_default():
        for name, arguments in sorted(WITHOUT.items()):
            layer = tf.layers.BatchNormalization(name="bn_" + name, **arguments)
            first = len(graph.get_operations())
            outputs = layer.apply(tf.constant(inputs), training=True)
            built[name] = (layer, outputs, graph.get_operations()[first:])
            before_second = len(graph.get_operations())
            layer.apply(tf.constant(inputs), training=True)
            built[name] += (graph.get_operations()[before_second:],)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            results = session.run({name: item[1] for name, item in built.items()})
    return {"inputs": inputs, "built": built, "outputs": results}


def _stand_in(operations, before):
    """The op just before the first op named `before`: TF 1.15's place of a missing parameter."""
    names = [op.name for op in operations]
    return operations[names.index(before) - 1]


@pytest.mark.parametrize("name, kernel_input, follows, value", [
    ("no_gamma", 1, "bn_no_gamma/beta/Initializer/Const", 1.0),
    ("no_beta", 2, "bn_no_beta/moving_mean/Initializer/zeros", 0.0),
    ("neither", 2, "bn_neither/moving_mean/Initializer/zeros", 0.0),
])
def test_a_missing_parameter_is_a_const_made_where_its_variable_would_be(without_params, name, kernel_input,
                                                                        follows, value):
    _, outputs, operations, _ = without_params["built"][name]
    stand_in = _stand_in(operations, follows)
    kernel = next(op for op in operations if op.type.startswith("FusedBatchNorm"))
    assert stand_in.type == "Const" and kernel.inputs[kernel_input].op is stand_in
    with tf.Session(graph=stand_in.graph) as session:
        np.testing.assert_array_equal(session.run(stand_in.outputs[0]), [value, value])
    if name == "neither":  # gamma's ones, then beta's zeros
        assert _stand_in(operations, stand_in.name) is kernel.inputs[1].op


@pytest.mark.parametrize("name", sorted(WITHOUT))
def test_a_second_call_reuses_the_stand_ins_and_the_layer_keeps_its_parameters(without_params, name):
    layer, _, first_call, second_call = without_params["built"][name]
    kernels = [next(op for op in call if op.type.startswith("FusedBatchNorm")) for call in (first_call, second_call)]
    first_inputs, second_inputs = ([tensor.op for tensor in kernel.inputs[1:3]] for kernel in kernels)
    assert first_inputs == second_inputs  # build()'s stand-ins (or the variables' reads), made once
    assert (layer.gamma is None) == (name != "no_beta") and layer.scale == (name == "no_beta")
    assert (layer.beta is None) == (name != "no_gamma") and layer.center == (name == "no_gamma")
    assert sorted(v.op.name.split("/")[-1] for v in layer.trainable_variables) == {
        "no_gamma": ["beta"], "no_beta": ["gamma"], "neither": []}[name]


@pytest.mark.parametrize("name, scale, offset", [("no_gamma", 1.0, 0.3), ("no_beta", 2.0, 0.0), ("neither", 1.0, 0.0)])
def test_without_parameters_the_kernel_normalizes_with_ones_and_zeros(without_params, name, scale, offset):
    inputs = without_params["inputs"]
    mean, variance = inputs.mean(axis=(0, 1, 2)), inputs.var(axis=(0, 1, 2))
    expected = (inputs - mean) / np.sqrt(variance + EPSILON) * scale + offset
    np.testing.assert_allclose(without_params["outputs"][name], expected, rtol=1e-4, atol=1e-4)
