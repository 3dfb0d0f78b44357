"""Small tables computed live: HTML in notebooks and in the book, Markdown as text.

pandas is not a dependency of the book; these few lines are all the chapters need.
"""

from __future__ import annotations

import html

import numpy as np

__all__ = ["Table", "html_table", "subscript"]


class Table:
    """A small table that shows as HTML in notebooks and in the book.

    Parameters
    ----------
    headers : list of str
    rows : list of lists (cells are str or numbers; numbers shown with `fmt`)
    fmt : str, default ".3g"
    caption : str, optional
    """

    def __init__(self, headers, rows, fmt=".3g", caption=""):
        headers = [str(h) for h in headers]
        if not headers:
            raise ValueError("a table needs at least one column: give one header per column")
        for i, row in enumerate(rows):
            if len(row) != len(headers):
                raise ValueError(f"row {i} has {len(row)} cells but there are {len(headers)} headers")
        self.headers, self.rows, self.fmt, self.caption = headers, [list(r) for r in rows], fmt, caption

    def _cell(self, value):
        if isinstance(value, (float, np.floating)):
            return format(float(value), self.fmt)
        return str(value)

    def to_markdown(self):
        """The table as Markdown (pipe table)."""
        lines = ["| " + " | ".join(self.headers) + " |",
                 "|" + "|".join("---" for _ in self.headers) + "|"]
        lines += ["| " + " | ".join(self._cell(c) for c in row) + " |" for row in self.rows]
        return "\n".join(lines)

    def _repr_html_(self):
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.headers)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(self._cell(c))}</td>" for c in row)
                       + "</tr>" for row in self.rows)
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return (f'<table class="table initlab-table">{caption}<thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def _repr_markdown_(self):
        return self.to_markdown()

    def __repr__(self):
        return self.to_markdown()


def html_table(headers, rows, fmt=".3g") -> str:
    """The HTML of ``Table(headers, rows, fmt)`` (display it with ``IPython.display.HTML``)."""
    return Table(headers, rows, fmt=fmt)._repr_html_()


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def subscript(text) -> str:
    """The digits of `text` as Unicode subscripts: ``subscript(12)`` → "₁₂" (for W₁, b₁₂)."""
    return str(text).translate(_SUBSCRIPTS)
