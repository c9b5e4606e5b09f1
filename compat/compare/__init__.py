"""`python -m compat compare SCRIPT.py`: does an unmodified TF 1.x script train the same on this
TensorFlow (through compat) as on TF 1.15? On the regression engine of compat/regress/.

    cli          the command line, the run as a whole, the printed verdict
    runs         one seeded child per runtime x seed, in a scratch copy of the script's folder
    seeding      inside each child: graph / numpy / random seeds, session threads, headless matplotlib
    metrics      metrics read from the child's log lines
    comparison   verdicts, report.md, report.json's cases, the PNG per metric
    pairing      run against run, per seed, when both runtimes share the random stream
"""
