"""Small helpers for the book's notebooks.

``glue`` hands a computed number to the prose (myst-nb's ``{glue:text}`` role); where
myst-nb is not installed (a bare Colab runtime) it does nothing, so the notebook still runs.
"""

from __future__ import annotations

import sys

__all__ = ["glue", "in_colab"]


def in_colab() -> bool:
    """True when running on Google Colab."""
    return "google.colab" in sys.modules


def glue(name: str, value, display: bool = False):
    """Record ``value`` under ``name`` for the book's text (myst-nb ``glue``).

    Numbers quoted in the prose are never typed by hand: the notebook computes them and
    glues them, and the text refers to them with ``{glue:text}`\\`name:format\\```.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"glue name must be an identifier such as 'escape_slope', got {name!r}.")
    try:
        from myst_nb import glue as _glue
    except ImportError:  # not building the book: nothing to record
        return None
    return _glue(name, value, display=display)
