# The two commands a newcomer needs: `make book` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
# Notebooks are executed by the kernel of this environment, so put it first on PATH.
export PATH := $(BIN):$(PATH)
STAMP  := $(VENV)/.installed
SRC    := $(shell find src -name '*.py' 2>/dev/null)

.PHONY: install book test test-fast test-jupyter reader bench screenshots assignments pdf clean help

help:
	@echo "make book         build the HTML book (executes every notebook) -> _build/html/index.html"
	@echo "make test         run the whole test suite (unit tests, notebooks, build, browser)"
	@echo "make test-fast    the package's own tests only, without the slow ones (< 1 minute)"
	@echo "make reader       rewrite the reading form notebooks/ (after make book)"
	@echo "make test-jupyter the chapters in a real JupyterLab, driven by Chromium"
	@echo "make bench        run the benchmarks and print a table"
	@echo "make screenshots  PNGs of every page, desktop and phone -> _build/screenshots/"
	@echo "make assignments  self-grading student notebooks + Otter autograder bundles -> _build/assignments/"
	@echo "make pdf          a print PDF of every chapter (after make book) -> _build/pdf/"
	@echo "make clean        remove _build/ (keeps .venv)"

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(STAMP)

# jupyter-cache notices edits to a notebook but not to src/initlab: drop the cache when it changes.
_build/.src-stamp: $(SRC)
	rm -rf _build/.jupyter_cache
	mkdir -p _build && touch $@

# --all re-reads every page (unchanged notebooks come from the cache), so a notebook that
# failed last time is executed again instead of being silently skipped.
book: install _build/.src-stamp
	$(BIN)/jupyter-book build . --all -W -n --keep-going
	@echo "The book: $(CURDIR)/_build/html/index.html"

test: install
	$(BIN)/python -m pytest

# The loop while working on initlab: core, experiments and explorers, no notebook, no build,
# no test marked slow (every notebook still runs in make test: nbval, build, determinism).
test-fast: install
	$(BIN)/python -m pytest -q -o addopts="-ra" -p no:nbval -m "not slow" tests/core tests/experiments tests/widgets

# The reading form of every chapter (plain Markdown, numbers filled in) that Binder, Colab and
# the download button open; uses the notebooks `make book` executed when they are current.
reader: install
	$(BIN)/python _ext/reader_form.py write

# Every chapter's reading form opened, run and clicked in JupyterLab (also part of make test).
test-jupyter: install
	$(BIN)/python -m pytest -o addopts="-ra" -p no:nbval tests/jupyter

bench: install
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/explorers.py
	$(BIN)/python benchmarks/book.py
	$(BIN)/python benchmarks/jupyterlab.py

screenshots: book
	$(BIN)/python tests/browser/screenshots.py _build/html _build/screenshots

# Student notebooks and autograder bundles from the chapters' exercises (tools/assignments.py);
# the next `make book` links the student notebooks from the instructor guide and copies them (never
# the autograder bundles, which hold the answers) beside the HTML book.
assignments: install
	$(BIN)/python tools/assignments.py --out _build/assignments

# Print handouts from the built HTML with headless Chromium (tools/handouts.py).
pdf: install
	test -f _build/html/index.html || $(MAKE) book
	$(BIN)/python tools/handouts.py _build/html _build/pdf

clean:
	rm -rf _build
