"""Benchmarks: compat on current TensorFlow vs TensorFlow 1.15, side by side, and the examples'
end-to-end time. `python -m benchmarks --help`; `make bench` runs it with the defaults.

    cli.py       the command line; orchestration; results.json + results.md into --out
    suite.py     the measurements (what is timed and how: its docstring)
    child.py     one child process: wall time, CPU time and its own peak RSS (wrapper + os.wait4)
    stats.py     median / min-max / steady rate / ratio, number formatting, markdown tables
    machine.py   CPU, cores, memory, load; each runtime's versions
    report.py    results.md, atomic writes
    graph_step.py  an example's training step alone (no plotting): the S1 and S4 "graph only"
                 rows, and the tool for finding where time goes
    cells.py     compat's own symbols, one training step of a small model each (a row group)
    estimators.py  Estimator.train steps/s: sin_predict's Estimator, BERT's TPUEstimator (a row
                 group; both groups' entries: suite.row_entry)
    probes/      the trivial TF 1.x script whose `python -m compat` start-up is timed

Nothing here imports TensorFlow in the parent process: every measurement is a child process of
the runtime being measured, so both runtimes are timed the same way.
"""
