"""Run one child process and measure it alone: wall time and its own peak RSS.

Why a wrapper. resource.getrusage(RUSAGE_CHILDREN).ru_maxrss is the maximum over *all* children
reaped so far, so it cannot attribute a peak to one run; os.wait4(pid) gives one child's rusage,
but on Linux a child's ru_maxrss also counts the memory of the process it was forked from: exec
folds the pre-exec address space's high-water mark into the peak, and subprocess forks with
vfork (the parent's own address space). Measured: `python -c pass` started from a pytest process
that had imported TensorFlow "peaked" at the parent's 650 MB.

So each measured command runs under a tiny wrapper (this interpreter with -I -S, about 10 MB):
the wrapper forks (a copy of itself, not of us), execs the command, reaps it with os.wait4 and
writes {"status", "maxrss", "wall_s", "cpu_s"} to a result file. The peak RSS is therefore the
command's own (or the wrapper's ~10 MB, whichever is larger), and wall_s is perf_counter from just before
the fork to the return of wait4: the whole command (interpreter start, imports, run, exit),
without the wrapper's own start-up. cpu_s is the command's user + system CPU time (all its
threads): less disturbed than wall time by other processes on a busy machine.

stdout/stderr go to files (no pipes, so nothing can block), stdin is /dev/null. Wrapper and
command run in their own session: a timeout or Ctrl-C kills the whole process group and never
leaves a run behind.
"""

import collections
import json
import os
import signal
import subprocess
import sys
import threading
import time

ChildResult = collections.namedtuple(
    "ChildResult", "argv returncode wall_s cpu_s peak_rss_kb timed_out stdout_path stderr_path")

_WRAPPER = r"""
import json, os, sys, time
result, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    except OSError as exc:
        sys.stderr.write("benchmarks wrapper: cannot run %s: %s\n" % (argv[0], exc))
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(result + ".tmp", "w") as f:
    json.dump({"status": status, "maxrss": usage.ru_maxrss, "wall_s": wall,
               "cpu_s": usage.ru_utime + usage.ru_stime}, f)
os.replace(result + ".tmp", result)
if os.WIFSIGNALED(status):
    os._exit(128 + os.WTERMSIG(status))
os._exit(os.WEXITSTATUS(status))
"""


def _exit_code(status):
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    return status


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def run_child(argv, stdout_path, stderr_path, env=None, cwd=None, timeout=None):
    """Run argv to completion under the wrapper; returns a ChildResult. KeyboardInterrupt kills
    and reaps the child before it propagates."""
    argv = [str(a) for a in argv]
    result_path = str(stdout_path) + ".rusage.json"
    timed_out = []
    with open(str(stdout_path), "wb") as out, open(str(stderr_path), "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", _WRAPPER, result_path] + argv,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env,
                                cwd=None if cwd is None else str(cwd), start_new_session=True)
    timer = None
    if timeout:
        def expire():
            timed_out.append(True)
            _kill_group(proc.pid)

        timer = threading.Timer(timeout, expire)
        timer.daemon = True
        timer.start()
    try:
        proc.wait()
    except BaseException:
        _kill_group(proc.pid)
        proc.wait()
        raise
    finally:
        if timer is not None:
            timer.cancel()
    outer_wall = time.perf_counter() - start
    try:
        with open(result_path) as f:
            measured = json.load(f)
        os.unlink(result_path)
    except (OSError, ValueError):
        measured = None        # killed (timeout) before the command ended
    if measured is None:
        return ChildResult(argv=argv, returncode=proc.returncode, wall_s=outer_wall, cpu_s=None,
                           peak_rss_kb=None, timed_out=bool(timed_out), stdout_path=str(stdout_path),
                           stderr_path=str(stderr_path))
    maxrss = measured["maxrss"]
    rss_kb = maxrss / 1024.0 if sys.platform == "darwin" else float(maxrss)
    return ChildResult(argv=argv, returncode=_exit_code(measured["status"]), wall_s=measured["wall_s"],
                       cpu_s=measured["cpu_s"], peak_rss_kb=rss_kb, timed_out=bool(timed_out),
                       stdout_path=str(stdout_path), stderr_path=str(stderr_path))


def tail(path, lines=3, width=400):
    """The last non-empty lines of a text file (for error reports), joined by " / "."""
    try:
        with open(str(path), "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 16384))
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    kept = [ln.strip() for ln in text.splitlines() if ln.strip()][-lines:]
    return " / ".join(kept)[-width:]
