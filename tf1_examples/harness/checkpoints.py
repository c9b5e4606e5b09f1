"""Checkpoints and resume, for a Session the example drives with its own tf.train.Saver.

--resume restores the newest checkpoint of the run folder and training begins after its step,
the example's data continuing from the `position` saved beside it (JSON). save_checkpoint
writes, in an order a kill -9 at any moment cannot break: 1. metrics.csv and run.json (--resume
drops rows past its checkpoint, so they may run ahead of it, never behind); 2. the position;
3. saver.save(global_step=done): a new name per step, every file written under a temp name and
renamed, the `checkpoint` state file last (traced on both runtimes). --init-from starts from a
checkpoint's variables instead of fresh ones: TF 2.x derives op-level seeds differently from
TF 1.15, so only a checkpoint gives both runtimes the same initial weights (the parity tests).
"""

import json
import os
import re
import shutil
from pathlib import Path

from tf1_examples.harness.checks import check_fits
from tf1_examples.harness.checkpoint_state import relative_checkpoint_state, with_mtimes
from compat.regress.report import write_text
from tf1_examples.harness.errors import UsageError

POSITION = ".position.json"    # next to each checkpoint: where its data stream continues


def restore(run, saver, sess, path):
    """saver.restore for --resume. The run.json signature check in prepare() already refuses
    a different model; should a checkpoint still not fit the graph, that is bad input too."""
    import compat.v1 as tf

    if path is None:
        raise UsageError("--resume: %s holds no checkpoint; start a new run without --resume" % run.dir)
    check_fits(tf, sess.graph, path, run.dir)
    try:
        saver.restore(sess, path)
    except tf.errors.OpError:   # OutOfRange (truncated data file), DataLoss (bad checksum), ...
        raise UsageError("--resume: the checkpoint %s is damaged (its data cannot be read in full); "
                         "start a new run without --resume" % path)


def init_from(run, saver, sess):
    """--init-from: overwrite the freshly initialised variables with the checkpoint's (right
    after the initializer). Without --init-from: nothing."""
    if run.args.init_from is None:
        return
    import tensorflow

    try:
        saver.restore(sess, run.args.init_from)
    except (tensorflow.errors.InvalidArgumentError, tensorflow.errors.NotFoundError, ValueError) as exc:
        raise init_error(run, exc)


def init_model_dir(run, model_dir):
    """--init-from for an Estimator: its checkpoint becomes the latest one in the (fresh)
    model_dir, which the Estimator restores instead of initialising (a warm start at the
    checkpoint's global step, 0 for an initial/ folder). Without --init-from: nothing."""
    if run.args.init_from is None:
        return
    import compat.v1 as tf

    prefix = Path(run.args.init_from)
    for f in [Path(str(prefix) + ".index")] + list(prefix.parent.glob(prefix.name + ".data-*")):
        shutil.copyfile(str(f), str(Path(model_dir) / f.name))
    tf.train.update_checkpoint_state(str(model_dir), prefix.name)   # relative: model_dir/<name>


def init_error(run, exc):
    """The UsageError for a --init-from checkpoint that does not fit the example's graph."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
    return UsageError("--init-from %s: the checkpoint does not fit the %s model (%s); pass the "
                      "initial/ folder of a --save-initial run of %s with the same options"
                      % (run.args.init_from, run.name, first, run.name))


def resume_from(run, saver, sess, folder):
    """--resume: restore the newest checkpoint in `folder` and begin() after its step; returns
    the data position saved with it (a dict; {} if none). Without --resume, or when an
    unfinished run was stopped before its first checkpoint: begin(0) and {}."""
    import compat.v1 as tf

    state = tf.train.get_checkpoint_state(str(folder)) if run.resume else None
    path = tf.train.latest_checkpoint(str(folder)) if run.resume else None
    if path is None:
        if run.resume and not run.unfinished:
            raise UsageError("--resume: %s holds no checkpoint to continue from; start a new run "
                             "without --resume" % folder)
        run.begin(0)
        return {}
    restore(run, saver, sess, path)
    # keep rotating (the Saver's 5 newest) the checkpoints an earlier process saved
    saver.set_last_checkpoints_with_time(with_mtimes(state.all_model_checkpoint_paths))
    numbered = re.search(r"-(\d+)$", path)
    # an unnumbered checkpoint (saved before steps were in the name): as many steps as rows
    run.begin(int(numbered.group(1)) if numbered else len(run.metrics))
    position = Path(path + POSITION)
    try:
        return json.loads(position.read_text(encoding="utf-8")) if position.is_file() else {}
    except ValueError:      # written atomically by save_checkpoint: only an edit can break it
        raise UsageError("--resume: %s is damaged (not the JSON the run wrote); start a new run "
                         "without --resume" % position)


def save_checkpoint(run, saver, sess, prefix, done, position=None):
    """Checkpoint after `done` steps (the module docstring gives the order). The Saver's rotation
    (its 5 newest) only ever deletes this folder's checkpoints, never initial/ or another folder
    saved with the same Saver."""
    prefix = os.path.abspath(str(prefix))   # the Saver resolves a relative one against the cwd
    folder = os.path.dirname(prefix)
    run.save_progress(done)
    if done == run.start and os.path.isfile("%s-%d.index" % (prefix, done)):
        return                        # stopped before its first step: the checkpoint it resumed is current
    if position is not None:
        write_text("%s-%d%s" % (prefix, done, POSITION), json.dumps(position))
    saver.set_last_checkpoints_with_time(
        with_mtimes(p for p in saver.last_checkpoints if os.path.dirname(os.path.abspath(p)) == folder))
    # the graph (.meta) only with the last one: written every time, it is most of a save's cost
    saver.save(sess, prefix, global_step=done, write_meta_graph=done == run.total)
    relative_checkpoint_state(folder)
    run.saved = True
    for stale in Path(folder).glob("*" + POSITION):   # of checkpoints the rotation deleted
        if not Path(str(stale)[:-len(POSITION)] + ".index").is_file():
            stale.unlink()
