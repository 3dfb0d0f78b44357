"""Self-grading assignments from the chapters' exercises (Otter-Grader), `make assignments`.

For every chapter in _toc.yml that has a spec ``book/assignments/<stem>.yml``, this script

1. reads the chapter's ``{exercise}`` and ``{solution}`` blocks (by label) and the spec (answer
   variables, reference solution, public and hidden checks, typical mistakes with messages);
2. writes an Otter-Grader *master notebook* (Otter Assign's v1 format: raw ``# BEGIN QUESTION``
   / ``# BEGIN TESTS`` cells, exception-based tests) into ``_build/assignments/<stem>/master/``;
3. runs ``otter assign`` on it, which writes the student notebook (solutions replaced by
   ``...``, public checks runnable with ``grader.check``) into ``.../student/`` and the
   instructor's bundle (reference notebook, hidden tests, ``autograder.zip``) into
   ``.../autograder/``, after running every test against the reference solutions.

Usage: ``python tools/assignments.py [--out _build/assignments] [--no-otter] [stem ...]``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
SPECS = BOOK / "assignments"
OTTER_PIN = "otter-grader==7.0.0"

sys.path.insert(0, str(ROOT / "_ext"))
import book_toc  # noqa: E402  (the TOC, read as the book build reads it)
from book_toc import numbered_chapters  # noqa: E402

# ---------------------------------------------------------------- reading the chapters


def toc_chapters() -> list[str]:
    """Stems of the numbered chapters in _toc.yml, in TOC order."""
    return numbered_chapters(ROOT)


def markdown_cells(stem: str) -> list[str]:
    return book_toc.markdown_cells(ROOT, stem)


def chapter_title(stem: str) -> str:
    for text in markdown_cells(stem):
        m = re.search(r"^# (.+)$", text, flags=re.M)
        if m:
            return m.group(1).strip()
    return stem


_FENCE = r"(?P<fence>`{3,}|~{3,})"


def _strip_options(body: str) -> tuple[dict, str]:
    options, lines = {}, body.split("\n")
    while lines and re.match(r"^:[\w-]+:", lines[0]):
        key, _, value = lines.pop(0)[1:].partition(":")
        options[key] = value.strip()
    return options, "\n".join(lines).strip()


def chapter_exercises(stem: str) -> dict[str, dict]:
    """{label: {"title", "text", "solution"}} from the chapter's Markdown cells."""
    text = "\n\n".join(markdown_cells(stem))
    exercises: dict[str, dict] = {}
    for m in re.finditer(_FENCE + r"\{exercise\}(?P<title>[^\n]*)\n(?P<body>.*?)\n(?P=fence)\s*$", text, flags=re.S | re.M):
        options, body = _strip_options(m.group("body"))
        label = options.get("label")
        if label:
            exercises[label] = {"title": m.group("title").strip(), "text": body, "solution": ""}
    for m in re.finditer(_FENCE + r"\{solution\}\s+(?P<label>[\w-]+)\s*\n(?P<body>.*?)\n(?P=fence)\s*$", text, flags=re.S | re.M):
        if m.group("label") in exercises:
            exercises[m.group("label")]["solution"] = _strip_options(m.group("body"))[1]
    # The split form: {solution-start} label ... {solution-end}, possibly across cells.
    for m in re.finditer(_FENCE + r"\{solution-start\}\s+(?P<label>[\w-]+)\s*\n.*?\n(?P=fence)\s*\n(?P<body>.*?)"
                         r"`{3,}\{solution-end\}", text, flags=re.S):
        if m.group("label") in exercises:
            exercises[m.group("label")]["solution"] = m.group("body").strip()
    return exercises


def myst_to_jupyter(text: str) -> str:
    """Turn the book's MyST roles into plain Markdown that Jupyter renders."""
    text = re.sub(r"\{glue:text\}`[^`]+`", "*(the value computed in the chapter)*", text)
    text = re.sub(r"\{cite:t\}`[^`]+`", "the source cited in the chapter", text)
    text = re.sub(r"\{cite:p\}`[^`]+`", "(see the chapter's references)", text)
    text = re.sub(r"\{prf:ref\}`[^`]+`", "the theorem of the chapter", text)
    text = re.sub(r"\{(?:ref|numref|doc)\}`(?:([^`<]+?)\s*<[^`]+>|[^`]+)`",
                  lambda m: m.group(1) or "the chapter", text)
    text = re.sub(r"\[([^\]]+)\]\((?:\d\d_\w+\.ipynb)[^)]*\)", r"\1", text)
    return text


# ---------------------------------------------------------------- the spec


class SpecError(ValueError):
    pass


def load_spec(stem: str) -> dict:
    path = SPECS / f"{stem}.yml"
    spec = yaml.safe_load(path.read_text())
    if not isinstance(spec, dict) or not spec.get("questions"):
        raise SpecError(f"{path}: expected a mapping with a non-empty 'questions' list")
    for key in ("setup", "minutes", "rubric"):
        if key not in spec:
            raise SpecError(f"{path}: missing {key!r}")
    exercises = chapter_exercises(stem)
    names = set()
    for i, q in enumerate(spec["questions"], 1):
        where = f"{path}, question {i}"
        for key in ("exercise", "ask", "answer", "solution", "public", "hidden", "mistakes"):
            if key not in q:
                raise SpecError(f"{where}: missing {key!r}")
        if q["exercise"] not in exercises:
            raise SpecError(f"{where}: the chapter has no exercise labelled {q['exercise']!r} "
                            f"(it has {sorted(exercises)})")
        if not q["hidden"] or not q["mistakes"] or not q["public"]:
            raise SpecError(f"{where}: needs at least one public check, one hidden check and one mistake")
        for check in q["public"] + q["hidden"] + q["mistakes"]:
            if "check" not in check or "message" not in check:
                raise SpecError(f"{where}: every check needs 'check' (a Python expression) and 'message'")
        for m in q["mistakes"]:
            if "example" not in m:
                raise SpecError(f"{where}: every mistake needs an 'example' answer (code) that makes it")
        q.setdefault("name", f"q{i}")
        if q["name"] in names:
            raise SpecError(f"{where}: duplicate question name {q['name']!r}")
        names.add(q["name"])
    return spec


# ---------------------------------------------------------------- checks as Otter tests


def test_source(q: dict, kind: str, k: int, check: dict) -> str:
    """One Otter exception-based test: a function of the notebook's globals (``env``)."""
    fetch = "\n".join(f"    {v} = env.get({v!r}, None)" for v in q["answer"])
    extra = "".join(f"    {line}\n" for line in q.get("check_setup", "").strip().split("\n") if line)
    return (f"def test_{q['name']}_{kind}_{k}(env):\n"
            f"    import numpy as np\n{extra}{fetch}\n"
            f"    assert {check['check'].strip()}, {check['message'].strip()!r}\n")


def checks_of(q: dict) -> list[tuple[str, bool, str]]:
    """(kind, hidden, source) of every test of a question: public checks, then the typical
    mistakes (public, so the student sees the helpful message), then the hidden checks."""
    out = [("public", False, test_source(q, "public", k, c)) for k, c in enumerate(q["public"], 1)]
    out += [("mistake", False, test_source(q, "mistake", k, c)) for k, c in enumerate(q["mistakes"], 1)]
    out += [("hidden", True, test_source(q, "hidden", k, c)) for k, c in enumerate(q["hidden"], 1)]
    return out


def run_checks(q: dict, env: dict, hidden: bool = True) -> list[str]:
    """Failure messages of a question's checks on ``env`` (a dict of notebook globals), without
    Otter: each check runs exactly as its Otter test does."""
    failures = []
    for kind, is_hidden, source in checks_of(q):
        if is_hidden and not hidden:
            continue
        scope: dict = {}
        exec(source, scope)
        fn = next(v for k, v in scope.items() if k.startswith("test_"))
        try:
            fn(env)
        except AssertionError as e:
            failures.append(str(e))
        except Exception as e:  # a wrong type, a missing variable: also a failed check
            failures.append(f"{type(e).__name__}: {e}")
    return failures


def namespace(spec: dict, q: dict | None = None, code: str | None = None) -> dict:
    """The globals of a notebook that ran the set-up cell and then ``code`` (default: the
    reference solution of ``q``)."""
    env: dict = {}
    exec(spec["setup"], env)
    if q is not None or code is not None:
        exec(q["solution"] if code is None else code, env)
    return env


def verify(stem: str, spec: dict) -> list[str]:
    """Problems with a spec: every reference solution must pass every check, the blank answer
    (``...``) must fail, and each typical mistake (its example on top of the reference solution)
    must fail with its own message."""
    problems = []
    for q in spec["questions"]:
        failures = run_checks(q, namespace(spec, q))
        if failures:
            problems.append(f"{stem} {q['name']}: the reference solution fails: {failures}")
        blank = "\n".join(f"{v} = ..." for v in q["answer"])
        if not run_checks(q, namespace(spec, code=blank, q=q), hidden=False):
            problems.append(f"{stem} {q['name']}: the blank answer passes the public checks")
        for m in q["mistakes"]:
            env = namespace(spec, q)
            exec(m["example"], env)
            if m["message"].strip() not in run_checks(q, env, hidden=False):
                problems.append(f"{stem} {q['name']}: the mistake {m['example']!r} does not show its message")
    return problems


# ---------------------------------------------------------------- the master notebook


def _nb():
    import nbformat
    return nbformat


def colab_setup_cell() -> str:
    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    return textwrap.dedent(f"""\
        # Set-up for Google Colab or Binder: install the book's package and the autograder.
        import subprocess, sys
        try:
            import initlab, otter
        except ImportError:
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", "{OTTER_PIN}",
                            "initlab @ git+{repo}"], check=True)""")


def master_notebook(stem: str, spec: dict):
    nbf = _nb()
    exercises = chapter_exercises(stem)
    title = chapter_title(stem)
    number = int(stem[:2])
    cells = []
    config = {
        "name": stem,
        "init_cell": False,
        "check_all_cell": True,
        "export_cell": False,
        "run_tests": True,
        "tests": {"files": False, "ok_format": False},
        "generate": {"pdf": False, "zips": False},
        "requirements": "requirements.txt",
    }
    cells.append(nbf.v4.new_raw_cell("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False)))
    total = sum(q.get("points", 1) for q in spec["questions"])
    intro = (f"# Assignment: Chapter {number}. {title}\n\n"
             f"*Breaking Symmetry*, chapter {number}. {len(spec['questions'])} questions, {total} points, "
             f"about {spec['minutes']} minutes. Read the chapter first.\n\n"
             "Write your answer in the cell marked `...` of each question, run it, then run the "
             "`grader.check(...)` cell below it. A passing check means the answer has the right form "
             "and avoids the typical mistakes; your instructor grades it with further, hidden tests.")
    cells.append(nbf.v4.new_markdown_cell(intro))
    cells.append(nbf.v4.new_code_cell(colab_setup_cell()))
    cells.append(nbf.v4.new_code_cell(f'import otter\ngrader = otter.Notebook("{stem}.ipynb")'))
    cells.append(nbf.v4.new_code_cell(spec["setup"].strip()))
    for q in spec["questions"]:
        ex = exercises[q["exercise"]]
        cells.append(nbf.v4.new_raw_cell(f"# BEGIN QUESTION\nname: {q['name']}\npoints: {q.get('points', 1)}\nall_or_nothing: true"))
        head = f"**Question {q['name'][1:]}** ({q.get('points', 1)} points). From exercise `{q['exercise']}`"
        head += f" {ex['title']}" if ex["title"] else ""
        body = "" if q.get("variant") else myst_to_jupyter(ex["text"]) + "\n\n"
        if q.get("variant"):
            head = head.replace("From exercise", "A variation on exercise")
        cells.append(nbf.v4.new_markdown_cell(f"{head}\n\n{body}**Your task.** {q['ask'].strip()}"))
        blanks = "\n".join(f"{v} = ..." for v in q["answer"])
        cells.append(nbf.v4.new_raw_cell("# BEGIN SOLUTION"))
        cells.append(nbf.v4.new_code_cell(
            "\n".join(["# BEGIN SOLUTION NO PROMPT"] + q["solution"].strip().split("\n") + ["# END SOLUTION",
                       f'""" # BEGIN PROMPT\n{blanks}\n""" # END PROMPT'])))
        cells.append(nbf.v4.new_raw_cell("# END SOLUTION"))
        cells.append(nbf.v4.new_raw_cell("# BEGIN TESTS"))
        for kind, hidden, source in checks_of(q):
            conf = f'""" # BEGIN TEST CONFIG\nhidden: {str(hidden).lower()}\n""" # END TEST CONFIG\n'
            cells.append(nbf.v4.new_code_cell(conf + source))
        cells.append(nbf.v4.new_raw_cell("# END TESTS"))
        cells.append(nbf.v4.new_raw_cell("# END QUESTION"))
    nb = nbf.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


# ---------------------------------------------------------------- driver


def otter_command() -> list[str]:
    exe = Path(sys.executable).parent / "otter"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "otter"]


def build(stem: str, out: Path, run_otter: bool = True) -> Path:
    spec = load_spec(stem)
    problems = verify(stem, spec)
    if problems:
        raise SpecError("\n".join(problems))
    nbf = _nb()
    target = out / stem
    shutil.rmtree(target, ignore_errors=True)
    (target / "master").mkdir(parents=True)
    master = target / "master" / f"{stem}.ipynb"
    nbf.write(master_notebook(stem, spec), master)
    # The chapter's own worked solutions, for the instructor only (never in the student notebook).
    exercises = chapter_exercises(stem)
    notes = [f"# Chapter {int(stem[:2])}: the chapter's solutions (instructor's copy)\n"]
    for q in spec["questions"]:
        ex = exercises[q["exercise"]]
        if q.get("variant"):
            notes.append(f"## {q['name']}: a variation on {q['exercise']}\n\n```python\n{q['solution'].strip()}\n```\n")
            continue
        notes.append(f"## {q['name']}: exercise {q['exercise']}\n\n{myst_to_jupyter(ex['solution'])}\n\n"
                     f"Reference answer used by the autograder:\n\n```python\n{q['solution'].strip()}\n```\n")
    (target / "master" / "chapter_solutions.md").write_text("\n".join(notes))
    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    (target / "master" / "requirements.txt").write_text(f"initlab @ git+{repo}\n")
    if run_otter:
        result = subprocess.run(otter_command() + ["assign", str(master), str(target)],
                                cwd=target / "master", capture_output=True, text=True, timeout=900)
        if result.returncode != 0 or "❌" in result.stdout:
            raise RuntimeError(f"otter assign failed for {stem}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        # One stable name for the bundle (Otter stamps it with the time), plus the worked solutions.
        for zipped in (target / "autograder").glob(f"{stem}-autograder_*.zip"):
            zipped.replace(target / "autograder" / "autograder.zip")
        shutil.copy(target / "master" / "chapter_solutions.md", target / "autograder")
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stems", nargs="*", help="chapter stems (default: every chapter in _toc.yml with a spec)")
    parser.add_argument("--out", default=str(ROOT / "_build" / "assignments"))
    parser.add_argument("--no-otter", action="store_true", help="write the master notebooks only")
    args = parser.parse_args(argv)
    stems = args.stems or toc_chapters()
    out = Path(args.out).resolve()
    missing = [s for s in stems if not (SPECS / f"{s}.yml").exists()]
    for s in missing:
        print(f"no spec book/assignments/{s}.yml: no assignment for {s}", file=sys.stderr)
    for stem in stems:
        if stem in missing:
            continue
        start = time.perf_counter()
        target = build(stem, out, run_otter=not args.no_otter)
        print(f"{stem}: {target} ({time.perf_counter() - start:.1f} s)")
    return 1 if missing and not args.stems else 0


if __name__ == "__main__":
    sys.exit(main())
