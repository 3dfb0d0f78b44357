"""Checks of the built book as a reader's browser sees it (headless Chromium via Playwright).

Every check is a function that returns a list of problems (strings; empty = fine). The
browser tests apply them to every page of the TOC, and the "proof" tests apply the same
functions to pages broken on purpose, to show that each one can fail.

Used by tests/browser/test_browser_*.py and tests/browser/screenshots.py.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
HOW_TO_ENABLE = ("Browser checks of the built book need Chromium and Playwright: "
                 "apt-get install chromium (Debian) — CI's .ci/run does this.")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
#: The theme's own console message on a first visit with empty storage: not a page fault.
THEME_MODE_MESSAGE = "Got invalid theme mode: . Resetting to auto."


def browser_unavailable() -> str | None:
    """Why the browser checks cannot run here (None if they can)."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found. {HOW_TO_ENABLE}"
    try:
        import playwright.sync_api  # noqa: F401
    except Exception as exc:  # pragma: no cover - depends on the machine
        return f"playwright cannot be imported ({exc}). {HOW_TO_ENABLE}"
    return None


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# -- serving -----------------------------------------------------------------------------

class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


# -- network off, and a record of what went wrong while a page loaded ----------------------

class Recorder:
    """Console errors, uncaught exceptions, failed and blocked requests of one page."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.failed: list[str] = []
        self.bad_status: list[str] = []
        self.blocked: list[str] = []

    def attach(self, page) -> "Recorder":
        page.on("console", lambda msg: self.console_errors.append(msg.text)
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("requestfailed", lambda req: self.failed.append(
            f"{req.url[:200]} ({req.failure})"))
        page.on("response", lambda resp: self.bad_status.append(f"{resp.url[:200]} (HTTP {resp.status})")
                if resp.status >= 400 else None)
        return self


def network_off(context, blocked: list[str]) -> None:
    """Abort every request of ``context`` to a host other than 127.0.0.1/localhost and
    record it in ``blocked``."""
    def handle(route):
        url = route.request.url
        if url.startswith(("data:", "blob:", "about:")) or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(url[:200])
            route.abort("blockedbyclient")
    context.route("**/*", handle)


def new_context(browser, blocked: list[str], **options):
    context = browser.new_context(**options)
    network_off(context, blocked)
    return context


# -- checks ------------------------------------------------------------------------------

def check_console(rec: Recorder) -> list[str]:
    problems = [f"console error: {text}" for text in rec.console_errors if text.strip() != THEME_MODE_MESSAGE]
    problems += [f"uncaught exception: {text}" for text in rec.page_errors]
    return problems


def check_requests(rec: Recorder, blocked: list[str]) -> list[str]:
    problems = [f"request to another site (network is off): {url}" for url in blocked]
    problems += [f"request failed: {text}" for text in rec.failed
                 if not any(text.startswith(url) for url in blocked)]
    problems += [f"bad status: {text}" for text in rec.bad_status]
    return problems


_WAIT_FOR_MATHJAX = """async () => {
  const mj = window.MathJax;
  if (!mj || !mj.startup || !mj.startup.promise) return false;
  await mj.startup.promise;
  return true;
}"""

# Text nodes a reader sees (not in code, scripts or typeset math), with TeX delimiters left raw.
_RAW_TEX = r"""() => {
  const skip = 'script,style,noscript,template,pre,code,kbd,samp,textarea,mjx-container,.highlight';
  const hits = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const re = /\\\(|\\\)|\\\[|\\\]|\$\$|\\begin\{|\\end\{/;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip)) continue;
    if (el.getClientRects().length === 0 && !el.closest('.admonition')) continue;  // display:none
    const m = node.textContent.match(re);
    if (m) {
      const i = Math.max(0, m.index - 30);
      hits.push(node.textContent.slice(i, m.index + 40).replace(/\s+/g, ' ').trim());
    }
  }
  return hits;
}"""

_MATH_STATE = r"""() => {
  const state = {
    containers: document.querySelectorAll('mjx-container').length,
    untypeset: Array.from(document.querySelectorAll('.math'))
        .filter(el => !el.querySelector('mjx-container'))
        .map(el => el.textContent.trim().slice(0, 80)),
    errors: [], undefined: []};
  // MathJax's own record of what it typeset: the TeX source and the MathML tree made of it.
  const doc = window.MathJax && MathJax.startup && MathJax.startup.document;
  for (const item of (doc && doc.math ? Array.from(doc.math) : [])) {
    const tex = String(item.math).trim().slice(0, 80);
    if (!item.root || !item.root.walkTree) continue;
    item.root.walkTree(node => {
      if (node.isKind('merror'))
        state.errors.push((node.attributes.get('data-mjx-error') || 'error') + ' in ' + tex);
      // the "noundefined" extension typesets an unknown macro such as \foo as red text
      else if (node.isKind('mtext') && node.attributes.get('mathcolor') === 'red')
        state.undefined.push(tex);
    });
  }
  if (!doc) state.errors.push(...Array.from(document.querySelectorAll('mjx-merror'))
      .map(el => el.getAttribute('data-mjx-error') || 'error'));
  return state;
}"""


def wait_for_math(page, timeout_ms: int = 20000) -> bool:
    """Wait until MathJax has typeset the page (False if MathJax never started)."""
    page.wait_for_load_state("load")
    try:
        page.wait_for_function("() => !!(window.MathJax && window.MathJax.startup && "
                               "window.MathJax.startup.promise)", timeout=3000)
    except Exception:
        return False
    return bool(page.evaluate(_WAIT_FOR_MATHJAX))


def check_math(page, expect_math: bool) -> list[str]:
    """Every equation typeset: MathJax ran, no parse errors or undefined macros, no TeX
    delimiters left raw in visible text outside code, and at least one typeset equation if
    the page's source has math."""
    problems = []
    if not wait_for_math(page):
        problems.append("MathJax never started (script missing or blocked?)")
    state = page.evaluate(_MATH_STATE)
    problems += [f"MathJax could not typeset: {e}" for e in state["errors"]]
    problems += [f"undefined TeX macro: {u}" for u in state["undefined"]]
    problems += [f"equation left as TeX: {t}" for t in state["untypeset"]]
    problems += [f"raw TeX delimiter in visible text: …{t}…" for t in page.evaluate(_RAW_TEX)]
    if expect_math and state["containers"] == 0:
        problems.append("the source has math but the page shows no typeset equation (mjx-container)")
    return problems


_IMAGES = """async () => {
  // An explorer's view that the reader has not selected yet has data-src and no src: it is
  // fetched on demand (tests/browser/explorer_checks.py loads every one of them).
  const imgs = Array.from(document.images).filter(img => img.getAttribute('src') || !img.hasAttribute('data-src'));
  for (const img of imgs) { img.loading = 'eager'; }
  await Promise.all(imgs.map(img => img.complete ? null : new Promise(resolve => {
    img.addEventListener('load', resolve); img.addEventListener('error', resolve);
    setTimeout(resolve, 5000);
  })));
  return imgs.map(img => ({src: img.getAttribute('src') || '', alt: img.getAttribute('alt'),
                           width: img.naturalWidth}));
}"""


def _short(src: str) -> str:
    return src[:40] + "…" if src.startswith("data:") else src[:120]


def check_images(page) -> list[str]:
    """Every image loaded (naturalWidth > 0) and has non-empty alt text."""
    problems = []
    for img in page.evaluate(_IMAGES):
        if img["width"] == 0:
            problems.append(f"image did not load: {_short(img['src'])}")
        if not (img["alt"] or "").strip():
            problems.append(f"image without alt text: {_short(img['src'])}")
    return problems


_IDS_RE = re.compile(r'\s(?:id|name)\s*=\s*"([^"]*)"|\s(?:id|name)\s*=\s*\'([^\']*)\'')


@functools.lru_cache(maxsize=None)
def _ids_in(path: Path) -> frozenset:
    text = path.read_text(errors="replace")
    return frozenset(a or b for a, b in _IDS_RE.findall(text))


def check_links(page, base_url: str, html_dir: Path) -> list[str]:
    """Every internal link resolves: its target file exists and its #anchor is an id there."""
    problems = []
    page_url = page.url.split("#")[0]
    live_ids = set(page.evaluate("() => Array.from(document.querySelectorAll('[id],[name]'))"
                                 ".map(e => e.id || e.getAttribute('name'))"))
    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href]'))"
                          ".map(a => a.getAttribute('href'))")
    for href in sorted(set(hrefs)):
        if not href or href == "#" or href.startswith(("mailto:", "javascript:", "data:", "tel:")):
            continue
        url = urljoin(page_url, href)
        parts = urlsplit(url)
        if not url.startswith(base_url):
            if parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS:
                problems.append(f"link to another local server: {href}")
            continue  # links to other sites are not followed: the network is off
        rel = unquote(parts.path[len(urlsplit(base_url).path):])
        target = html_dir / rel
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            problems.append(f"broken link: {href} (no file {rel or '/'})")
            continue
        anchor = unquote(parts.fragment)
        if anchor and target.suffix == ".html":
            same_page = url.split("#")[0] == page_url
            ids = _ids_in(target) | (live_ids if same_page else set())
            if anchor not in ids:
                problems.append(f"broken anchor: {href} (no id {anchor!r} in {rel})")
    return problems


def check_explorers(page) -> list[str]:
    """Each explorer shows its kernel-free view: visible, with at least one loaded, visible image."""
    problems = []
    for i, explorer in enumerate(page.query_selector_all("div.initlab-explorer"), 1):
        if not explorer.is_visible():
            problems.append(f"explorer {i} is not visible")
        shown = [img for img in explorer.query_selector_all("img")
                 if img.is_visible() and img.evaluate("img => img.complete && img.naturalWidth > 0")]
        if not shown:
            problems.append(f"explorer {i} shows no loaded image (kernel-free view missing)")
    return problems


def _content_visible(solution) -> bool:
    return any(el.is_visible() for el in solution.query_selector_all(":scope > :not(.admonition-title)"))


def check_solutions(page) -> list[str]:
    """Exercise solutions are hidden until toggled and visible after a click on the toggle.
    (Clicks the toggles: run it last on a page.)"""
    problems = []
    page.wait_for_load_state("load")
    for solution in page.query_selector_all("div.solution"):
        name = solution.get_attribute("id") or "solution"
        if _content_visible(solution):
            problems.append(f"{name}: solution visible before it is toggled")
            continue
        toggle = solution.query_selector(".admonition-title .toggle-button") or \
            solution.query_selector(".admonition-title")
        if toggle is None:
            problems.append(f"{name}: no toggle to show the solution")
            continue
        toggle.scroll_into_view_if_needed()
        toggle.click()
        try:
            page.wait_for_function("el => Array.from(el.children).some(c => "
                                   "!c.classList.contains('admonition-title') && "
                                   "getComputedStyle(c).visibility === 'visible' && "
                                   "c.getBoundingClientRect().height > 0)", arg=solution, timeout=3000)
        except Exception:
            problems.append(f"{name}: solution still hidden after clicking its toggle")
    return problems


def audit(page, url: str, base_url: str, html_dir: Path, rec: Recorder, blocked: list[str],
          expect_math: bool) -> dict[str, list[str]]:
    """Visit ``url`` once and run every check. Returns {check name: problems}."""
    response = page.goto(url, wait_until="load")
    status = [] if response is not None and response.ok else [f"page did not load: {url}"]
    result = {"math": check_math(page, expect_math),
              "images": check_images(page),
              "links": check_links(page, base_url, html_dir),
              "explorers": check_explorers(page),
              "solutions": check_solutions(page)}
    page.wait_for_timeout(100)  # let late console messages and requests arrive
    result["console"] = check_console(rec)
    result["requests"] = status + check_requests(rec, blocked)
    return result


_MATH_SOURCE = re.compile(r"(?<!\\)\$[^$\s][^$]*\$|\$\$|\{math\}|\\begin\{(equation|align)|\\\(|\\\[")


def source_has_math(source: Path) -> bool:
    """Whether a page's source (Markdown, or a notebook's Markdown cells) holds math."""
    if source.suffix == ".ipynb":
        import json
        cells = json.loads(source.read_text())["cells"]
        text = "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                         for c in cells if c["cell_type"] == "markdown")
    else:
        text = source.read_text()
    text = re.sub(r"```.*?```|`[^`\n]*`", "", text, flags=re.S)  # code is not math
    return bool(_MATH_SOURCE.search(text))


def link_tree(html_dir: Path, dest: Path) -> None:
    """Mirror ``html_dir`` into ``dest`` as symlinks, so pages can be added or replaced in
    ``dest`` without touching the built book."""
    for root, dirs, files in os.walk(html_dir):
        rel = Path(root).relative_to(html_dir)
        (dest / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            (dest / rel / name).symlink_to(Path(root) / name)
