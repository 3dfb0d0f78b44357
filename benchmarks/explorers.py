"""Every chapter's explorer: live redraw time, the cost of its static grid, page weights and
switch time in the static book.

    python benchmarks/explorers.py      (part of `make bench`)

1. Live redraw (view + PNG), medians of 7 wall-clock redraws at the starting setting, never
   from the view cache: "before" is the old path (``plots.FigureView``: ``savefig``, zlib 6),
   "now" the Explorer's (one Agg draw, zlib 1, figure reuse when the view allows it); and
   the median over every grid view (a reader moving the controls). Target: <= 150 ms.
2. Static grid, as the book build renders it: views, seconds for the whole grid (cold cache:
   what the grid adds to the build), bytes of the starting view and of all views.
3. The static book (if built: $INITLAB_BOOK_HTML, else _build/html): each page's first load
   (own HTML + images; shared _static/ files apart) and the median time to switch to an
   already fetched view in headless Chromium. Targets: <= 3 MB, <= 50 ms.

Explorers are found by name: every function ``*_explorer()`` in ``initlab.widgets.*``.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import statistics
import sys
import time
from pathlib import Path

import initlab.widgets as widgets

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import median_time  # noqa: E402  (one timing helper for every benchmark)
from initlab.plots import FigureView
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


def median_wall(fn, repeats=REPEATS):
    return median_time(fn, repeats)


def median_cpu(fn, repeats=REPEATS):
    """Median process CPU time: on a shared, loaded machine much closer to the quiet wall
    time than the wall clock (the redraw is single-threaded with OPENBLAS_NUM_THREADS=1)."""
    return median_time(fn, repeats, clock=time.process_time)


def measure(factory) -> dict:
    explorer: Explorer = factory()
    before = median_wall(lambda: FigureView(explorer.render()))
    now = explorer.time_update(repeats=REPEATS)
    cpu = median_cpu(lambda: RenderedView.of(explorer.render(), dpi=explorer.dpi))
    settings = [params for _, params in explorer.static_views()]
    fresh = factory()  # cold cache: what the book build pays for the grid
    start = time.perf_counter()
    views = [fresh.rendered(**params) for params in settings]
    grid_s = time.perf_counter() - start
    grid_each = statistics.median(
        median_wall(lambda p=params: RenderedView.of(explorer.render(**p), dpi=explorer.dpi), 1)
        for params in settings)
    initial = dict(explorer.static_views())[explorer.initial_key()]
    first = next(v for (_, p), v in zip(explorer.static_views(), views) if p == initial)
    return {"views": len(views), "before": before, "now": now, "cpu": cpu, "grid_each": grid_each,
            "grid_s": grid_s, "first_bytes": len(first.png),
            "total_bytes": sum(len(v.png) for v in views)}


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
    print(f"1-2. Explorers: live redraw (medians of {REPEATS}, wall clock) and static grid")
    print(f"   load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"   {'explorer':<34} {'before':>7} {'now':>6} {'cpu':>6} {'grid':>6} {'views':>5} {'grid s':>7}"
          f" {'first KB':>8} {'all KB':>7}")
    worst, worst_cpu, build_s = 0.0, 0.0, 0.0
    for name, factory in explorer_factories():
        r = measure(factory)
        worst = max(worst, r["now"], r["grid_each"])
        worst_cpu = max(worst_cpu, r["cpu"])
        build_s += r["grid_s"]
        print(f"   {name:<34} {1000 * r['before']:5.0f}ms {1000 * r['now']:4.0f}ms {1000 * r['cpu']:4.0f}ms "
              f"{1000 * r['grid_each']:4.0f}ms {r['views']:5d} {r['grid_s']:7.2f} "
              f"{r['first_bytes'] / 1e3:8.0f} {r['total_bytes'] / 1e3:7.0f}")
    from initlab.widgets.scale import scale_view

    reused = {"fig": None}

    def ch5_target():  # as the live explorer redraws: the view updates its previous figure
        reused["fig"] = scale_view(depth=10, width=256, n_samples=1000, fig=reused["fig"])
        return RenderedView.of(reused["fig"])

    old = median_wall(lambda: FigureView(scale_view(depth=10, width=256, n_samples=1000)))
    target = median_wall(ch5_target)
    target_cpu = median_cpu(ch5_target)
    print(f"   {'ch5 histograms: depth 10, width 256, 1000 samples':<34} {1000 * old:5.0f}ms "
          f"{1000 * target:4.0f}ms {1000 * target_cpu:4.0f}ms")
    worst, worst_cpu = max(worst, target), max(worst_cpu, target_cpu)
    print(f"   'before' = old savefig path, 'now' = Explorer redraw at the starting setting (wall;"
          f"\n   'cpu' = the same in CPU time), 'grid' ="
          f"\n   median redraw over the grid's views; grid s = all views rendered cold (added to the"
          f"\n   book build: {build_s:.1f} s in total, spread over the notebooks)")
    print(f"   slowest redraw {1000 * worst:.0f} ms wall, {1000 * worst_cpu:.0f} ms CPU: target <= 150 ms "
          f"(wall {'met' if worst <= REDRAW_TARGET_S else 'NOT met'}, CPU "
          f"{'met' if worst_cpu <= REDRAW_TARGET_S else 'NOT met'}; wall time means little when the"
          f"\n   load average exceeds the cores)\n")

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
