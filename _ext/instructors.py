"""Sphinx extension for the instructor pages, generated from the chapters themselves at build time.

* ``{chapter-dependencies}``: an inline SVG of the chapters and their prerequisites, read from each
  chapter's ``**Prerequisites.**`` line (links to ``NN_*.ipynb`` and "Chapter N"); no CDN, no
  JavaScript; a text list of the same edges follows it for screen readers and print.
* ``{chapter-guide}``: one section per numbered chapter of _toc.yml: time (reading, measured from
  the chapter's word count, plus the exercises' time from its assignment spec), prerequisites,
  learning objectives (the chapter's own list), misconceptions it targets (its "Common
  misconception" callout, else the spec's list), the suggested assignment with its student
  notebook, autograder bundle and handout links, the concept checks, and a grading rubric.
* Glossary links: in every numbered chapter, the first occurrence of each term defined by the
  ``{glossary}`` of book/glossary becomes a link to its entry (HTML builders only; the chapters'
  sources are not touched).
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

from book_toc import markdown_cells, numbered_chapters

READING_WPM = 100  # words per minute for technical prose with formulas (a careful first reading)
GLOSSARY_DOC = "book/glossary"


# ---------------------------------------------------------------- reading the chapters


def _paragraph_after(text: str, marker: str) -> str:
    i = text.find(marker)
    if i < 0:
        return ""
    rest = text[i + len(marker):]
    return re.split(r"\n\s*\n", rest, maxsplit=1)[0].strip()


def chapter_info(srcdir: Path, stem: str) -> dict:
    cells = markdown_cells(srcdir, stem)
    text = "\n\n".join(cells)
    title = next((m.group(1).strip() for c in cells for m in [re.search(r"^# (.+)$", c, re.M)] if m), stem)
    prereq = _paragraph_after(text, "**Prerequisites.**")
    needs = {int(n) for n in re.findall(r"\((\d\d)_\w+\.ipynb\)", prereq)}
    for group in re.findall(r"[Cc]hapters? ((?:\d+(?:,\s*|\s+and\s+|\s+or\s+|–|-)?)+)", prereq):
        needs |= {int(n) for n in re.findall(r"\d+", group)}
    number = int(stem[:2])
    needs.discard(number)
    needs.discard(0)  # "How this book checks itself" is the pilot page, not a chapter
    objectives = ""
    i = text.find("**Learning objectives.**")
    if i >= 0:
        block = re.split(r"\*\*Prerequisites\.\*\*|\n#", text[i + len("**Learning objectives.**"):], maxsplit=1)[0]
        objectives = "\n".join(l for l in block.strip().split("\n") if l.startswith(("-", "*", " ", "1")) or not l.strip()).strip()
    misconception = ""
    m = re.search(r"(`{3,}|:{3,})\{admonition\} Common misconception\s*\n(.*?)\n\1", text, re.S)
    if m:
        misconception = "\n".join(l for l in m.group(2).split("\n") if not l.startswith(":")).strip()
    # Reading time: the prose before the exercises (words of Markdown, formulas count as words).
    body = text.split("## Exercises")[0]
    words = len(re.findall(r"\S+", re.sub(r"\{[\w:-]+\}`[^`]*`", "x", body)))
    minutes = re.search(r"About (\d+) minutes", text)
    exercises = re.findall(r":label: (ch\d+-ex-[\w-]+)", text)
    return {"stem": stem, "number": number, "title": title, "prereq_text": prereq, "needs": sorted(needs),
            "objectives": objectives, "misconception": misconception, "words": words,
            "reading": 5 * math.ceil(words / READING_WPM / 5),
            "stated_minutes": int(minutes.group(1)) if minutes else None, "exercises": exercises}


def spec(srcdir: Path, stem: str) -> dict:
    path = srcdir / "book" / "assignments" / f"{stem}.yml"
    return yaml.safe_load(path.read_text()) if path.exists() else {}


def concept_count(srcdir: Path, stem: str) -> int:
    path = srcdir / "book" / "concept_checks" / f"{stem}.yml"
    return len(yaml.safe_load(path.read_text()) or []) if path.exists() else 0


# ---------------------------------------------------------------- the dependency diagram


def dependency_svg(chapters: list[dict]) -> str:
    """An SVG with one box per chapter, columns by depth in the prerequisite graph."""
    by_number = {c["number"]: c for c in chapters}
    level: dict[int, int] = {}

    def depth(n, seen=()):
        if n in level:
            return level[n]
        if n in seen:
            return 0
        needs = [m for m in by_number[n]["needs"] if m in by_number]
        level[n] = 0 if not needs else 1 + max(depth(m, seen + (n,)) for m in needs)
        return level[n]

    for n in by_number:
        depth(n)
    rows_of: dict[int, list[int]] = {}
    for n in sorted(by_number):
        rows_of.setdefault(level[n], []).append(n)
    box_w, box_h, gap_x, gap_y, pad = 190, 46, 30, 44, 10
    per_row = max(len(v) for v in rows_of.values()) if rows_of else 1
    width = pad * 2 + per_row * box_w + (per_row - 1) * gap_x
    height = pad * 2 + len(rows_of) * box_h + (len(rows_of) - 1) * gap_y
    pos = {}
    for row, numbers in rows_of.items():
        offset = (width - len(numbers) * box_w - (len(numbers) - 1) * gap_x) / 2
        for k, n in enumerate(numbers):
            pos[n] = (offset + k * (box_w + gap_x), pad + row * (box_h + gap_y))
    edges = [(m, c["number"]) for c in chapters for m in c["needs"] if m in by_number]

    def reachable(a, b, skip):  # is b reachable from a without the direct edge `skip`?
        stack, seen = [a], set()
        while stack:
            x = stack.pop()
            for (u, v) in edges:
                if u == x and (u, v) != skip and v not in seen:
                    if v == b:
                        return True
                    seen.add(v)
                    stack.append(v)
        return False

    drawn = [e for e in edges if not reachable(e[0], e[1], e)]  # the transitive reduction
    desc = "; ".join(f"chapter {b} needs chapter {a}" for a, b in edges) or "no chapter needs another"
    out = [f'<svg class="chapter-dependencies" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
           f'width="100%" style="max-width:{width:.0f}px" font-family="sans-serif" role="img" aria-labelledby="dep-title dep-desc">',
           '<title id="dep-title">Chapter dependencies: an arrow from A to B means B lists A as a prerequisite '
           '(arrows implied by others are left out)</title>',
           f'<desc id="dep-desc">{html.escape(desc)}</desc>',
           '<defs><marker id="dep-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#666"/></marker></defs>']
    for a, b in drawn:
        (xa, ya), (xb, yb) = pos[a], pos[b]
        x1, y1, x2, y2 = xa + box_w / 2, ya + box_h, xb + box_w / 2, yb
        my = (y1 + y2) / 2
        out.append(f'<path d="M {x1:.0f} {y1:.0f} C {x1:.0f} {my:.0f}, {x2:.0f} {my:.0f}, {x2:.0f} {y2 - 2:.0f}" '
                   'fill="none" stroke="#666" stroke-width="1.4" marker-end="url(#dep-arrow)"/>')
    for n, (x, y) in pos.items():
        c = by_number[n]
        label = c["title"].split(":")[0].split("(")[0].strip()
        label = label if len(label) <= 24 else label[:23] + "…"
        out.append(f'<a href="{c["stem"]}.html"><rect x="{x:.0f}" y="{y:.0f}" width="{box_w}" height="{box_h}" rx="6" '
                   'fill="#e8f3f5" stroke="#0a7d91" stroke-width="1.5"/>'
                   f'<text x="{x + 10:.0f}" y="{y + 19:.0f}" font-size="13" font-weight="bold" fill="#063f4a">Chapter {n}</text>'
                   f'<text x="{x + 10:.0f}" y="{y + 36:.0f}" font-size="12" fill="#063f4a">{html.escape(label)}</text></a>')
    out.append("</svg>")
    return "\n".join(out)


class ChapterDependencies(SphinxDirective):
    has_content = False

    def run(self):
        srcdir = Path(self.env.srcdir)
        for stem in numbered_chapters(srcdir):
            self.env.note_dependency(str(srcdir / "book" / f"{stem}.ipynb"))
        chapters = [chapter_info(srcdir, s) for s in numbered_chapters(srcdir)]
        figure = nodes.container(classes=["chapter-dependencies-figure"])
        figure += nodes.raw("", dependency_svg(chapters), format="html")
        items = nodes.bullet_list(classes=["chapter-dependency-list"])
        for c in chapters:
            needs = ", ".join(str(n) for n in c["needs"]) or "none"
            items += nodes.list_item("", nodes.paragraph(text=f"Chapter {c['number']} ({c['title']}) needs: {needs}."))
        return [figure, items]


# ---------------------------------------------------------------- the per-chapter guide


def _link(text: str, uri: str) -> nodes.reference:
    return nodes.reference(text, text, refuri=uri, internal=False)


class ChapterGuide(SphinxDirective):
    has_content = False

    def _parse(self, markdown: str, into: nodes.Element):
        self.state.nested_parse(StringList(markdown.split("\n"), source="chapter-guide"), self.content_offset, into)

    def run(self):
        srcdir = Path(self.env.srcdir)
        out = []
        for stem in numbered_chapters(srcdir):
            for sub in ("book/{}.ipynb", "book/assignments/{}.yml", "book/concept_checks/{}.yml"):
                if (srcdir / sub.format(stem)).exists():
                    self.env.note_dependency(str(srcdir / sub.format(stem)))
            c, s = chapter_info(srcdir, stem), spec(srcdir, stem)
            section = nodes.section(ids=[f"guide-{stem.replace('_', '-')}"], names=[f"guide {stem}"])
            section += nodes.title(text=f"Chapter {c['number']}. {c['title']}")
            exercise_min = s.get("minutes")
            time = (f"**Time.** Reading about {c['reading']} minutes (the {c['words']} words before the exercises "
                    f"at {READING_WPM} words a minute, formulas included); ")
            time += (f"the assignment about {exercise_min} minutes. " if exercise_min else
                     "no assignment spec yet, so no exercise estimate. ")
            if c["stated_minutes"]:
                time += f"The chapter itself says about {c['stated_minutes']} minutes with the exercises."
            in_toc = {int(t[:2]): t for t in numbered_chapters(srcdir)}
            needs = ", ".join(f"[Chapter {n}]({in_toc[n]}.ipynb)" if n in in_toc else f"Chapter {n} (not in this edition yet)"
                              for n in c["needs"]) or "none of the earlier chapters"
            md = [time, "", f"**Prerequisites.** {needs}.", "",
                  "**Learning objectives** (the chapter's own). After the chapter a student can", "", c["objectives"], ""]
            miscon = [c["misconception"]] if c["misconception"] else s.get("misconceptions", [])
            if miscon:
                md += ["**Misconceptions it targets.**", ""] + [f"- {m}" for m in miscon] + [""]
            if s.get("questions"):
                md += ["**Suggested assignment.** The generated notebook asks:", ""]
                for k, q in enumerate(s["questions"], 1):
                    q = {"name": f"Q{k}", **q}
                    ask = " ".join(q["ask"].split())
                    ask = ask if len(ask) < 160 else ask[:157].rsplit(" ", 1)[0] + " …"
                    md.append(f"- {q.get('name', '')} ({q.get('points', 1)} points, exercise `{q['exercise']}`): {ask}")
                md.append("")
            n_checks = concept_count(srcdir, stem)
            if n_checks:
                md += [f"**Concept checks.** {n_checks} questions at the end of the chapter's page (answered in the browser, "
                       "no kernel): a quick start for a class or a reading quiz.", ""]
            if s.get("rubric"):
                md += ["**Grading rubric.**", ""] + [f"- {r}" for r in s["rubric"]] + [""]
            self._parse("\n".join(md), section)
            links = nodes.paragraph()
            links += nodes.strong(text="Files. ")
            made = Path(self.env.srcdir) / "_build"
            files = []
            if s.get("questions"):
                files.append(("student notebook", f"assignments/{stem}/student/{stem}.ipynb"))
            files.append(("print handout (PDF)", f"pdf/{stem}.pdf"))
            present = [(t, rel) for t, rel in files if (made / rel).exists()]
            for k, (t, rel) in enumerate(present):
                links += nodes.Text(" · ") if k else nodes.Text("")
                links += _link(t, f"../{rel}")
            absent = [t for t, rel in files if (made / rel).exists() is False]
            if absent:
                links += nodes.Text((" · " if present else "") + "not built yet: " + ", ".join(absent)
                                    + " (run make assignments and make pdf, then make book).")
            if s.get("questions"):
                links += nodes.Text(f" The autograder bundle, with the hidden tests and reference answers, is not "
                                    f"published: make assignments writes it to _build/assignments/{stem}/autograder/.")
            section += links
            self.state.document.note_implicit_target(section)
            out.append(section)
        return out


# ---------------------------------------------------------------- glossary links

_SKIP = (nodes.reference, nodes.literal, nodes.literal_block, nodes.math, nodes.math_block, nodes.title,
         nodes.raw, nodes.caption, nodes.FixedTextElement, nodes.term, nodes.citation_reference,
         nodes.citation, nodes.footnote)


def link_glossary_terms(app, doctree, docname):
    if app.builder.format != "html" or not re.match(r"book/\d\d_", docname) or docname.startswith("book/00_"):
        return
    objects = app.env.get_domain("std").objects  # {(objtype, name): (docname, labelid)}
    terms = sorted(((name, target) for (kind, name), target in objects.items()
                    if kind == "term" and target[0] == GLOSSARY_DOC), key=lambda t: -len(t[0]))
    if not terms:
        return
    pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t, _ in terms) + r")(s|es)?\b(?!-)", re.I)
    target_of = {t.lower(): tgt for t, tgt in terms}
    done: set[str] = set()
    uri = app.builder.get_relative_uri(docname, GLOSSARY_DOC)

    def skipped(node):
        parent = node.parent
        while parent is not None:
            if (isinstance(parent, _SKIP) or "cell_output" in parent.get("classes", [])
                    or "cc-section" in parent.get("classes", []) or "references" in parent.get("ids", [])):
                return True
            parent = parent.parent
        return False

    for text in list(doctree.findall(nodes.Text)):
        if len(done) == len(terms):
            break
        if text.parent is None or not isinstance(text.parent, (nodes.paragraph, nodes.emphasis, nodes.strong)) or skipped(text):
            continue
        value = str(text)
        pieces, last = [], 0
        for m in pattern.finditer(value):
            key = m.group(1).lower()
            if key in done:
                continue
            done.add(key)
            _, labelid = target_of[key]
            pieces.append(nodes.Text(value[last:m.start()]))
            ref = nodes.reference(m.group(0), m.group(0), refuri=f"{uri}#{labelid}", internal=True,
                                  classes=["glossary-link"], reftitle=f"Glossary: {m.group(1)}")
            pieces.append(ref)
            last = m.end()
        if pieces:
            pieces.append(nodes.Text(value[last:]))
            parent = text.parent
            index = parent.index(text)
            parent.remove(text)
            for k, piece in enumerate(pieces):
                parent.insert(index + k, piece)


def copy_made_files(app, exception):
    """Put the assignments and handouts that the guide links to beside the HTML book."""
    if exception is not None or app.builder.format != "html":
        return
    import shutil

    made, out = Path(app.srcdir) / "_build", Path(app.outdir)
    for stem in numbered_chapters(Path(app.srcdir)):
        for rel in (f"assignments/{stem}/student",):  # never the autograder: it holds the answers
            if (made / rel).is_dir() and (made / rel).resolve() != (out / rel).resolve():
                shutil.copytree(made / rel, out / rel, dirs_exist_ok=True)
        pdf = made / "pdf" / f"{stem}.pdf"
        if pdf.exists() and pdf.resolve() != (out / "pdf" / pdf.name).resolve():
            (out / "pdf").mkdir(parents=True, exist_ok=True)
            shutil.copy2(pdf, out / "pdf" / pdf.name)


def setup(app):
    app.connect("build-finished", copy_made_files)
    app.add_directive("chapter-dependencies", ChapterDependencies)
    app.add_directive("chapter-guide", ChapterGuide)
    app.connect("doctree-resolved", link_glossary_terms)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
