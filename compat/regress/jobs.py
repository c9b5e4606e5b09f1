"""Runs as child processes, J at a time: each with its own folder, stdin from /dev/null, its
stdout/stderr kept, an optional timeout; Ctrl-C (or any error) stops every child started here.

A Job is one run (runtime x case x seed). The front end subclasses it: `read_results()` fills
`metrics` (rows {"step": int, COLUMN: number, ...}) and `record` from what the run wrote, and
`failure()` says why a finished run does not count.
"""

import os
import subprocess
import time
from collections import OrderedDict

STDERR_TAIL = 12
KILL_AFTER_S = 10          # a child still alive this long after SIGTERM gets SIGKILL


class Job(object):
    """One child process. cmd runs in cwd with env; its output goes to `logs`.stdout/.stderr while
    it runs (the run's folder may have to be new for the child) and moves into `folder` under
    log_names afterwards. `out` is the report folder that paths in the report are relative to."""

    def __init__(self, runtime, case, case_id, seed, cmd, folder, out, logs, cwd=None, env=None,
                 cost=0.0, timeout=None, log_names=("stdout.txt", "stderr.txt")):
        self.runtime, self.case, self.id, self.seed = runtime, case, case_id, seed
        self.cmd, self.folder, self.out, self.logs = list(cmd), folder, out, logs
        self.cwd, self.env, self.cost, self.timeout = cwd or out, env, cost, timeout
        self.log_names = log_names
        self.proc = None
        self.started = self.wall = self.cpu = self.returncode = None
        self.stopped_at = None            # when it was sent SIGTERM for its timeout
        self.timed_out = False
        self.metrics, self.record, self.error = [], None, None

    # --- the process ---------------------------------------------------------------------------

    def start(self):
        self.logs.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.update(self.env or {})
        with open(str(self.logs) + ".stdout", "wb") as so, open(str(self.logs) + ".stderr", "wb") as se:
            self.started = time.time()
            self.proc = subprocess.Popen(self.cmd, stdout=so, stderr=se, stdin=subprocess.DEVNULL,
                                         cwd=str(self.cwd), env=env)

    def finished(self):
        """Has the process ended? (os.wait4 where there is one, for the run's CPU time.) Past its
        timeout it is stopped: SIGTERM, then SIGKILL."""
        now = time.time()
        if self.timeout and self.stopped_at is None and now - self.started > self.timeout:
            self.timed_out, self.stopped_at = True, now
            self.proc.terminate()
        elif self.stopped_at is not None and now - self.stopped_at > KILL_AFTER_S:
            self.proc.kill()
        if not hasattr(os, "wait4"):
            return self.proc.poll() is not None
        try:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
        except ChildProcessError:
            return self.proc.poll() is not None
        if pid == 0:
            return False
        self.cpu = usage.ru_utime + usage.ru_stime
        self.proc.returncode = (os.WEXITSTATUS(status) if os.WIFEXITED(status)
                                else -os.WTERMSIG(status) if os.WIFSIGNALED(status) else 1)
        return True

    def stop(self):
        """Stop a running child (Ctrl-C elsewhere): SIGTERM, SIGKILL after KILL_AFTER_S."""
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.proc.wait(timeout=KILL_AFTER_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def collect(self):
        """After the process ended: move its logs into its folder, read what it wrote."""
        self.wall = time.time() - self.started
        self.returncode = self.proc.returncode
        self.folder.mkdir(parents=True, exist_ok=True)
        for stream, name in zip(("stdout", "stderr"), self.log_names):
            os.replace(str(self.logs) + "." + stream, str(self.folder / name))
        self.read_results()
        self.error = self.failure()
        if self.error:
            tail = self.stderr_tail()
            self.error += (": " + " | ".join(tail)) if tail else ""

    # --- what the front end defines --------------------------------------------------------------

    def read_results(self):
        """Fill self.metrics (and self.record) from the finished run's output."""

    def failure(self):
        """Why the run does not count, or None."""
        if self.timed_out:
            return "timed out after %g s" % self.timeout
        if self.returncode != 0:
            return "exit status %d" % self.returncode
        return None

    # --- reading it ------------------------------------------------------------------------------

    @property
    def ok(self):
        return self.returncode == 0 and self.error is None

    def text(self, stream):
        try:
            path = self.folder / self.log_names[stream == "stderr"]
            return path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stderr_tail(self, n=STDERR_TAIL):
        return [line.rstrip() for line in self.text("stderr").splitlines() if line.strip()][-n:]

    def series(self, column):
        """{step: value} of one metric, in logged order."""
        return OrderedDict((row["step"], float(row[column])) for row in self.metrics
                           if column in row and isinstance(row[column], (int, float)))

    def last_value(self, column):
        """(step, value) of the last logged value of `column`, or (None, None)."""
        for row in reversed(self.metrics):
            if column in row:
                return row["step"], float(row[column])
        return None, None

    def summary(self, final_column):
        """The run's report.json record."""
        step, value = self.last_value(final_column) if self.ok else (None, None)
        return OrderedDict([
            ("seed", self.seed), ("ok", self.ok),
            ("exit_status", self.returncode), ("wall_time_s", round(self.wall or 0.0, 3)),
            ("cpu_time_s", None if self.cpu is None else round(self.cpu, 3)),
            ("folder", str(self.folder.relative_to(self.out))),
            ("final_step", step), ("final", value),
            ("steps_per_s", (self.record or {}).get("steps_per_s")), ("error", self.error),
        ])


def run_jobs(jobs, parallel, on_finished):
    """Run the jobs, `parallel` at a time, the costliest first; on_finished(job, k, total) after
    each. Any exception (Ctrl-C) stops every running child, keeps its output, and is re-raised."""
    pending = sorted(jobs, key=lambda j: -j.cost)
    running, done = [], 0
    try:
        while pending or running:
            while pending and len(running) < parallel:
                job = pending.pop(0)
                job.start()
                running.append(job)
            time.sleep(0.1)
            for job in [j for j in running if j.finished()]:
                running.remove(job)
                job.collect()
                done += 1
                on_finished(job, done, len(jobs))
    except BaseException:
        for job in running:                       # only the processes started here, by pid
            if job.proc.poll() is None:
                job.proc.terminate()
        for job in running:
            job.stop()
            try:
                job.collect()              # its stdout/stderr into its folder
            except Exception:
                pass
        raise
