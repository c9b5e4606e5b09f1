"""The runtimes are what the README says: pins agree, and each venv has what it pins."""

import re
import subprocess
import sys

import pytest
import yaml

from conftest import REPO, TF1

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s#;]+)$")


def read_pins(path):
    pins = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            match = PIN.match(line)
            assert match, "%s: not an exact pin: %r" % (path.name, raw)
            pins[match.group(1).lower()] = match.group(2)
    return pins


def test_environment_yml_pins_equal_requirements_tf1():
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    assert env["name"] == "tf1-legacy"
    deps = env["dependencies"]
    assert "python=3.7" in deps
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-e ." in pip_section, "the conda env must install this project (editable)"
    conda_pins = {}
    for item in pip_section:
        if item != "-e .":
            match = PIN.match(item)
            assert match, "environment.yml: not an exact pin: %r" % item
            conda_pins[match.group(1).lower()] = match.group(2)
    assert conda_pins == read_pins(REPO / "requirements-tf1.txt")


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-tf1.txt"])
def test_requirements_are_exact_pins(name):
    pins = read_pins(REPO / name)
    assert "tensorflow" in pins and "numpy" in pins
    assert "tensorflow-cpu" not in pins, "tf-keras depends on `tensorflow`; pinning tensorflow-cpu installs both"


def test_this_runtime_has_exactly_its_pins():
    """Every pinned distribution is installed here at the pinned version."""
    pins = read_pins(REPO / ("requirements-tf1.txt" if TF1 else "requirements.txt"))
    out = subprocess.run([sys.executable, "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"],
                         stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout
    installed = {}
    for line in out.splitlines():
        if "==" in line:
            name, version = line.split("==", 1)
            installed[name.lower().replace("_", "-")] = version
    wrong = {n: (v, installed.get(n.replace("_", "-"))) for n, v in pins.items()
             if installed.get(n.replace("_", "-")) != v}
    assert not wrong, "pinned vs installed: %r" % wrong
