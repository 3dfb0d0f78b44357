"""Fixtures of the browser checks: one headless Chromium per session, the built book served
on 127.0.0.1, and every TOC page visited once (network off) with all checks recorded."""

from __future__ import annotations

import pytest

import reader_checks as rc


@pytest.fixture(scope="session")
def browser(request):
    reason = rc.browser_unavailable()
    if reason:
        pytest.skip(reason)
    browser = rc.launch(request.getfixturevalue("playwright_driver"))
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def book_server(built_book):
    if not (built_book.html / "index.html").exists():
        pytest.fail(f"the book did not build (no {built_book.html}/index.html):\n{built_book.log[-3000:]}")
    with rc.serve(built_book.html) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def page_audits(browser, book_server, built_book):
    """{toc entry: {check: problems}}, filled lazily: each page is visited once."""
    cache: dict[str, dict[str, list[str]]] = {}

    def audit(entry: str) -> dict[str, list[str]]:
        if entry not in cache:
            from book_files import source_of

            page_file = built_book.html / (entry + ".html")
            if not page_file.exists():
                pytest.fail(f"no built page for TOC entry {entry} ({page_file})")
            blocked: list[str] = []
            context = rc.new_context(browser, blocked, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            rec = rc.Recorder().attach(page)
            try:
                cache[entry] = rc.audit(page, book_server + entry + ".html", book_server, built_book.html,
                                        rec, blocked, rc.source_has_math(source_of(entry)))
            finally:
                context.close()
        return cache[entry]

    return audit

