"""TF 1.15's op count of a graph built by TF 2.x: the ops there are, plus what each rule says TF
1.15 made more (or fewer) for them."""

from compat.seeds.graph_count import GraphCount, count_of
from compat.seeds.table import RULES


def tf115_op_count(graph):
    """How many ops TF 1.15 would have created in `graph` by now (its `Graph._last_id`): the ops
    TF 2.x created, plus what each rule in RULES says TF 1.15 made more (or fewer) for them."""
    count = count_of(graph)
    operations = graph.get_operations()
    for op in operations[count.read:]:
        for rule in RULES:
            count.extra += rule.extra_ops(op, graph, count)
    count.read = len(operations)
    return len(operations) + count.extra


def tf115_positions(graph, operations):
    """TF 1.15's index (its op id) of each op of `operations`, the first ops of `graph` in order,
    and how many ops TF 1.15 made up to their end: the rules replayed over them, for a record
    of what matches (tests/compat/test_seeds_op_sequence.py). Call after the graph's random ops drew
    their seeds (that is when random_uniform's missing ops are noted)."""
    noted = count_of(graph)
    replay = GraphCount()
    replay.noted, replay.noted_before = noted.noted, noted.noted_before
    extra = 0
    positions = []
    for index, op in enumerate(operations):
        if index in noted.affine_left_out_at:
            extra += 2  # min and max, before the RandomUniform
        for rule in RULES:
            extra += rule.extra_ops(op, graph, replay)
        positions.append(index + extra)
        if index in noted.affine_left_out_at:
            extra += 3  # sub, mul, add, after it
    return positions, len(operations) + extra
