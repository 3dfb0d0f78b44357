"""Sphinx extension: each explorer view of the HTML book in its own image file, fetched on demand.

An explorer's notebook output (``initlab.widgets.Explorer.static_html``) carries every
pre-rendered view as a PNG data URI, so it is self-contained in any notebook front end. In
the HTML book that would make a page carry every view of every explorer. When a page is
written, this extension moves each view's PNG into ``_images/explorers/<sha1>.png`` (named by
content, so a rebuild rewrites nothing that did not change) and rewrites its ``<img>``:

* the starting view (``data-initial``) keeps a ``src`` and loads with the page;
* every other view gets ``data-src`` only, and ``_static/initlab-explorers.js`` sets its
  ``src`` the first time a reader selects it.

It also makes sure the script is included (Jupyter Book adds every ``_static/*.js`` to every
page itself; plain Sphinx would not).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

SCRIPT = "initlab-explorers.js"
FOLDER = "_images/explorers"
_IMG = re.compile(r'<img class="initlab-explorer-img" src="data:image/png;base64,([A-Za-z0-9+/=]+)"'
                  r'([^>]*?)/?>')


def move_views(body: str, outdir: Path, url_of) -> tuple[str, int]:
    """Write every explorer view PNG of ``body`` to ``outdir/_images/explorers`` and point its
    ``<img>`` there. ``url_of(path)`` gives the URL of an output path as seen from the page.
    Returns the new body and the number of views moved."""
    moved = 0

    def replace(match):
        nonlocal moved
        png = base64.b64decode(match.group(1))
        name = hashlib.sha1(png).hexdigest()[:20] + ".png"
        target = outdir / FOLDER / name
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(f".{id(match)}.tmp")
            tmp.write_bytes(png)
            tmp.replace(target)  # atomic: parallel writers never see half a file
        url = url_of(f"{FOLDER}/{name}")
        rest = match.group(2)
        moved += 1
        if "data-initial" in rest:
            return f'<img class="initlab-explorer-img" src="{url}"{rest}/>'
        return f'<img class="initlab-explorer-img" data-src="{url}"{rest}/>'

    return _IMG.sub(replace, body), moved


def _page_context(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if not body or "initlab-explorer-img" not in body:
        return
    pathto = context["pathto"]
    context["body"], _ = move_views(body, Path(app.outdir), lambda path: pathto(path, 1))


def _ensure_script(app, config):
    static = [str(p) for p in getattr(config, "html_static_path", [])]
    js = [item if isinstance(item, str) else item[0] for item in config.html_js_files]
    if SCRIPT not in js:
        config.html_js_files.append(SCRIPT)
    if "_static" not in [Path(p).name for p in static]:
        config.html_static_path.append(str(Path(app.confdir) / "_static"))


def setup(app):
    app.connect("config-inited", _ensure_script)
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
