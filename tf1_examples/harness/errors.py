"""How every run and every check ends when it does not finish normally: bad input (UsageError,
exit 2; the same class as compat's regress engine raises), a graceful Ctrl-C (Interrupted, exit
130), a NaN/inf figure (Diverged, exit 1), and the run.json statuses a --resume completes."""

from compat.regress.usage import UsageError  # noqa: F401  (str(): `<what is wrong>; <what to do>`)

PROG = "tf1_examples"

# run.json "status" values a --resume completes (rather than extends): stopped before the plan's end
UNFINISHED = ("running", "interrupted", "failed", "diverged")


class Interrupted(KeyboardInterrupt):
    """Ctrl-C ended training at a step boundary, after the example saved its checkpoint. A
    KeyboardInterrupt, so Python callers see a Ctrl-C."""


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
