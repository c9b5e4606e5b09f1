"""The one Session default compat changes on TF 2.x: Grappler's remapper is off while oneDNN is on
(and amend_session_configs, the mechanism, which compare's --threads uses too).

TF 1.15 (pip build: Eigen kernels, no oneDNN) fused MatMul + BiasAdd into _FusedMatMul. TF 2.21
with oneDNN (its default on x86 CPUs) turns that fusion into _MklNativeFusedMatMul, whose
per-call overhead around the oneDNN primitive costs ~9 us a node on the small matrices of TF 1.x
RNN code: an LSTM step's cell runs one. Without the remapper the MatMul runs as oneDNN's plain
_MklMatMul (~3 us) and BiasAdd as TensorFlow's kernel. Measured in docs/benchmarks.md ("Grappler's
remapper"): beam-search decode 8-10 % faster, seq2seq training and S1's step faster, no benchmark
row slower; large fused forward passes (MLP, CNN) 2-3 % slower.

A Session whose config sets rewrite_options.remapping itself (ON or OFF) keeps it; with oneDNN off
(TF_ENABLE_ONEDNN_OPTS=0) nothing changes. The graph is not touched, only Grappler's rewrite of it:
op seeds and op order (docs/seeds.md) are the same either way.
"""

_installed = False


def onednn_enabled():
    from tensorflow.python.util import _pywrap_util_port  # TF's own flag, read once from TF_ENABLE_ONEDNN_OPTS

    return bool(_pywrap_util_port.IsMklEnabled())


def resolved(config):
    """config, or for None the ConfigProto TensorFlow itself gives a Session made without one."""
    if config is not None:
        return config
    from tensorflow.python.eager import context

    return context.context().config


def amend_session_configs(amend):
    """Every tf.Session (tf.InteractiveSession, MonitoredSession's, Estimator's) made from now on
    runs with amend(its resolved config): a changed copy, or the config itself. Amendments stack."""
    from tensorflow.python.client import session

    create = session.BaseSession.__init__

    def init(self, target="", graph=None, config=None):
        create(self, target, graph, amend(resolved(config)))

    session.BaseSession.__init__ = init


def with_remapper_off(config):
    """config with the remapper off unless it names remapping; a copy, the caller's object is
    left as it was."""
    from tensorflow.core.protobuf import config_pb2, rewriter_config_pb2

    if not isinstance(config, config_pb2.ConfigProto):
        return config  # TF's own type check reports it
    if config.graph_options.rewrite_options.remapping != rewriter_config_pb2.RewriterConfig.DEFAULT:
        return config
    changed = config_pb2.ConfigProto()
    changed.CopyFrom(config)
    changed.graph_options.rewrite_options.remapping = rewriter_config_pb2.RewriterConfig.OFF
    return changed


def install():
    """Sessions made from now on get with_remapper_off, if oneDNN is on. Idempotent."""
    global _installed
    if _installed or not onednn_enabled():
        return
    amend_session_configs(with_remapper_off)
    _installed = True
