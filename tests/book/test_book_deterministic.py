"""Two runs print the same text: each notebook executed again gives the outputs the build got."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from book_files import ROOT, notebooks

# Widget views carry fresh model ids on every run, and the build strips glue records from the
# executed copy (it moves them into the text); everything else must match exactly.
VOLATILE = ("application/vnd.jupyter.widget-view+json", "application/papermill.record/")


def _text_outputs(nb) -> list:
    out = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                if output.get("name") == "stdout":
                    out.append((i, "stdout", output.get("text", "")))
            elif "data" in output:
                for mime, value in sorted(output["data"].items()):
                    if not mime.startswith(VOLATILE):
                        out.append((i, mime, value if isinstance(value, str) else repr(value)))
    return out


@pytest.mark.parametrize("path", notebooks(), ids=[p.name for p in notebooks()])
def test_notebook_prints_the_same_text_twice(path, built_book):
    executed = built_book.html.parent / "jupyter_execute" / "book" / path.name
    assert executed.exists(), f"the build did not execute {path.name} ({executed})"
    first = nbformat.read(executed, as_version=4)
    second = nbformat.read(path, as_version=4)
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]
    NotebookClient(second, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    a, b = _text_outputs(first), _text_outputs(second)
    assert len(a) == len(b), f"{path.name}: different number of outputs ({len(a)} vs {len(b)})"
    for (cell_a, mime_a, text_a), (cell_b, mime_b, text_b) in zip(a, b):
        assert (cell_a, mime_a) == (cell_b, mime_b)
        assert text_a == text_b, f"{path.name}, cell {cell_a}, {mime_a}: outputs differ between runs"
