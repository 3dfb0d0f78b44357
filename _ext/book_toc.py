"""The book's table of contents and chapter sources, read in one place for the build's
extensions, the tools (assignments, handouts) and the tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml


def toc_files(root: Path) -> list[str]:
    """Every file named in ``root/_toc.yml`` (without suffix), the root page first."""
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def numbered_chapters(root: Path) -> list[str]:
    """Stems (``NN_name``) of the numbered chapters 01, 02, ... in TOC order: notebooks
    under ``book/``; the pilot page 00 is not one."""
    stems = [Path(entry).name for entry in toc_files(root)]
    return [stem for stem in stems if re.match(r"\d\d_", stem) and not stem.startswith("00_")
            and (Path(root) / "book" / f"{stem}.ipynb").exists()]


def markdown_cells(root: Path, stem: str) -> list[str]:
    """The markdown cells' sources of chapter ``stem``."""
    nb = json.loads((Path(root) / "book" / f"{stem}.ipynb").read_text())
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "markdown"]
