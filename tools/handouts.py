"""Print handouts: one PDF per chapter of _toc.yml, from the built HTML book, with headless
Chromium (Playwright's page.pdf) and the print stylesheet _static/print.css. Offline: the book is
served on 127.0.0.1 and every other request is refused. `make pdf`.

Usage: ``python tools/handouts.py [_build/html] [_build/pdf] [stem ...]``.
"""

from __future__ import annotations

import functools
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from assignments import chapter_title, toc_chapters  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Wait until MathJax has typeset the page (if the page has MathJax at all) and images are loaded.
_READY = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await Promise.all(Array.from(document.images).filter(i => !i.complete)
                    .map(i => new Promise(r => { i.onload = i.onerror = r; })));
  return true;
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(directory: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def make_pdfs(html: Path, out: Path, stems: list[str], browser=None) -> dict[str, float]:
    """Print each chapter of the built book `html` to ``out/<stem>.pdf``; returns the seconds
    per chapter. `browser` is a running Playwright Chromium to reuse (the test session has
    one); without it, one is started here."""
    out.mkdir(parents=True, exist_ok=True)
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                return make_pdfs(html, out, stems, browser)
            finally:
                browser.close()
    server, base = _serve(html)
    timings = {}
    try:
        context = browser.new_context(viewport={"width": 1000, "height": 1400})
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                      else route.abort("blockedbyclient"))
        for stem in stems:
            start = time.perf_counter()
            page_file = html / "book" / f"{stem}.html"
            if not page_file.exists():
                raise FileNotFoundError(f"{page_file} is missing: build the book first (make book)")
            page = context.new_page()
            page.emulate_media(media="print")
            page.goto(base + f"book/{stem}.html", wait_until="load")
            page.evaluate(_READY)
            title = f"Breaking Symmetry, chapter {int(stem[:2])}: {chapter_title(stem)}"
            page.pdf(path=str(out / f"{stem}.pdf"), format="A4", print_background=True,
                     prefer_css_page_size=True, display_header_footer=True,
                     header_template="<span></span>",
                     footer_template=('<div style="font-size:8px;width:100%;text-align:center;color:#555">'
                                      f'{title} · page <span class="pageNumber"></span> of '
                                      '<span class="totalPages"></span></div>'),
                     margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"})
            page.close()
            timings[stem] = time.perf_counter() - start
        context.close()
    finally:
        server.shutdown()
        server.server_close()
    return timings


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    html = Path(argv.pop(0)) if argv else ROOT / "_build" / "html"
    out = Path(argv.pop(0)) if argv else ROOT / "_build" / "pdf"
    stems = argv or toc_chapters()
    for stem, seconds in make_pdfs(html, out, stems).items():
        print(f"{out / (stem + '.pdf')} ({seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
