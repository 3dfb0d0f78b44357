"""The reading form (``_ext/reader_form.py``): each MyST feature the chapters may use becomes
plain Markdown, anything else fails loudly, and ``notebooks/`` matches ``book/``."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "_ext"))

import reader_form as rf  # noqa: E402
import reader_links  # noqa: E402

RAW_MARKUP = re.compile(r"\{(glue|cite|exercise|solution|prf|admonition|note|tip|warning|ref|numref|doc|bibliography)[:}]")


@pytest.fixture(scope="module")
def bib():
    return rf.Bibliography.load()


def ctx(bib, glue=None, **kw):
    return rf.Context("test.ipynb", glue or {}, bib, **kw)


def notebook(tmp_path, *cells) -> Path:
    nb = {"cells": [{"cell_type": kind, "metadata": {"tags": tags} if tags else {}, "source": text,
                     **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                    for kind, text, tags in cells],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "99_test.ipynb"
    path.write_text(json.dumps(nb))
    return path


def test_glue_is_formatted_as_myst_nb_does(bib):
    c = ctx(bib, {"x": "0.123456", "n": "200", "p": "0.875", "s": "'text'"})
    assert rf.convert_inline("a {glue:text}`x:.3f` b {glue:text}`n` c {glue:text}`p:.0%` "
                             "{glue:text}`s`", c) == "a 0.123 b 200 c 88% text"


def test_missing_glue_value_fails(bib):
    with pytest.raises(rf.ReaderFormError, match="no value glued"):
        rf.convert_inline("{glue:text}`missing:.2f`", ctx(bib))


def test_code_spans_keep_their_markup(bib):
    text = "write ``{glue:text}`name` `` or `{cite:p}` literally"
    assert rf.convert_inline(text, ctx(bib)) == text


def test_citations_become_author_year_text(bib):
    c = ctx(bib, keyprefix="ch5-")
    assert rf.convert_inline("{cite:p}`ch5-lecun1998efficient,ch5-glorot2010understanding`", c) == \
        "(LeCun et al., 1998; Glorot and Bengio, 2010)"
    assert rf.convert_inline("{cite:t}`ch5-he2015delving`", c) == "He et al. (2015)"
    assert c.cited == ["lecun1998efficient", "glorot2010understanding", "he2015delving"]
    with pytest.raises(rf.ReaderFormError, match="not in references.bib"):
        rf.convert_inline("{cite:p}`ch5-nobody2099`", c)


def test_unknown_role_or_directive_fails(bib):
    with pytest.raises(rf.ReaderFormError, match="role {math}"):
        rf.convert_markdown("{math}`x`", ctx(bib))
    with pytest.raises(rf.ReaderFormError, match="directive {figure}"):
        rf.convert_markdown("```{figure} a.png\n```", ctx(bib))
    with pytest.raises(rf.ReaderFormError, match="options"):
        rf.convert_markdown("```{note}\n:class: dropdown\n\nx\n```", ctx(bib))
    with pytest.raises(rf.ReaderFormError, match="never closed"):
        rf.convert_markdown("````{exercise}\nx\n```", ctx(bib))


def test_admonitions_become_titled_quotes(bib):
    out = rf.convert_markdown("```{admonition} Key formulas\n:class: tip\n\n$a = b$\n```\n\n"
                              "```{warning}\nCareful.\n```", ctx(bib))
    assert "> **Key formulas**\n>\n> $a = b$" in out
    assert "> **⚠ Warning**\n>\n> Careful." in out
    assert "```" not in out


def test_a_chapter_converts_end_to_end(tmp_path, bib, monkeypatch):
    monkeypatch.setattr(rf, "CONCEPT_CHECKS", tmp_path)
    (tmp_path / "99_test.yml").write_text(
        "- question: Which start keeps the units tied?\n  choices: [random, constant]\n  answer: 1\n"
        "  explain: Equal units get equal updates.\n"
        "- question: How many units survive?\n  number: 1\n  tolerance: 0\n  explain: One copy.\n")
    path = notebook(
        tmp_path,
        ("code", "import sys\nif 'google.colab' in sys.modules: pass", ["remove-cell"]),
        ("markdown", "# Title\n\nSee {prf:ref}`t-1` and {ref}`the exercise <ex-1>`.", None),
        ("markdown", "```{prf:theorem} Tied units\n:label: t-1\n\nThey stay tied.\n```\n\n"
                     "```{prf:proof}\nBy induction.\n```", None),
        ("code", "assert True", ["remove-cell"]),
        ("markdown", "```{exercise}\n:label: ex-1\n\nCount them: {glue:text}`k`.\n```\n\n"
                     "````{solution} ex-1\n:class: dropdown\n\nOne.\n\n```python\nprint(1)\n```\n````", None),
        ("markdown", "````{exercise}\n:label: ex-2\n\nTrain it.\n````\n\n"
                     "````{solution-start} ex-2\n:class: dropdown\n````\n\nFirst part.", None),
        ("code", "x = 1", None),
        ("markdown", "Second part.\n\n````{solution-end}\n````\n\n## References\n\n"
                     "```{bibliography}\n:filter: docname in docnames\n:keyprefix: t-\n```\n\n"
                     "Cited: {cite:t}`t-he2015delving`.", None),
        ("markdown", "hidden", ["remove-cell"]),
    )
    nb = rf.reader_notebook(path, {"k": "3"}, bib)
    markdown = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert not RAW_MARKUP.search(markdown), RAW_MARKUP.search(markdown)
    assert "See Theorem 1 and the exercise." in markdown
    assert "> **Theorem 1 (Tied units).** They stay tied." in markdown and "*Proof.* By induction. ∎" in markdown
    assert "#### Exercise 1\n\nCount them: 3." in markdown
    assert "<details>\n<summary><b>Solution to Exercise 1</b>" in markdown and "```python\nprint(1)\n```" in markdown
    assert "Solution to Exercise 2</b>" in markdown and "Solution to Exercise 2 (continued)" in markdown
    assert "- **He et al. (2015).** Kaiming He" in markdown and "Cited: He et al. (2015)." in markdown
    assert "hidden" not in markdown and rf.BOOK_URL_NOTE in markdown
    assert markdown.rstrip().endswith("</details>") and "## Check your understanding" in markdown
    assert "**B. constant** — Equal units get equal updates." in markdown and "**1 (± 0)**" in markdown
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert [("".join(c["source"])) for c in code] == [
        "import sys\nif 'google.colab' in sys.modules: pass", "assert True", "x = 1"]
    assert code[0]["metadata"]["jupyter"]["source_hidden"] and code[1]["metadata"]["jupyter"]["source_hidden"]
    assert code[2]["metadata"]["jupyter"] == {"source_hidden": True, "outputs_hidden": True}  # inside the solution
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)


def test_gated_solution_must_end(tmp_path, bib):
    path = notebook(tmp_path, ("markdown", "```{exercise}\n:label: e\n\nx\n```\n\n"
                                           "````{solution-start} e\n````\n\ny", None))
    with pytest.raises(rf.ReaderFormError, match="without {solution-end}"):
        rf.reader_notebook(path, {}, bib)


# --- the committed reading form --------------------------------------------------------------


@pytest.mark.parametrize("source", rf.chapters(), ids=lambda p: p.name)
def test_reader_notebook_exists_and_reads_clean(source):
    reader = rf.READER_DIR / source.name
    assert reader.exists(), f"{reader} is missing: run `make reader` (after `make book`)"
    nb = json.loads(reader.read_text())
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            found = RAW_MARKUP.search(re.sub(r"`[^`]*`", "", text))
            assert not found, f"{reader.name}: raw MyST {found.group(0)!r} in:\n{text[:300]}"
        else:
            assert cell["outputs"] == [] and cell["execution_count"] is None, reader.name


def test_reader_notebooks_match_the_chapters():
    """notebooks/ is what `make reader` writes from book/ today (numbers included)."""
    bib = rf.Bibliography.load()
    stale = [s.name for s in rf.chapters()
             if not (rf.READER_DIR / s.name).exists() or (rf.READER_DIR / s.name).read_text() != rf.build(s, bib=bib)]
    assert not stale, f"out of date, run `make reader`: {stale}"
    extra = sorted({p.name for p in rf.READER_DIR.glob("*.ipynb")} - {s.name for s in rf.chapters()})
    assert not extra, f"notebooks/ holds reader notebooks of no chapter: {extra}"


# --- the links of the HTML book ----------------------------------------------------------------


def test_launch_and_download_buttons_point_at_the_reading_form(tmp_path):
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "05_scale.ipynb").write_text("{}")
    app = SimpleNamespace(srcdir=str(tmp_path), outdir=str(tmp_path / "html"))
    repo = "https://github.com/o/r"
    context = {"pathto": lambda target, resource=0: "../" + target, "header_buttons": [
        {"type": "group", "label": "download-buttons", "buttons": [
            {"type": "link", "url": "../_sources/book/05_scale.ipynb", "text": ".ipynb"}]},
        {"type": "group", "label": "launch-buttons", "buttons": [
            {"type": "link", "text": "Binder", "url": f"https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/book/05_scale.ipynb"},
            {"type": "link", "text": "Colab", "url": "https://colab.research.google.com/github/o/r/blob/main/book/05_scale.ipynb"},
            {"type": "javascript", "text": "Live Code", "javascript": "initThebeSBT()"}]},
        {"type": "link", "url": repo}]}
    reader_links.point_buttons_at_reader(app, "book/05_scale", "page.html", context, None)
    urls = [b.get("url") for g in context["header_buttons"] for b in g.get("buttons", [g])]
    assert urls == ["../notebooks/05_scale.ipynb",
                    "https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/notebooks/05_scale.ipynb",
                    "https://colab.research.google.com/github/o/r/blob/main/notebooks/05_scale.ipynb",
                    None, repo]
    assert (tmp_path / "html" / "notebooks" / "05_scale.ipynb").read_text() == "{}"
    other = {"pathto": context["pathto"], "header_buttons": [{"type": "link", "url": "x/book/index.md"}]}
    reader_links.point_buttons_at_reader(app, "book/index", "page.html", other, None)
    assert other["header_buttons"][0]["url"] == "x/book/index.md"
