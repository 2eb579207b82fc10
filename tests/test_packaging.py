"""Set-up promises: exact pins, conda and pip agree, README gives the two commands."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pins(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        m = re.match(r"^\s*-?\s*([A-Za-z0-9_.\-\[\]]+)==([^\s#]+)", line)
        if m:
            out[m.group(1).lower()] = m.group(2)
    return out


def test_constraints_pin_every_package_exactly():
    lines = [ln for ln in (ROOT / "constraints.txt").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert lines and all("==" in ln for ln in lines)
    pins = _pins(lines)
    for core in ("pandas", "numpy", "scipy", "pandera", "papermill", "nbval", "pyarrow"):
        assert core in pins, core
    assert pins["pandas"].startswith("3.")


def test_environment_yml_has_the_same_pins():
    pip_pins = _pins((ROOT / "constraints.txt").read_text().splitlines())
    conda_pins = _pins((ROOT / "environment.yml").read_text().splitlines())
    assert conda_pins == pip_pins
    assert "python=3.11" in (ROOT / "environment.yml").read_text()


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    first_screen = "\n".join(readme.splitlines()[:25])
    assert "make report" in first_screen and "make test" in first_screen
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    makefile = (ROOT / "Makefile").read_text()
    assert "constraints.txt" in makefile and "parameters/demo.yaml" in makefile
