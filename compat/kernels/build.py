"""Compile compat's kernels (compat/kernels/*.cc) against the installed TensorFlow 2.x.

One compiler call per op, with TensorFlow's own flags (tf.sysconfig): its headers, its C++ ABI,
its framework library. The library is written under a temporary name and renamed when complete,
so an interrupted or failed build leaves no library that compat would load; the compiler's output
goes to <stem>.log beside it.
"""

import glob
import os
import subprocess
import tempfile
import time

from compat import kernels
from compat.regress.usage import UsageError


def compile_command(compiler, source, output):
    import tensorflow

    # TensorFlow's headers warn about their own deprecated names: not ours to fix.
    return ([compiler, "-O2", "-shared", "-fPIC", "-Wno-deprecated-declarations", source, "-o", output]
            + tensorflow.sysconfig.get_compile_flags() + tensorflow.sysconfig.get_link_flags())


def build(op, directory, compiler, force=False):
    """Build op's library into directory -> (its path, seconds spent compiling; None: it was
    already built from this source). Raises UsageError with one line when it cannot."""
    target = kernels.library_path(op, directory)
    if os.path.exists(target) and not force:
        return target, None
    try:
        os.makedirs(directory, exist_ok=True)
        handle, partial = tempfile.mkstemp(prefix=".building-", suffix=".so", dir=directory)
    except OSError as error:
        raise UsageError("cannot write the compiled kernels to %s (%s); pass --out with a folder you can "
                         "write to" % (directory, error.strerror or error))
    os.close(handle)
    log = os.path.join(directory, kernels.source_stem(op) + ".log")
    started = time.time()
    try:
        done = subprocess.run(compile_command(compiler, kernels.source_path(op), partial),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
        with open(log, "w") as out:
            out.write(done.stdout)
        if done.returncode != 0:
            raise UsageError("%s could not compile %s (exit %d); its output is in %s" % (
                compiler, op, done.returncode, log))
        os.chmod(partial, 0o755)  # mkstemp's 0600 would keep other users from loading it
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    for stale in glob.glob(os.path.join(directory, kernels.source_stem(op) + "-*.so")):
        if stale != target:  # built from an earlier version of the source
            os.remove(stale)
    return target, time.time() - started
