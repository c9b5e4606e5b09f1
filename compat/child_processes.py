"""Compat for the Python processes a compat run starts itself (subprocess, multiprocessing spawn).

`compat.install()` sets TF1_COMPAT=1 in os.environ, which every child process inherits. This
project's install puts tf1_legacy_compat.pth into site-packages (tools/wheel_with_pth.py adds it to
the wheel, editable or not); Python runs its one line at start-up, and when TF1_COMPAT is set
that line calls `install_on_first_import()`: the process's first `import tensorflow` then runs
`compat.install()` and gets compat's TF 1.x `tf`. A child that never imports TensorFlow (pip, a
shell tool) pays nothing; a process started without TF1_COMPAT is untouched.
"""

import importlib.abc
import importlib.util
import sys

ENV_VAR = "TF1_COMPAT"
PTH_FILE = "tf1_legacy_compat.pth"  # sorts after setuptools' __editable__*.pth, which makes compat importable


class _InstallingLoader(importlib.abc.Loader):
    """Loads `tensorflow` by running compat.install(), and hands out the module it put there."""

    def create_module(self, spec):
        stop_waiting_for_import()
        import compat

        module = compat.install()
        # The import system is about to stamp this spec on the module; keep what install() left.
        self._saved = {name: getattr(module, name) for name in ("__spec__", "__loader__", "__package__")}
        return module

    def exec_module(self, module):
        for name, value in self._saved.items():
            setattr(module, name, value)


class InstallOnFirstImport(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != "tensorflow":
            return None
        return importlib.util.spec_from_loader(fullname, _InstallingLoader())


def stop_waiting_for_import():
    """Drop the finder install_on_first_import() added (compat.install() is running now)."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, InstallOnFirstImport)]


def install_on_first_import():
    """Make this process's first `import tensorflow` run compat.install() (the .pth line calls this)."""
    if "tensorflow" in sys.modules:
        import compat

        compat.install()
    elif not any(isinstance(f, InstallOnFirstImport) for f in sys.meta_path):
        sys.meta_path.insert(0, InstallOnFirstImport())
