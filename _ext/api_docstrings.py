"""Docstrings on the API page (book/api.md) read as they do in ``help()``.

initlab's docstrings are NumPy style and are written for a reader at a Python prompt, where
``|x|`` is the natural way to write an absolute value or a norm.  In reStructuredText a pair
of bars is a substitution reference, so this hook escapes every bar of a docstring before
autodoc parses it (the docstrings use no grid tables, the one rST construct that needs bars).
"""

from __future__ import annotations


def _escape_bars(app, what, name, obj, options, lines):
    for i, line in enumerate(lines):
        if "|" in line and "\\|" not in line:
            lines[i] = line.replace("|", "\\|")


def setup(app):
    app.setup_extension("sphinx.ext.autodoc")
    app.connect("autodoc-process-docstring", _escape_bars)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
