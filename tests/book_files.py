"""What the tests need to know about the book's files (the TOC, notebooks, config)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"

sys.path.insert(0, str(ROOT / "_ext"))
import book_toc  # noqa: E402  (the TOC, read as the book build reads it)


def config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def toc_files() -> list[str]:
    """Every file named in _toc.yml (without suffix), root first."""
    return book_toc.toc_files(ROOT)


def source_of(toc_entry: str) -> Path:
    for suffix in (".ipynb", ".md"):
        path = ROOT / (toc_entry + suffix)
        if path.exists():
            return path
    raise FileNotFoundError(f"TOC entry {toc_entry!r} has no .ipynb or .md file")


def notebooks() -> list[Path]:
    return sorted(BOOK.glob("*.ipynb"))


def chapters() -> list[Path]:
    """Numbered chapter notebooks: book/NN_name.ipynb with NN >= 01."""
    return [p for p in notebooks() if p.name[:2].isdigit() and p.name[:2] != "00"]


def load(path: Path) -> dict:
    return json.loads(path.read_text())


def cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))
