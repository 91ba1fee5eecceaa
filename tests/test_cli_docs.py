"""docs/cli.md holds every command's --help as the code prints it (generated with cog, checked here)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cog_check(page: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "-I", str(ROOT / "scripts"), str(page)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_docs_are_current() -> None:
    done = cog_check(ROOT / "docs" / "cli.md")
    assert done.returncode == 0, (
        "docs/cli.md is stale: run .venv/bin/cog -r -I scripts docs/cli.md\n" + done.stdout + done.stderr
    )


def test_a_stale_page_is_caught(tmp_path: Path) -> None:
    page = tmp_path / "cli.md"
    shutil.copy(ROOT / "docs" / "cli.md", page)
    text = page.read_text(encoding="utf-8")
    assert "### extractor ingest" in text and "#### extractor users add" in text
    page.write_text(text.replace("Show this message and exit.", "Show this message.", 1), encoding="utf-8")
    assert cog_check(page).returncode != 0
