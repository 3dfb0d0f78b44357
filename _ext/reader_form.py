"""The reading form of the chapters: notebooks that any Jupyter front end shows well.

The chapters in ``book/`` are written for Jupyter Book (myst-nb): numbers reach the prose
through ``{glue:text}``, exercises and proofs are Sphinx directives, citations are
sphinxcontrib-bibtex roles. JupyterLab, Binder, Colab and a downloaded file show all of that
as raw markup. This module writes, for every chapter, a *reader notebook* in ``notebooks/``
with the same code cells and plain Markdown prose:

* ``{glue:text}`name:fmt``` -> the number, formatted as myst-nb formats it, taken from the
  chapter executed by the book build (``_build/jupyter_execute/book/``) or, when that copy is
  missing or stale, from an execution made here;
* ``{exercise}`` -> a heading "Exercise N"; ``{solution}`` (and the gated
  ``{solution-start}``/``{solution-end}`` pair) -> HTML ``<details>`` blocks, folded;
* ``{prf:theorem}``/``{prf:definition}`` -> a quoted, numbered block; ``{prf:proof}`` ->
  "Proof." ... "∎";
* ``{admonition}`` (classes tip, warning, note), ``{note}``, ``{tip}``, ``{warning}`` -> a
  quoted block with a bold title;
* ``{cite:p}``/``{cite:t}`` -> author-year text, and ``{bibliography}`` -> the list of the
  references cited in the chapter, formatted from ``references.bib`` with pybtex;
* ``{ref}``/``{numref}``/``{prf:ref}``/``{doc}`` -> their text (or "Exercise N", "Theorem N",
  a link to the other reader notebook).

Anything else written in MyST role or directive syntax raises ``ReaderFormError``: the list
above is exactly the set of features the chapters may use (CONVENTIONS.md, item 9). Code
cells are copied unchanged (hidden ones are folded with ``jupyter.source_hidden``), so the
Colab set-up cell, the glue calls and the asserts still run.

Command line::

    python _ext/reader_form.py write   # (re)write notebooks/ from book/
    python _ext/reader_form.py check   # exit 1 if notebooks/ is out of date
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import sys
from ast import literal_eval
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
READER_DIR = ROOT / "notebooks"
# Executed chapters written by `make book` and by the test suite's book build (tests/conftest.py).
EXECUTED_DIRS = [ROOT / "_build" / "jupyter_execute" / "book",
                 ROOT / "_build" / "test" / "_build" / "jupyter_execute" / "book"]
OWN_EXECUTIONS = ROOT / "_build" / "reader" / "executed"
BIBFILE = ROOT / "references.bib"
CONCEPT_CHECKS = BOOK / "concept_checks"
BOOK_URL_NOTE = ("*This is the Jupyter reading form of a chapter of* Breaking Symmetry: *the "
                 "numbers in the text were computed when the book was built; run the cells to "
                 "compute them again.*")

GLUE_PREFIX = "application/papermill.record/"
ADMONITION_TITLES = {"note": "Note", "tip": "Tip", "warning": "Warning"}
# Only the warning sign: it is in common text fonts; emoji (a bulb, an "i") show as empty boxes
# where no emoji font is installed (headless Chromium here, some Linux desktops).
ADMONITION_ICONS = {"note": "", "tip": "", "warning": "⚠"}
PROOF_KINDS = {"prf:theorem": "Theorem", "prf:definition": "Definition"}
ALLOWED_OPTIONS = {
    "exercise": {"label", "class", "nonumber"},
    "solution": {"label", "class"},
    "solution-start": {"label", "class"},
    "solution-end": set(),
    "prf:theorem": {"label", "class", "nonumber"},
    "prf:definition": {"label", "class", "nonumber"},
    "prf:proof": {"class"},
    "admonition": {"class"},
    "note": set(), "tip": set(), "warning": set(),
    "bibliography": {"filter", "keyprefix"},
}
ROLES = {"glue:text", "cite:p", "cite:t", "ref", "numref", "prf:ref", "doc"}


class ReaderFormError(ValueError):
    """A chapter uses MyST syntax the reading form does not convert."""


# ---------------------------------------------------------------------------------------
# glue values


def glue_values(executed: dict) -> dict[str, str]:
    """{name: text/plain} of every ``glue`` call recorded in an executed notebook."""
    values = {}
    for cell in executed.get("cells", []):
        for output in cell.get("outputs", []) or []:
            meta = output.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            prefix = meta.get("mime_prefix", "")
            data = {k[len(prefix):] if k.startswith(prefix) else k: v
                    for k, v in output.get("data", {}).items()}
            if "text/plain" in data:
                text = data["text/plain"]
                values[meta["name"]] = "".join(text) if isinstance(text, list) else text
    return values


def format_glue(text: str, fmt_spec: str) -> str:
    """Format a glued text/plain value the way myst-nb's ``{glue:text}`` role does."""
    try:
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if fmt_spec == "":
        return str(value)
    kind = fmt_spec[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, fmt_spec)


def _code_of(nb: dict) -> list[str]:
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"]


def executed_notebook(source: Path, execute: bool = True) -> dict:
    """The executed chapter: the book build's copy when its code matches the source, else
    one executed here (cached under _build/reader/executed/, keyed by the code)."""
    nb = json.loads(source.read_text())
    code = _code_of(nb)
    for folder in EXECUTED_DIRS:
        candidate = folder / source.name
        if candidate.exists():
            executed = json.loads(candidate.read_text())
            # The book build moves glued values into the page and may drop them from its
            # executed copy: use that copy only if it still carries them.
            keeps_glue = "application/papermill.record" in candidate.read_text() or \
                not any("glue(" in line for line in code)
            if _code_of(executed) == code and keeps_glue:
                return executed
    digest = hashlib.sha256("\0".join(code).encode()).hexdigest()[:16]
    cached = OWN_EXECUTIONS / f"{source.stem}-{digest}.ipynb"
    if cached.exists():
        return json.loads(cached.read_text())
    if not execute:
        raise ReaderFormError(f"{source.name}: no executed copy with the current code; run "
                              "`make book` or `python _ext/reader_form.py write`.")
    import nbformat
    from nbclient import NotebookClient

    import os

    run = nbformat.reads(source.read_text(), as_version=4)
    # The kernel imports initlab from this tree's src/ (which may be a worktree of the repo).
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src")] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    NotebookClient(run, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(source.parent)}}).execute()
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(nbformat.writes(run))
    return json.loads(cached.read_text())


# ---------------------------------------------------------------------------------------
# bibliography


@dataclass
class Bibliography:
    entries: dict  # key -> pybtex Entry

    @classmethod
    def load(cls, path: Path = BIBFILE) -> "Bibliography":
        from pybtex.database import parse_file

        return cls(dict(parse_file(str(path)).entries))

    @staticmethod
    def _plain(latex: str) -> str:
        from pybtex.richtext import Text

        return Text.from_latex(latex).render_as("text")

    def _surnames(self, key: str) -> list[str]:
        entry = self.entries[key]
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = []
        for person in people:
            last = " ".join(person.prelast_names + person.last_names)
            names.append(self._plain(last))
        return names

    def author_label(self, key: str) -> str:
        names = self._surnames(key)
        if not names:
            return self._plain(self.entries[key].fields.get("title", key))
        if len(names) == 1:
            return names[0]
        if len(names) == 2:
            return f"{names[0]} and {names[1]}"
        return f"{names[0]} et al."

    def year(self, key: str) -> str:
        return self.entries[key].fields.get("year", "n.d.")

    def reference(self, key: str) -> str:
        """One formatted reference, as Markdown."""
        from pybtex.plugin import find_plugin
        from pybtex.database import BibliographyData

        style = find_plugin("pybtex.style.formatting", "unsrt")()
        data = BibliographyData(entries={key: self.entries[key]})
        formatted = next(iter(style.format_entries(data.entries.values())))
        return formatted.text.render_as("markdown").replace("\\", "")


# ---------------------------------------------------------------------------------------
# Markdown conversion


@dataclass
class Context:
    """What one chapter's conversion knows and collects."""

    name: str
    glue: dict[str, str]
    bib: Bibliography
    keyprefix: str = ""
    labels: dict[str, str] = field(default_factory=dict)   # label -> "Exercise 2", ...
    cited: list[str] = field(default_factory=list)          # bib keys, in order of citation
    counters: dict[str, int] = field(default_factory=dict)

    def fail(self, message: str):
        raise ReaderFormError(f"{self.name}: {message}")

    def next_number(self, kind: str) -> int:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]


OPEN_RE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,})\{(?P<name>[^}]+)\}\s*(?P<arg>.*)$")
ROLE_RE = re.compile(r"\{(?P<name>[A-Za-z][\w:\-]*)\}(?P<ticks>`+)")
TARGET_RE = re.compile(r"^\((?P<label>[\w\-:.]+)\)=\s*$")
FENCE_RE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def _split_label(text: str) -> tuple[str | None, str]:
    """``title <label>`` -> (title, label); ``label`` -> (None, label)."""
    match = re.fullmatch(r"\s*(.*?)\s*<([^<>]+)>\s*", text, re.S)
    if match and match.group(1):
        return match.group(1), match.group(2)
    return None, text.strip()


def _role(name: str, content: str, ctx: Context) -> str:
    if name == "glue:text":
        key, _, fmt_spec = content.partition(":") if ":" in content else (content, "", "")
        if "::" in content:
            ctx.fail(f"glue from another notebook ({content!r}) is not converted")
        if key not in ctx.glue:
            ctx.fail(f"{{glue:text}}`{content}`: no value glued under {key!r} in the executed notebook")
        return format_glue(ctx.glue[key], fmt_spec)
    if name in ("cite:p", "cite:t"):
        parts = []
        for raw in content.split(","):
            key = raw.strip()
            if ctx.keyprefix and key.startswith(ctx.keyprefix):
                key = key[len(ctx.keyprefix):]
            if key not in ctx.bib.entries:
                ctx.fail(f"citation {raw.strip()!r} is not in references.bib")
            if key not in ctx.cited:
                ctx.cited.append(key)
            parts.append((ctx.bib.author_label(key), ctx.bib.year(key)))
        if name == "cite:p":
            return "(" + "; ".join(f"{a}, {y}" for a, y in parts) + ")"
        return ", ".join(f"{a} ({y})" for a, y in parts)
    title, label = _split_label(content)
    if name == "doc":
        target = Path(label).name
        return f"[{title or target}]({target}.ipynb)"
    if name in ("ref", "numref", "prf:ref"):
        if label not in ctx.labels:
            ctx.fail(f"{{{name}}}`{content}`: unknown label {label!r}")
        if title:
            return title.replace("%s", ctx.labels[label].split()[-1]) if name == "numref" else title
        return ctx.labels[label]
    ctx.fail(f"the role {{{name}}} is not one the reading form converts (allowed: {sorted(ROLES)})")


def convert_inline(text: str, ctx: Context) -> str:
    """Replace the roles of ``text``; code spans (and their content) stay as they are."""
    out, i = [], 0
    while i < len(text):
        role = ROLE_RE.match(text, i)
        if role:
            ticks = role.group("ticks")
            end = text.find(ticks, role.end())
            if end < 0:
                ctx.fail(f"unterminated role near {text[i:i + 40]!r}")
            out.append(_role(role.group("name"), text[role.end():end], ctx))
            i = end + len(ticks)
            continue
        if text[i] == "`":
            run = re.match(r"`+", text[i:]).group(0)
            end = text.find(run, i + len(run))
            if end < 0:
                out.append(text[i:])
                break
            out.append(text[i:end + len(run)])
            i = end + len(run)
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


@dataclass
class Directive:
    name: str
    arg: str
    options: dict[str, str]
    body: str


def _parse_directive(lines: list[str], start: int, ctx: Context) -> tuple[Directive, int]:
    """The directive opened at ``lines[start]``; returns it and the index after its fence."""
    match = OPEN_RE.match(lines[start])
    fence = match.group("fence")
    close = re.compile(r"^\s*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
    end = start + 1
    while end < len(lines) and not close.match(lines[end]):
        end += 1
    if end == len(lines):
        ctx.fail(f"directive {{{match.group('name')}}} opened with {fence} is never closed")
    body = lines[start + 1:end]
    options = {}
    while body and re.match(r"^\s*:[\w\-]+:", body[0]):
        key, _, value = body.pop(0).strip()[1:].partition(":")
        options[key] = value.strip()
    return Directive(match.group("name"), match.group("arg").strip(), options,
                     "\n".join(body).strip("\n")), end + 1


def _quote(text: str) -> str:
    return "\n".join(("> " + line) if line.strip() else ">" for line in text.split("\n"))


def _scan_labels(text: str, ctx: Context) -> None:
    """First pass over a chapter's Markdown: number exercises and theorems, learn labels."""
    lines = text.split("\n")
    counts: dict[str, int] = {}
    for index, line in enumerate(lines):
        match = OPEN_RE.match(line)
        if not match:
            target = TARGET_RE.match(line)
            if target:
                heading = next((l for l in lines[index + 1:] if l.strip()), "")
                ctx.labels[target.group("label")] = heading.lstrip("#").strip()
            continue
        name = match.group("name")
        if name == "exercise" or name in PROOF_KINDS:
            kind = "Exercise" if name == "exercise" else PROOF_KINDS[name]
            counts[kind] = counts.get(kind, 0) + 1
            for option in lines[index + 1:]:
                found = re.match(r"^\s*:label:\s*(\S+)", option)
                if found:
                    ctx.labels[found.group(1)] = f"{kind} {counts[kind]}"
                if not re.match(r"^\s*:[\w\-]+:", option):
                    break
        if name == "bibliography":
            for option in lines[index + 1:]:
                found = re.match(r"^\s*:keyprefix:\s*(\S+)", option)
                if found:
                    ctx.keyprefix = found.group(1)
                if not re.match(r"^\s*:[\w\-]+:", option):
                    break
    ctx.counters.clear()


def _render(directive: Directive, ctx: Context) -> str:
    name, options = directive.name, directive.options
    if name not in ALLOWED_OPTIONS:
        ctx.fail(f"the directive {{{name}}} is not one the reading form converts "
                 f"(allowed: {sorted(ALLOWED_OPTIONS)})")
    unknown = set(options) - ALLOWED_OPTIONS[name]
    if unknown:
        ctx.fail(f"{{{name}}} has options {sorted(unknown)} the reading form does not convert")
    body = convert_markdown(directive.body, ctx) if directive.body else ""
    if name == "exercise":
        number = ctx.next_number("Exercise")
        title = f" {convert_inline(directive.arg, ctx)}" if directive.arg else ""
        return f"#### Exercise {number}{title}\n\n{body}"
    if name == "solution":
        target = ctx.labels.get(directive.arg, "the exercise")
        return (f"<details>\n<summary><b>Solution to {target}</b> (click to open)</summary>\n\n"
                f"{body}\n\n</details>")
    if name in PROOF_KINDS:
        number = ctx.next_number(PROOF_KINDS[name])
        title = f" ({convert_inline(directive.arg, ctx)})" if directive.arg else ""
        return _quote(f"**{PROOF_KINDS[name]} {number}{title}.** {body}")
    if name == "prf:proof":
        return f"*Proof.* {body} ∎"
    if name in ("admonition", "note", "tip", "warning"):
        kind = options.get("class", "note") if name == "admonition" else name
        if kind not in ADMONITION_ICONS:
            ctx.fail(f"admonition class {kind!r} (allowed: {sorted(ADMONITION_ICONS)})")
        title = convert_inline(directive.arg, ctx) if name == "admonition" else ADMONITION_TITLES[name]
        if name == "admonition" and not title:
            ctx.fail("an {admonition} needs a title")
        icon = ADMONITION_ICONS[kind] + " " if ADMONITION_ICONS[kind] else ""
        return _quote(f"**{icon}{title}**\n\n{body}")
    if name == "bibliography":
        return "{{READER_BIBLIOGRAPHY}}"
    ctx.fail(f"{{{name}}} cannot stand here")  # solution-start/-end are handled per cell


def convert_markdown(text: str, ctx: Context) -> str:
    """Convert one Markdown text (a cell, or a directive's body)."""
    lines = text.split("\n")
    out: list[str] = []
    prose: list[str] = []
    i = 0

    def flush():
        if prose:
            out.append(convert_inline("\n".join(prose), ctx))
            prose.clear()

    while i < len(lines):
        line = lines[i]
        if OPEN_RE.match(line):
            flush()
            directive, i = _parse_directive(lines, i, ctx)
            out.append(_render(directive, ctx))
            continue
        fence = FENCE_RE.match(line)
        if fence:  # a plain code block: copied as it is
            flush()
            mark = fence.group("fence")
            end = i + 1
            closing = re.compile(r"^\s*" + re.escape(mark[0]) + "{" + str(len(mark)) + r",}\s*$")
            while end < len(lines) and not closing.match(lines[end]):
                end += 1
            out.append("\n".join(lines[i:end + 1]))
            i = end + 1
            continue
        if TARGET_RE.match(line):
            i += 1
            continue
        if line.lstrip().startswith("%"):
            ctx.fail(f"MyST comment line {line!r} is not converted")
        prose.append(line)
        i += 1
    flush()
    return "\n".join(out)


# ---------------------------------------------------------------------------------------
# notebooks


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _lines(text: str) -> list[str]:
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _markdown_cell(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": _lines(text)}


def concept_check_markdown(path: Path, ctx: Context) -> str:
    """The "Check your understanding" cell from book/concept_checks/<stem>.yml."""
    import yaml

    items = yaml.safe_load(path.read_text()) or []
    if not isinstance(items, list):
        ctx.fail(f"{path.name} must hold a list of questions")
    parts = ["## Check your understanding", ""]
    for number, item in enumerate(items, 1):
        if "question" not in item or "explain" not in item:
            ctx.fail(f"{path.name}, item {number}: needs 'question' and 'explain'")
        parts.append(f"**{number}.** {convert_inline(str(item['question']).strip(), ctx)}")
        parts.append("")
        if "choices" in item:
            choices, answer = item["choices"], item.get("answer")
            if not isinstance(answer, int) or not 0 <= answer < len(choices):
                ctx.fail(f"{path.name}, item {number}: 'answer' must index 'choices'")
            for letter, choice in zip("ABCDEFGHIJ", choices):
                parts.append(f"- {letter}. {convert_inline(str(choice).strip(), ctx)}")
            solution = f"{'ABCDEFGHIJ'[answer]}. {convert_inline(str(choices[answer]).strip(), ctx)}"
        elif "number" in item:
            solution = f"{item['number']} (± {item.get('tolerance', 0)})"
        else:
            ctx.fail(f"{path.name}, item {number}: give 'choices' + 'answer' or 'number'")
        parts += ["", "<details>", "<summary>Answer</summary>", "",
                  f"**{solution}** — {convert_inline(str(item['explain']).strip(), ctx)}", "",
                  "</details>", ""]
    return "\n".join(parts).rstrip() + "\n"


def reader_notebook(source: Path, glue: dict[str, str], bib: Bibliography | None = None) -> dict:
    """The reading form of one chapter (a notebook dict, without outputs)."""
    nb = json.loads(source.read_text())
    ctx = Context(source.name, glue, bib or Bibliography.load())
    _scan_labels("\n\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "markdown"), ctx)
    cells, gated, noted = [], None, False
    for cell in nb["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "code":
            new = {"cell_type": "code", "execution_count": None, "metadata": copy.deepcopy(cell.get("metadata", {})),
                   "outputs": [], "source": cell["source"]}
            hidden = {"remove-cell", "remove-input", "hide-input", "hide-cell"} & set(tags)
            if hidden or gated:
                new["metadata"].setdefault("jupyter", {})["source_hidden"] = True
            if gated or {"remove-output", "hide-output"} & set(tags):
                new["metadata"].setdefault("jupyter", {})["outputs_hidden"] = True
            cells.append(new)
            continue
        if cell["cell_type"] != "markdown" or "remove-cell" in tags:
            continue
        text = _source(cell)
        start = re.search(r"^(`{3,}|:{3,})\{solution-start\}\s*(\S+)[^\n]*\n(?:\s*:[\w\-]+:[^\n]*\n)*\s*\1\s*$",
                          text, re.M)
        end = re.search(r"^(`{3,}|:{3,})\{solution-end\}\s*\n\s*\1\s*$", text, re.M)
        if start:
            if gated:
                ctx.fail("{solution-start} inside another gated solution")
            gated = ctx.labels.get(start.group(2), "the exercise")
            before, text = text[:start.start()], text[start.end():]
            converted = (convert_markdown(before, ctx) + "\n\n" if before.strip() else "")
            cells.append(_markdown_cell(converted + _gated(text, gated, ctx, first=True)))
            continue
        if gated:
            if end:
                inside, after = text[:end.start()], text[end.end():]
                if inside.strip():
                    cells.append(_markdown_cell(_gated(inside, gated, ctx, first=False)))
                gated = None
                if after.strip():
                    cells.append(_markdown_cell(convert_markdown(after.strip("\n"), ctx)))
            else:
                cells.append(_markdown_cell(_gated(text, gated, ctx, first=False)))
            continue
        if end:
            ctx.fail("{solution-end} without {solution-start}")
        converted = convert_markdown(text, ctx)
        if not noted and converted.lstrip().startswith("# "):
            converted = converted.rstrip() + "\n\n" + BOOK_URL_NOTE
            noted = True
        cells.append(_markdown_cell(converted))
    if gated:
        ctx.fail("{solution-start} without {solution-end}")
    references = "\n".join(f"- **{ctx.bib.author_label(k)} ({ctx.bib.year(k)}).** {ctx.bib.reference(k)}"
                           for k in sorted(ctx.cited, key=lambda k: (ctx.bib.author_label(k), ctx.bib.year(k))))
    for cell in cells:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            if "{{READER_BIBLIOGRAPHY}}" in text:
                cell["source"] = _lines(text.replace("{{READER_BIBLIOGRAPHY}}", references or "(none cited)"))
    checks = CONCEPT_CHECKS / f"{source.stem}.yml"
    if checks.exists():
        cells.append(_markdown_cell(concept_check_markdown(checks, ctx)))
    metadata = {k: v for k, v in nb.get("metadata", {}).items() if k in ("kernelspec", "language_info")}
    metadata.setdefault("kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"})
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def _gated(text: str, target: str, ctx: Context, first: bool) -> str:
    label = f"Solution to {target}" + ("" if first else " (continued)")
    note = " — its code cells below are folded too" if first else ""
    return (f"<details>\n<summary><b>{label}</b> (click to open){note}</summary>\n\n"
            f"{convert_markdown(text.strip(chr(10)), ctx)}\n\n</details>")


def dumps(nb: dict) -> str:
    for index, cell in enumerate(nb["cells"]):
        cell["id"] = f"cell-{index}"
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def chapters() -> list[Path]:
    return sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))


def build(source: Path, execute: bool = True, bib: Bibliography | None = None) -> str:
    """The reader notebook of ``source`` as the text committed in notebooks/."""
    return dumps(reader_notebook(source, glue_values(executed_notebook(source, execute)), bib))


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    bib = Bibliography.load()
    stale = []
    for source in chapters():
        text = build(source, bib=bib)
        target = READER_DIR / source.name
        if command == "write":
            READER_DIR.mkdir(exist_ok=True)
            if not target.exists() or target.read_text() != text:
                target.write_text(text)
                print(f"wrote {target.relative_to(ROOT)}")
        elif not target.exists() or target.read_text() != text:
            stale.append(target.relative_to(ROOT))
    if command == "check" and stale:
        print("out of date (run `python _ext/reader_form.py write`):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
