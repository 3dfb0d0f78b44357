"""Fixtures of the JupyterLab checks: one headless Chromium and one JupyterLab per session,
serving a throw-away copy of the reading form (notebooks/), so that running the cells never
writes outputs into the repository."""

from __future__ import annotations

import shutil

import pytest

import lab


@pytest.fixture(scope="session")
def chromium(request):
    reason = lab.unavailable()
    if reason:
        pytest.skip(reason)
    browser = lab.launch(request.getfixturevalue("playwright_driver"))  # tests/conftest.py
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def lab_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lab")
    for notebook in sorted((lab.ROOT / "notebooks").glob("*.ipynb")):
        shutil.copy(notebook, folder / notebook.name)
    return folder


@pytest.fixture(scope="session")
def lab_url(chromium, lab_folder):
    with lab.lab_server(lab_folder) as base:
        yield base


@pytest.fixture()
def page(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()
