"""One compare run = one seeded `python -m compat SCRIPT.py` child in its own scratch copy of the
script's folder (relative-path outputs land there; the script's data files are next to it as
in the user's folder, which is never written). Its metrics come from its log (metrics.py)."""

import json
import os
import shutil
from pathlib import Path

from compat.compare import metrics as metric_lines
from compat.compare.seeding import ENV_RECORD, ENV_SEED, ENV_THREADS
from compat.regress.jobs import Job

PACKAGE_ROOT = Path(__file__).resolve().parents[2]    # the folder that holds compat/
LINK_ABOVE_BYTES = 50 * 2 ** 20      # bigger files (data sets) are symlinked, not copied
SKIPPED = ("__pycache__", ".git", ".venv", ".venv-tf1", ".ipynb_checkpoints")
MARKER = ".compat-compare"           # written first into a compare report folder


def copy_folder(source, target, leave_out):
    """The script's folder into `target`: files copied (big ones symlinked), minus caches,
    virtualenvs, this report folder (`leave_out`) and earlier compare reports."""
    def ignore(folder, names):
        here = Path(folder)
        return [n for n in names if n in SKIPPED or (here / n).resolve() == leave_out
                or (here / n / MARKER).is_file()]

    def copy(src, dst):
        if os.path.getsize(src) > LINK_ABOVE_BYTES:
            os.symlink(os.path.abspath(src), dst)
        else:
            shutil.copy2(src, dst)
    shutil.copytree(str(source), str(target), ignore=ignore, copy_function=copy, symlinks=True)


class CompareJob(Job):
    """runtime x seed of one script."""

    def __init__(self, runtime, python, script, args, seed, out, timeout, explicit, threads=0):
        folder = out / "runs" / runtime / ("seed%d" % seed)
        self.work = folder / "work"
        cmd = [python, "-m", "compat", script.name] + list(args)
        path = os.pathsep.join([str(PACKAGE_ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p])
        env = {ENV_SEED: str(seed), ENV_RECORD: str(folder / "record.json"), "MPLBACKEND": "Agg",
               "PYTHONPATH": path, "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "2")}
        env[ENV_THREADS] = str(threads)        # 0: TensorFlow's own thread pools
        logs = out / ".logs" / ("%s-seed%d" % (runtime, seed))
        super(CompareJob, self).__init__(runtime, script.name, script.stem, seed, cmd, folder, out, logs,
                                         cwd=self.work, env=env, timeout=timeout)
        self.script, self.explicit, self.lines, self.detected = script, explicit, [], []

    def start(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        copy_folder(self.script.parent, self.work, self.out.resolve())
        super(CompareJob, self).start()

    def read_results(self):
        self.lines = metric_lines.log_lines(self.text("stdout"), self.text("stderr"))
        self.detected = self.explicit or metric_lines.detect(self.lines)
        try:
            self.record = json.loads((self.folder / "record.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.record = None

    def read_metrics(self, metrics):
        """The rows of the metrics all runs share (set after every run has ended)."""
        self.metrics = metric_lines.rows(self.lines, metrics) if self.ok else []

    def script_seeds(self):
        return (self.record or {}).get("script_seeds") or []
