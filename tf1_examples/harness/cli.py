"""The CLI's side of a run: prepare() checks every input and makes the run folder before
TensorFlow is imported (6 s on TF 2.x), so bad input costs a fraction of a second and always ends
the same way: one line on stderr, `tf1_examples: error: <what is wrong>; <what to do>`, exit
status 2, nothing written (every case is a row of docs/errors.md). execute() runs the example's
train(run) and records how a stopped run ended; report() turns that into one line and a status.

A run folder is new (runs/NAME/<timestamp>/ or --out DIR), or an earlier run of the same example:
with --resume it continues from its checkpoint and appends to its metrics.csv; without, the
earlier run's outputs are removed first (a leftover checkpoint is never silently continued).
run.json says "running" (with the process id) from the start, so a killed run is recognisable;
a run folder whose process still runs is refused.
"""

import importlib
import sys

from tf1_examples.harness import checks, quiet
from tf1_examples.harness.checkpoint_state import checkpoint_dir, relative_checkpoint_state
from tf1_examples.harness.errors import PROG, Diverged, Interrupted, UsageError, error_line
from tf1_examples.harness.interrupt import interrupted_line, record_divergence
from tf1_examples.harness.options import build_parser
from tf1_examples.harness.run import Run
from tf1_examples.registry import BY_NAME


def prepare(name, argv=None):
    """Parse `argv`, check every input, create or reopen the run folder; returns a Run.
    Raises UsageError (before anything is written) on bad input. Imports no TensorFlow."""
    if name not in BY_NAME:
        raise UsageError("unknown example %r; choose one of: %s (python -m %s list)"
                         % (name, ", ".join(sorted(BY_NAME)), PROG))
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(name).parse_args(argv)
    args.argv = argv
    default, quick = BY_NAME[name].steps
    steps_given = args.steps
    if args.steps is None:
        args.steps = quick if args.quick else default
    checks.check_show(args)
    folder = checks.run_folder(name, args)
    checks.check_writable(folder, args)
    checks.check_init_from(args, folder)
    resumed = checks.load_previous(name, folder) if args.resume else None
    if args.resume:
        checks.check_checkpoint(name, folder)
    if not args.resume:
        checks.check_reusable(name, folder)
    checks.check_plan(folder, resumed, steps_given)

    data, shape = checks.check_input(name, args)
    signature = dict(example=name, **shape)
    if resumed is not None:
        before = resumed["run_json"].get("signature") or {}
        if before != signature:
            raise UsageError("--resume: %s holds a model of a different shape (%s), not this one (%s); "
                             "resume with the same options, or start a new run without --resume"
                             % (folder, checks.describe_signature(before), checks.describe_signature(signature)))

    if resumed is None and (folder / "run.json").is_file():
        checks.clear_earlier_run(name, folder)     # an earlier run of this example: replace it
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:      # what os.access cannot foresee: a read-only file system, a full disk
        raise UsageError("%s cannot be created (%s); choose another folder with --out DIR"
                         % (folder, exc.strerror))
    if resumed is not None:     # every check passed: now a moved or copied folder's state file
        relative_checkpoint_state(checkpoint_dir(name, folder))   # may name its own checkpoints
    run = Run(name, args, folder, resumed)
    run.data, run.signature = data, signature
    if resumed is None:
        run.write(status="running")   # from the start: a run killed even before training is resumable
    if BY_NAME[name].background_gif and not args.show:
        from tf1_examples.harness import gif_helper

        gif_helper.prestart()         # its imports overlap TensorFlow's (gif_helper.py)
    return run


def load_train(name):
    """The example's train(run): importing it (and TensorFlow) is part of the run."""
    return importlib.import_module(BY_NAME[name].module).train


def execute(run, train=None):
    """Train a prepared run; returns it. `train(run)` is the example's training code (default:
    its module's, imported here: importing TensorFlow is part of the run). A run stopped midway
    still writes what it logged: "interrupted" (Ctrl-C), "failed" (a crash)."""
    try:
        train = train or load_train(run.name)
        run.seed_python()
        train(run)
    except UsageError:
        run.undo()
        raise
    except Diverged as exc:
        record_divergence(run, exc)
        raise
    except BaseException as exc:
        # a --resume that stopped before training leaves the earlier record as it was
        if run.in_loop or not run.resume:
            try:
                run.write(status="interrupted" if isinstance(exc, KeyboardInterrupt) else "failed")
            except Exception:
                pass
        raise
    return run


def report(exc, run=None):
    """The CLI's ending for an exception it handles: prints its one stderr line and returns the
    exit status (2 bad input, 1 diverged, 130 Ctrl-C)."""
    if isinstance(exc, UsageError):
        line, status = error_line(exc), 2
    elif isinstance(exc, Diverged):         # the input was fine, the training failed: 1, not 2
        line, status = error_line(exc), 1
    else:
        line = (interrupted_line(run, isinstance(exc, Interrupted)) if run is not None
                else "%s: interrupted" % PROG)
        status = 130
    sys.stderr.write(line + "\n")
    return status


def main(name, argv=None, train=None):
    """CLI entry: exit status 0, or 2 with one error line on bad input (130: Ctrl-C)."""
    run = None
    try:
        run = prepare(name, argv)     # check first: TensorFlow is imported only for good input
        quiet.quiet_output(run.args.verbose)
        execute(run, train)
    except (UsageError, Diverged, KeyboardInterrupt) as exc:
        return report(exc, run)
    return 0


def reproduce(name, argv=None):
    """Python entry: run example `name` with CLI-style `argv`; returns the finished Run
    (run.metrics: every logged step as dicts; run.results; run.dir). Raises UsageError."""
    return execute(prepare(name, argv))
