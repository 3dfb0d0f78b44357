"""Redraw time of every chapter's explorer (view + PNG encoding): medians of 7 redraws.

    python benchmarks/explorers.py      (part of `make bench`)
"""

from __future__ import annotations

from initlab.plots import FigureView
from initlab.widgets.biases import bias_explorer
from initlab.widgets.pilot import pilot_explorer
from initlab.widgets.saddle import saddle_explorer
from initlab.widgets.scale import scale_explorer, scale_view
from initlab.widgets.symmetry import symmetry_explorer
from initlab.widgets.zero_start import zero_start_explorer
from run import median_time  # benchmarks/run.py: the same timing helper for every table

REPEATS = 7


def main() -> None:
    rows = [(f"{name} (starting setting)",
             median_time(repeats=REPEATS, fn=lambda e=factory(): FigureView(e.render())))
            for name, factory in [("pilot", pilot_explorer), ("ch1 symmetry", symmetry_explorer),
                                  ("ch2 saddle", saddle_explorer), ("ch3 zero start", zero_start_explorer),
                                  ("ch4 biases", bias_explorer), ("ch5 scale", scale_explorer)]]
    target = median_time(repeats=REPEATS,
                         fn=lambda: FigureView(scale_view(depth=10, width=256, n_samples=1000)))
    rows.append(("ch5 scale histograms: depth 10, width 256, 1000 samples", target))
    print(f"Explorer redraw (view + PNG), medians of {REPEATS}")
    print(f"   {'explorer':<58} {'ms':>7}")
    for name, seconds in rows:
        print(f"   {name:<58} {1000 * seconds:7.0f}")
    verdict = "met" if target <= 0.150 else "NOT met"
    print(f"   target for the ch5 histogram view: <= 150 ms ({verdict})")


if __name__ == "__main__":
    main()
