"""The kernel-free explorers of the built book, driven in headless Chromium with the network
off: every control of every explorer is moved with the keyboard, every view is shown, and a
page's first load stays light. A copy of a page with a view removed and a view file missing
shows that the checks fail.

Set INITLAB_BOOK_HTML=<dir> to check an already built book (e.g. `jupyter-book build .
--path-output /tmp/b` gives /tmp/b/_build/html) instead of building it here.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import explorer_checks as ec
import reader_checks as rc
from book_files import source_of, toc_files

#: A page's own first load (HTML, figures, explorers' starting views) must stay below this.
FIRST_LOAD_LIMIT = 3_000_000
#: Switching to an already fetched view (median, Chromium).
SWITCH_LIMIT_MS = 50


@pytest.fixture(scope="module")
def book_html(request) -> Path:
    given = os.environ.get("INITLAB_BOOK_HTML")
    if given:
        return Path(given)
    built = request.getfixturevalue("built_book")
    if not (built.html / "index.html").exists():
        pytest.fail(f"the book did not build:\n{built.log[-3000:]}")
    return built.html


@pytest.fixture(scope="module")
def server(book_html):
    with rc.serve(book_html) as base_url:
        yield base_url


def _visit(browser, url, fn):
    blocked: list[str] = []
    context = rc.new_context(browser, blocked, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    rec = rc.Recorder().attach(page)
    try:
        page.goto(url, wait_until="load")
        result = fn(page)
        page.wait_for_timeout(100)
    finally:
        context.close()
    return result, rc.check_console(rec) + rc.check_requests(rec, blocked)


def _has_explorer(path: Path) -> bool:
    return path.exists() and "data-initlab-explorer" in path.read_text(errors="replace")


def _entries_with_explorers() -> list[str]:
    """TOC pages whose source shows an explorer (a call of an initlab.widgets *_explorer)."""
    return [e for e in toc_files() if source_of(e).suffix == ".ipynb"
            and re.search(r"\b\w+_explorer\(\)", source_of(e).read_text())]


@pytest.mark.parametrize("entry", _entries_with_explorers())
def test_every_control_of_every_explorer_changes_image_alt_and_caption(browser, server, book_html, entry):
    page_file = book_html / (entry + ".html")
    assert _has_explorer(page_file), f"{entry} shows an explorer in its source but none in {page_file}"
    result, page_problems = _visit(browser, server + entry + ".html", lambda p: ec.exercise(p, entry))
    problems = result["problems"] + page_problems
    assert result["explorers"] == page_file.read_text().count('data-initlab-explorer="1"')
    assert not problems, f"{entry}:\n  " + "\n  ".join(problems)
    assert result["median_ms"] <= SWITCH_LIMIT_MS, result


def test_the_book_has_explorers(book_html):
    pages = [e for e in toc_files() if _has_explorer(book_html / (e + ".html"))]
    assert pages, "no page of the built book has a kernel-free explorer"


@pytest.mark.parametrize("entry", toc_files())
def test_first_load_stays_light_and_fetches_only_starting_views(browser, server, book_html, entry):
    page_file = book_html / (entry + ".html")
    weights, problems = _visit(browser, server + entry + ".html",
                               lambda p: ec.first_load(p, server + entry + ".html"))
    assert not problems, problems
    assert weights["own"] <= FIRST_LOAD_LIMIT, weights
    assert weights["explorer_views"] == page_file.read_text(errors="replace").count("data-initial="), weights


# -- the checks can fail ------------------------------------------------------------------

@pytest.fixture(scope="module")
def broken_explorer_page(book_html, tmp_path_factory):
    """The built book as symlinks, plus a copy of the page with the most explorer views, in
    which one view points at a missing file and (if there is a third view) another is deleted."""
    pages = [e for e in toc_files() if _has_explorer(book_html / (e + ".html"))]
    entry = max(pages, key=lambda e: (book_html / (e + ".html")).read_text().count("data-src="),
                default=None)
    if entry is None:
        pytest.skip("no explorer in the built book")
    original = (book_html / (entry + ".html")).read_text()
    figures = re.findall(r'<figure class="initlab-explorer-view" data-key="([^"]+)" hidden.*?</figure>',
                         original, flags=re.S)
    site = tmp_path_factory.mktemp("broken-explorer")
    rc.link_tree(book_html, site)
    folder = entry.rsplit("/", 1)[0]
    (site / folder / "_explorer_intact.html").write_text(original)
    broken = original
    # one view points at a file that does not exist
    first = re.search(r'(<figure class="initlab-explorer-view" data-key="[^"]+" hidden[^>]*>'
                      r'<img class="initlab-explorer-img" data-src=")([^"]+)"', broken)
    broken = broken[:first.start(2)] + "../_images/explorers/no-such-view.png" + broken[first.end(2):]
    missing_file_key = re.search(r'data-key="([^"]+)"', first.group(1)).group(1)
    # another view is not in the page at all (only when the explorer has a third view)
    removed_key = None
    others = [k for k in figures if k != missing_file_key]
    if others:
        removed_key = others[0]
        broken = re.sub(r'<figure class="initlab-explorer-view" data-key="%s" hidden.*?</figure>'
                        % re.escape(removed_key), "", broken, count=1, flags=re.S)
    (site / folder / "_explorer_broken.html").write_text(broken)
    with rc.serve(site) as base_url:
        yield base_url + folder + "/", missing_file_key, removed_key


def test_intact_copy_passes_the_explorer_checks(browser, broken_explorer_page):
    base, _, _ = broken_explorer_page
    result, problems = _visit(browser, base + "_explorer_intact.html", lambda p: ec.exercise(p, "intact"))
    assert not result["problems"] + problems


def test_missing_view_and_missing_view_file_are_reported(browser, broken_explorer_page):
    base, missing_file_key, removed_key = broken_explorer_page
    result, problems = _visit(browser, base + "_explorer_broken.html", lambda p: ec.exercise(p, "broken"))
    found = result["problems"] + problems
    assert any(f"view {missing_file_key} did not load" in p for p in found), found
    assert any("no-such-view.png" in p and "404" in p for p in problems), problems
    if removed_key is not None:
        assert any(f"setting {removed_key} shows view" in p for p in found), found
        assert any("no pre-rendered view for setting " + removed_key in p for p in problems), problems
