"""TF 2.x's `random_seed.get_seed` with TF 1.15's op seed: the graph's op count as TF 1.15 would
have had it."""

import functools
import sys

from compat.seeds.counting import tf115_op_count
from compat.seeds.graph_count import count_of


def tf115_get_seed(tf2_get_seed, ops, context, random_uniform_code):
    """Wrap TF 2.x's get_seed; `random_uniform_code` is random_ops.random_uniform's code object, to
    tell its calls apart (TF 2.x leaves out ops there that TF 1.15 made)."""
    @functools.wraps(tf2_get_seed)
    def get_seed(op_seed):
        if context.executing_eagerly():
            return tf2_get_seed(op_seed)
        graph = ops.get_default_graph()
        count = tf115_op_count(graph)
        caller = sys._getframe(1)
        if caller.f_code is random_uniform_code and _affine_left_out(caller.f_locals):
            # TF 1.15 made `min` and `max` before this op and sub, mul, add after it (counted
            # with or without a seed: the ops after it are numbered from here on).
            count += 2
            counted = count_of(graph)
            counted.extra += 5
            counted.affine_left_out_at.add(counted.read)  # the RandomUniform is the graph's next op
        if op_seed is None and graph.seed is not None:
            op_seed = count
        return tf2_get_seed(op_seed)  # TF 2.x's own truncation and (0, 0) guard, now with TF 1.15's op seed

    get_seed.tf2_get_seed = tf2_get_seed
    return get_seed


def _affine_left_out(local_names):
    """TF 2.x's random_uniform skips min, max and `* (max - min) + min` for floats in [0, 1)."""
    return (local_names.get("minval_is_zero") and local_names.get("maxval_is_one")
            and not local_names["dtype"].is_integer)
