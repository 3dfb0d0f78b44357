"""Throwaway environments for the client tests, built once and cached.

* ``colab_env()``: a venv holding exactly the versions Google Colab ships (see COLAB_PINS),
  the environment the Colab tests execute every chapter in.
* ``repo2docker_env()``: a venv holding jupyter-repo2docker, whose ``--no-build --debug`` mode
  prints Binder's build plan without Docker.

Both live under ``.venv-clients/`` at the repository root (ignored by git, kept by
``make clean``); a stamp file records the pins, so changing a pin rebuilds the venv.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".venv-clients"

# What Google Colab ships (mid-2026 image; /work/shared/TOOLCHAIN.md, 2026-12-01). Colab runs
# Python 3.12; this machine has only 3.11, so the venv uses the Python running the tests.
COLAB_PINS = {
    "numpy": "2.0.2",
    "matplotlib": "3.10.0",
    "ipywidgets": "7.7.1",
    "ipykernel": "6.17.1",
    "ipython": "7.34.0",
}
# The Colab venv also needs pip's build back-end for the set-up cell's `pip install git+...`
# (fetched by pip itself, as on Colab) and nothing else of the project.

REPO2DOCKER_PIN = "jupyter-repo2docker==2026.4.0"


def _build(name: str, requirements: list[str]) -> Path:
    """Create (or reuse) the venv ``CACHE/name`` holding ``requirements``; return its python."""
    where = CACHE / name
    python = where / "bin" / "python"
    stamp = where / ".pins"
    wanted = "\n".join(sorted(requirements)) + "\n"
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    shutil.rmtree(where, ignore_errors=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    result = subprocess.run([str(python), "-m", "pip", "install", "--quiet", *requirements],
                            capture_output=True, text=True, timeout=1500)
    if result.returncode != 0:
        raise RuntimeError(f"could not build the {name} environment:\n{result.stdout}\n{result.stderr}")
    stamp.write_text(wanted)
    return python


def colab_env() -> Path:
    return _build("colab", [f"{name}=={version}" for name, version in COLAB_PINS.items()])


def repo2docker_env() -> Path:
    return _build("repo2docker", [REPO2DOCKER_PIN])


if __name__ == "__main__":  # build both ahead of a test run: python tests/clients/envs.py
    for builder in (colab_env, repo2docker_env):
        print(builder.__name__, builder(), file=sys.stderr)
