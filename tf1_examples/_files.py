"""The run plumbing's file helpers, which need no TensorFlow: atomic writes (_atomic,
write_text), metrics.csv cells and rows (_cell, read_metrics), and TensorFlow's checkpoint state
file handled as text (read_checkpoint_state, latest_checkpoint_path,
relative_checkpoint_state, _checkpoint_dir, _with_mtimes).

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


# one `field: value` line of TensorFlow's checkpoint state file (a CheckpointState text proto):
# a quoted string (escapes allowed) or a bare number/word
_STATE_LINE = re.compile(r'^(\s*(\w+)\s*:\s*)("(?:[^"\\]|\\.)*"|[-+.\w]+)\s*$')
_PATH_FIELDS = ("model_checkpoint_path", "all_model_checkpoint_paths")


def read_checkpoint_state(folder):
    """The lines of TensorFlow's checkpoint state file (`checkpoint`) in `folder`, parsed as text
    (no TensorFlow needed): a list of re.Match with groups (prefix, field, raw value). None when
    there is no file; ValueError when it is not a checkpoint state (unreadable, empty, a line that
    is not `field: value`, or not exactly one quoted model_checkpoint_path)."""
    state = Path(folder) / "checkpoint"
    if not state.is_file():
        return None
    try:
        lines = [line for line in state.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError):
        lines = []
    fields = [_STATE_LINE.match(line) for line in lines]
    latest = [m.group(3) for m in fields if m and m.group(2) == "model_checkpoint_path"]
    if not fields or not all(fields) or len(latest) != 1 or not latest[0].startswith('"'):
        raise ValueError("%s is not TensorFlow's checkpoint state" % state)
    return fields


def _state_path(match):
    """The checkpoint path a read_checkpoint_state line holds; None for other fields and for
    paths with escapes (TensorFlow writes those only for names with quotes or backslashes)."""
    raw = match.group(3)
    if match.group(2) not in _PATH_FIELDS or not raw.startswith('"') or "\\" in raw:
        return None
    return raw[1:-1]


def latest_checkpoint_path(folder):
    """model_checkpoint_path of the state file in `folder`, as written (None: no state file)."""
    fields = read_checkpoint_state(folder)
    if fields is None:
        return None
    return [m.group(3)[1:-1] for m in fields if m.group(2) == "model_checkpoint_path"][0]


def relative_checkpoint_state(folder):
    """Make TensorFlow's checkpoint state file (`checkpoint`) in `folder` name its checkpoints
    relative to the folder, so that a run folder moved or copied resumes from its own
    checkpoints. A Saver writes the paths it is given, absolute here, and TF joins only relative
    ones to the folder: a copied folder would restore the original's files. (The examples keep
    the original's `tf.train.Saver()`, and TF 1.15's Estimator makes its own Saver, so the file is
    rewritten after each save instead of passing save_relative_paths.) Only absolute paths whose
    checkpoint is in `folder` change; the file is replaced atomically."""
    try:
        fields = read_checkpoint_state(folder)
    except ValueError:
        return                  # damaged: _check_checkpoint reports it
    if fields is None:
        return                  # none yet
    lines, changed = [], False
    for match in fields:
        path = _state_path(match)
        if path is not None and _own_checkpoint(folder, path) != path:
            lines.append('%s"%s"' % (match.group(1), os.path.basename(path)))
            changed = True
        else:
            lines.append(match.group(0))
    if changed:
        write_text(Path(folder) / "checkpoint", "\n".join(lines) + "\n")


def _own_checkpoint(folder, path):
    """A path from the state file in `folder`, as TensorFlow will read it once
    relative_checkpoint_state has run: an absolute one whose checkpoint is in `folder` becomes
    that one."""
    if not os.path.isabs(path):
        return path
    name = os.path.basename(path)
    return name if (Path(folder) / (name + ".index")).is_file() else path
