"""Graph-level seeds on TF 2.x, derived as TF 1.15 derived them.

A random op created without its own seed under `tf.set_random_seed(N)` gets two seeds, (N, op
seed). TF 1.15 took the op seed from the graph's op count at that moment (`Graph._last_id`, the
number of operations created so far); TF 2.x takes it from a per-graph counter of such ops
(`random_seed._graph_to_seed_dict`). Same script, same N, other numbers. `install()` puts TF 1.15's
rule in TF 2.x's `random_seed.get_seed`, counting the ops of the graph plus, where TF 2.x builds a
construct with fewer or more ops than TF 1.15 did, the difference (`table.RULES`, read off the ops
as they appear, or noted as TF 2.x builds them where the ops alone cannot tell: Keras convolution
layers, Conv2DTranspose's output shape, the fused batch norm kernel, rejection_resample, a Variable
reduced itself), so the random ops after it get TF 1.15's seeds as well. Each rule was measured
against the op sequences TF 1.15 records in tests/golden/compat/ (docs/seeds.md: what matches).

Explicit op seeds (`seed=5`), eager code and TF 1.x are unchanged.
"""

import inspect

from compat.seeds.counting import tf115_op_count, tf115_positions
from compat.seeds.table import RULES

__all__ = ["install", "tf115_op_count", "tf115_positions", "RULES"]

_INSTALLED = []


def install():
    """Give TF 2.x's graph-mode random ops TF 1.15's op seeds (process-wide, idempotent)."""
    if _INSTALLED:
        return
    from tensorflow.python.eager import context
    from tensorflow.python.framework import ops, random_seed
    from tensorflow.python.ops import random_ops

    from compat.seeds import convolution, datasets, normalization, transposed_convolution, variable_reductions
    from compat.seeds.op_seed import tf115_get_seed

    random_uniform_code = inspect.unwrap(random_ops.random_uniform).__code__
    random_seed.get_seed = tf115_get_seed(random_seed.get_seed, ops, context, random_uniform_code)
    # Where the ops alone cannot tell what TF 1.15 made more, note it as TF 2.x builds the construct.
    for construct in (convolution, transposed_convolution, normalization, datasets, variable_reductions):
        construct.install(ops, context)
    _INSTALLED.append(True)
