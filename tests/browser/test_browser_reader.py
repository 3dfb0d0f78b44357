"""The built book, checked as a reader sees it: every TOC page in headless Chromium, served
on 127.0.0.1 with the network off (any request to another host is aborted and is a failure).

Each page is visited once (fixture `page_audits`); the tests below report one check each.
"""

from __future__ import annotations

import re

import pytest

import reader_checks as rc
from book_files import toc_files

ENTRIES = toc_files()


def _report(problems: list[str], entry: str, what: str) -> str:
    return f"{entry}: {what}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("entry", ENTRIES)
def test_page_loads_cleanly_offline(page_audits, entry):
    """No console errors (except the theme's first-visit message), no uncaught exceptions,
    no failed requests, no HTTP status >= 400, no request to another host."""
    audit = page_audits(entry)
    problems = audit["console"] + audit["requests"]
    assert not problems, _report(problems, entry, "the page does not load cleanly")


@pytest.mark.parametrize("entry", ENTRIES)
def test_every_equation_is_typeset(page_audits, entry):
    problems = page_audits(entry)["math"]
    assert not problems, _report(problems, entry, "equations not typeset")


@pytest.mark.parametrize("entry", ENTRIES)
def test_every_image_loads_and_has_alt_text(page_audits, entry):
    problems = page_audits(entry)["images"]
    assert not problems, _report(problems, entry, "images")


@pytest.mark.parametrize("entry", ENTRIES)
def test_every_internal_link_and_anchor_resolves(page_audits, entry):
    problems = page_audits(entry)["links"]
    assert not problems, _report(problems, entry, "links")


@pytest.mark.parametrize("entry", ENTRIES)
def test_solutions_hidden_until_toggled(page_audits, entry):
    problems = page_audits(entry)["solutions"]
    assert not problems, _report(problems, entry, "exercise solutions")


@pytest.mark.parametrize("entry", ENTRIES)
def test_explorers_show_their_kernel_free_view(page_audits, entry):
    problems = page_audits(entry)["explorers"]
    assert not problems, _report(problems, entry, "explorers")


def _chapter_word(html_dir) -> str:
    """A word from the title of the last chapter in the TOC (falls back to 'symmetry')."""
    for entry in reversed(ENTRIES):
        page = html_dir / (entry + ".html")
        if entry.endswith("index") or not page.exists():
            continue
        m = re.search(r"<h1[^>]*>(.*?)</h1>", page.read_text(errors="replace"), re.S)
        words = re.findall(r"[A-Za-z]{6,}", re.sub(r"<[^>]+>", " ", m.group(1))) if m else []
        if words:
            return words[-1].lower()
    return "symmetry"


def test_search_finds_words_from_the_chapters(browser, book_server, built_book):
    """Sphinx's search runs in JavaScript: search.html?q=WORD must list pages."""
    blocked: list[str] = []
    context = rc.new_context(browser, blocked)
    page = context.new_page()
    rec = rc.Recorder().attach(page)
    try:
        for word in dict.fromkeys(["symmetry", _chapter_word(built_book.html)]):
            page.goto(f"{book_server}search.html?q={word}", wait_until="load")
            page.wait_for_selector("#search-results .search-summary", timeout=15000)
            hits = page.eval_on_selector_all("#search-results ul.search li a",
                                             "els => els.map(a => a.getAttribute('href'))")
            summary = page.inner_text("#search-results .search-summary")
            assert hits, f"search for {word!r} found nothing ({summary!r})"
            assert any(h.startswith("book/") for h in hits), f"search for {word!r}: {hits}"
    finally:
        context.close()
    problems = rc.check_console(rec) + rc.check_requests(rec, blocked)
    assert not problems, _report(problems, "search.html", "the search page does not load cleanly")
