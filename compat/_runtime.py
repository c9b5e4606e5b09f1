"""Which TensorFlow is installed, and the one `tf` object compat hands out for it."""

_V1 = None


def tf_major():
    import tensorflow

    return int(tensorflow.__version__.split(".")[0])


def v1_module():
    """The TF 1.x-shaped `tf`: `tensorflow` itself on TF 1.x, compat's namespace on TF 2.x."""
    global _V1
    if _V1 is None:
        import tensorflow

        if tf_major() < 2:
            _V1 = tensorflow
        else:
            from compat._namespace import build_v1

            _V1 = build_v1()
    return _V1
