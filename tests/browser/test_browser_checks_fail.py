"""Proof that the browser checks can fail: a copy of a built page, broken on purpose, served
beside the real book, must make each checker report its problem (and the intact copy none)."""

from __future__ import annotations

import re

import pytest

import reader_checks as rc
from book_files import toc_files

PNG_1PX = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
           "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

DEFECTS = f"""
<section id="deliberately-broken">
<p>Unparseable: <span class="math notranslate nohighlight">\\(\\frac{{1}}{{\\)</span></p>
<p>Extra brace: <span class="math notranslate nohighlight">\\(x^{{2}}}}\\)</span></p>
<p>Undefined macro: <span class="math notranslate nohighlight">\\(\\foo{{x}}\\)</span></p>
<p>Raw display math never closed: $$\\foo{{ x</p>
<p><img src="no-such-figure.png" alt="A figure that does not exist"></p>
<p><img src="{PNG_1PX}" alt=""></p>
<p><a href="no-such-page.html">dead link</a> <a href="#no-such-anchor">dead anchor</a></p>
<p><img src="https://example.org/remote.png" alt="A figure from another site"></p>
<div class="initlab-explorer"><figure class="initlab-explorer-view">
  <img src="no-such-view.png" alt="A view that does not exist"></figure></div>
<div class="solution admonition" id="always-open-solution">
  <p class="admonition-title">Solution to Exercise 99</p>
  <section><p>This solution is shown before anyone asks for it.</p></section></div>
<script>console.error("deliberate console error");</script>
</section>
"""


@pytest.fixture(scope="module")
def broken_site(built_book, tmp_path_factory):
    """The built book as symlinks, plus book/_intact.html (a copy of the first TOC page) and
    book/_broken.html (the same page with DEFECTS injected at the top of the article)."""
    site = tmp_path_factory.mktemp("broken-site")
    rc.link_tree(built_book.html, site)
    entry = toc_files()[0]
    original = (built_book.html / (entry + ".html")).read_text()
    assert '<article class="bd-article">' in original, "the theme's markup changed: update DEFECTS"
    folder = site / entry.rsplit("/", 1)[0]
    (folder / "_intact.html").write_text(original)
    (folder / "_broken.html").write_text(
        original.replace('<article class="bd-article">', '<article class="bd-article">' + DEFECTS, 1))
    # The same page with MathJax unavailable (its script pointing at a CDN, as by default).
    (folder / "_no_mathjax.html").write_text(
        re.sub(r'src="[^"]*mathjax/tex-chtml\.js"',
               'src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"', original))
    with rc.serve(site) as base_url:
        yield site, base_url, entry.rsplit("/", 1)[0] + "/"


def _audit(browser, broken_site, name):
    site, base_url, folder = broken_site
    blocked: list[str] = []
    context = rc.new_context(browser, blocked)
    page = context.new_page()
    rec = rc.Recorder().attach(page)
    try:
        return rc.audit(page, base_url + folder + name, base_url, site, rec, blocked, expect_math=True)
    finally:
        context.close()


@pytest.fixture(scope="module")
def intact(browser, broken_site):
    return _audit(browser, broken_site, "_intact.html")


@pytest.fixture(scope="module")
def broken(browser, broken_site, intact):
    """Problems of the broken copy that the intact copy does not have (so a fault of the real
    page, which the real tests report anyway, cannot make a proof pass or fail)."""
    result = _audit(browser, broken_site, "_broken.html")
    return {check: [p for p in problems if p not in intact[check]] for check, problems in result.items()}


def _has(problems, *needles):
    return any(all(n in p for n in needles) for p in problems)


def test_intact_copy_has_none_of_the_injected_problems(intact):
    injected = ("frac{1}", "x^{2}}", "foo", "$$", "no-such", "example.org", "without alt",
                "always-open-solution", "deliberate console error")
    found = [p for problems in intact.values() for p in problems if any(n in p for n in injected)]
    assert not found, found


def test_unparseable_equation_is_reported(broken):
    # \(\frac{1}{\) has no closing delimiter outside braces: MathJax leaves it as raw TeX
    assert _has(broken["math"], "equation left as TeX", "\\frac{1}{"), broken["math"]
    # \(x^{2}}\) is found but does not parse: MathJax shows an error box
    assert _has(broken["math"], "MathJax could not typeset", "x^{2}}"), broken["math"]


def test_undefined_macro_is_reported(broken):
    assert _has(broken["math"], "undefined TeX macro", "foo"), broken["math"]


def test_raw_tex_left_in_text_is_reported(broken):
    assert _has(broken["math"], "raw TeX delimiter", "$$"), broken["math"]


def test_missing_image_is_reported(broken):
    assert _has(broken["images"], "did not load", "no-such-figure.png"), broken["images"]
    assert _has(broken["requests"], "no-such-figure.png", "404"), broken["requests"]


def test_image_without_alt_text_is_reported(broken):
    assert _has(broken["images"], "without alt text", "data:image/png"), broken["images"]


def test_request_to_another_site_is_blocked_and_reported(broken):
    assert _has(broken["requests"], "another site", "example.org"), broken["requests"]


def test_dead_link_and_anchor_are_reported(broken):
    assert _has(broken["links"], "broken link", "no-such-page.html"), broken["links"]
    assert _has(broken["links"], "broken anchor", "no-such-anchor"), broken["links"]


def test_explorer_without_its_view_is_reported(broken):
    assert _has(broken["explorers"], "explorer 1", "no loaded image"), broken["explorers"]


def test_solution_shown_before_toggle_is_reported(broken):
    assert _has(broken["solutions"], "always-open-solution", "visible before"), broken["solutions"]


def test_console_error_is_reported(broken):
    assert _has(broken["console"], "deliberate console error"), broken["console"]


def test_mathjax_missing_is_reported(browser, broken_site, intact):
    result = _audit(browser, broken_site, "_no_mathjax.html")
    result = {check: [p for p in problems if p not in intact[check]] for check, problems in result.items()}
    assert _has(result["math"], "MathJax never started"), result["math"]
    assert _has(result["math"], "equation left as TeX") or _has(result["math"], "raw TeX"), result["math"]
    assert _has(result["math"], "no typeset equation"), result["math"]
    assert _has(result["requests"], "another site", "cdn.jsdelivr.net"), result["requests"]
