"""The regression engine: do seeded runs of a TF 1.x program train the same on two runtimes, and
as the published figures say? Used by `python -m tf1_examples regress` (the four reproductions)
and `python -m compat compare SCRIPT.py` (any script). No TensorFlow here.

    stats          envelopes over seeds, values at a step, Mann-Whitney U, number formatting
    rules          Rule, the verdict rules (judge, judge_improves), verdict and equivalence rows
    jobs           parallel subprocess runs with timeouts; Ctrl-C stops every child
    interpreters   finding the legacy (TF 1.15) and modern pythons
    report         output folders, report.md / report.json, verdict tables
    plots          seed bands, published points, golden curves
    usage          UsageError and an argparse parser that raises it (one line, exit 2)
"""
