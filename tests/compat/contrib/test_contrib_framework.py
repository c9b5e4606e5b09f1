"""tf.contrib.framework: global-step helpers and variable lookups, as in TF 1.15."""

import pytest

from conftest import TF1, tf


def test_get_global_step_is_none_before_creation(graph):
    assert tf.contrib.framework.get_global_step() is None


def test_get_or_create_global_step_creates_once(session):
    framework = tf.contrib.framework
    step = framework.get_or_create_global_step()
    assert step.op.name == "global_step"
    assert step.dtype.base_dtype == tf.int64 and step.shape.ndims == 0
    assert framework.get_or_create_global_step() is step
    assert framework.get_global_step() is step
    assert tf.train.get_global_step() is step
    assert len(tf.get_collection(tf.GraphKeys.GLOBAL_STEP)) == 1
    session.run(tf.global_variables_initializer())
    assert session.run(step) == 0


def test_global_step_of_another_graph(graph):
    other = tf.Graph()
    step = tf.contrib.framework.get_or_create_global_step(other)
    assert step.graph is other
    assert tf.contrib.framework.get_global_step() is None
    assert tf.contrib.framework.get_global_step(other) is step


def test_create_global_step_twice_is_an_error(graph):
    tf.contrib.framework.create_global_step()
    with pytest.raises(ValueError, match="already exists"):
        tf.contrib.framework.create_global_step()


def test_assert_or_get_global_step(graph):
    framework = tf.contrib.framework
    assert framework.assert_or_get_global_step() is None
    step = framework.get_or_create_global_step()
    assert framework.assert_or_get_global_step() is step
    assert framework.assert_or_get_global_step(global_step_tensor=step) is step
    with pytest.raises(TypeError):
        framework.assert_global_step(tf.Variable(1.0, name="not_a_step"))


def test_variable_lookups(graph):
    with tf.variable_scope("layer1"):
        w1 = tf.get_variable("weights", [2])
        b1 = tf.get_variable("biases", [2], trainable=False)
    with tf.variable_scope("layer2"):
        w2 = tf.get_variable("weights", [2])
    framework = tf.contrib.framework
    assert framework.get_variables_by_name("weights") == [w1, w2]
    assert framework.get_variables("layer1") == [w1, b1]
    assert framework.get_variables(suffix="biases") == [b1]
    assert framework.get_trainable_variables() == [w1, w2]
    assert framework.get_unique_variable("layer2/weights") is w2
    with pytest.raises(ValueError, match="Couldn't find variable"):
        framework.get_unique_variable("layer3/weights")


@pytest.mark.skipif(TF1, reason="on TF 1.15 tf.contrib.framework is complete: nothing is missing")
def test_unprovided_name_is_a_named_attribute_error():
    with pytest.raises(AttributeError, match=r"tf\.contrib\.framework\.fuse_op .*TFLiteConverter"):
        tf.contrib.framework.fuse_op
