"""tf.contrib.training's queue-based samplers (TF 1.15: contrib/training/python/training/sampling_ops.py):
rejection_sample keeps an example with probability accept_prob_fn(example); stratified_sample
keeps an example of class i with the probability that turns the data's class proportions
(init_probs, or a running estimate) into target_probs. Both batch what they keep with
tf.train.maybe_batch (queue runners)."""

from tensorflow.compat import v1 as tf
from tensorflow.python.framework import tensor_shape
from tensorflow.python.framework.indexed_slices import convert_n_to_tensor_or_indexed_slices
from tensorflow.python.ops import control_flow_ops

__all__ = ["rejection_sample", "stratified_sample"]


def rejection_sample(tensors, accept_prob_fn, batch_size, queue_threads=1, enqueue_many=False,
                     prebatch_capacity=16, prebatch_threads=1, runtime_checks=False, name=None):
    """A batch (list) of batch_size examples, each kept with probability accept_prob_fn(example)."""
    with tf.variable_scope(name, "rejection_sample", tensors):
        tensor_list = convert_n_to_tensor_or_indexed_slices(tensors)
        if enqueue_many:
            tensor_list = _same_batch_dimension(tensor_list)
            # One example at a time: a batch of one from a queue fed with the input batches.
            singles = tf.train.batch(tensor_list, batch_size=1, num_threads=prebatch_threads,
                                     capacity=prebatch_capacity, enqueue_many=True)
            tensor_list = [tf.squeeze(x, [0]) for x in singles]
        accept_prob = accept_prob_fn(tensor_list)
        if runtime_checks:
            accept_prob = tf.identity(control_flow_ops.with_dependencies(
                [tf.assert_less_equal(0.0, accept_prob), tf.assert_less_equal(accept_prob, 1.0)], accept_prob),
                name="prob_with_checks")
        batch = tf.train.maybe_batch(tensor_list, keep_input=tf.random_uniform([]) < accept_prob,
                                     batch_size=batch_size, num_threads=queue_threads)
        return [batch] if isinstance(batch, tf.Tensor) else batch


def stratified_sample(tensors, labels, target_probs, batch_size, init_probs=None, enqueue_many=False,
                      queue_capacity=16, threads_per_queue=1, name=None):
    """(data batch list, label batch): examples kept per class so the batches' classes follow target_probs."""
    with tf.name_scope(name, "stratified_sample", list(tensors) + [labels]):
        tensor_list = convert_n_to_tensor_or_indexed_slices(tensors)
        labels = tf.convert_to_tensor(labels)
        target_probs = tf.convert_to_tensor(target_probs, dtype=tf.float32)
        if not enqueue_many:
            tensor_list = [tf.expand_dims(tensor, 0) for tensor in tensor_list]
            labels = tf.expand_dims(labels, 0)
        if init_probs is None:
            target_probs.get_shape().assert_is_fully_defined()  # it gives the number of classes
            init_probs = _estimate_data_distribution(labels, target_probs.get_shape().num_elements())
        else:
            init_probs = tf.convert_to_tensor(init_probs, dtype=tf.float32)
        tensor_list, labels, [init_probs, target_probs] = _verify_input(tensor_list, labels,
                                                                         [init_probs, target_probs])
        no_data_no_target = tf.Assert(
            tf.reduce_all(tf.logical_or(tf.not_equal(init_probs, 0), tf.equal(target_probs, 0))),
            ["All classes with zero initial probability must also have zero target probability: ",
             init_probs, target_probs])
        init_probs = control_flow_ops.with_dependencies([no_data_no_target], init_probs)
        accept_probs = _acceptance_probabilities(init_probs, target_probs)
        rejected = tf.reduce_sum((1 - accept_probs) * init_probs)
        accept_probs = tf.cond(tf.less(rejected, .5), lambda: accept_probs, lambda: tf.Print(
            accept_probs, [accept_probs], message="Proportion of examples rejected by sampler is high.", first_n=10))
        singles = tf.train.batch(tensor_list + [labels], batch_size=1, num_threads=threads_per_queue,
                                 capacity=queue_capacity, enqueue_many=True)
        values = [tf.squeeze(x, [0]) for x in singles[:-1]]
        label = tf.squeeze(singles[-1], [0])
        batch = tf.train.maybe_batch(values + [label], keep_input=tf.random_uniform([]) < tf.gather(accept_probs, label),
                                     batch_size=batch_size, num_threads=threads_per_queue)
        return batch[:-1], batch[-1]


def _estimate_data_distribution(labels, num_classes, smoothing_constant=10):
    """Class proportions counted over the labels seen so far (a `class_count` variable, smoothed)."""
    if smoothing_constant <= 0:
        raise ValueError("smoothing_constant must be nonzero.")
    seen = tf.Variable(initial_value=[smoothing_constant] * num_classes, trainable=False, name="class_count",
                       dtype=tf.int64)
    seen = seen.assign_add(tf.reduce_sum(tf.one_hot(labels, num_classes, dtype=tf.int64), 0))
    seen += 0  # a copy: another thread's update must not change the counts mid-normalisation
    return tf.cast(tf.truediv(seen, tf.reduce_sum(seen)), tf.float32)


def _same_batch_dimension(tensor_list):
    for tensor in tensor_list:
        shape = tensor.get_shape().with_rank_at_least(1)
        tensor_shape.dimension_at_index(shape, 0).assert_is_compatible_with(tensor_list[0].get_shape()[0])
    return tensor_list


def _verify_input(tensor_list, labels, probs_list):
    """The inputs with run-time checks: probabilities non-negative summing to 1, labels in range,
    data and labels with the same positive batch size."""
    checked_probs = []
    for probs in probs_list:
        probs.get_shape().assert_is_fully_defined()
        probs.get_shape().assert_has_rank(1)
        total = tf.reduce_sum(probs)
        checked_probs.append(control_flow_ops.with_dependencies(
            [tf.assert_non_negative(probs), tf.assert_less(total, 1.0 + 1e-6), tf.assert_less(1.0 - 1e-6, total)],
            probs))
    classes = checked_probs[0].get_shape().num_elements()
    if any(p.get_shape().num_elements() != classes for p in checked_probs):
        raise ValueError("Probability parameters must have the same length.")
    labels.get_shape().assert_has_rank(1)
    for tensor in tensor_list:
        shape = tensor.get_shape().with_rank_at_least(1)
        tensor_shape.dimension_at_index(shape, 0).assert_is_compatible_with(labels.get_shape()[0])
    batch = tf.shape(labels)[0]
    positive = tf.assert_positive(batch)
    labels = control_flow_ops.with_dependencies([positive], labels)
    tensor_list = [control_flow_ops.with_dependencies([positive, tf.assert_equal(tf.shape(x)[0], batch)], x)
                   for x in tensor_list]
    labels = control_flow_ops.with_dependencies(
        [tf.assert_integer(labels), tf.assert_non_negative(labels),
         tf.assert_less(labels, tf.cast(classes, labels.dtype))], labels)
    return tensor_list, labels, checked_probs


def _acceptance_probabilities(init_probs, target_probs):
    """a_i = (t_i / p_i) / max_j (t_j / p_j), 0 where t_i / p_i is NaN: accepting class i with
    a_i turns class proportions p into t (the accepted share of class i is p_i a_i / sum p_j a_j)."""
    ratio = target_probs / init_probs
    ratio = tf.where_v2(tf.is_nan(ratio), tf.zeros_like(ratio), ratio)
    return ratio / tf.reduce_max(ratio)
