"""How long the book takes to run and build, and how heavy its pages are.

    python benchmarks/book.py [--skip-notebooks] [--skip-build] [--html DIR] [--strict]

Prints four tables:
  1. each book/*.ipynb executed with nbclient in this environment's kernel (slowest first);
  2. a clean build (`jupyter-book build` into an empty temporary --path-output);
  3. a warm rebuild (the same command again, execution cache and doctrees present);
  4. the weight of each TOC page: its HTML (figures are inline data: PNGs) plus the local
     images/data it references; scripts and stylesheets (shared, cached) are shown apart.
Targets: every notebook <= 20 s, clean build <= 3 min, no page over 3 MB ("!!" marks a miss;
with --strict the exit code is 1 if any is missed).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from book_files import notebooks, toc_files  # noqa: E402

NOTEBOOK_TARGET_S = 20.0
BUILD_TARGET_S = 180.0
PAGE_TARGET_KB = 3 * 1024
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": str(BIN) + os.pathsep + os.environ.get("PATH", "")}


def time_notebook(path: Path, timeout: int = 600) -> tuple[float, str]:
    """Wall time of executing ``path`` from a fresh kernel (start-up included), and 'ok' or the error."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    try:
        client.execute()
        status = "ok"
    except Exception as exc:  # report, do not stop: the table is the point
        last = re.sub(r"\x1b\[[0-9;]*m", "", str(exc)).strip().splitlines() or [""]
        status = f"FAILED: {type(exc).__name__}: {last[-1][:80]}"
    return time.perf_counter() - start, status


def build(out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run([str(BIN / "jupyter-book"), "build", str(ROOT), "--path-output", str(out),
                             "-W", "-n", "--keep-going"], cwd=ROOT, env=ENV,
                            capture_output=True, text=True)
    (out / "benchmark-build.log").write_text(result.stdout + "\n" + result.stderr)
    return time.perf_counter() - start, result.returncode


_REFS = re.compile(r'<(img|script|link|source|video|audio|object|embed|a)\b[^>]*?\s(src|href|data)="([^"]+)"',
                   re.I)


def page_weight(html_dir: Path, entry: str) -> dict:
    """Sizes in KB: html (with inline data: images), inline images, referenced media/data,
    and shared scripts/stylesheets."""
    page = html_dir / f"{entry}.html"
    text = page.read_text(errors="replace")
    inline = sum(len(m) for m in re.findall(r'data:image/[^"\')\s]+', text))
    media, shared, seen = 0, 0, set()
    for tag, attr, url in _REFS.findall(text):
        if url.startswith(("data:", "http:", "https:", "mailto:", "#", "javascript:")):
            continue
        tag = tag.lower()
        target = (page.parent / unquote(urlsplit(url).path)).resolve()
        if target in seen or not target.is_file():
            continue
        if tag == "a":  # only links to data files that a reader downloads with the page
            if target.suffix.lower() not in {".png", ".jpg", ".jpeg", ".gif", ".svg", ".csv", ".json", ".npz"}:
                continue
        seen.add(target)
        size = target.stat().st_size
        if tag in ("script", "link") and target.suffix in (".js", ".css", ".woff", ".woff2"):
            shared += size
        elif tag == "link":
            continue  # favicons, search, etc.
        else:
            media += size
    size = page.stat().st_size
    return {"html": size / 1024, "inline": inline / 1024, "media": media / 1024,
            "total": (size + media) / 1024, "shared": shared / 1024}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-notebooks", action="store_true")
    ap.add_argument("--skip-build", action="store_true", help="no clean/warm build; needs --html")
    ap.add_argument("--html", type=Path, help="weigh the pages of this built book instead")
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = ap.parse_args(argv)
    missed = []

    if not args.skip_notebooks:
        rows = [(p, *time_notebook(p)) for p in notebooks()]
        rows.sort(key=lambda r: -r[1])
        print(f"\n1. Notebook execution (fresh kernel, start-up included; target <= {NOTEBOOK_TARGET_S:.0f} s)")
        print(f"   {'notebook':<48} {'seconds':>8}  status")
        for path, seconds, status in rows:
            flag = "!!" if seconds > NOTEBOOK_TARGET_S or status != "ok" else "  "
            print(f"{flag} {path.name:<48} {seconds:8.1f}  {status}")
            if flag == "!!":
                missed.append(f"notebook {path.name}: {seconds:.1f} s, {status}")
        print(f"   {'total':<48} {sum(r[1] for r in rows):8.1f}")

    html_dir = args.html
    tmp = None
    if not args.skip_build:
        tmp = Path(tempfile.mkdtemp(prefix="book-bench-"))
        clean, rc_clean = build(tmp)
        warm, rc_warm = build(tmp)
        print(f"\n2-3. Build (jupyter-book build -W -n --keep-going; target clean <= {BUILD_TARGET_S:.0f} s)")
        for label, seconds, rc in (("clean build (empty output, no cache)", clean, rc_clean),
                                   ("warm rebuild (cache and doctrees present)", warm, rc_warm)):
            flag = "!!" if rc != 0 or (label.startswith("clean") and seconds > BUILD_TARGET_S) else "  "
            print(f"{flag} {label:<48} {seconds:8.1f}  exit {rc}")
            if flag == "!!":
                missed.append(f"{label}: {seconds:.1f} s, exit {rc} (log: {tmp}/benchmark-build.log)")
        html_dir = html_dir or tmp / "_build" / "html"

    if html_dir is None:
        html_dir = ROOT / "_build" / "html"
    print(f"\n4. Page weight in KB ({html_dir}; target total <= {PAGE_TARGET_KB} KB = 3 MB)")
    print(f"   {'page':<40} {'total':>8} {'html':>8} {'inline img':>10} {'media':>8} {'+js/css':>8}")
    for entry in toc_files():
        if not (html_dir / f"{entry}.html").exists():
            print(f"!! {entry:<40} (no page)")
            missed.append(f"page {entry}: not built")
            continue
        w = page_weight(html_dir, entry)
        flag = "!!" if w["total"] > PAGE_TARGET_KB else "  "
        print(f"{flag} {entry:<40} {w['total']:8.0f} {w['html']:8.0f} {w['inline']:10.0f} "
              f"{w['media']:8.0f} {w['shared']:8.0f}")
        if flag == "!!":
            missed.append(f"page {entry}: {w['total']:.0f} KB")
    print("   (+js/css: scripts and stylesheets the page loads, shared by all pages and cached;"
          " MathJax fetches its fonts on demand, not counted)")
    if tmp is not None and not any("exit" in m for m in missed):
        shutil.rmtree(tmp, ignore_errors=True)  # kept when a build failed, for its log

    print("\nTargets: " + ("all met." if not missed else "MISSED:\n  " + "\n  ".join(missed)))
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
