"""Every chapter's explorer: live redraw time, the cost of its static grid, page weights and
switch time in the static book.

    python benchmarks/explorers.py      (part of `make bench`)

1. Live redraw (view + PNG), as a reader moving a control sees it, never from the view cache:
   - "new": the median over the grid's settings of the *first* redraw of each setting, in a
     fresh explorer whose starting view is already shown (what a reader pays for a setting
     not seen before: every computation is fresh, whatever the experiments cache);
   - "again": the median of 7 redraws at the starting setting (what is cached below the view,
     such as a training run the chapter shares with the explorer, is reused);
   - "cpu": "new" in process CPU time, every thread counted: on a loaded machine closer to the
     quiet wall time, but above the wall time when BLAS computes on both cores (run with
     OPENBLAS_NUM_THREADS=1 to compare the two); the target is on the wall time a reader waits;
   - "before": the same view drawn the plain matplotlib way (a new figure every time,
     ``Figure.savefig``, zlib 6), for the ratio;
   - "worst": the slowest first visit.
   Target: <= 150 ms.
2. Static grid, as the book build renders it: views, seconds for the whole grid (cold cache:
   what the grid adds to the build), bytes of the starting view and of all views.
3. The static book (if built: $INITLAB_BOOK_HTML, else _build/html): each page's first load
   (own HTML + images; shared _static/ files apart) and the median time to switch to an
   already fetched view in headless Chromium. Targets: <= 3 MB, <= 50 ms.

Explorers are found by name: every function ``*_explorer()`` in ``initlab.widgets.*``.
"""

from __future__ import annotations

import importlib
import io
import inspect
import os
import pkgutil
import statistics
import sys
import time
from pathlib import Path

import matplotlib

import initlab.widgets as widgets
from initlab.plots import STYLE

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import median_time  # noqa: E402  (one timing helper for every benchmark)
from initlab.widgets.explorer import Explorer, RenderedView

REPEATS = 7
ROOT = Path(__file__).resolve().parents[1]
REDRAW_TARGET_S, SWITCH_TARGET_MS, WEIGHT_TARGET = 0.150, 50, 3_000_000


def explorer_factories():
    """[(module short name, factory)] of every ``*_explorer`` function in initlab.widgets."""
    found = []
    for info in sorted(pkgutil.iter_modules(widgets.__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name == "explorer":
            continue
        module = importlib.import_module(f"{widgets.__name__}.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.endswith("_explorer") and fn.__module__ == module.__name__:
                found.append((f"{info.name}.{name}", fn))
    return found


def savefig_png(fig) -> bytes:
    """The plain matplotlib way: ``Figure.savefig`` (two draws with a layout engine, zlib 6)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def median_wall(fn, repeats=REPEATS):
    return median_time(fn, repeats)


def median_cpu(fn, repeats=REPEATS):
    """Median process CPU time, every thread counted (see the docstring's "cpu")."""
    return median_time(fn, repeats, clock=time.process_time)


def measure(factory) -> dict:
    # First visits, before anything else in this process has computed these settings.
    explorer: Explorer = factory()
    settings = [params for _, params in explorer.static_views()]
    initial = dict(explorer.static_views())[explorer.initial_key()]
    start = time.perf_counter()
    first = explorer.rendered(**initial)  # the view shown when the explorer is displayed
    new_wall, new_cpu, views = [], [], {repr(initial): first}
    for params in settings:
        if params == initial:
            continue
        wall, cpu = time.perf_counter(), time.process_time()
        views[repr(params)] = explorer.rendered(**params)
        new_wall.append(time.perf_counter() - wall)
        new_cpu.append(time.process_time() - cpu)
    grid_s = time.perf_counter() - start  # the whole grid, as the book build renders it
    again = explorer.time_update(repeats=REPEATS)
    before = median_wall(lambda: savefig_png(explorer.view(**explorer.defaults())))
    return {"views": len(views), "before": before, "again": again,
            "new": statistics.median(new_wall) if new_wall else again,
            "cpu": statistics.median(new_cpu) if new_cpu else median_cpu(
                lambda: RenderedView.of(explorer.render(), dpi=explorer.dpi)),
            "worst": max(new_wall, default=again), "grid_s": grid_s,
            "first_bytes": len(first.png), "total_bytes": sum(len(v.png) for v in views.values())}


def browser_rows(html_dir: Path):
    sys.path[:0] = [str(ROOT / "tests" / "browser"), str(ROOT / "tests")]
    import explorer_checks as ec
    import reader_checks as rc
    from book_files import toc_files

    reason = rc.browser_unavailable()
    if reason:
        return None, reason
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p, rc.serve(html_dir) as base:
        browser = rc.launch(p)
        for entry in toc_files():
            page_file = html_dir / (entry + ".html")
            if not page_file.exists():
                continue
            context = rc.new_context(browser, [], viewport={"width": 1280, "height": 900})
            page = context.new_page()
            weights = ec.first_load(page, base + entry + ".html")
            switch = None
            if "data-initlab-explorer" in page_file.read_text(errors="replace"):
                times = []
                for root in ec.explorers(page):
                    ec.visit_every_view(page, root, entry)
                    times += [t for t in ec.switch_times_ms(page, root) if t >= 0]
                switch = statistics.median(times) if times else None
            total_views = sum(f.stat().st_size for f in (html_dir / "_images" / "explorers").glob("*.png")
                              if f.name in page_file.read_text(errors="replace"))
            rows.append((entry, weights, switch, total_views))
            context.close()
        browser.close()
    return rows, None


def main() -> None:
    print(f"1-2. Explorers: live redraw (ms; medians, see the docstring) and static grid")
    print(f"   load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"   {'explorer':<34} {'before':>6} {'new':>5} {'cpu':>5} {'again':>5} {'worst':>5} "
          f"{'views':>5} {'grid s':>6} {'first KB':>8} {'all KB':>6}")
    slowest, slowest_cpu, build_s = 0.0, 0.0, 0.0
    for name, factory in explorer_factories():
        r = measure(factory)
        slowest = max(slowest, r["new"], r["again"])
        slowest_cpu = max(slowest_cpu, r["cpu"])
        build_s += r["grid_s"]
        print(f"   {name:<34} {1000 * r['before']:6.0f} {1000 * r['new']:5.0f} {1000 * r['cpu']:5.0f} "
              f"{1000 * r['again']:5.0f} {1000 * r['worst']:5.0f} {r['views']:5d} {r['grid_s']:6.2f} "
              f"{r['first_bytes'] / 1e3:8.0f} {r['total_bytes'] / 1e3:6.0f}")
    from initlab.widgets.scale import scale_view

    reused = {"fig": None}

    def ch5_target():  # as the live explorer redraws: the view updates its previous figure
        reused["fig"] = scale_view(depth=10, width=256, n_samples=1000, fig=reused["fig"])
        return RenderedView.of(reused["fig"])

    old = median_wall(lambda: savefig_png(scale_view(depth=10, width=256, n_samples=1000)))
    target = median_wall(ch5_target)
    target_cpu = median_cpu(ch5_target)
    print(f"   {'ch5: depth 10, width 256, 1000 samples':<34} {1000 * old:6.0f} {1000 * target:5.0f} "
          f"{1000 * target_cpu:5.0f}")
    slowest, slowest_cpu = max(slowest, target), max(slowest_cpu, target_cpu)
    print(f"   worst = the slowest first visit; grid s = every view rendered once (what the grid adds"
          f"\n   to the book build: {build_s:.1f} s in total, spread over the notebooks)")
    print(f"   slowest median redraw {1000 * slowest:.0f} ms (wall): target <= 150 ms "
          f"{'met' if slowest <= REDRAW_TARGET_S else 'NOT met'} (CPU {1000 * slowest_cpu:.0f} ms, "
          f"all threads; wall time means\n   little when the load average exceeds the cores)\n")

    html_dir = Path(os.environ.get("INITLAB_BOOK_HTML", ROOT / "_build" / "html"))
    print(f"3. Static book ({html_dir})")
    if not (html_dir / "index.html").exists():
        print("   not built: run `make book` (or set INITLAB_BOOK_HTML) to measure page weights")
        return
    rows, reason = browser_rows(html_dir)
    if rows is None:
        print(f"   skipped: {reason}")
        return
    print(f"   {'page':<40} {'first load KB':>13} {'shared KB':>9} {'views KB':>8} {'switch ms':>9}")
    ok = True
    for entry, weights, switch, views in rows:
        ok &= weights["own"] <= WEIGHT_TARGET and (switch is None or switch <= SWITCH_TARGET_MS)
        print(f"   {entry:<40} {weights['own'] / 1e3:13.0f} {weights['shared'] / 1e3:9.0f} "
              f"{views / 1e3:8.0f} {'-' if switch is None else f'{switch:.1f}':>9}")
    print(f"   first load = the page's HTML and images (explorers: starting views only); views KB = "
          f"\n   all of its explorer views; targets <= 3 MB and <= 50 ms ({'met' if ok else 'NOT met'})")


if __name__ == "__main__":
    main()
