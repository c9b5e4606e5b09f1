"""The run plumbing's file helpers, which need no TensorFlow: atomic writes (_atomic,
write_text), metrics.csv cells and rows (_cell, read_metrics), and TensorFlow's checkpoint state
file handled as text (relative_checkpoint_state, _checkpoint_dir, _with_mtimes).

Separate from tf1_examples/_runs.py because the checks before TensorFlow's import
(tf1_examples/_checks.py) use them as well as the Run, and tf1_examples/regress.py and the
benchmarks write their files with them too.
"""

import contextlib
import csv
import os
import re
import tempfile
from pathlib import Path


_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def _atomic(target):
    """Yield a temp path next to `target` (same suffix); move it over `target` on success."""
    fd, tmp = tempfile.mkstemp(dir=str(target.parent), prefix="." + target.stem + ".",
                               suffix=target.suffix or ".tmp")
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; give the file the usual permissions
    try:
        yield Path(tmp)
        os.replace(tmp, str(target))
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_text(target, text):
    target = Path(target)
    with _atomic(target) as tmp:
        with open(str(tmp), "w", encoding="utf-8") as f:
            f.write(text)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def read_metrics(path):
    """metrics.csv -> list of dicts (numbers parsed; empty cells omitted)."""
    rows = []
    if not Path(path).is_file():
        return rows
    with open(str(path), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            parsed = {}
            for key, cell in row.items():
                if cell == "":
                    continue
                try:
                    parsed[key] = int(cell)
                except ValueError:
                    try:
                        parsed[key] = float(cell)
                    except ValueError:
                        parsed[key] = cell
            rows.append(parsed)
    return rows


def _with_mtimes(prefixes):
    """[(checkpoint prefix, mtime)] for Saver.set_last_checkpoints_with_time, existing ones only."""
    return [(p, os.path.getmtime(p + ".index")) for p in prefixes if os.path.isfile(p + ".index")]


# where each example keeps the checkpoint --resume continues from
CHECKPOINT_DIRS = {"sin_predict": ("Models", "model_2")}


def _checkpoint_dir(name, folder):
    return folder.joinpath(*CHECKPOINT_DIRS.get(name, ("checkpoints",)))


_STATE_PATH = re.compile(r'^(\s*(?:model_checkpoint_path|all_model_checkpoint_paths)\s*:\s*)"([^"\\]*)"\s*$')


def relative_checkpoint_state(folder):
    """Make TensorFlow's checkpoint state file (`checkpoint`) in `folder` name its checkpoints
    relative to the folder, so that a run folder moved or copied resumes from its own
    checkpoints. A Saver writes the paths it is given, absolute here, and TF joins only relative
    ones to the folder: a copied folder would restore the original's files. (The examples keep
    the original's `tf.train.Saver()`, and TF 1.15's Estimator makes its own Saver, so the file is
    rewritten after each save instead of passing save_relative_paths.) Only absolute paths whose
    checkpoint is in `folder` change; the file is replaced atomically."""
    state = Path(folder) / "checkpoint"
    try:
        lines = state.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return                  # none yet, or damaged: _check_checkpoint reports it
    changed = []
    for line in lines:
        match = _STATE_PATH.match(line)
        if match and _own_checkpoint(folder, match.group(2)) != match.group(2):
            line = '%s"%s"' % (match.group(1), os.path.basename(match.group(2)))
        changed.append(line)
    if changed != lines:
        write_text(state, "\n".join(changed) + "\n")


def _own_checkpoint(folder, path):
    """A path from the state file in `folder`, as TensorFlow will read it once
    relative_checkpoint_state has run: an absolute one whose checkpoint is in `folder` becomes
    that one."""
    if not os.path.isabs(path):
        return path
    name = os.path.basename(path)
    return name if (Path(folder) / (name + ".index")).is_file() else path
