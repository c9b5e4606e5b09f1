"""tf.contrib.training's train-op helpers (TF 1.15: contrib/training/python/training/training.py),
written on tf.compat.v1 with TF 1.15's op order and names (summaries `<var>_gradient` and
`<var>_gradient_norm`, the `update_barrier`, the `train_op` scope and its check_numerics)."""

from tensorflow.compat import v1 as tf

__all__ = ["add_gradients_summaries", "clip_gradient_norms", "clip_gradient_norms_fn", "create_train_op",
           "multiply_gradients", "train"]

_USE_GLOBAL_STEP = 0  # create_train_op's default: the graph's global step, created if missing


def _values(gradient):
    return gradient.values if isinstance(gradient, tf.IndexedSlices) else gradient


def _map_values(gradient, fn):
    """fn over a dense gradient, or over an IndexedSlices' values (keeping its indices)."""
    if isinstance(gradient, tf.IndexedSlices):
        return tf.IndexedSlices(fn(gradient.values), gradient.indices, gradient.dense_shape)
    return fn(gradient)


def add_gradients_summaries(grads_and_vars):
    """A histogram and a global-norm scalar summary per gradient; the list of summary ops."""
    summaries = []
    for gradient, variable in grads_and_vars:
        if gradient is None:
            tf.logging.info("Var %s has no gradient", variable.op.name)
            continue
        values = _values(gradient)
        summaries.append(tf.summary.histogram(variable.op.name + "_gradient", values))
        summaries.append(tf.summary.scalar(variable.op.name + "_gradient_norm", tf.global_norm([values])))
    return summaries


def clip_gradient_norms(gradients_to_variables, max_norm):
    """Each gradient clipped to norm max_norm (tf.clip_by_norm); None gradients kept."""
    return [(None if gradient is None else _map_values(gradient, lambda g: tf.clip_by_norm(g, max_norm)), variable)
            for gradient, variable in gradients_to_variables]


def clip_gradient_norms_fn(max_norm):
    """clip_gradient_norms as a transform_grads_fn."""
    return lambda gradients_to_variables: clip_gradient_norms(gradients_to_variables, max_norm)


def multiply_gradients(grads_and_vars, gradient_multipliers):
    """Gradients scaled by gradient_multipliers ({variable or its op name: multiplier})."""
    if not isinstance(grads_and_vars, list):
        raise ValueError("`grads_and_vars` must be a list.")
    if not gradient_multipliers:
        raise ValueError("`gradient_multipliers` is empty.")
    if not isinstance(gradient_multipliers, dict):
        raise ValueError("`gradient_multipliers` must be a dict.")
    multiplied = []
    for gradient, variable in grads_and_vars:
        key = variable if variable in gradient_multipliers else variable.op.name
        if key in gradient_multipliers:
            if gradient is None:
                raise ValueError("Requested multiple of `None` gradient.")
            factor = gradient_multipliers[key]
            gradient = _map_values(gradient, lambda g: g * tf.convert_to_tensor(factor, dtype=g.dtype))
        multiplied.append((gradient, variable))
    return multiplied


def create_train_op(total_loss, optimizer, global_step=_USE_GLOBAL_STEP, update_ops=None, variables_to_train=None,
                    transform_grads_fn=None, summarize_gradients=False, gate_gradients=tf.train.Optimizer.GATE_OP,
                    aggregation_method=None, colocate_gradients_with_ops=False, check_numerics=True):
    """A tensor that runs one training step (update ops first, then the optimizer) and evaluates
    to the loss; added to GraphKeys.TRAIN_OP."""
    if global_step is _USE_GLOBAL_STEP:
        global_step = tf.train.get_or_create_global_step()
    in_collection = set(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
    update_ops = in_collection if update_ops is None else set(update_ops)
    if not in_collection.issubset(update_ops):
        tf.logging.warning("update_ops in create_train_op does not contain all the update_ops in "
                           "GraphKeys.UPDATE_OPS")
    if update_ops:
        with tf.control_dependencies(update_ops):
            barrier = tf.no_op(name="update_barrier")
        with tf.control_dependencies([barrier]):
            total_loss = tf.identity(total_loss)
    if variables_to_train is None:
        variables_to_train = tf.trainable_variables()
    else:
        for variable in variables_to_train:
            assert variable.trainable or variable in tf.trainable_variables()
    assert variables_to_train
    gradients = optimizer.compute_gradients(total_loss, variables_to_train, gate_gradients=gate_gradients,
                                            aggregation_method=aggregation_method,
                                            colocate_gradients_with_ops=colocate_gradients_with_ops)
    if transform_grads_fn:
        gradients = transform_grads_fn(gradients)
    if summarize_gradients:
        with tf.name_scope("summarize_grads"):
            add_gradients_summaries(gradients)
    apply = optimizer.apply_gradients(gradients, global_step=global_step)
    with tf.name_scope("train_op"):
        if check_numerics:
            total_loss = tf.check_numerics(total_loss, "LossTensor is inf or nan")
        with tf.control_dependencies([apply]):
            train_op = tf.identity(total_loss)
    train_ops = tf.get_collection_ref(tf.GraphKeys.TRAIN_OP)
    if train_op not in train_ops:
        train_ops.append(train_op)
    return train_op


def train(train_op, logdir, master="", is_chief=True, scaffold=None, hooks=None, chief_only_hooks=None,
          save_checkpoint_secs=600, save_summaries_steps=100, config=None, max_wait_secs=7200, run_metadata=None):
    """Run train_op in a MonitoredTrainingSession (checkpoints and summaries in logdir) until a
    hook stops it; the last loss."""
    if logdir is None and is_chief:
        if save_summaries_steps:
            raise ValueError("logdir cannot be None when save_summaries_steps is not None")
        if save_checkpoint_secs:
            raise ValueError("logdir cannot be None when save_checkpoint_secs is not None")
    with tf.train.MonitoredTrainingSession(
            master=master, is_chief=is_chief, checkpoint_dir=logdir, scaffold=scaffold, hooks=hooks,
            chief_only_hooks=chief_only_hooks, save_checkpoint_secs=save_checkpoint_secs,
            save_summaries_steps=save_summaries_steps, config=config, max_wait_secs=max_wait_secs) as session:
        loss = None
        while not session.should_stop():
            loss = session.run(train_op, run_metadata=run_metadata)
    return loss
