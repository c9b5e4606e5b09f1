"""PEP 517 build backend: setuptools' wheels, plus tools/tf1_legacy_compat.pth at the wheel's root.

A file at a wheel's root is installed into site-packages, where Python runs a .pth file's
`import` line at every start-up; that line gives compat to the child processes of a compat run
(compat/child_processes.py). setuptools has no setting for such a file in an editable install
(`pip install -e .`, what `make venv` and environment.yml do), so both kinds of wheel are
rewritten here with the file added and listed in RECORD, which also lets `pip uninstall` remove
it. Everything else (sdist, metadata, requirements) is setuptools' own.
"""

import base64
import hashlib
import os
import zipfile

from setuptools import build_meta
from setuptools.build_meta import *  # noqa: F401,F403  (the hooks this module does not change)

PTH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tf1_legacy_compat.pth")


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = build_meta.build_wheel(wheel_directory, config_settings, metadata_directory)
    add_pth(os.path.join(wheel_directory, name))
    return name


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    name = build_meta.build_editable(wheel_directory, config_settings, metadata_directory)
    add_pth(os.path.join(wheel_directory, name))
    return name


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return "%s,sha256=%s,%d" % (path, digest, len(data))


def add_pth(wheel):
    """Rewrite `wheel` with the .pth file at its root and a RECORD that lists it."""
    with open(PTH, "rb") as f:
        pth = f.read()
    pth_name = os.path.basename(PTH)
    partial = wheel + ".partial"
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as target:
        record = next(i for i in source.infolist()
                      if i.filename.endswith(".dist-info/RECORD") and i.filename.count("/") == 1)
        for info in source.infolist():
            if info is not record and info.filename != pth_name:
                target.writestr(info, source.read(info))
        target.writestr(pth_name, pth)
        lines = [l for l in source.read(record).decode("utf-8").splitlines()
                 if l and not l.startswith(pth_name + ",")]
        lines.insert(len(lines) - 1 if lines[-1].startswith(record.filename + ",") else len(lines),
                     _record_line(pth_name, pth))
        target.writestr(record, ("\n".join(lines) + "\n").encode("utf-8"))
    os.replace(partial, wheel)
