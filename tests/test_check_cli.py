"""`extractor check`: exit 0 clean, 1 with an error finding, 2 unreadable; the JSON report's shape."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from extractor.cli import main

SEEDS = Path(__file__).resolve().parents[1] / "eval" / "datasets" / "seeds" / "docs"


def test_exit_codes_and_json(tmp_path: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(main, ["check", str(SEEDS / "002_36c23adddff5d972.txt")])
    assert clean.exit_code == 0, clean.output
    assert "错误 0" in clean.output
    out = tmp_path / "r.json"
    dirty = runner.invoke(main, ["check", str(SEEDS / "001_bf78897304f03bf2.txt"), "--json", str(out)])
    assert dirty.exit_code == 1, dirty.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["document"]["source"] == "001_bf78897304f03bf2.txt"
    f = next(f for f in report["findings"] if f["rule"] == "placeholder")
    assert set(f) == {"id", "rule", "severity", "message", "text", "span", "page", "fields"}
    assert f["severity"] == "error" and f["text"] == "请填写" and f["page"] == 1
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    unreadable = runner.invoke(main, ["check", str(broken)])
    assert unreadable.exit_code == 2


def test_html_report_escapes_document_text(tmp_path: Path) -> None:
    doc = tmp_path / "x.txt"
    src = (SEEDS / "001_bf78897304f03bf2.txt").read_text(encoding="utf-8")
    doc.write_text(src.replace("请填写本单位", "{<b>单位}本单位"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(doc), "--format", "html"])
    assert result.exit_code == 1
    assert "<b>" not in result.output
    assert "<q>{&lt;b&gt;单位}</q>" in result.output
