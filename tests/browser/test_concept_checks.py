"""Concept checks in the static book (_ext/concept_checks.py, _static/concept_checks.js): with the
network off and no kernel, a right and a wrong answer get the right feedback and the explanation,
using the keyboard only (Tab, arrow keys, Space, Enter), on every chapter that has questions.

Set BOOK_HTML=<dir> to run against an already built book instead of the session's build."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import reader_checks as rc

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "_ext"))
import concept_checks as cc  # noqa: E402

STEMS = sorted(p.stem for p in (ROOT / "book" / "concept_checks").glob("*.yml"))


@pytest.fixture(scope="module")
def site(request):
    html = os.environ.get("BOOK_HTML")
    if html:
        with rc.serve(Path(html)) as base:
            yield base, Path(html)
    else:
        built = request.getfixturevalue("built_book")
        yield request.getfixturevalue("book_server"), built.html


@pytest.fixture
def page(browser, site):
    blocked: list[str] = []
    context = rc.new_context(browser, blocked, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
    assert not blocked, f"requests left the machine: {blocked[:5]}"


def _open(page, site, stem):
    base, html = site
    if not (html / "book" / f"{stem}.html").exists():
        pytest.skip(f"{stem} is not in this build")
    page.goto(base + f"book/{stem}.html", wait_until="load")
    page.wait_for_selector(".cc-item")


def _focus_first_control(page, item_id):
    """Start from the question itself; the next Tab goes into its controls."""
    page.evaluate("id => { const el = document.getElementById(id); el.tabIndex = -1; el.focus(); }", item_id)
    page.keyboard.press("Tab")


def _tab_to(page, selector, item_id, limit=25):
    for _ in range(limit):
        if page.evaluate(f"() => document.activeElement.matches('#{item_id} {selector}')"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector} in {item_id}")


def _answer_by_keyboard(page, item_id, kind, answer):
    _focus_first_control(page, item_id)
    if kind == "choice":
        # Tab lands on the group's radio button (the checked one, if any); Space checks it and the
        # arrow keys move the choice, wrapping around.
        # (MathJax makes each formula focusable too, so Tab may first stop on the question's math.)
        _tab_to(page, "input[type=radio]", item_id)
        page.keyboard.press("Space")
        n = page.locator(f"#{item_id} input[type=radio]").count()
        for _ in range(n):
            if int(page.evaluate(f"() => document.querySelector('#{item_id} input:checked').value")) == answer:
                break
            page.keyboard.press("ArrowDown")
        assert int(page.evaluate(f"() => document.querySelector('#{item_id} input:checked').value")) == answer
        _tab_to(page, ".cc-check", item_id)
        page.keyboard.press("Enter")
    else:
        _tab_to(page, "input[type=text]", item_id)
        page.keyboard.type(str(answer))
        page.keyboard.press("Enter")  # Enter in the field checks it


def _feedback(page, item_id):
    return page.evaluate(f"""() => {{
        const item = document.getElementById('{item_id}');
        return {{text: item.querySelector('.cc-feedback').textContent,
                 cls: item.className, explain: !item.querySelector('.cc-explain').hidden}};
    }}""")


@pytest.mark.parametrize("stem", STEMS)
def test_right_and_wrong_answers_by_keyboard(page, site, stem):
    _open(page, site, stem)
    items = cc.load_items(ROOT / "book" / "concept_checks" / f"{stem}.yml")
    assert page.locator(".cc-item").count() == len(items)
    assert page.locator("#check-your-understanding").count() == 1
    for i, item in enumerate(items, 1):
        item_id = f"cc-{stem}-{i}"
        if "choices" in item:
            right, wrong = item["answer"], (item["answer"] + 1) % len(item["choices"])
            kind = "choice"
        else:
            right, wrong = item["number"], item["number"] + 10 * item["tolerance"] + 1
            kind = "number"
        _answer_by_keyboard(page, item_id, kind, wrong)
        fb = _feedback(page, item_id)
        assert "Not quite" in fb["text"] and "cc-wrong" in fb["cls"] and fb["explain"], (item_id, fb)
        if kind == "number":
            page.fill(f"#{item_id}-input", "")
            page.focus(f"#{item_id}-input")
            page.keyboard.type(repr(right))
            page.keyboard.press("Enter")
        else:
            _answer_by_keyboard(page, item_id, kind, right)
        fb = _feedback(page, item_id)
        assert fb["text"].startswith("Correct") and "cc-right" in fb["cls"] and fb["explain"], (item_id, fb)


def test_check_without_answer_asks_for_one(page, site):
    _open(page, site, STEMS[0])
    page.focus(f"#cc-{STEMS[0]}-1 .cc-check")
    page.keyboard.press("Enter")
    fb = _feedback(page, f"cc-{STEMS[0]}-1")
    assert "first" in fb["text"] and not fb["explain"]


def test_section_sits_before_the_references(page, site):
    _open(page, site, STEMS[0])
    order = page.evaluate("""() => Array.from(document.querySelectorAll('section[id]'))
                              .map(s => s.id).filter(id => ['check-your-understanding', 'references'].includes(id))""")
    assert order == ["check-your-understanding", "references"]
