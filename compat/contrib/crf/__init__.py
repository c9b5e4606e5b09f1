"""tf.contrib.crf for TensorFlow 2.x: TF 2.x has no CRF, so all 11 names are compat's own,
written on tf.compat.v1 in compat/contrib/crf/crf.py (TF 1.15: contrib/crf/python/ops/crf.py)."""

from compat._namespace import contrib_moved_names, contrib_package_hooks

_OWN = []  # names defined by the modules imported below

from compat.contrib.crf.crf import (CrfDecodeBackwardRnnCell, CrfDecodeForwardRnnCell,  # noqa: E402
                                    CrfForwardRnnCell, crf_binary_score, crf_decode, crf_log_likelihood,
                                    crf_log_norm, crf_multitag_sequence_score, crf_sequence_score,
                                    crf_unary_score, viterbi_decode)
_OWN += ["CrfDecodeBackwardRnnCell", "CrfDecodeForwardRnnCell", "CrfForwardRnnCell", "crf_binary_score",
         "crf_decode", "crf_log_likelihood", "crf_log_norm", "crf_multitag_sequence_score",
         "crf_sequence_score", "crf_unary_score", "viterbi_decode"]

__all__ = sorted(_OWN + contrib_moved_names("crf"))

__getattr__, __dir__ = contrib_package_hooks("crf", globals())
