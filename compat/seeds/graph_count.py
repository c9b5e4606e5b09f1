"""What compat keeps per graph to count ops as TF 1.15 did: how far the graph's ops were read, how
many more ops TF 1.15 made up to there, and what was noted as TF 2.x built the graph."""

import weakref

_COUNTS = weakref.WeakKeyDictionary()  # graph -> GraphCount


class GraphCount(object):
    """How far the graph's ops have been read, how many more ops TF 1.15 made up to there, and the
    shape pairs TF 1.15's graph had cached broadcast-gradient axes for (`_bcast_grad_args_cache`)."""

    def __init__(self):
        self.read = 0
        self.extra = 0
        self.broadcast_shapes_seen = set()
        self.noted = {}  # op name -> ops TF 1.15 made more for it, noted as TF 2.x built it
        self.noted_before = {}  # op id -> ops TF 1.15 made more before it, noted before it existed
        self.affine_left_out_at = set()  # indexes of RandomUniform ops missing random_uniform's affine ops


def count_of(graph):
    count = _COUNTS.get(graph)
    if count is None:
        count = _COUNTS[graph] = GraphCount()
    return count


def note(graph, op_name, extra_ops):
    """TF 1.15 made `extra_ops` more ops (negative: fewer) for the op `op_name`, which the ops alone
    cannot tell (counted by `rule.noted`, as the op is read)."""
    noted = count_of(graph).noted
    noted[op_name] = noted.get(op_name, 0) + extra_ops


def note_next_op(graph, extra_ops):
    """TF 1.15 made `extra_ops` more ops before the next op `graph` will create (op ids count up by
    one), which does not exist yet, so that a count read inside the construct already sees them."""
    operations = graph.get_operations()
    if not operations:
        return
    noted_before = count_of(graph).noted_before
    next_id = operations[-1]._id + 1
    noted_before[next_id] = noted_before.get(next_id, 0) + extra_ops
