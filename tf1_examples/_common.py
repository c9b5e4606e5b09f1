"""What both halves of the run plumbing share: the step table, the input-shape constants, the
run.json statuses a --resume completes, and the exceptions every check and every run ends with.

tf1_examples/_checks.py (the input checks, before TensorFlow) and tf1_examples/_runs.py (the Run,
prepare(), the entry points) both need these; in a module that imports nothing they cause no
import cycle. _runs.py imports them, so `_runs.UsageError`, `_runs.STEPS`, ... still work.
"""

PROG = "tf1_examples"

# steps: (the original's value, the --quick profile). The unit is the original's loop counter:
# training steps (lstm_regression, sin_predict), epochs (seq_data_lstm), iterations (rnn_words).
STEPS = {
    "lstm_regression": (200, 200),
    "sin_predict": (10000, 1500),
    "seq_data_lstm": (100, 3),
    "rnn_words": (50000, 1200),
}
# The two shape constants the input checks need (asserted equal to the modules' own in the tests).
SEQ_TIME_STEP, SEQ_BATCH_SIZE = 96, 7      # seq_data_lstm.time_step, .batch_size
SEQ_ROWS_USED = slice(1, 800)              # seq_data_lstm.load_data: frame.values[1:800]
WORDS_N_INPUT = 3                          # rnn_words.n_input


class UsageError(Exception):
    """Bad input. str() is `<what is wrong>; <what to do>`; the CLI prints it and exits 2."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C ended training at a step boundary, after the example saved its checkpoint
    (run.stop_if_interrupted). A KeyboardInterrupt, so Python callers see a Ctrl-C."""


# run.json "status" values a --resume completes (rather than extends): stopped before the plan's end
UNFINISHED = ("running", "interrupted", "failed", "diverged")


class Diverged(Exception):
    """A logged figure (loss, cost) became NaN or infinite. Not bad input: the CLI prints
    str() (which names the step and the last good checkpoint) and exits 1."""

    def __init__(self, step, column, value):
        self.step, self.column, self.value = step, column, value
        self.checkpoint = None          # (prefix, step or None) of the newest finite checkpoint
        super(Diverged, self).__init__("the %s became %s at step %s; training stopped"
                                       % (column, value, step))


def error_line(exc):
    return "%s: error: %s" % (PROG, str(exc).replace("\n", " "))
