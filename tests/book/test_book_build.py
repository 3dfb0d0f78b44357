"""The book builds with zero warnings, every notebook executed, and serves its own scripts."""

from __future__ import annotations

import re

from book_files import toc_files


def test_book_builds_without_warnings(built_book):
    warnings = [line for line in built_book.log.splitlines() if "WARNING" in line and
                "Kernel is running over TCP" not in line]  # a kernel log line, not Sphinx's
    assert built_book.returncode == 0, built_book.log[-5000:]
    assert not warnings, "\n".join(warnings)


def test_every_toc_entry_has_a_page(built_book):
    for entry in toc_files():
        assert (built_book.html / (entry + ".html")).exists(), f"no page for {entry}"
    assert (built_book.html / "index.html").exists()


def test_pages_load_no_scripts_from_other_sites(built_book):
    for page in built_book.html.rglob("*.html"):
        text = page.read_text(errors="replace")
        remote = re.findall(r'<script[^>]+src="(https?://[^"]+)"', text)
        assert not remote, f"{page.name} loads scripts from the network: {remote}"
        assert "widget-view+json" not in text or "initlab-explorer" in text
