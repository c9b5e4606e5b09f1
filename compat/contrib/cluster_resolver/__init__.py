"""tf.contrib.cluster_resolver for TensorFlow 2.x: TF 2.x's own tf.distribute.cluster_resolver
classes (compat/_moved.py). TPUClusterResolver raises NotProvidedError: compat does not run on a
TPU (TPUEstimator runs with use_tpu=False)."""

from compat._namespace import contrib_moved_names, contrib_package_hooks

__all__ = contrib_moved_names("cluster_resolver")

__getattr__, __dir__ = contrib_package_hooks("cluster_resolver", globals())
