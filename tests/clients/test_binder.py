"""Binder: the build plan repo2docker makes for this repository, and whether the pins of
requirements.txt all exist for the Python it picks.

``repo2docker --no-build --debug .`` prints the Dockerfile it would build, without Docker; it
runs from a throwaway venv (tests/clients/envs.py). The pins are then resolved by pip for that
Python version (``pip install --dry-run --python-version X.Y --only-binary=:all:``), which reads
the package indexes' metadata only: a pin without a release for Binder's Python fails here the
way Binder's build failed ("No matching distribution found for contourpy==1.3.3" on 3.10).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from envs import ROOT, repo2docker_env


@pytest.fixture(scope="module")
def plan() -> str:
    r2d = repo2docker_env().parent / "repo2docker"
    result = subprocess.run([str(r2d), "--no-build", "--debug", "."], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def binder_python(plan: str) -> str:
    match = re.search(r"Building conda environment for python=(\d+\.\d+)", plan)
    assert match, "repo2docker's plan names no Python version:\n" + plan[:2000]
    return match.group(1)


def pins() -> dict[str, str]:
    out = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"requirements.txt: {line!r} is not an exact pin (name==version)"
            out[canonicalize_name(name)] = version
    return out


def resolve(python: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, Path]:
    report = tmp_path / f"report-{python}.json"
    return subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
         "--target", str(tmp_path / "target"), "--python-version", python,
         "--only-binary=:all:", "--report", str(report), "-r", str(ROOT / "requirements.txt")],
        capture_output=True, text=True, timeout=600), report


def test_runtime_txt_names_the_python_binder_uses(plan):
    named = (ROOT / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", named), f"runtime.txt should read like 'python-3.12', not {named!r}"
    assert binder_python(plan) == named.removeprefix("python-"), plan[:500]


def test_plan_installs_the_requirements_then_the_package(plan):
    assert re.search(r'pip install --no-cache-dir -r "requirements.txt"', plan), plan[-3000:]
    # repo2docker installs the package itself when pyproject.toml has [project] and
    # [build-system] and there is no binder/ folder.
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
    assert re.search(r"pip install --no-cache-dir \.", plan), plan[-3000:]


def test_every_pin_resolves_for_binders_python(plan, tmp_path):
    python = binder_python(plan)
    result, report = resolve(python, tmp_path)
    assert result.returncode == 0, f"pins that do not resolve for Python {python}:\n{result.stderr[-3000:]}"
    resolved = {canonicalize_name(item["metadata"]["name"]): item["metadata"]["version"]
                for item in json.loads(report.read_text())["install"]}
    wanted = pins()
    assert resolved == wanted, ("requirements.txt must hold exactly the closure of its pins: "
                                f"missing {sorted(set(resolved) - set(wanted))}, "
                                f"unused {sorted(set(wanted) - set(resolved))}, "
                                f"other versions {[(n, v) for n, v in resolved.items() if wanted.get(n, v) != v]}")


def test_the_check_fails_for_python_3_10(tmp_path):
    """Binder's default, 3.10, is what broke the build: the same check must refuse it."""
    result, _ = resolve("3.10", tmp_path)
    assert result.returncode != 0 and "No matching distribution" in result.stderr, result.stderr[-2000:]


def test_requires_python_and_readme_agree_with_binder(plan):
    python = binder_python(plan)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    allowed = SpecifierSet(project["requires-python"])
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert python in allowed and here in allowed and "3.10" not in allowed, project["requires-python"]
    readme = (ROOT / "README.md").read_text()
    floor = re.search(r">=\s*(3\.\d+)", project["requires-python"]).group(1)
    assert f"Python {floor}" in readme and f"Python {python}" in readme, \
        f"README.md should say the book needs Python {floor} or newer and that Binder uses {python}"
