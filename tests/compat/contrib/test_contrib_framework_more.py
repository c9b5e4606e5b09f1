"""tf.contrib.framework beyond the global step: arg_scope, variable creation and restoring,
checkpoint readers, nest, tensor checks and small helpers, as TF 1.15 had them."""

import collections

import numpy as np
import pytest

from conftest import tf

framework = tf.contrib.framework


def names(variables):
    return [v.op.name for v in variables]


@framework.add_arg_scope
def scoped(a, b=1, c=2):
    return a, b, c


def test_arg_scope_nesting_reuse_and_errors():
    assert framework.has_arg_scope(scoped) and not framework.has_arg_scope(lambda: None)
    assert set(framework.arg_scoped_arguments(scoped)) >= {"b", "c"}
    with framework.arg_scope([scoped], b=10) as outer:
        assert scoped(0) == (0, 10, 2)
        with framework.arg_scope([scoped], c=20):
            assert scoped(0, b=5) == (0, 5, 20)  # an explicit argument wins
        assert framework.current_arg_scope() is outer
    assert scoped(0) == (0, 1, 2)
    with framework.arg_scope(outer):
        assert scoped(0) == (0, 10, 2)
    with pytest.raises(ValueError, match="not decorated with @add_arg_scope"):
        with framework.arg_scope([len], b=1):
            pass
    with pytest.raises(TypeError, match="list_ops_or_scope must either be a list/tuple"):
        with framework.arg_scope(scoped, b=1):
            pass


def test_model_variable_and_variable_honour_arg_scope(graph):
    with framework.arg_scope([framework.model_variable], collections=["extra"],
                             initializer=tf.constant_initializer(3.0)):
        weights = framework.model_variable("weights", [2])
    local = framework.local_variable([1.0], name="counter")
    plain = framework.variable("plain", [1], collections=["only_here"])
    glob = framework.global_variable(5, name="glob")
    assert names(tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)) == ["weights"]
    assert names(tf.get_collection("extra")) == ["weights"]
    assert names(tf.local_variables()) == ["counter"] and local not in tf.trainable_variables()
    assert names(tf.get_collection("only_here")) == ["plain"] and plain not in tf.global_variables()
    assert glob in tf.global_variables() and glob not in tf.trainable_variables()
    framework.add_model_variable(glob)
    assert names(framework.get_model_variables()) == ["weights", "glob"]
    zeros = framework.zero_initializer(plain)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(session.run(weights), [3.0, 3.0])
        session.run(zeros)  # `plain` is in no initialized collection: zero_initializer initializes it
        np.testing.assert_array_equal(session.run(plain), [0.0])
        with pytest.raises(tf.errors.InvalidArgumentError, match="already initialized"):
            session.run(zeros)


def test_restore_selection_helpers(graph):
    with tf.variable_scope("encoder"):
        enc = tf.get_variable("w", [1])
    with tf.variable_scope("decoder"):
        dec = tf.get_variable("w", [1])
        dec_b = tf.get_variable("b", [1])
    assert framework.get_variables_to_restore(exclude=["decoder"]) == [enc]
    assert framework.get_variables_to_restore(include=["decoder"], exclude=["decoder/b"]) == [dec]
    assert framework.filter_variables([enc, dec, dec_b], include_patterns=["w"], exclude_patterns=["enc"]) == [dec]
    assert framework.filter_variables([enc, dec], include_patterns=["decoder"], reg_search=False) == [dec]
    assert framework.get_variable_full_name(dec) == "decoder/w"
    with pytest.raises(TypeError, match="include is provided but is not a list"):
        framework.get_variables_to_restore(include="decoder")


@pytest.fixture
def checkpoint(tmp_path):
    """A checkpoint with a = [1, 2] and scope/b = [[3.]], written by a plain Saver."""
    with tf.Graph().as_default():
        a = tf.Variable([1.0, 2.0], name="a")
        with tf.variable_scope("scope"):
            tf.get_variable("b", initializer=[[3.0]])
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            prefix = tf.train.Saver().save(session, str(tmp_path / "model.ckpt"))
    del a
    return prefix


def test_checkpoint_readers(checkpoint, tmp_path):
    assert framework.list_variables(str(tmp_path)) == [("a", [2]), ("scope/b", [1, 1])]
    np.testing.assert_array_equal(framework.load_variable(checkpoint, "a:0"), [1.0, 2.0])
    assert framework.load_checkpoint(str(tmp_path)).has_tensor("scope/b")


def test_assign_from_checkpoint_and_values(checkpoint, graph):
    a = tf.get_variable("a", [2])
    renamed = tf.get_variable("other", [1, 1])
    missing = tf.get_variable("missing", [1])
    op, feed = framework.assign_from_checkpoint(checkpoint, {"a": a, "scope/b": renamed})
    restore_fn = framework.assign_from_checkpoint_fn(checkpoint, [a, missing], ignore_missing_vars=True)
    values_op, values_feed = framework.assign_from_values({"missing": np.array([7.0], np.float32)})
    with pytest.raises(ValueError, match=r"Checkpoint is missing variable \[missing\]"):
        framework.assign_from_checkpoint(checkpoint, [missing])
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        session.run(op, feed)
        np.testing.assert_array_equal(session.run(a), [1.0, 2.0])
        np.testing.assert_array_equal(session.run(renamed), [[3.0]])
        session.run(a.assign([0.0, 0.0]))
        restore_fn(session)
        session.run(values_op, values_feed)
        np.testing.assert_array_equal(session.run(a), [1.0, 2.0])
        np.testing.assert_array_equal(session.run(missing), [7.0])


def test_init_from_checkpoint(checkpoint, graph):
    with tf.variable_scope("new"):
        b = tf.get_variable("b", [1, 1])
    a = tf.get_variable("a", [2])
    framework.init_from_checkpoint(checkpoint, {"scope/": "new/", "a": a})
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(session.run(a), [1.0, 2.0])
        np.testing.assert_array_equal(session.run(b), [[3.0]])


Pair = collections.namedtuple("Pair", "left right")


def test_nest_has_tf115_semantics():
    nest = framework.nest
    structure = {"b": Pair(1, [2, 3]), "a": "leaf"}
    assert nest.flatten(structure) == ["leaf", 1, 2, 3]  # dict keys sorted; strings are leaves
    assert nest.pack_sequence_as(structure, [0, 1, 2, 3]) == {"a": 0, "b": Pair(1, [2, 3])}
    assert nest.map_structure(lambda x: x * 2, Pair(1, 2)) == Pair(2, 4)
    assert nest.is_sequence([1]) and not nest.is_sequence("ab")
    assert nest.flatten_with_joined_string_paths({"x": [5]}) == [("x/0", 5)]
    with pytest.raises(ValueError):
        nest.assert_same_structure([1, 2], [1])
    with pytest.raises(TypeError):
        nest.assert_same_structure(Pair(1, 2), (1, 2))


def test_tensor_checks_and_helpers(session):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    checked = framework.with_shape([3, 2], x)
    assert checked.shape.as_list() == [3, 2]
    session.run(checked, {x: np.ones((3, 2))})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Wrong shape"):
        session.run(checked, {x: np.ones((4, 2))})
    with pytest.raises(ValueError, match="Invalid shape"):
        framework.with_shape([3], tf.ones([2]))
    same = framework.with_same_shape(tf.ones([2, 2]), tf.zeros([2, 2]))
    total = framework.reduce_sum_n([tf.ones([2, 2]), tf.constant([1.0, 2.0])])
    predictions, labels = framework.remove_squeezable_dimensions(tf.ones([3, 1]), tf.ones([3]))
    assert predictions.shape.as_list() == [3] and labels.shape.as_list() == [3]
    assert session.run(total) == 7.0 and session.run(same).shape == (2, 2)
    with pytest.raises(ValueError, match="Expected integer type"):
        framework.assert_scalar_int(tf.constant(1.0))
    np.testing.assert_array_equal(session.run(framework.sort(tf.constant([3, 1, 2]))), [1, 2, 3])
    np.testing.assert_array_equal(session.run(framework.argsort(tf.constant([3, 1, 2]))), [1, 2, 0])
    assert framework.get_placeholders(session.graph) == [x]
    assert framework.is_tensor(x) and not framework.is_tensor(1.0)
    assert framework.get_graph_from_inputs([x]) is session.graph
    with tf.name_scope("outer"):
        assert framework.get_name_scope() == "outer"
    assert framework.smart_cond(True, lambda: 1, lambda: 2) == 1


def test_py_func_nested_structures(session):
    result = framework.py_func(lambda a, b: {"sum": a + b, "pair": (a, b)}, args=[np.float32(1), np.float32(2)],
                               output_types={"sum": tf.float32, "pair": (tf.float32, tf.float32)},
                               output_shapes={"sum": [], "pair": ([], [])})
    assert result["sum"].shape.as_list() == []
    assert session.run(result) == {"sum": 3.0, "pair": (1.0, 2.0)}


def test_variable_device_chooser_round_robin():
    chooser = framework.VariableDeviceChooser(num_tasks=2)
    devices = [chooser(None) for _ in range(3)]
    assert devices == ["/job:ps/task:0/device:CPU:0", "/job:ps/task:1/device:CPU:0", "/job:ps/task:0/device:CPU:0"]
