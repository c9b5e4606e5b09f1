"""Numpy references shared by the tf.contrib.seq2seq tests."""

import numpy as np


def numpy_gather_tree(step_ids, parent_ids, max_lengths, end_token):
    """gather_tree's reference: walk each final beam's parents back to time 0, then pad with
    end_token after its first end_token (and from max_lengths[b] on)."""
    max_time, batch, beams = step_ids.shape
    out = np.full_like(step_ids, end_token)
    for b in range(batch):
        length = min(max_time, max_lengths[b])
        for k in range(beams):
            beam = k
            for t in reversed(range(length)):
                out[t, b, k] = step_ids[t, b, beam]
                beam = parent_ids[t, b, beam]
            ended = np.flatnonzero(out[:length, b, k] == end_token)
            if ended.size:
                out[ended[0] + 1:, b, k] = end_token
    return out
