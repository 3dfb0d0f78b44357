"""Shared fixtures: the book built once per test session, from an empty execution cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD_ROOT = ROOT / "_build" / "test"


class BuiltBook:
    def __init__(self, returncode: int, log: str, html: Path):
        self.returncode = returncode
        self.log = log
        self.html = html


@pytest.fixture(scope="session")
def built_book() -> BuiltBook:
    """Build the HTML book exactly as `make book` does (-W -n --keep-going), every notebook
    executed from scratch, into _build/test/_build/html."""
    shutil.rmtree(BUILD_ROOT, ignore_errors=True)
    BUILD_ROOT.mkdir(parents=True)
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    result = subprocess.run(
        [str(Path(bindir) / "jupyter-book"), "build", str(ROOT), "--path-output", str(BUILD_ROOT),
         "-W", "-n", "--keep-going"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    log = result.stdout + "\n" + result.stderr
    (BUILD_ROOT / "build.log").write_text(log)
    return BuiltBook(result.returncode, log, BUILD_ROOT / "_build" / "html")


@pytest.fixture(scope="session")
def playwright_driver():
    """The one Playwright driver of the test session. A second ``sync_playwright()`` cannot
    start while another runs in the same process, so the browser checks (tests/browser) and the
    JupyterLab checks (tests/jupyter) launch their Chromium from this one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


# tests/book_files.py is shared by tests/book/, tests/browser/ and the tools: importable from all.
sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_collection_modifyitems(config, items):
    """Cross-checks against other frameworks import torch, keras or jax (tens of seconds on their
    own): they are `slow`, so `make test-fast` (``-m "not slow"``) skips them; `make test` runs them."""
    for item in items:
        if "crosscheck" in item.path.name:
            item.add_marker(pytest.mark.slow)
