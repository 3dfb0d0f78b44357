"""The JupyterLab checks can fail: a copy of a chapter's reading form is broken on purpose —
a raw ``{glue:text}`` role in its prose, and an explorer whose controls no longer redraw — and
the same audit must report both."""

from __future__ import annotations

import json

import pytest

import lab

CHAPTER = "00_how_this_book_checks_itself.ipynb"


@pytest.fixture(scope="module")
def broken_audit(lab_url, lab_folder, chromium):
    source = lab.ROOT / "notebooks" / CHAPTER
    if not source.exists():
        pytest.fail(f"notebooks/{CHAPTER} is missing: run `make reader`")
    nb = json.loads(source.read_text())
    markdown = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    markdown["source"] = list(markdown["source"]) + ["\n\nThe layer keeps {glue:text}`pilot_distinct_constant` units.\n"]
    explorer = [c for c in nb["cells"] if c["cell_type"] == "code" and "_explorer(" in "".join(c["source"])]
    assert explorer, "the chapter has no explorer cell to break"
    call = "".join(explorer[-1]["source"]).strip().splitlines()[-1]
    explorer[-1]["source"] = "".join(explorer[-1]["source"]).rsplit(call, 1)[0] + f"_broken = {call}\n_broken"
    # once displayed, the explorer's controls lose their redraw callback
    nb["cells"].insert(nb["cells"].index(explorer[-1]) + 1, {
        "cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
        "source": "for _c in _broken.controls.values():\n    _c.unobserve_all()"})
    (lab_folder / "broken.ipynb").write_text(json.dumps(nb))
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        result = lab.audit(page, lab_url, "broken.ipynb", redraw_timeout=5.0)
        lab.shut_down_kernel(page)
        return result
    finally:
        context.close()


def test_raw_glue_role_is_reported(broken_audit):
    found = broken_audit["problems"]["raw_markup"]
    assert any("{glue:" in p for p in found), broken_audit["problems"]


def test_explorer_that_stops_redrawing_is_reported(broken_audit):
    assert broken_audit["problems"]["explorer_redraw"], broken_audit["problems"]
    assert not broken_audit["problems"]["errors"], broken_audit["problems"]["errors"]
