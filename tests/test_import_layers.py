"""The import contract (`.importlinter`, run by scripts/test.sh) holds, and it does catch a violation: a copy
of the packages with one module that imports across a layer fails it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).parent / "lint-imports"
PACKAGES = ("extractor", "eval", "review_ui", "schemas")


def lint(where: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(where)}
    return subprocess.run(
        [str(LINT), "--no-cache", "--config", str(where / ".importlinter")],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    if not LINT.exists():
        pytest.fail("import-linter is a dev dependency: scripts/setup.sh installs it")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "data")
        )
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def test_the_copy_keeps_the_contract(copy: Path) -> None:
    done = lint(copy)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "imports", "broken"),
    [
        (
            "extractor/storage/scratch.py",
            "from extractor.review import queue",
            "extractor.storage is not allowed",
        ),
        (
            "extractor/validate/scratch.py",
            "import extractor.parsers.coded",
            "extractor.validate is not allowed",
        ),
        ("extractor/scratch.py", "import eval.harness", "extractor is not allowed to import eval"),
        ("schemas/scratch.py", "import extractor.model", "schemas is not allowed to import extractor"),
    ],
)
def test_a_deliberate_violation_fails_it(copy: Path, module: str, imports: str, broken: str) -> None:
    (copy / module).write_text(f'"""A deliberate violation."""\n\n{imports}\n', encoding="utf-8")
    done = lint(copy)
    assert done.returncode != 0
    assert broken in done.stdout, done.stdout[-2000:]
