"""Print handouts (tools/handouts.py, `make pdf`): one PDF per TOC chapter from the built book,
offline; the extracted text has no raw TeX or MyST markup and no solutions, and every figure the
printed page shows is in the PDF. Set BOOK_HTML=<dir> to use an already built book."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

import reader_checks as rc

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import handouts  # noqa: E402
from assignments import toc_chapters  # noqa: E402

RAW = [
    (r"\\(?:frac|mathbb|mathcal|sqrt|operatorname|partial|delta|ell|sum|left|right|begin|end|text)\b", "raw TeX"),
    (r"\$\$|\\\(|\\\)|\\\[|\\\]", "TeX delimiters"),
    (r"\{(?:glue|cite|ref|numref|doc|prf|eval)[:}]", "a MyST role"),
    (r"\{(?:exercise|solution|admonition|bibliography|glossary|figure|note|tip|warning)\}", "a MyST directive"),
    (r"```|~~~|^:(?:label|class|filter|keyprefix):", "MyST fences or options"),
]


@pytest.fixture(scope="module")
def html_dir(request):
    html = os.environ.get("BOOK_HTML")
    if html:
        return Path(html)
    if rc.browser_unavailable():
        pytest.skip(rc.browser_unavailable())
    return request.getfixturevalue("built_book").html


@pytest.fixture(scope="module")
def pdfs(html_dir, tmp_path_factory, browser):
    stems = [s for s in toc_chapters() if (html_dir / "book" / f"{s}.html").exists()]
    out = tmp_path_factory.mktemp("pdf")
    handouts.make_pdfs(html_dir, out, stems, browser)  # the session's Chromium (conftest)
    return out, stems


def _printed_figures(browser, html_dir: Path, stem: str) -> int:
    """Images the page shows when printed (figures and the explorer's selected view)."""
    with rc.serve(html_dir) as base:
        page = browser.new_page()
        page.emulate_media(media="print")
        page.goto(base + f"book/{stem}.html", wait_until="load")
        n = page.evaluate("""() => Array.from(document.querySelectorAll('article img'))
            .filter(i => i.offsetParent !== null && i.naturalWidth > 100).length""")
        page.close()
    return n


def test_a_pdf_for_every_chapter(pdfs):
    out, stems = pdfs
    assert stems, "no chapter page in the build"
    for stem in stems:
        assert (out / f"{stem}.pdf").stat().st_size > 50_000, stem


def test_text_has_no_markup_and_no_solutions(pdfs):
    from pypdf import PdfReader

    out, stems = pdfs
    for stem in stems:
        text = "\n".join(page.extract_text() for page in PdfReader(out / f"{stem}.pdf").pages)
        assert len(text) > 3000, stem
        for pattern, what in RAW:
            found = re.findall(pattern, text, flags=re.M)
            assert not found, f"{stem}.pdf: {what} left in the text: {found[:5]}"
        assert "Solution to" not in text, f"{stem}.pdf contains a solution"
        assert "Exercise" in text and "References" in text


def test_every_figure_is_in_the_pdf(pdfs, html_dir, browser):
    from pypdf import PdfReader

    out, stems = pdfs
    for stem in stems:
        expected = _printed_figures(browser, html_dir, stem)
        images = sum(len(page.images) for page in PdfReader(out / f"{stem}.pdf").pages)
        assert expected >= 3, f"{stem}: only {expected} figures visible in print"
        assert images >= expected, f"{stem}.pdf has {images} images, the printed page shows {expected}"
