"""The package's layout rules (issue 14): a core that stays small, chapters that depend on the
core only, no private cross-module calls, no import cycles."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "initlab"
CORE = sorted(p for p in SRC.glob("*.py") if p.name != "__init__.py")
EXPERIMENTS = sorted(p for p in (SRC / "experiments").glob("*.py") if p.name != "__init__.py")
ALL = sorted(SRC.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """initlab modules imported by `path` (absolute names), including lazy imports."""
    tree = ast.parse(path.read_text())
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("initlab")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("initlab"):
                if node.module:  # "from . import x" imports x, not the package's __init__
                    found.add(target)
                for alias in node.names:  # "from . import plots" imports a module
                    candidate = f"{target}.{alias.name}"
                    if (SRC.parent / (candidate.replace(".", "/") + ".py")).exists():
                        found.add(candidate)
    return found


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_core_module_stays_within_its_size_budget(path):
    lines = len(path.read_text().splitlines())
    assert lines <= 500, f"{path.name} has {lines} lines; the core budget is 500 per module"


def test_forward_and_backward_come_first_and_fit_on_one_screen():
    source = (SRC / "network.py").read_text()
    tree = ast.parse(source)
    functions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    assert [f.name for f in functions[:2]] == ["forward", "backward"]
    assert functions[1].end_lineno - functions[0].lineno < 70


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.name)
def test_a_chapter_imports_the_core_and_never_another_chapter(path):
    for target in imports_of(path):
        assert not (target.startswith("initlab.experiments.") and target != module_name(path)), \
            f"{path.name} imports {target}: chapters depend on the core only"
        assert not target.startswith("initlab.widgets"), f"{path.name} imports {target}"


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_the_core_imports_no_chapter_and_no_widget(path):
    for target in imports_of(path):
        assert not target.startswith(("initlab.experiments", "initlab.widgets")), \
            f"core module {path.name} imports {target}"


#: Modules that reimplement a piece of a library on that library's private API, on purpose:
#: ``_text_cache.py`` draws text as matplotlib 3.11's Agg backend does (its glyph
#: API), only when that API exists, and tests/core/test_text_cache.py compares it with Agg.
LIBRARY_INTERNALS = {"_text_cache.py"}


def test_no_private_names_are_used_across_modules():
    """``other._name`` and ``from .x import _name`` only within a module (``_checks`` is the
    shared validation module and is meant to be imported)."""
    offences = []
    for path in ALL:
        if path.name in LIBRARY_INTERNALS:
            continue
        tree = ast.parse(path.read_text())
        # Private members of classes defined in this same module may be used here.
        own = {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        own |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)
                and isinstance(n.ctx, ast.Store)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name.startswith("_") and alias.name != "_checks" \
                            and not alias.name.startswith("__"):
                        offences.append(f"{path.name}: from {node.module} import {alias.name}")
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                    and not node.attr.startswith("__") and isinstance(node.value, ast.Name) \
                    and node.attr not in own:
                offences.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}")
    assert not offences, offences


def test_the_import_graph_has_no_cycles():
    graph = {module_name(p): {t for t in imports_of(p) if t != module_name(p)} for p in ALL}
    state: dict[str, int] = {}

    def visit(node, stack):
        state[node] = 1
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack + [node, nxt]))
            if nxt not in state:
                visit(nxt, stack + [node])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [])


def test_import_initlab_stays_light():
    code = ("import sys, initlab; heavy = [m for m in ('matplotlib', 'ipywidgets', 'scipy', "
            "'initlab.experiments.saddle', 'initlab.widgets') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
