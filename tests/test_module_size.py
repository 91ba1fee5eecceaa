"""Small modules: none in extractor/ is over 400 lines (the registry's table is data, in extractor/data)."""

from __future__ import annotations

from pathlib import Path

LIMIT = 400
ROOT = Path(__file__).resolve().parents[1]


def test_no_extractor_module_is_over_the_limit() -> None:
    sizes = {
        p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in (ROOT / "extractor").rglob("*.py")
    }
    assert len(sizes) > 50, "the package's modules were not found"
    over = {name: n for name, n in sizes.items() if n > LIMIT}
    assert not over, over
