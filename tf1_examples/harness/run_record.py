"""run.json: what ran (example, command, runtime, options, plan), how it went (status, timing,
results) and what its original published, rewritten atomically with every checkpoint."""

import os
import platform
import sys
import time

from tf1_examples.harness.errors import PROG
from tf1_examples.registry import BY_NAME


PUBLISHED_KEYS = ("label", "column", "step", "value", "source")   # of each registry Figure


def tf_version():
    """(TensorFlow's version, whether compat is active), (None, None) before TensorFlow loads."""
    tf = sys.modules.get("tensorflow")
    if tf is None:
        return None, None
    version = tf.__version__
    return version, not version.startswith("1.")


def run_record(run, status):
    import numpy as np

    version, compat_active = tf_version()
    example = BY_NAME[run.name]
    record = {
        "example": run.name,
        "title": example.title,
        "original": example.original,
        "status": status,
        "command": " ".join(["python", "-m", PROG, "run", run.name] + list(run.args.argv)),
        "runtime": {
            "python": platform.python_version(),
            "tensorflow": version,
            "numpy": np.__version__,
            "compat_active": compat_active,
            "platform": platform.platform(),
        },
        "seed": run.seed,
        "quick": run.quick,
        "steps": run.steps,
        "total_steps": run.total,         # the plan: steps done when training ends
        "steps_done": run.done,           # as of the last checkpoint
        "resumed": run.resume,
        "start_step": (run.metrics[run.rows_before]["step"] if len(run.metrics) > run.rows_before else None),
        "hyperparameters": run.hparams,
        "session": run.session,
        "signature": run.signature,
        "wall_time_s": round(time.time() - run.started, 3),
        "loop_time_s": None if run.loop_seconds is None else round(run.loop_seconds, 3),
        "steps_per_s": (round((run.done - run.start) / run.loop_seconds, 3) if run.loop_seconds else None),
        "results": run.results,
        "published": [{k: getattr(f, k) for k in PUBLISHED_KEYS} for f in example.published],
        "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(run.started)),
        "pid": os.getpid(),               # while "running": a second process must not use the folder
        "host": platform.node(),
    }
    if run.previous is not None:
        record["previous_runs"] = run.previous.get("previous_runs", []) + [
            {k: run.previous.get(k) for k in ("started", "status", "steps", "steps_done", "wall_time_s", "results")}]
    return record
