"""Sphinx extension: the launch buttons (Binder, Colab) and the .ipynb download of every
chapter open its *reading form*, ``notebooks/<chapter>.ipynb`` (see ``_ext/reader_form.py``),
instead of the MyST source in ``book/``, which Jupyter front ends show as raw markup.

sphinx-book-theme 1.3 builds the launch URLs in ``add_launch_buttons`` (an
``html-page-context`` handler at priority 501) from the page's path in the repository, e.g.
``.../lab/tree/book/05_scale.ipynb`` and ``colab.../blob/main/book/05_scale.ipynb``, and the
download entries from ``_sources/book/05_scale.ipynb``. This handler runs after it (priority
502) and points those URLs at ``notebooks/05_scale.ipynb``; the download gets a copy of the
reader notebook, written into the HTML output under ``notebooks/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

READER_DIR = "notebooks"


def _reader_file(app, pagename: str) -> Path | None:
    if not pagename.startswith("book/"):
        return None
    candidate = Path(app.srcdir) / READER_DIR / (Path(pagename).name + ".ipynb")
    return candidate if candidate.exists() else None


def _walk(buttons):
    for button in buttons:
        yield button
        yield from _walk(button.get("buttons", []))


def point_buttons_at_reader(app, pagename, templatename, context, doctree):
    reader = _reader_file(app, pagename)
    if reader is None or "header_buttons" not in context:
        return
    stem = reader.name
    source_rel = f"{pagename}.ipynb"               # book/05_scale.ipynb, as the theme wrote it
    reader_rel = f"{READER_DIR}/{stem}"             # notebooks/05_scale.ipynb
    # the download: a copy of the reader notebook inside the HTML output
    target = Path(app.outdir) / READER_DIR / stem
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(reader, target)
    download_url = context["pathto"](reader_rel, 1)
    for button in _walk(context["header_buttons"]):
        url = button.get("url")
        if not isinstance(url, str):
            continue
        if url.endswith(f"_sources/{source_rel}"):
            button["url"] = download_url
            button["tooltip"] = "Download the notebook (reading form)"
        elif source_rel in url and ("/lab/tree/" in url or "/tree/" in url or "/blob/" in url):
            button["url"] = url.replace(source_rel, reader_rel)


def setup(app):
    app.connect("html-page-context", point_buttons_at_reader, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
