"""Quiet output for `python -m tf1_examples run/demo/regress`: the tutorial's own lines, the
progress bar and compat's one-time notices; TensorFlow's C++ start-up logs and the TF / tf_keras
deprecation warnings are filtered (compat.quiet.silence) unless --verbose. The choice reaches
child processes (regress's runs, in their own processes) through one environment variable."""

import os

VERBOSE_ENV = "TF1_EXAMPLES_VERBOSE"    # "1": show TensorFlow's chatter (set by --verbose)


def verbose_requested(verbose=False):
    return verbose or os.environ.get(VERBOSE_ENV) == "1"


def child_environment(verbose=False, base=None):
    """The environment for a child `python -m tf1_examples ...`: quiet unless `verbose`."""
    env = dict(os.environ if base is None else base)
    if verbose_requested(verbose):
        env[VERBOSE_ENV] = "1"
    return env


def quiet_output(verbose=False):
    """Filter TensorFlow's chatter in this process (imports TensorFlow, so only after the input
    checks), unless --verbose or VERBOSE_ENV asks for it."""
    if verbose_requested(verbose):
        return
    from compat.quiet import silence

    silence()
