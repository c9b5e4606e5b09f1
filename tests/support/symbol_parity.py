"""Parity goldens for compat's symbols: what TF 1.15 computed, checked on every runtime.

A *case* is a function that builds a small graph with `import compat.v1 as tf` from fixed numpy
inputs and returns a `Spec`: the tensors to compare and, optionally, a loss and an optimizer to
train a few steps with. The same function runs on both runtimes:

- generate (TF 1.15 only, `make goldens`): build, initialise, save the variables with a plain
  `tf.train.Saver`, evaluate the outputs, train `steps` steps recording the loss before each
  update, and write `tests/golden/compat/<group>/<case>/`: model.ckpt.* and record.npz (outputs
  and losses), record.json (variable names and shapes, TF version, the graph's op types in order:
  the record the seeds work compares op sequences against).
- check (both runtimes, the tests): build the same graph, restore model.ckpt with a plain Saver
  over the model's variables (so TF 1.15's variable names and shapes are required, not just
  similar ones), evaluate and train the same way, and compare: float arrays within
  rtol = 1e-5 with an absolute floor of 1e-5 x the array's largest magnitude (values near zero
  have no meaningful relative error), integer and boolean arrays exactly. On TF 1.15 the check
  proves the golden is reproducible; on TF 2.x that compat reproduces it.

Outputs may be nested (tuples, lists, namedtuples such as LSTMStateTuple, dicts): they are
flattened with their path as the key, e.g. `state/0/c`. Randomness inside the graph (dropout,
sampled softmax, sampling helpers) must use explicit op seeds: graph-level seeds do not yet give
TF 1.15's values on TF 2.x. Python 3.7 compatible (the legacy runtime runs this file).
"""

import json
import os
from collections import OrderedDict
from pathlib import Path

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # before TensorFlow's import: no C++ start-up chatter
import compat.v1 as tf  # noqa: E402

TESTS = Path(__file__).resolve().parents[1]
GOLDEN_ROOT = TESTS / "golden" / "compat"
RTOL = 1e-5
GRAPH_SEED = 1234


class Spec(object):
    """What a case built: `outputs` (nested tensors), optional `loss` + `optimizer` trained for
    `steps` steps, optional `after_training` (nested tensors evaluated once more after the steps:
    e.g. decoding with the trained weights), optional `feed` ({placeholder: array}) used for
    every run."""

    def __init__(self, outputs, loss=None, optimizer=None, steps=0, feed=None, after_training=None):
        if (loss is None) != (optimizer is None) or (steps and loss is None):
            raise ValueError("a Spec trains only with both a loss and an optimizer")
        self.outputs = outputs
        self.loss = loss
        self.optimizer = optimizer
        self.steps = steps if loss is not None else 0
        self.feed = feed or {}
        self.after_training = after_training


class Case(object):
    def __init__(self, group, name, build):
        self.group = group
        self.name = name
        self.build = build

    @property
    def folder(self):
        return GOLDEN_ROOT / self.group / self.name

    def __repr__(self):
        return "%s/%s" % (self.group, self.name)


class Registry(object):
    """The cases of one group (one compat module); `@cases.case` registers a build function."""

    def __init__(self, group):
        self.group = group
        self.cases = []

    def case(self, build):
        self.cases.append(Case(self.group, build.__name__, build))
        return build

    def __iter__(self):
        return iter(self.cases)


def flatten(structure, prefix="out"):
    """OrderedDict {path: leaf} of a nest of tuples, lists, namedtuples and dicts."""
    flat = OrderedDict()
    if isinstance(structure, dict):
        items = sorted(structure.items())
    elif hasattr(structure, "_fields"):
        items = zip(structure._fields, structure)
    elif isinstance(structure, (list, tuple)):
        items = enumerate(structure)
    else:
        flat[prefix] = structure
        return flat
    for key, value in items:
        flat.update(flatten(value, "%s/%s" % (prefix, key)))
    return flat


def random_op_seeds(graph):
    """[name, type, seed, seed2] of every op of `graph` that draws random numbers (has a seed2)."""
    return [[op.name, op.type, op.get_attr("seed"), op.get_attr("seed2")]
            for op in graph.get_operations() if "seed2" in op.node_def.attr]


class Built(object):
    """A case's graph, built and ready to run: the model's variables, a Saver over them, the
    flattened outputs, and the train op (created after the Saver, so slots are not saved)."""

    def __init__(self, case):
        self.graph = tf.Graph()
        with self.graph.as_default():
            tf.set_random_seed(GRAPH_SEED)
            self.spec = case.build()
            self.op_types = [op.type for op in self.graph.get_operations()]
            self.random_ops = random_op_seeds(self.graph)
            self.model_variables = tf.global_variables()
            self.saver = tf.train.Saver(self.model_variables) if self.model_variables else None
            self.outputs = flatten(self.spec.outputs)
            self.after_training = flatten(self.spec.after_training, "after") if self.spec.after_training else {}
            self.train_op = None
            if self.spec.loss is not None:
                self.train_op = self.spec.optimizer.minimize(self.spec.loss)
            self.other_variables = [v for v in tf.global_variables() if v not in self.model_variables]
            self.init_all = tf.global_variables_initializer()
            self.init_others = tf.variables_initializer(self.other_variables)

    def variables(self):
        return sorted([v.op.name, v.shape.as_list()] for v in self.model_variables)

    def run(self, session):
        """Evaluate the outputs, train (losses 'loss/<step>'), evaluate `after_training`: {key: array}."""
        feed = self.spec.feed
        record = OrderedDict((k, np.asarray(v)) for k, v in
                             zip(self.outputs, session.run(list(self.outputs.values()), feed)))
        for step in range(self.spec.steps):
            loss, _ = session.run([self.spec.loss, self.train_op], feed)
            record["loss/%d" % step] = np.asarray(loss)
        if self.after_training:
            record.update((k, np.asarray(v)) for k, v in
                          zip(self.after_training, session.run(list(self.after_training.values()), feed)))
        return record


_BUILT = {}


def built(case):
    """The case's graph, built once per process: the parity and the seed checks share it."""
    key = (case.group, case.name)
    if key not in _BUILT:
        _BUILT[key] = Built(case)
    return _BUILT[key]


def all_cases():
    """Every case of every module of tests/parity_cases/, in module order."""
    import importlib
    import pkgutil
    import sys

    if str(TESTS) not in sys.path:       # run as a script: parity_cases is a package of tests/
        sys.path.insert(0, str(TESTS))
    import parity_cases

    return [case for info in sorted(pkgutil.iter_modules(parity_cases.__path__), key=lambda m: m.name)
            for case in importlib.import_module("parity_cases." + info.name).cases]


def generate(case):
    """TF 1.15: write the case's golden folder (model.ckpt.*, record.npz, record.json)."""
    if not tf.__version__.startswith("1."):
        raise RuntimeError("goldens are written by TF 1.15 (the legacy runtime), not %s" % tf.__version__)
    fresh = Built(case)  # not the cached one: a golden is written from a graph of its own
    folder = case.folder
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("model.ckpt*"):
        old.unlink()
    with tf.Session(graph=fresh.graph) as session:
        session.run(fresh.init_all)
        if fresh.saver is not None:
            fresh.saver.save(session, str(folder / "model.ckpt"), write_meta_graph=False,
                             write_state=False)
        record = fresh.run(session)
    np.savez(str(folder / "record.npz"), **record)
    meta = OrderedDict([
        ("case", repr(case)),
        ("tensorflow", tf.__version__),
        ("variables", fresh.variables()),
        ("outputs", list(record)),
        ("op_count", len(fresh.op_types)),
        ("op_types", fresh.op_types),
        ("random_ops", fresh.random_ops),
    ])
    with open(str(folder / "record.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    return record


def load(case):
    folder = case.folder
    if not (folder / "record.json").exists():
        raise AssertionError("no golden for %r in %s: write it with `make goldens` (TF 1.15)" % (case, folder))
    with open(str(folder / "record.json")) as f:
        meta = json.load(f)
    with np.load(str(folder / "record.npz")) as data:
        record = OrderedDict((k, data[k]) for k in meta["outputs"])
    return meta, record


def assert_same(key, expected, actual):
    if expected.dtype.kind in "biuSU":
        np.testing.assert_array_equal(actual, expected, err_msg=key)
        return
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=RTOL * scale, err_msg=key)


def check(case):
    """Rebuild the case, restore TF 1.15's checkpoint with a plain Saver, compare everything."""
    meta, expected = load(case)
    built_case = built(case)
    assert built_case.variables() == meta["variables"], "variable names/shapes differ from TF 1.15's"
    with tf.Session(graph=built_case.graph) as session:
        if built_case.saver is not None:
            built_case.saver.restore(session, str(case.folder / "model.ckpt"))
        session.run(built_case.init_others)
        actual = built_case.run(session)
    assert list(actual) == list(expected), "outputs differ in structure from TF 1.15's"
    for key, value in expected.items():
        assert_same(key, value, actual[key])
    return actual


def check_seeded(case):
    """Without the checkpoint: the graph seed alone must give TF 1.15's random ops the same op
    seeds, hence the same initial variables (within 1e-7 relative) and the same outputs and
    losses (1e-5), as TF 1.15 drew with tf.set_random_seed(GRAPH_SEED)."""
    meta, expected = load(case)
    built_case = built(case)
    if "random_ops" in meta:
        assert [op[2:] for op in built_case.random_ops] == [op[2:] for op in meta["random_ops"]], (
            "random ops' (seed, seed2) differ from TF 1.15's: %s vs %s" % (built_case.random_ops, meta["random_ops"]))
    with tf.Session(graph=built_case.graph) as session:
        session.run(built_case.init_all)
        initial = session.run(built_case.model_variables)
        if built_case.model_variables:
            reader = tf.train.load_checkpoint(str(case.folder / "model.ckpt"))
            for variable, value in zip(built_case.model_variables, initial):
                saved = reader.get_tensor(variable.op.name)
                scale = float(np.max(np.abs(saved))) if saved.size else 0.0
                np.testing.assert_allclose(value, saved, rtol=1e-7, atol=1e-7 * scale,
                                           err_msg="initial value of " + variable.op.name)
        actual = built_case.run(session)
    for key, value in expected.items():
        assert_same(key, value, actual[key])
    return actual


def main(argv=None):
    """`python tests/support/symbol_parity.py [GROUP ...]`: (re)write the goldens of the named groups
    (modules of tests/parity_cases/; default all) with TF 1.15."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("groups", nargs="*")
    parser.add_argument("--case", action="append", default=[], help="only these case names")
    args = parser.parse_args(argv)
    for case in all_cases():
        if (args.groups and case.group not in args.groups) or (args.case and case.name not in args.case):
            continue
        record = generate(case)
        print("%-50s %d outputs" % (case, len(record)))


if __name__ == "__main__":
    main()
