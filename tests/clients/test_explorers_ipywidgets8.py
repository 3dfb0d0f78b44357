"""Every explorer of initlab.widgets displays (widget view + picture) and redraws when a
control moves, in this environment (ipywidgets 8); the Colab test does the same under 7.7.1.
The probe runs in a subprocess, as a kernel would, and must notice a disconnected redraw."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = Path(__file__).with_name("explorer_probe.py")


def run_probe(*flags):
    result = subprocess.run([sys.executable, str(PROBE), *flags], capture_output=True, text=True,
                            timeout=600, env={"OPENBLAS_NUM_THREADS": "1", **__import__("os").environ})
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def test_every_explorer_displays_and_redraws_under_ipywidgets_8():
    rows = run_probe()
    assert rows, "no explorer found"
    for row in rows:
        assert row["ipywidgets"].startswith("8."), row
        assert row["widget_view"] and row["image"] and row["redraws"], row


def test_the_probe_notices_an_explorer_that_stops_redrawing():
    rows = run_probe("--broken", "--first")
    assert len(rows) == 1 and rows[0]["widget_view"] and not rows[0]["redraws"], rows
