"""Explorer redraw time in a real JupyterLab: from a control change in the browser to the new
image on screen, median of 5 changes per explorer, for every chapter's reading form.

    python benchmarks/jupyterlab.py [NOTEBOOK ...]     (part of `make bench`)

JupyterLab (pinned in requirements-dev.txt) serves a throw-away copy of notebooks/ on
127.0.0.1; headless Chromium (/usr/bin/chromium) opens each notebook, runs all cells, then
moves the first control of each explorer that redraws it (a dropdown's next option, a slider's
keyboard step, a checkbox click), alternating direction, and times until the image changes.
The time includes the kernel's redraw (view + PNG), the comm round trip and the page update.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "jupyter"))

import lab  # noqa: E402


def main(names: list[str]) -> int:
    reason = lab.unavailable()
    if reason:
        print(f"benchmarks/jupyterlab.py skipped: {reason}")
        return 0
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="clients-bench-"))
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if names:
        notebooks = [n for n in notebooks if n.name in names or n.stem in names]
    for notebook in notebooks:
        shutil.copy(notebook, folder / notebook.name)
    rows = []
    try:
        with sync_playwright() as p, lab.lab_server(folder) as base:
            browser = lab.launch(p)
            for notebook in notebooks:
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                try:
                    rows += lab.time_redraws(context.new_page(), base, notebook.name)
                finally:
                    context.close()
            browser.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("\nExplorer redraw in JupyterLab (Chromium), control change -> new image, median of 5")
    print(f"{'notebook':40s} {'explorer':>8s} {'control':>9s} {'median ms':>10s} {'n':>3s}")
    for row in rows:
        median = f"{row['median_s'] * 1000:10.0f}" if row["median_s"] is not None else f"{'-':>10s}"
        print(f"{row['notebook']:40s} {str(row['explorer']):>8s} {str(row['control']):>9s} {median} {row['n']:3d}")
    return 0 if all(row["median_s"] is not None for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
