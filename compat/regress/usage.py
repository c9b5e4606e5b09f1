"""Bad input for the engine's command lines: UsageError (str() is `<what is wrong>; <what to do>`,
printed as one line with exit status 2) and an argparse parser that raises it instead of
printing its usage."""

import argparse


class UsageError(Exception):
    """Bad input, found before anything is written."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError("%s; see `%s --help`" % (message, self.prog))


def positive_int(text):
    """argparse type: 1, 2, ..."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive whole number, not %r" % text)
    return value


def positive_float(text):
    """argparse type: a number above 0 (seconds)."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError("must be a positive number, not %r" % text)
    return value
