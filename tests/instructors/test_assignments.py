"""The self-grading assignments (tools/assignments.py, `make assignments`): every chapter in the
TOC has a spec; each reference solution passes every check, the blank student answer fails, and
each typical mistake fails with its helpful message; and, end to end through Otter-Grader, the
generated autograder gives the reference notebook full marks, the blank student notebook none,
and shows the mistake's message to a student who makes it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import assignments  # noqa: E402

CHAPTERS = assignments.toc_chapters()


def test_every_toc_chapter_has_an_assignment_spec():
    missing = [s for s in CHAPTERS if not (assignments.SPECS / f"{s}.yml").exists()]
    assert not missing, f"no book/assignments/<stem>.yml for {missing}"


@pytest.mark.parametrize("stem", [s for s in CHAPTERS if (assignments.SPECS / f"{s}.yml").exists()])
def test_reference_passes_blank_fails_mistakes_explain(stem):
    spec = assignments.load_spec(stem)
    assert len(spec["questions"]) >= 3
    assert assignments.verify(stem, spec) == []


def test_a_mistake_fails_with_its_message():
    spec = assignments.load_spec("05_scale")
    q = spec["questions"][1]  # the fan-in question
    env = assignments.namespace(spec, q)
    exec("std_W = float(np.sqrt(2 / 1024))", env)  # the fan-out in place of the fan-in
    failures = assignments.run_checks(q, env)
    assert any("fan-out" in f and "fan_in = W.shape[0]" in f for f in failures), failures


def test_checks_catch_a_wrong_answer_that_is_no_listed_mistake():
    spec = assignments.load_spec("05_scale")
    q = spec["questions"][0]
    env = assignments.namespace(spec, q)
    exec("he_std = 0.05", env)
    assert assignments.run_checks(q, env, hidden=False) == []  # public checks cannot tell...
    assert assignments.run_checks(q, env) != []                # ...the hidden ones do


def test_exercise_text_reaches_jupyter_without_myst_roles():
    for stem in CHAPTERS:
        for ex in assignments.chapter_exercises(stem).values():
            text = assignments.myst_to_jupyter(ex["text"])
            assert "{glue:" not in text and "{cite:" not in text and "{prf:" not in text, (stem, text)


@pytest.fixture(scope="module")
def built_scale(tmp_path_factory):
    out = tmp_path_factory.mktemp("assignments")
    return assignments.build("05_scale", out)


def _score(notebook: Path, bundle: Path):
    from otter.api import grade_submission

    results = grade_submission(str(notebook), str(bundle / "autograder" / "autograder.zip"), quiet=True)
    return results


def test_otter_bundle_layout_and_no_solutions_for_students(built_scale):
    student = built_scale / "student" / "05_scale.ipynb"
    assert (built_scale / "autograder" / "autograder.zip").exists()
    nb = json.loads(student.read_text())
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "np.sqrt(2 / 512)" not in code and "BEGIN SOLUTION" not in code
    assert 'grader.check("q1")' in code and "he_std = ..." in code
    public = json.dumps(nb["metadata"]["otter"]["tests"])
    assert "hidden=True" not in public  # hidden tests stay with the instructor


def test_otter_grades_reference_full_and_blank_zero(built_scale):
    reference = _score(built_scale / "autograder" / "05_scale.ipynb", built_scale)
    assert reference.total == reference.possible > 0
    blank = _score(built_scale / "student" / "05_scale.ipynb", built_scale)
    assert blank.total == 0


def test_otter_shows_the_mistake_message(built_scale, tmp_path):
    nb = json.loads((built_scale / "student" / "05_scale.ipynb").read_text())
    for cell in nb["cells"]:
        src = "".join(cell["source"])
        if src.strip() == "he_std = ...":
            cell["source"] = "he_std = 1 / np.sqrt(512)"
    submission = tmp_path / "05_scale.ipynb"
    submission.write_text(json.dumps(nb))
    results = _score(submission, built_scale)
    q1 = results.results["q1"]
    assert q1.score < q1.possible
    assert "LeCun's 1/sqrt(fan_in)" in str(results.summary(public_only=False))
