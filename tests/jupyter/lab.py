"""A real JupyterLab on 127.0.0.1, driven by Debian's Chromium through Playwright.

Used by tests/jupyter (pass/fail checks of every chapter's reading form) and by
benchmarks/jupyterlab.py (redraw times). ``lab_server(folder)`` starts ``jupyter lab`` with a
throw-away configuration (no token, no browser, no update or news checks, notebook windowing
off so every cell is in the page, the app exposed as ``window.jupyterapp``); ``audit(page, ...)``
opens one notebook, runs all its cells and returns the problems found per check.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage"]
RAW_MARKUP = re.compile(r"\{(glue|exercise|solution|cite|prf|admonition|bibliography|ref|numref|doc)[:}]")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def unavailable() -> str | None:
    """Why JupyterLab cannot be driven here (None if it can)."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except Exception as exc:  # pragma: no cover - depends on the machine
        return f"playwright cannot be imported ({exc})"
    if not (Path(sys.executable).parent / "jupyter-lab").exists():
        return "jupyter-lab is not installed in this environment (pinned in requirements-dev.txt)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def lab_server(folder: Path):
    """Serve ``folder`` with JupyterLab on 127.0.0.1; yields the base URL."""
    home = Path(tempfile.mkdtemp(prefix="clients-lab-"))
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # every cell in the DOM (JupyterLab 4 otherwise renders only cells near the viewport)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    notices = home / "settings" / "@jupyterlab" / "apputils-extension"
    notices.mkdir(parents=True)
    (notices / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    port = _free_port()
    bindir = Path(sys.executable).parent
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTER_DATA_DIR": str(home / "data"), "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",
           "JUPYTER_PLATFORM_DIRS": "1"}
    log = open(home / "lab.log", "w")
    process = subprocess.Popen(
        [str(bindir / "jupyter-lab"), "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--IdentityProvider.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
         "--allow-root",  # CI runs as root
         f"--ServerApp.root_dir={folder}", "--LabApp.expose_app_in_browser=True",
         f"--LabApp.user_settings_dir={home / 'settings'}", f"--LabApp.workspaces_dir={home / 'workspaces'}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--ServerApp.log_level=WARN"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(base + "api/status", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.time() > deadline:
                raise RuntimeError("JupyterLab did not start:\n" + (home / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
        yield base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # the server and the kernels it started
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        log.close()
        shutil.rmtree(home, ignore_errors=True)


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# JavaScript run in the page (JupyterLab's own models, through window.jupyterapp).
# The notebook panel of the audited file (window.__clientsPath), whichever tab is current.
_CURRENT = ("Array.from(window.jupyterapp.shell.widgets('main'))"
            ".find(w => w.context && w.context.path === window.__clientsPath)")
_RUN_ALL = f"""async () => {{
  const w = {_CURRENT};
  await w.context.ready; await w.sessionContext.ready;
  while (!w.sessionContext.session || !w.sessionContext.session.kernel) await new Promise(r => setTimeout(r, 200));
  window.jupyterapp.shell.activateById(w.id);
  await window.jupyterapp.commands.execute('notebook:run-all-cells');
}}"""
_DONE = f"""() => {{
  const w = {_CURRENT};
  if (!w || !w.sessionContext.session) return false;
  const code = w.content.widgets.filter(c => c.model.type === 'code');
  return w.sessionContext.session.kernel.status === 'idle' && code.every(c => c.model.executionCount !== null);
}}"""
_OUTPUTS = f"""() => {{
  const w = {_CURRENT};
  return w.content.widgets.filter(c => c.model.type === 'code').map((c, i) => ({{
    index: i, source: c.model.sharedModel.getSource().slice(0, 80),
    outputs: c.model.outputs.toJSON().map(o => ({{type: o.output_type, name: o.name || null,
      text: (o.output_type === 'error') ? (o.ename + ': ' + o.evalue) : (Array.isArray(o.text) ? o.text.join('') : (o.text || '')),
      mimes: Object.keys(o.data || {{}})}}))}}));
}}"""
# Text of the rendered Markdown, code spans and blocks left out (they may show markup on purpose).
_PROSE = """() => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell .jp-RenderedMarkdown')).map(el => {
  const copy = el.cloneNode(true); copy.querySelectorAll('code, pre').forEach(c => c.remove());
  return copy.textContent; })"""
_EXPLORERS = """() => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .widget-vbox')).filter(
  box => !box.parentElement.closest('.widget-vbox')).map(box => ({
    controls: box.querySelectorAll('select, input, .noUi-handle, button').length,
    image: !!box.querySelector('.widget-output img')}))"""


def _explorer_boxes(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output .widget-vbox:not(.widget-vbox .widget-vbox)")


def _image_src(box) -> str | None:
    image = box.locator(".widget-output img")
    return image.first.get_attribute("src") if image.count() else None


def _move_and_time(page, box, timeout_s: float, step: int = 1) -> tuple[str | None, float | None]:
    """Move the first control of ``box`` whose change redraws the image; (control, seconds)."""
    attempts = []
    selects = box.locator("select")
    for k in range(selects.count()):
        attempts.append(("dropdown", selects.nth(k)))
    handles = box.locator(".noUi-handle")
    for k in range(handles.count()):
        attempts.append(("slider", handles.nth(k)))
    checks = box.locator("input[type=checkbox]")
    for k in range(checks.count()):
        attempts.append(("checkbox", checks.nth(k)))
    for kind, control in attempts:
        before = _image_src(box)
        start = time.perf_counter()
        if kind == "dropdown":
            options = control.locator("option")
            current = control.evaluate("s => s.selectedIndex")
            if options.count() < 2:
                continue
            control.select_option(index=(current + 1) % options.count())
        elif kind == "slider":  # one keyboard step, towards the side that has room
            now, low, top = (control.get_attribute(a) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
            direction = step
            if now is not None and top is not None and float(now) >= float(top):
                direction = -1
            elif now is not None and low is not None and float(now) <= float(low):
                direction = 1
            control.focus()
            page.keyboard.press("ArrowRight" if direction > 0 else "ArrowLeft")
        else:
            control.click()
        deadline = start + timeout_s
        while time.perf_counter() < deadline:
            src = _image_src(box)
            if src and src != before:
                return kind, time.perf_counter() - start
            page.wait_for_timeout(20)
    return None, None


def audit(page, base: str, name: str, redraw_timeout: float = 20.0, run_timeout: float = 300.0) -> dict:
    """Open ``name`` in JupyterLab, run all cells, and check it. Returns
    ``{"problems": {check: [...]}, "redraw_seconds": [...], "explorers": n}``."""
    problems = {"errors": [], "raw_markup": [], "explorer_controls": [], "explorer_redraw": []}
    # a workspace of its own, reset: JupyterLab would otherwise reopen the previous notebooks
    page.goto(f"{base}lab/workspaces/{Path(name).stem}/tree/{name}?reset")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=120_000)
    page.evaluate(f"window.__clientsPath = {json.dumps(name)}")
    page.wait_for_function(f"() => {{ const w = {_CURRENT}; return w && w.content; }}", timeout=120_000)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    page.evaluate(_RUN_ALL)
    page.wait_for_function(_DONE, timeout=run_timeout * 1000, polling=500)
    for cell in page.evaluate(_OUTPUTS):
        for output in cell["outputs"]:
            if output["type"] == "error" or (output["type"] == "stream" and output["name"] == "stderr"):
                problems["errors"].append(f"cell {cell['index']} ({cell['source']!r}): {output['text'][:300]}")
    for text in page.evaluate(_PROSE):
        for found in RAW_MARKUP.finditer(text):
            problems["raw_markup"].append(f"{found.group(0)!r} in: {text[max(0, found.start() - 60):found.end() + 60]!r}")
    expected = sum(WIDGET_VIEW in o["mimes"] for c in page.evaluate(_OUTPUTS) for o in c["outputs"])
    shown = page.evaluate(_EXPLORERS)
    if len(shown) != expected:
        problems["explorer_controls"].append(f"{expected} widget outputs, {len(shown)} explorers on screen")
    for k, box in enumerate(shown):
        if box["controls"] == 0 or not box["image"]:
            problems["explorer_controls"].append(f"explorer {k + 1}: {box['controls']} controls, image {box['image']}")
    redraws = []
    boxes = _explorer_boxes(page)
    for k in range(boxes.count()):
        box = boxes.nth(k)
        box.scroll_into_view_if_needed()
        control, seconds = _move_and_time(page, box, redraw_timeout)
        if seconds is None:
            problems["explorer_redraw"].append(f"explorer {k + 1}: no control change redrew its image")
        else:
            redraws.append({"explorer": k + 1, "control": control, "seconds": seconds})
    return {"problems": problems, "redraws": redraws, "explorers": len(shown)}


def shut_down_kernel(page) -> None:
    """Stop the notebook's kernel (kernels outlive their page otherwise, in their own sessions)."""
    page.evaluate(f"async () => {{ const w = {_CURRENT}; if (w && w.sessionContext) await w.sessionContext.shutdown(); }}")


def time_redraws(page, base: str, name: str, repeats: int = 5) -> list[dict]:
    """Per explorer: the median over ``repeats`` control changes of the time from the change
    to the new image in the page (the benchmark)."""
    result = audit(page, base, name)
    boxes = _explorer_boxes(page)
    rows = []
    for k in range(boxes.count()):
        box = boxes.nth(k)
        times, control = [], None
        for attempt in range(repeats):
            control, seconds = _move_and_time(page, box, 30.0, step=1 if attempt % 2 == 0 else -1)
            if seconds is not None:
                times.append(seconds)
        times.sort()
        rows.append({"notebook": name, "explorer": k + 1, "control": control,
                     "median_s": times[len(times) // 2] if times else None, "n": len(times)})
    shut_down_kernel(page)
    return rows if rows else [{"notebook": name, "explorer": None, "control": None, "median_s": None, "n": 0,
                               "problems": result["problems"]}]
