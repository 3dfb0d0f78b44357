"""Checks of the kernel-free explorers in the built book (headless Chromium via Playwright).

Markup: see ``_static/initlab-explorers.js``. For every explorer of a page:

1. ``move_every_control`` moves each control with the keyboard through all its options
   (Home/ArrowRight on a range, ArrowDown on a select, ArrowRight in a radio group) and
   checks that each move shows a loaded image whose source, alt text and caption all differ
   from the view before;
2. ``visit_every_view`` sets the controls to every combination and checks that each has a
   view whose image loads, with non-empty alt text (a view missing from the page or from
   ``_images/explorers/`` is a problem);
3. ``switch_times_ms`` times switching between views that are already fetched: from the
   control's change event to the second animation frame after the new view is shown.

``first_load`` measures what a page fetches on its first load (own HTML and images vs the
shared ``_static/`` theme and MathJax files). Every function returns problems as strings.
"""

from __future__ import annotations

import itertools
import statistics

from reader_checks import wait_for_math

ROOTS = ".initlab-explorer[data-initlab-explorer]"

_STATE = """root => {
  const shown = Array.from(root.querySelectorAll('.initlab-explorer-view')).filter(f => !f.hidden);
  return shown.map(f => {
    const img = f.querySelector('img');
    const cap = f.querySelector('figcaption');
    return {key: f.getAttribute('data-key'), src: img ? (img.getAttribute('src') || '') : '',
            alt: img ? (img.getAttribute('alt') || '') : '', caption: cap ? cap.textContent.trim() : '',
            loaded: !!img && img.complete && img.naturalWidth > 0,
            visible: !!img && img.getBoundingClientRect().width > 0};
  });
}"""

_CONTROLS = """root => Array.from(root.querySelectorAll('.initlab-explorer-control')).map(c => {
  const field = c.querySelector('select, input[type=range]');
  const radios = c.querySelectorAll('input[type=radio]');
  let label = '';
  if (field && field.id) { const l = root.querySelector('label[for="' + field.id + '"]'); label = l ? l.textContent : ''; }
  if (!field) { const legend = c.querySelector('legend'); label = legend ? legend.textContent : ''; }
  return {kind: field ? (field.tagName === 'SELECT' ? 'select' : 'range') : 'radio',
          count: field ? (field.tagName === 'SELECT' ? field.options.length : Number(field.max) + 1) : radios.length,
          label: label.trim()};
})"""

_WAIT_SHOWN = """root => {
  const shown = Array.from(root.querySelectorAll('.initlab-explorer-view')).filter(f => !f.hidden);
  if (shown.length !== 1) return false;
  const img = shown[0].querySelector('img');
  return !!img && img.complete && (img.naturalWidth > 0 || !!img.getAttribute('src'));
}"""

# Set every control to the given option indices (as a reader would, then one change event).
_SET = """([root, values]) => {
  const controls = root.querySelectorAll('.initlab-explorer-control');
  values.forEach((v, i) => {
    const c = controls[i];
    const field = c.querySelector('select, input[type=range]');
    if (field) field.value = String(v);
    else c.querySelectorAll('input[type=radio]').forEach(r => { r.checked = r.value === String(v); });
  });
  root.querySelector('.initlab-explorer-controls').dispatchEvent(new Event('change', {bubbles: true}));
}"""

_TIME_SWITCH = """([root, values]) => new Promise(resolve => {
  const controls = root.querySelectorAll('.initlab-explorer-control');
  const start = performance.now();
  values.forEach((v, i) => {
    const field = controls[i].querySelector('select, input[type=range]');
    if (field) field.value = String(v);
    else controls[i].querySelectorAll('input[type=radio]').forEach(r => { r.checked = r.value === String(v); });
  });
  root.querySelector('.initlab-explorer-controls').dispatchEvent(new Event('change', {bubbles: true}));
  const key = values.join('-') || '0';
  const check = () => {
    const f = root.querySelector('.initlab-explorer-view[data-key="' + key + '"]');
    const img = f && f.querySelector('img');
    if (f && !f.hidden && img && img.complete && img.naturalWidth > 0)
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
    else if (performance.now() - start > 5000) resolve(-1);
    else requestAnimationFrame(check);
  };
  check();
})"""


def explorers(page):
    return page.query_selector_all(ROOTS)


def _state(root):
    return root.evaluate(_STATE)


def _wait(page, root, timeout_ms=5000) -> bool:
    try:
        page.wait_for_function(_WAIT_SHOWN, arg=root, timeout=timeout_ms)
        return True
    except Exception:
        return False


def _shown(page, root, where: str, problems: list[str]):
    _wait(page, root)
    shown = _state(root)
    if len(shown) != 1:
        problems.append(f"{where}: {len(shown)} views shown instead of one")
        return None
    view = shown[0]
    if not view["loaded"] or not view["visible"]:
        problems.append(f"{where}: the image of view {view['key']} did not load ({view['src'][:80]})")
    if not view["alt"].strip():
        problems.append(f"{where}: view {view['key']} has no alt text")
    if not view["caption"]:
        problems.append(f"{where}: view {view['key']} has no caption")
    return view


def controls_of(root) -> list[dict]:
    return root.evaluate(_CONTROLS)


def _keys_for(kind: str, count: int) -> list[str]:
    """Keys that take a control from option 0 through every option in turn."""
    if kind == "range":
        return ["ArrowRight"] * (count - 1)
    return ["ArrowDown" if kind == "select" else "ArrowRight"] * (count - 1)


def _focus_first_option(page, root, index: int, kind: str) -> None:
    control = root.query_selector_all(".initlab-explorer-control")[index]
    if kind == "radio":
        first = control.query_selector("input[type=radio]")
        first.focus()
        first.press("Space")  # checks the first radio button of the group
    else:
        field = control.query_selector("select, input[type=range]")
        field.focus()
        page.keyboard.press("Home")  # option 0


def move_every_control(page, root, name: str) -> tuple[list[str], int]:
    """Move each control through all its options with the keyboard; every move must change
    the image, its alt text and its caption. Returns (problems, moves made)."""
    problems: list[str] = []
    moves = 0
    controls = controls_of(root)
    if not controls:
        problems.append(f"{name}: no controls")
    for i, control in enumerate(controls):
        if not control["label"]:
            problems.append(f"{name}: control {i + 1} has no label")
        _focus_first_option(page, root, i, control["kind"])
        before = _shown(page, root, f"{name}, {control['label']} at its first option", problems)
        for step, key in enumerate(_keys_for(control["kind"], control["count"]), 1):
            page.keyboard.press(key)
            where = f"{name}, {control['label']} option {step + 1} (key {key})"
            after = _shown(page, root, where, problems)
            moves += 1
            if before is None or after is None:
                before = after
                continue
            for field in ("key", "src", "alt", "caption"):
                if after[field] == before[field]:
                    problems.append(f"{where}: the {field} did not change ({after[field][:80]!r})")
            before = after
        _focus_first_option(page, root, i, control["kind"])
    return problems, moves


def visit_every_view(page, root, name: str) -> tuple[list[str], int]:
    """Every combination of the controls' options has a view whose image loads, with alt
    text; no two views share an alt text. Returns (problems, views seen)."""
    problems: list[str] = []
    counts = [c["count"] for c in controls_of(root)]
    alts: dict[str, str] = {}
    seen = 0
    for values in itertools.product(*(range(n) for n in counts)):
        page.evaluate(_SET, [root, list(values)])
        key = "-".join(map(str, values)) or "0"
        view = _shown(page, root, f"{name}, setting {key}", problems)
        if view is None:
            continue
        if view["key"] != key:
            problems.append(f"{name}: setting {key} shows view {view['key']} (view missing?)")
            continue
        seen += 1
        if view["alt"] in alts:
            problems.append(f"{name}: views {alts[view['alt']]} and {key} have the same alt text")
        alts[view["alt"]] = key
    total = root.evaluate("r => r.querySelectorAll('.initlab-explorer-view').length")
    if total != seen:
        problems.append(f"{name}: {total} views in the page, {seen} reachable from the controls")
    page.evaluate(_SET, [root, [0] * len(counts)])
    return problems, seen


def switch_times_ms(page, root, rounds: int = 3) -> list[float]:
    """Times of switches between already fetched views (call after visit_every_view)."""
    counts = [c["count"] for c in controls_of(root)]
    combos = [list(v) for v in itertools.product(*(range(n) for n in counts))]
    times = []
    for _ in range(rounds):
        for values in combos:
            times.append(page.evaluate(_TIME_SWITCH, [root, values]))
    return times


def exercise(page, label: str) -> dict:
    """All explorer checks of the loaded ``page``: {problems, explorers, views, median_ms, max_ms}."""
    problems: list[str] = []
    views = 0
    times: list[float] = []
    roots = explorers(page)
    for n, root in enumerate(roots, 1):
        name = f"{label} explorer {n}"
        root.scroll_into_view_if_needed()
        found, _ = move_every_control(page, root, name)
        problems += found
        found, seen = visit_every_view(page, root, name)
        problems += found
        views += seen
        t = switch_times_ms(page, root)
        problems += [f"{name}: a switch to a fetched view did not finish in 5 s" for x in t if x < 0]
        times += [x for x in t if x >= 0]
    return {"problems": problems, "explorers": len(roots), "views": views,
            "median_ms": statistics.median(times) if times else None,
            "max_ms": max(times) if times else None}


_WEIGHTS = """() => {
  const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
  return entries.filter(Boolean).map(e => ({url: e.name, bytes: e.encodedBodySize || e.transferSize || 0}));
}"""


def first_load(page, url: str) -> dict:
    """Bytes fetched by a first visit of ``url`` (empty cache), split into the page's own files
    (HTML, figures, explorer views) and the shared ``_static/`` files of the theme and MathJax."""
    page.goto(url, wait_until="load")
    # MathJax fetches its fonts while it typesets, possibly after a first quiet moment: wait
    # for the typesetting too, or closing the page aborts a font request still in flight.
    wait_for_math(page)
    try:
        page.wait_for_load_state("networkidle", timeout=5000)
    except Exception:  # a long-lived request (none expected) must not hide the weights
        pass
    own = shared = 0
    views = 0
    for entry in page.evaluate(_WEIGHTS):
        if "/_static/" in entry["url"]:
            shared += entry["bytes"]
        else:
            own += entry["bytes"]
        views += "/_images/explorers/" in entry["url"]
    return {"own": own, "shared": shared, "explorer_views": views}
