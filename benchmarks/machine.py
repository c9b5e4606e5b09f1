"""What the numbers were measured on: the machine, and each runtime's versions (no TensorFlow
import: the versions come from the installed distributions, which costs well under a second)."""

import json
import os
import platform
import subprocess
import time

# Run inside each runtime's interpreter by `python -c`; prints one JSON line.
_VERSIONS = r"""
import json, platform, sys
def dist(*names):
    for name in names:
        try:
            try:
                from importlib.metadata import version
            except ImportError:
                import pkg_resources
                return pkg_resources.get_distribution(name).version
            return version(name)
        except Exception:
            pass
    return None
print(json.dumps({
    "python": platform.python_version(),
    "tensorflow": dist("tensorflow", "tensorflow-cpu", "tf-nightly"),
    "numpy": dist("numpy"),
    "tf_keras": dist("tf-keras", "tf_keras"),
    "matplotlib": dist("matplotlib"),
    "tf1_legacy": dist("tf1-legacy", "tf1_legacy"),
}))
"""


def runtime_versions(python, timeout=60):
    """{"python", "tensorflow", "numpy", ...} of an interpreter; raises RuntimeError if it does not
    run."""
    try:
        done = subprocess.run([str(python), "-c", _VERSIONS], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                              universal_newlines=True)
    except (OSError, subprocess.SubprocessError) as exc:
        raise RuntimeError("cannot run %s (%s)" % (python, exc))
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["exit status %d" % done.returncode])[-1]
        raise RuntimeError("%s failed: %s" % (python, last))
    return json.loads(done.stdout.strip().splitlines()[-1])


def _first(path, key):
    try:
        with open(path) as f:
            for line in f:
                if line.split(":")[0].strip() == key:
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def describe():
    """CPU model, cores, memory, OS, load average (a busy machine makes timings noisy), date."""
    mem_kb = _first("/proc/meminfo", "MemTotal")
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {
        "cpu_model": _first("/proc/cpuinfo", "model name") or platform.processor() or None,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_gib": round(int(mem_kb.split()[0]) / 1048576.0, 1) if mem_kb else None,
        "os": platform.platform(),
        "load_average_start": load,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def load_average():
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None
