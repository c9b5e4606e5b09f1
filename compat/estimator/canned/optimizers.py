"""The optimizer a premade estimator trains with: a name, an Optimizer, or a callable making one."""

from tensorflow.compat import v1 as tf

OPTIMIZERS_BY_NAME = {
    "Adagrad": tf.train.AdagradOptimizer,
    "Adam": tf.train.AdamOptimizer,
    "Ftrl": tf.train.FtrlOptimizer,
    "RMSProp": tf.train.RMSPropOptimizer,
    "SGD": tf.train.GradientDescentOptimizer,
}


def get_optimizer_instance(opt, learning_rate=None):
    """An Optimizer from `opt` (a name from OPTIMIZERS_BY_NAME, an Optimizer or a callable)."""
    if isinstance(opt, str):
        if opt not in OPTIMIZERS_BY_NAME:
            raise ValueError("Unsupported optimizer name: {}. Supported names are: {}"
                             .format(opt, tuple(sorted(OPTIMIZERS_BY_NAME))))
        if not learning_rate:
            raise ValueError("learning_rate must be specified when opt is string.")
        return OPTIMIZERS_BY_NAME[opt](learning_rate=learning_rate)
    if callable(opt):
        opt = opt()
    if not isinstance(opt, tf.train.Optimizer):
        raise ValueError("The given object is not an Optimizer instance. Given: {}".format(opt))
    return opt
