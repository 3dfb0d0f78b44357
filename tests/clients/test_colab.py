"""Colab: every chapter runs on exactly the versions Google Colab ships, installed the way its
set-up cell installs the package, and the set-up cell leaves Colab's packages alone.

The simulation: a venv with Colab's numpy, matplotlib, ipywidgets, ipykernel and IPython
(tests/clients/envs.py; this machine's Python, as it has no 3.12); a stand-in ``google.colab``
module imported at kernel start (as on Colab, where ``"google.colab" in sys.modules``); the
set-up cell of each chapter run as written except that the repository URL points at this
repository through a local git URL (``git+file://localhost/...``: what is installed is the
committed ``HEAD``). Every chapter of ``book/`` is discovered at test time and executed once
(the heavy part, about as long as a book build); then the explorers of each chapter are moved
in that same kernel, under ipywidgets 7.7.1.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from envs import COLAB_PINS, ROOT, colab_env

REPO_URL_RE = re.compile(r"git\+(https://github\.com/[^\"'\s]+)")
PROBE = Path(__file__).with_name("explorer_probe.py")

# Appended to each chapter: the versions after the set-up cell, where initlab came from, and
# every explorer the chapter displayed (IPython keeps each cell's value in Out) moved once.
CHECK_CELL = """
import importlib.metadata as _md, json as _json, sys as _sys
_sys.path.insert(0, {probe_dir!r})
import explorer_probe as _probe, initlab as _initlab
from initlab.widgets import Explorer as _Explorer
_explorers = [v for v in Out.values() if isinstance(v, _Explorer)]
print("CLIENTS-CHECK " + _json.dumps({{
    "versions": {{n: _md.version(n) for n in {names!r}}},
    "initlab_file": _initlab.__file__,
    "explorers": [_probe.probe(type(e.view).__name__ + ":" + getattr(e.view, "__name__", "?"), e)
                  for e in _explorers],
}}))
"""


def chapters() -> list[Path]:
    return sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    python = colab_env()
    base = tmp_path_factory.mktemp("colab")
    standin = base / "standin"
    (standin / "google" / "colab").mkdir(parents=True)
    (standin / "google" / "__init__.py").write_text("")
    (standin / "google" / "colab" / "__init__.py").write_text('"""Stand-in for Colab\'s module."""\n')
    (standin / "sitecustomize.py").write_text("import google.colab  # imported at start-up, as on Colab\n")
    kernels = base / "jupyter" / "kernels" / "colab"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Colab stand-in", "language": "python",
        "env": {"PYTHONPATH": str(standin), "MPLBACKEND": "module://matplotlib_inline.backend_inline"}}))
    # A fresh runtime: initlab is not installed until a set-up cell installs it.
    subprocess.run([str(python), "-m", "pip", "uninstall", "-y", "-q", "initlab"], capture_output=True)
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format", "json"],
                            capture_output=True, text=True, check=True)
    before = {p["name"].lower(): p["version"] for p in json.loads(listed.stdout)}
    return {"python": python, "jupyter_path": base / "jupyter", "before": before}


def local_setup_cell(source: str) -> str:
    match = REPO_URL_RE.search(source)
    assert match, f"the set-up cell installs from no GitHub URL:\n{source}"
    return source.replace("git+" + match.group(1), f"git+file://localhost{ROOT}")


@pytest.fixture(scope="module")
def executed(colab):
    import nbformat
    from nbclient import NotebookClient

    os.environ["JUPYTER_PATH"] = str(colab["jupyter_path"]) + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    results = {}
    for path in chapters():
        nb = nbformat.read(path, as_version=4)
        first = nb.cells[0]
        assert first.cell_type == "code" and "google.colab" in first.source, path.name
        first.source = local_setup_cell(first.source)
        nb.cells.append(nbformat.v4.new_code_cell(CHECK_CELL.format(
            probe_dir=str(PROBE.parent), names=sorted(COLAB_PINS))))
        start = time.perf_counter()
        error = None
        try:
            NotebookClient(nb, timeout=600, kernel_name="colab",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        except Exception as exc:  # noqa: BLE001 - reported per chapter below
            error = f"{type(exc).__name__}: {str(exc)[-3000:]}"
        check = None
        for output in nb.cells[-1].get("outputs", []):
            for line in output.get("text", "").splitlines():
                if line.startswith("CLIENTS-CHECK "):
                    check = json.loads(line.removeprefix("CLIENTS-CHECK "))
        results[path.name] = {"error": error, "check": check, "seconds": time.perf_counter() - start}
        print(f"{path.name}: {results[path.name]['seconds']:.1f} s", file=sys.stderr)
    return results


def test_the_environment_has_exactly_colabs_versions(colab):
    for name, version in COLAB_PINS.items():
        assert colab["before"].get(name) == version, (name, colab["before"].get(name))


@pytest.mark.parametrize("chapter", [p.name for p in chapters()])
def test_chapter_runs_on_colab_versions(executed, chapter):
    result = executed[chapter]
    assert result["error"] is None, f"{chapter} fails on Colab's versions:\n{result['error']}"
    assert result["check"] is not None, f"{chapter}: the closing check printed nothing"


@pytest.mark.parametrize("chapter", [p.name for p in chapters()])
def test_setup_cell_leaves_colabs_packages_alone(executed, colab, chapter):
    check = executed[chapter]["check"]
    assert check, f"{chapter} did not run to its end"
    assert check["versions"] == COLAB_PINS, f"{chapter}: the set-up cell changed {check['versions']}"
    # initlab came from the set-up cell's install, not from this source tree
    assert str(colab["python"].parents[1]) in check["initlab_file"], check["initlab_file"]


@pytest.mark.parametrize("chapter", [p.name for p in chapters()])
def test_explorers_display_and_redraw_under_ipywidgets_7(executed, chapter):
    check = executed[chapter]["check"]
    assert check, f"{chapter} did not run to its end"
    assert check["explorers"], f"{chapter} displays no explorer"
    for probe in check["explorers"]:
        assert probe["ipywidgets"] == COLAB_PINS["ipywidgets"], probe
        assert probe["widget_view"] and probe["image"], f"{chapter}: explorer not displayed: {probe}"
        assert probe["redraws"], f"{chapter}: moving a control does not redraw: {probe}"


def test_colab_environment_still_has_colabs_versions_at_the_end(executed, colab):
    listed = subprocess.run([str(colab["python"]), "-m", "pip", "list", "--format", "json"],
                            capture_output=True, text=True, check=True)
    after = {p["name"].lower(): p["version"] for p in json.loads(listed.stdout)}
    changed = {n: (v, after.get(n)) for n, v in colab["before"].items() if after.get(n) != v}
    assert not changed, f"installing initlab changed Colab's packages: {changed}"
    assert "initlab" in after
