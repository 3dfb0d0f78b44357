"""Full-page screenshots of every TOC page: desktop (1280 px) and phone (390 px), light and dark.

    python tests/browser/screenshots.py HTML_DIR OUT_DIR      (make screenshots)

Writes OUT_DIR/<page>--<desktop|phone>-<light|dark>.png, served from 127.0.0.1 with the network
off, after MathJax has typeset the page. Prints what a glance at the PNGs should check:
pages that scroll sideways, and elements wider than the page (tables, code, figures, equations).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import reader_checks as rc  # noqa: E402
from book_files import toc_files  # noqa: E402

VIEWPORTS = {"desktop": {"width": 1280, "height": 900},
             "phone": {"width": 390, "height": 844}}
MODES = ("light", "dark")

# Elements whose right edge passes the viewport (ignoring ones inside a scrolling container,
# which the reader can scroll, and the off-canvas sidebars).
_OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth, out = [];
  const scrolls = el => { for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p).overflowX; if (s === 'auto' || s === 'scroll') return true; }
    return false; };
  for (const el of document.querySelectorAll('.bd-article *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 1 && !scrolls(el))
      out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
               ? '.' + el.className.trim().split(/\\s+/).slice(0, 2).join('.') : '') +
               ` (right edge ${Math.round(r.right)} px > ${vw})`);
  }
  return {page: document.documentElement.scrollWidth > vw + 1, elements: [...new Set(out)].slice(0, 8)};
}"""


def main(html_dir: str, out_dir: str) -> int:
    reason = rc.browser_unavailable()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    html, out = Path(html_dir).resolve(), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    findings, count, start = [], 0, time.perf_counter()
    with rc.serve(html) as base_url, sync_playwright() as p:
        browser = rc.launch(p)
        for view, viewport in VIEWPORTS.items():
            for mode in MODES:
                blocked: list[str] = []
                phone = view == "phone"
                context = rc.new_context(browser, blocked, viewport=viewport, color_scheme=mode,
                                         is_mobile=phone, has_touch=phone)
                # pydata-sphinx-theme 0.17 reads localStorage "mode" (light/dark/auto) and "theme".
                context.add_init_script(f"localStorage.setItem('mode', '{mode}');"
                                        f"localStorage.setItem('theme', '{mode}');")
                page = context.new_page()
                for entry in toc_files():
                    if not (html / f"{entry}.html").exists():
                        findings.append(f"{entry}: no built page")
                        continue
                    page.goto(f"{base_url}{entry}.html", wait_until="load")
                    rc.wait_for_math(page)
                    rc.check_images(page)  # waits for every image
                    page.wait_for_timeout(300)  # fonts, theme switch
                    target = out / f"{entry.replace('/', '__')}--{view}-{mode}.png"
                    page.screenshot(path=str(target), full_page=True)
                    count += 1
                    if mode == "light":
                        ov = page.evaluate(_OVERFLOW)
                        if ov["page"] or ov["elements"]:
                            findings.append(f"{entry} [{view}]: "
                                            + ("page scrolls sideways; " if ov["page"] else "")
                                            + "; ".join(ov["elements"]))
                findings += [f"blocked request to another site: {u}" for u in sorted(set(blocked))]
                context.close()
        browser.close()
    print(f"{count} screenshots in {out} ({time.perf_counter() - start:.0f} s)")
    for line in findings:
        print("CHECK:", line)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
