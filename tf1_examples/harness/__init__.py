"""The run harness: everything around an example's tutorial code, so the example reads like its post.

An example's train(run) uses a few calls: run.training(saver, sess, ...) and its steps()/end()
(training.py) or run.estimator_training(model_dir) (estimator_training.py), run.log, run.animation /
run.save_figure, run.finish. The modules, by responsibility:

    cli.py                prepare (parse + check, before TensorFlow), execute, main, report, reproduce
    options.py, checks.py the command line (from the registry's Example.flags) and the input checks
    run.py, run_record.py the Run: folder, plan, metrics rows, run.json
    metrics_csv.py        metrics.csv (every file written whole or not at all: compat.regress.report)
    training.py           a Session loop's resume, checkpoints, Ctrl-C and progress
    estimator_training.py the same for a tf.contrib.learn Estimator's fit()
    checkpoints.py        --resume, --init-from, save_checkpoint (kill-safe order)
    checkpoint_state.py   TensorFlow's `checkpoint` file as text; checkpoint_index.py: .index files
    interrupt.py          Ctrl-C, the continue command, divergence (NaN/inf) and the last good checkpoint
    session.py            the Session configs; progress.py: the progress bar
    pictures.py           stills and GIFs; palette_gif.py, gif_helper.py: the GIF helper process
    quiet.py              TensorFlow's chatter hidden unless --verbose
    errors.py             UsageError (exit 2), Interrupted (130), Diverged (1)
"""
