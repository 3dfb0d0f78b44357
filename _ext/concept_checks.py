"""Sphinx extension: "Check your understanding" questions on each chapter's page, answered and
checked in the browser without a kernel.

The questions of chapter ``book/NN_topic.ipynb`` live in ``book/concept_checks/NN_topic.yml``: a
YAML list of items, each with ``question`` (Markdown, may contain ``$math$``), either ``choices``
(list of strings) + ``answer`` (0-based index) or ``number`` + ``tolerance`` (absolute), and
``explain`` (Markdown). The section is inserted before the page's "References" section (at the end
if there is none). Checking is done by ``_static/concept_checks.js``; the markup is plain form
controls (radio buttons in a fieldset, a text field, a button), so the keyboard works as usual.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import yaml
from docutils import nodes
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin

CHECKS_DIR = Path("book") / "concept_checks"
TITLE = "Check your understanding"


class ConceptCheckError(ValueError):
    pass


def load_items(path: Path) -> list[dict]:
    """Read and validate one concept-check file; raise ConceptCheckError naming the problem."""
    items = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(items, list) or not items:
        raise ConceptCheckError(f"{path}: expected a non-empty YAML list of questions")
    for i, item in enumerate(items, 1):
        where = f"{path}, item {i}"
        if not isinstance(item, dict):
            raise ConceptCheckError(f"{where}: expected a mapping")
        keys = set(item)
        if {"choices", "answer"} <= keys:
            kind, allowed = "choice", {"question", "choices", "answer", "explain"}
            choices = item["choices"]
            if not isinstance(choices, list) or len(choices) < 2 or not all(isinstance(c, str) for c in choices):
                raise ConceptCheckError(f"{where}: 'choices' must be a list of at least two strings")
            answer = item["answer"]
            if not isinstance(answer, int) or isinstance(answer, bool) or not 0 <= answer < len(choices):
                raise ConceptCheckError(f"{where}: 'answer' must be a 0-based index into 'choices', got {answer!r}")
        elif {"number", "tolerance"} <= keys:
            kind, allowed = "number", {"question", "number", "tolerance", "explain"}
            for key in ("number", "tolerance"):
                value = item[key]
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                    raise ConceptCheckError(f"{where}: {key!r} must be a finite number, got {value!r}")
            if item["tolerance"] <= 0:
                raise ConceptCheckError(f"{where}: 'tolerance' must be > 0 (absolute), got {item['tolerance']!r}")
        else:
            raise ConceptCheckError(f"{where}: give either 'choices' + 'answer' or 'number' + 'tolerance'")
        missing = {"question", "explain"} - keys
        if missing:
            raise ConceptCheckError(f"{where}: missing {sorted(missing)}")
        if keys - allowed:
            raise ConceptCheckError(f"{where}: unknown keys {sorted(keys - allowed)} for a {kind} question")
        for key in ("question", "explain"):
            if not isinstance(item[key], str) or not item[key].strip():
                raise ConceptCheckError(f"{where}: {key!r} must be non-empty Markdown text")
    return items


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).use(dollarmath_plugin)
    # The same markup Sphinx writes for math, so the page's (offline) MathJax typesets it.
    md.add_render_rule("math_inline", lambda self, tokens, idx, options, env:
                       '<span class="math notranslate nohighlight">\\(' + html.escape(tokens[idx].content) + "\\)</span>")
    md.add_render_rule("math_block", lambda self, tokens, idx, options, env:
                       '<div class="math notranslate nohighlight">\\[' + html.escape(tokens[idx].content) + "\\]</div>")
    return md


def render_markdown(text: str, inline: bool = False) -> str:
    md = _markdown()
    return md.renderInline(text) if inline else md.render(text)


def render_items(items: list[dict], prefix: str) -> str:
    """The HTML of the questions (without the section title)."""
    out = ['<div class="concept-checks">']
    for i, item in enumerate(items, 1):
        qid = f"cc-{prefix}-{i}"
        question = render_markdown(item["question"])
        explain = render_markdown(item["explain"])
        if "choices" in item:
            out.append(f'<div class="cc-item" id="{qid}" data-kind="choice" data-answer="{int(item["answer"])}">')
            out.append(f'<fieldset><legend><span class="cc-number-label">Question {i}.</span> '
                       f'<span class="cc-question">{question}</span></legend>')
            for k, choice in enumerate(item["choices"]):
                out.append(f'<label class="cc-choice"><input type="radio" name="{qid}" value="{k}"> '
                           f'<span>{render_markdown(choice, inline=True)}</span></label>')
            out.append("</fieldset>")
        else:
            out.append(f'<div class="cc-item" id="{qid}" data-kind="number" data-answer="{float(item["number"])!r}" '
                       f'data-tolerance="{float(item["tolerance"])!r}">')
            out.append(f'<div class="cc-legend"><span class="cc-number-label">Question {i}.</span> '
                       f'<span class="cc-question">{question}</span></div>')
            out.append(f'<label class="cc-number-field">Your answer: <input type="text" inputmode="decimal" '
                       f'autocomplete="off" id="{qid}-input" name="{qid}"></label>')
        out.append('<button type="button" class="cc-check">Check</button>')
        out.append('<div class="cc-feedback" role="status" aria-live="polite"></div>')
        out.append(f'<div class="cc-explain" hidden>{explain}</div>')
        out.append("</div>")
    out.append("</div>")
    return "\n".join(out)


def checks_file(app, docname: str) -> Path | None:
    path = Path(app.srcdir) / CHECKS_DIR / (Path(docname).name + ".yml")
    return path if path.exists() else None


def _references_section(doctree):
    for section in doctree.findall(nodes.section):
        title = section.next_node(nodes.title)
        if title is not None and title.astext().strip() == "References":
            return section
    return None


def insert_checks(app, doctree):
    docname = app.env.docname
    path = checks_file(app, docname)
    if path is None:
        return
    app.env.note_dependency(str(path))
    items = load_items(path)
    section = nodes.section(ids=["check-your-understanding"], names=["check your understanding"], classes=["cc-section"])
    section += nodes.title(TITLE, TITLE)
    section += nodes.paragraph(text="Answer in the page: nothing is sent anywhere, and no kernel is needed.",
                               classes=["cc-intro"])
    section += nodes.raw("", render_items(items, Path(docname).name), format="html")
    # The chapter's self-grading assignment and print handout are listed in the instructor guide.
    stem = Path(docname).name
    if (Path(app.srcdir) / "book" / "instructors.md").exists():
        note = nodes.paragraph(classes=["cc-instructors"])
        note += nodes.Text("For instructors: this chapter's self-grading assignment, grading rubric and print "
                           "handout are in the ")
        note += nodes.reference("", "", nodes.Text("instructor guide"), internal=True,
                                refuri=f"instructors.html#guide-{stem.replace('_', '-')}")
        note += nodes.Text(".")
        section += note
    refs = _references_section(doctree)
    if refs is not None:
        refs.parent.insert(refs.parent.index(refs), section)
    else:
        top = doctree.next_node(nodes.section) or doctree
        top += section


def setup(app):
    # Before the TOC collector (priority 500), so the new section appears in the page's contents.
    app.connect("doctree-read", insert_checks, priority=400)
    # _static/concept_checks.js and .css are added to every page by Jupyter Book (it links each
    # file of _static/); the script does nothing on a page without questions.
    return {"parallel_read_safe": True, "parallel_write_safe": True}
