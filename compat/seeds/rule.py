"""What a counting rule is, and the helpers rules share."""


class Rule(object):
    """Where TF 2.x's graph differs from TF 1.15's in op count: `extra_ops(op, graph, count)` is how many
    ops TF 1.15 created beside (before) `op` that TF 2.x did not (negative: TF 2.x made more).
    `construct` names what it is about (docs/seeds.md), `why` says where the difference comes from."""

    def __init__(self, construct, why, extra_ops):
        self.construct = construct
        self.why = why
        self.extra_ops = extra_ops


def op_exists(graph, name):
    try:
        graph.get_operation_by_name(name)
    except KeyError:
        return False
    return True


def noted(op, graph, count):
    """Ops TF 1.15 made more for `op`, noted while TF 2.x built it (where the ops alone cannot tell):
    `graph_count.note(graph, op_name, extra_ops)`, or before it existed: `graph_count.note_next_op`."""
    return count.noted.get(op.name, 0) + count.noted_before.get(op._id, 0)


NOTED = Rule("what compat notes as TF 2.x builds a construct", "the ops alone cannot tell the construct "
             "(a Keras layer's convolution from a hand-made one): the difference is noted as it is built", noted)
