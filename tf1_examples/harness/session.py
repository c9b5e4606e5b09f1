"""The examples' Session config (run.session_config; benchmarks/graph_step.py uses it too)."""


def session_config(tf, xla=False, one_thread=False):
    """one_thread=True (lstm_regression): one intra-op and one inter-op thread, on both runtimes. A
    graph as small as its batch of 50 through 10 LSTM units loses more to handing work between
    pool threads than it gains (per step, 4.3-5.0 vs 4.9-5.9 ms on TF 2.21, 5.3-5.6 vs 6.8-6.9 ms
    on TF 1.15, half the CPU time; 200 seeded steps give bit-identical costs on both runtimes),
    and the second core is then free for the process drawing its GIF frames.

    xla=True (rnn_words): on TF 2.x, XLA auto-clustering for this Session (global_jit_level ON_1
    with cpu_global_jit, which CPU clustering needs). The same ops, compiled into fused kernels:
    rnn_words' training step measured 33 -> 13 ms of CPU time, its logged figures equal to ~1e-7
    relative (float sums in another order); compiling costs ~4 s of CPU once, at the first step.
    On TF 1.15 XLA made the step slower (37 -> 47 ms), so there it stays off.
    Otherwise None: TensorFlow's defaults."""
    xla = xla and not tf.__version__.startswith("1.")
    if not (xla or one_thread):
        return None
    config = tf.ConfigProto()
    if one_thread:
        config.intra_op_parallelism_threads = config.inter_op_parallelism_threads = 1
    if xla:
        config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
        config.graph_options.optimizer_options.cpu_global_jit = True
    return config


def describe(tf, config):
    """What run.json's "session" records of a config (thread counts 0: TensorFlow chooses)."""
    given = config if config is not None else tf.ConfigProto()     # None: the proto's defaults
    return {
        "intra_op_threads": given.intra_op_parallelism_threads,
        "inter_op_threads": given.inter_op_parallelism_threads,
        "xla": given.graph_options.optimizer_options.global_jit_level == tf.OptimizerOptions.ON_1,
    }
