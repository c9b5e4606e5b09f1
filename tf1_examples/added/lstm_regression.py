"""What the lstm_regression reproduction adds to the original's loop (tf1_examples/lstm_regression.py):
its growing lines (the picture of the original's plt.plot calls) and the LSTM state a checkpoint
keeps for --resume."""

import numpy as np


def extend_line(line, x, y):
    """Append one segment to a Line2D (NaN-separated): the picture of one more plt.plot call."""
    xs, ys = line.get_data()
    line.set_data(np.concatenate([xs, [np.nan], x]), np.concatenate([ys, [np.nan], y]))


def lstm_position(state):
    """What a checkpoint needs besides the variables: the LSTM state fed into the next batch."""
    return {} if state is None else {"state": [np.asarray(s).tolist() for s in state]}


def lstm_state(position):
    """The LSTM state a resumed run feeds into its next batch (None: a fresh start)."""
    return tuple(np.array(s, dtype=np.float32) for s in position["state"]) if "state" in position else None
