"""TensorFlow's checkpoint state file (`checkpoint`) read and rewritten as text, without
TensorFlow: which checkpoint is the latest (for --resume's checks before TensorFlow's import), and
relative paths in it, so a run folder moved or copied resumes from its own checkpoints."""

import os
import re
from pathlib import Path

from compat.regress.report import write_text
from tf1_examples.registry import BY_NAME

# one `field: value` line of the state file (a CheckpointState text proto): a quoted string
# (escapes allowed) or a bare number/word
_STATE_LINE = re.compile(r'^(\s*(\w+)\s*:\s*)("(?:[^"\\]|\\.)*"|[-+.\w]+)\s*$')
_PATH_FIELDS = ("model_checkpoint_path", "all_model_checkpoint_paths")


def checkpoint_dir(name, folder):
    """Where example `name` keeps the checkpoint --resume continues from, in run folder `folder`."""
    return Path(folder).joinpath(*BY_NAME[name].checkpoint_dir)


def with_mtimes(prefixes):
    """[(checkpoint prefix, mtime)] for Saver.set_last_checkpoints_with_time, existing ones only."""
    return [(p, os.path.getmtime(p + ".index")) for p in prefixes if os.path.isfile(p + ".index")]


def read_checkpoint_state(folder):
    """The lines of the state file in `folder`, parsed: a list of re.Match with groups (prefix,
    field, raw value). None when there is no file; ValueError when it is not a checkpoint state
    (unreadable, empty, a line that is not `field: value`, or not exactly one quoted
    model_checkpoint_path)."""
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
    """The checkpoint path a state line holds; None for other fields and for paths with escapes
    (TensorFlow writes those only for names with quotes or backslashes)."""
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
    """Make the state file in `folder` name its checkpoints relative to the folder. A Saver
    writes the paths it is given, absolute here, and TF joins only relative ones to the folder:
    a copied folder would restore the original's files. (The examples keep the original's
    `tf.train.Saver()`, and TF 1.15's Estimator makes its own Saver, so the file is rewritten
    after each save instead of passing save_relative_paths.) Only absolute paths whose checkpoint
    is in `folder` change; the file is replaced atomically."""
    try:
        fields = read_checkpoint_state(folder)
    except ValueError:
        return                  # damaged: checks.check_checkpoint reports it
    if fields is None:
        return                  # none yet
    lines, changed = [], False
    for match in fields:
        path = _state_path(match)
        if path is not None and own_checkpoint(folder, path) != path:
            lines.append('%s"%s"' % (match.group(1), os.path.basename(path)))
            changed = True
        else:
            lines.append(match.group(0))
    if changed:
        write_text(Path(folder) / "checkpoint", "\n".join(lines) + "\n")


def own_checkpoint(folder, path):
    """A path from the state file in `folder`, as TensorFlow will read it once
    relative_checkpoint_state has run: an absolute one whose checkpoint is in `folder` becomes
    that one."""
    if not os.path.isabs(path):
        return path
    name = os.path.basename(path)
    return name if (Path(folder) / (name + ".index")).is_file() else path
