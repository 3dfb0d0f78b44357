"""Every chapter's reading form in a real JupyterLab: opened, all cells run, then checked as a
reader would see it — no error output, no raw MyST markup in the prose, every explorer with its
controls and picture, and moving one control of each explorer redraws its picture."""

from __future__ import annotations

import sys
import time

import pytest

import lab

sys.path.insert(0, str(lab.ROOT / "_ext"))
import reader_form  # noqa: E402

CHAPTERS = [p.name for p in reader_form.chapters()]


@pytest.fixture(scope="module")
def audits(lab_url, chromium, lab_folder):
    cache = {}

    def run(name):
        if name not in cache:
            if not (lab_folder / name).exists():
                pytest.fail(f"notebooks/{name} is missing: run `make reader`")
            context = chromium.new_context(viewport={"width": 1400, "height": 1000})
            try:
                page = context.new_page()
                start = time.perf_counter()
                cache[name] = lab.audit(page, lab_url, name)
                lab.shut_down_kernel(page)
                print(f"\n{name}: {time.perf_counter() - start:.0f} s, {cache[name]['explorers']} explorer(s), "
                      f"redraws {cache[name]['redraws']}, problems "
                      f"{ {k: len(v) for k, v in cache[name]['problems'].items()} }", file=sys.stderr)
            finally:
                context.close()
        return cache[name]

    return run


@pytest.mark.parametrize("name", CHAPTERS)
@pytest.mark.parametrize("check", ["errors", "raw_markup", "explorer_controls", "explorer_redraw"])
def test_chapter_in_jupyterlab(audits, name, check):
    result = audits(name)
    assert not result["problems"][check], "\n".join(result["problems"][check])


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_shows_an_explorer(audits, name):
    assert audits(name)["explorers"] >= 1, f"{name}: no explorer on screen"
