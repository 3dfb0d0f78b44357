"""The book's conventions, checked on the committed sources (fast; no execution)."""

from __future__ import annotations

import re

import pytest

from book_files import (BOOK, ROOT, cell_source, chapters, config, load, notebooks, source_of,
                        tags, toc_files)

NOTEBOOKS = notebooks()
IDS = [p.name for p in NOTEBOOKS]


def test_every_toc_entry_has_a_source_and_every_notebook_is_in_the_toc():
    entries = toc_files()
    for entry in entries:
        source_of(entry)  # raises if missing
    in_toc = {ROOT / (e + ".ipynb") for e in entries}
    missing = [p.name for p in NOTEBOOKS if p not in in_toc]
    assert not missing, f"notebooks not in _toc.yml: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_committed_without_outputs(path):
    nb = load(path)
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, (f"{path.name}: cells {dirty} carry outputs or execution counts; "
                       "clear them (e.g. `jupyter nbconvert --clear-output --inplace`) before committing")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_opens_with_hidden_colab_setup_from_the_configured_repository(path):
    nb = load(path)
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    source = cell_source(first_code)
    assert "remove-cell" in tags(first_code), f"{path.name}: the Colab set-up cell must be tagged remove-cell"
    assert "google.colab" in source, f"{path.name}: the first code cell must be the Colab set-up cell"
    url = config()["repository"]["url"]
    assert f"git+{url}" in source, (f"{path.name}: the Colab cell must install from {url} "
                                    "(the repository URL of _config.yml)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_asserts_its_claims_in_hidden_cells(path):
    nb = load(path)
    checks = [c for c in nb["cells"] if c["cell_type"] == "code" and "remove-cell" in tags(c)
              and re.search(r"^\s*assert\b", cell_source(c), re.M)]
    assert checks, f"{path.name}: no hidden (remove-cell) cell asserts what the prose claims"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_quotes_numbers_through_glue(path):
    nb = load(path)
    text = "\n".join(cell_source(c) for c in nb["cells"])
    glued = set(re.findall(r"glue\(\s*[\"'](\w+)[\"']", text))
    used = set(re.findall(r"\{glue(?::\w+)?\}`(\w+)", text))
    assert used, f"{path.name}: the prose quotes no computed number with {{glue:text}}"
    assert used <= glued, f"{path.name}: glue names used but never glued: {sorted(used - glued)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_defines_no_helpers(path):
    """Anything a chapter computes lives in initlab; notebooks call it."""
    nb = load(path)
    defs = [cell_source(c).split("\n")[0] for c in nb["cells"] if c["cell_type"] == "code"
            and re.search(r"^\s*(def|class)\s", cell_source(c), re.M)
            and "solution" not in " ".join(tags(c))]
    assert not defs, f"{path.name}: define helpers in initlab, not in the notebook: {defs}"


@pytest.mark.parametrize("path", chapters(), ids=[p.name for p in chapters()])
def test_chapter_has_the_parts_every_chapter_has(path):
    nb = load(path)
    md = "\n".join(cell_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert re.search(r"learning objectives", md, re.I), f"{path.name}: learning objectives missing"
    assert re.search(r"prerequisites", md, re.I), f"{path.name}: prerequisites missing"
    assert len(re.findall(r"^[:`]{3,}\{exercise\}", md, re.M)) >= 3, f"{path.name}: fewer than 3 exercises"
    solutions = re.findall(r"^[:`]{3,}\{solution\}[^\n]*\n((?::\w+:[^\n]*\n)*)", md, re.M)
    assert len(solutions) >= 3, f"{path.name}: fewer than 3 solutions"
    assert all(":class: dropdown" in opts for opts in solutions), \
        f"{path.name}: every solution must be hidden behind a toggle (:class: dropdown)"
    assert "{bibliography}" in md, f"{path.name}: references section missing"
    assert re.search(r"in one sentence", md, re.I), f"{path.name}: 'In one sentence' summary missing"
    assert re.search(r"\{(cite|cite:p|cite:t)\}`", md), f"{path.name}: cites nothing"
    code = "\n".join(cell_source(c) for c in nb["cells"] if c["cell_type"] == "code")
    assert len(re.findall(r"plots\.show\(", code)) >= 3, f"{path.name}: fewer than 3 figures"
    assert "Explorer" in code or "explorer" in code, f"{path.name}: no explorer"


def test_config_serves_math_and_widgets_offline():
    cfg = config()
    assert "sphinx-mathjax-offline" in cfg["sphinx"]["extra_extensions"]
    assert cfg["sphinx"]["config"]["nb_ipywidgets_js"] == {}


@pytest.mark.parametrize("path", NOTEBOOKS + [BOOK / "index.md"], ids=IDS + ["index.md"])
def test_each_page_cites_through_its_own_key_prefix(path):
    """Two pages citing the same paper would collide (duplicate citation warnings) unless each
    page's bibliography has its own :keyprefix: and its citations use it."""
    text = path.read_text() if path.suffix == ".md" else \
        "\n".join(cell_source(c) for c in load(path)["cells"] if c["cell_type"] == "markdown")
    prefixes = re.findall(r":keyprefix:\s*(\S+)", text)
    assert len(prefixes) == 1, f"{path.name}: the bibliography needs exactly one :keyprefix:"
    keys = [k.strip() for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text) for k in group.split(",")]
    unprefixed = [k for k in keys if not k.startswith(prefixes[0])]
    assert not unprefixed, f"{path.name}: citations without the page's prefix {prefixes[0]!r}: {unprefixed}"
