"""book/concept_checks/<stem>.yml: every chapter in the TOC has 3-5 questions in the agreed schema,
and numeric answers that depend on the book's formulas agree with initlab."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "tools"))
import concept_checks as cc  # noqa: E402
from assignments import toc_chapters  # noqa: E402

CHECKS = ROOT / "book" / "concept_checks"


def test_every_toc_chapter_has_concept_checks():
    missing = [s for s in toc_chapters() if not (CHECKS / f"{s}.yml").exists()]
    assert not missing, f"no book/concept_checks/<stem>.yml for {missing}"


@pytest.mark.parametrize("path", sorted(CHECKS.glob("*.yml")), ids=lambda p: p.stem)
def test_schema_and_count(path):
    items = cc.load_items(path)
    assert 3 <= len(items) <= 5, f"{path.name}: {len(items)} questions (want 3-5)"
    html = cc.render_items(items, path.stem)
    assert html.count('class="cc-item"') == len(items)
    assert "$" not in html.replace("\\$", ""), "unconverted $math$ left in the HTML"


@pytest.mark.parametrize("bad, message", [
    ([{"question": "q", "choices": ["a", "b"], "answer": 2, "explain": "e"}], "0-based index"),
    ([{"question": "q", "number": 1.0, "explain": "e"}], "either"),
    ([{"question": "q", "number": 1.0, "tolerance": 0, "explain": "e"}], "tolerance"),
    ([{"question": "q", "choices": ["a", "b"], "answer": 0}], "missing"),
])
def test_schema_errors_name_the_problem(tmp_path, bad, message):
    import yaml

    path = tmp_path / "x.yml"
    path.write_text(yaml.safe_dump(bad))
    with pytest.raises(cc.ConceptCheckError, match=message):
        cc.load_items(path)


def _number(stem, index):
    return cc.load_items(CHECKS / f"{stem}.yml")[index]


def test_numbers_agree_with_initlab():
    import initlab
    from initlab.experiments import scale

    checks = {
        ("02_saddle_point", 2): np.log(10) / np.log(1 + 0.5),
        ("03_activation", 0): initlab.get_activation("sigmoid").value_at_zero,
        ("04_biases", 2): 1 / 101,
        ("05_scale", 0): scale.recommended_std("tanh", 400),
        ("05_scale", 3): 2.0 ** (-10 / 2),
    }
    for (stem, i), value in checks.items():
        item = _number(stem, i)
        assert abs(item["number"] - value) <= item["tolerance"], (stem, i, item["number"], value)
