"""Inside one compare run: `python -m compat SCRIPT.py` with COMPAT_COMPARE_SEED=i in its
environment (compat/__main__.py calls apply_from_env() after compat.install(), on TF 1.15's
pass-through as on TF 2.x, so both runtimes get the same hook).

Run i gets graph-level seed i on the default graph and on every new tf.Graph (set in
Graph.__init__, before the script's first op), and numpy's and `random`'s global seeds i. The
script's own seeds win: a later tf.set_random_seed / np.random.seed / random.seed simply
replaces ours, and is noted in the run's record (COMPAT_COMPARE_RECORD, a JSON file written at
exit, with the versions) so the report can say so. matplotlib is headless: plt.show and
plt.pause return at once (pause would otherwise sleep in Agg's event loop).

With COMPAT_COMPARE_THREADS=N (compare --threads), every Session gets N intra-op and N
inter-op threads, so parallel runs do not oversubscribe the cores: TF's own
tf.config.threading setters (both runtimes; a Session created without a config takes them), plus
a Session config that names no thread count gets N filled in (an Estimator's, or a script's
ConfigProto(allow_soft_placement=True)). A thread count the script sets itself wins.
"""

import atexit
import importlib.abc
import importlib.machinery
import json
import os
import platform
import random
import sys

ENV_SEED = "COMPAT_COMPARE_SEED"
ENV_RECORD = "COMPAT_COMPARE_RECORD"
ENV_THREADS = "COMPAT_COMPARE_THREADS"

_record = {"seed": None, "script_seeds": []}
_setting = []          # non-empty while the hook itself sets a seed


def _note(what, value):
    if not _setting:
        _record["script_seeds"].append("%s(%r)" % (what, value))


def _ours(set_seed):
    _setting.append(True)
    try:
        set_seed()
    finally:
        _setting.pop()


def _wrap_setter(module, name, label):
    original = getattr(module, name)

    def seed(*args, **kwargs):
        _note(label, args[0] if args else kwargs)
        return original(*args, **kwargs)
    setattr(module, name, seed)
    return original


def _seed_tensorflow(seed):
    from tensorflow.python.framework import ops

    graph_class = ops.Graph
    prop = graph_class.seed
    original_init = graph_class.__init__

    def set_graph_seed(graph, value):
        if value is None and not _setting:   # "no seed" (e.g. an Estimator's default config) keeps ours
            return
        _note("graph seed", value)
        prop.fset(graph, value)

    def init(graph, *args, **kwargs):
        original_init(graph, *args, **kwargs)
        _ours(lambda: setattr(graph, "seed", seed))

    graph_class.seed = property(prop.fget, set_graph_seed, prop.fdel, prop.__doc__)
    graph_class.__init__ = init
    _ours(lambda: setattr(ops.get_default_graph(), "seed", seed))


def limit_threads(threads):
    """Sessions (and eager ops) of this process use `threads` intra- and inter-op threads unless
    their config names its own."""
    from tensorflow.core.protobuf import config_pb2
    from tensorflow.python.framework import config as threading_config   # tf.config.threading

    from compat.session_defaults import amend_session_configs

    try:
        threading_config.set_intra_op_parallelism_threads(threads)
        threading_config.set_inter_op_parallelism_threads(threads)
    except RuntimeError:      # the eager context is already initialised: sessions still get them below
        pass

    def with_threads(config):
        if not isinstance(config, config_pb2.ConfigProto) or (
                config.intra_op_parallelism_threads and config.inter_op_parallelism_threads):
            return config
        filled = config_pb2.ConfigProto()
        filled.CopyFrom(config)
        filled.intra_op_parallelism_threads = config.intra_op_parallelism_threads or threads
        filled.inter_op_parallelism_threads = config.inter_op_parallelism_threads or threads
        return filled

    amend_session_configs(with_threads)
    _record["threads"] = threads


class _HeadlessPyplot(importlib.abc.MetaPathFinder):
    """After matplotlib.pyplot is imported, make show() and pause() return at once."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "matplotlib.pyplot":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None:
            return None
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            module.show = lambda *args, **kwargs: None
            module.pause = lambda *args, **kwargs: None
        spec.loader.exec_module = exec_module
        return spec


def _write_record(path):
    versions = {"python": platform.python_version()}
    for name in ("tensorflow", "numpy"):
        module = sys.modules.get(name)
        versions[name] = getattr(module, "__version__", None)
    _record["runtime"] = versions
    try:
        with open(path, "w") as f:
            json.dump(_record, f)
    except OSError:
        pass


def apply_from_env():
    """Seed this process as run COMPAT_COMPARE_SEED, its sessions' threads from
    COMPAT_COMPARE_THREADS (nothing when they are not set)."""
    threads = int(os.environ.get(ENV_THREADS) or 0)
    if threads > 0 and "tensorflow" in sys.modules:
        limit_threads(threads)
    text = os.environ.get(ENV_SEED)
    if text is None:
        return
    seed = int(text)
    _record["seed"] = seed
    _ours(lambda: random.seed(seed))
    _wrap_setter(random, "seed", "random.seed")
    try:
        import numpy
    except ImportError:
        numpy = None
    if numpy is not None:
        _ours(lambda: numpy.random.seed(seed))
        _wrap_setter(numpy.random, "seed", "numpy.random.seed")
    if "tensorflow" in sys.modules:
        _seed_tensorflow(seed)
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.meta_path.insert(0, _HeadlessPyplot())
    if os.environ.get(ENV_RECORD):
        atexit.register(_write_record, os.environ[ENV_RECORD])
