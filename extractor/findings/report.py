"""The report a reviewer reads: the normative JSON, Markdown and HTML (document text escaped)."""

from __future__ import annotations

import html
from typing import Any

from extractor.findings.model import DisclosureFinding, counts
from extractor.findings.rules import plain
from extractor.model import ExtractionResult

_LEVEL = {"error": "错误", "warning": "警告", "info": "提示"}


def report_json(result: ExtractionResult, findings: list[DisclosureFinding]) -> dict[str, Any]:
    doc, info = result.document, result.info
    return {
        "document": {
            "sha256": doc.sha256,
            "source": doc.source,
            "unit_name": info.unit_name,
            "fiscal_year": info.fiscal_year,
            "doc_type": info.doc_type,
            "money_unit": info.money_unit,
            "counts": counts(findings),
        },
        "findings": [f.as_json() for f in findings],
    }


def _one_line(s: str) -> str:
    return " ".join(s.split())


def report_markdown(result: ExtractionResult, findings: list[DisclosureFinding]) -> str:
    n = counts(findings)
    lines = [
        f"# {result.document.source}",
        "",
        f"错误 {n['error']} · 警告 {n['warning']} · 提示 {n['info']}",
        "",
    ]
    for f in findings:
        where = f"第 {f.page} 页" if f.page else "—"
        quote = _one_line(f.text).replace("`", "'")
        lines.append(
            f"- **{_LEVEL[f.severity]}** {plain(f.rule)}（`{f.rule}`，{where}）：{_one_line(f.message)}"
            + (f" — 原文 `{quote}`" if quote else "")
            + f" <!-- {f.id} -->"
        )
    if not findings:
        lines.append("未发现问题。")
    return "\n".join(lines) + "\n"


def report_html(result: ExtractionResult, findings: list[DisclosureFinding]) -> str:
    e = html.escape
    n = counts(findings)
    rows = "".join(
        f'<tr class="{f.severity}" id="f-{f.id}"><td>{_LEVEL[f.severity]}</td><td>{e(plain(f.rule))}</td>'
        f"<td>{f.page or ''}</td><td>{e(f.message)}</td><td><q>{e(_one_line(f.text))}</q></td></tr>"
        for f in findings
    )
    return (
        f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{e(result.document.source)}</title>'
        f"<h1>{e(result.document.source)}</h1><p>错误 {n['error']} · 警告 {n['warning']} · 提示 {n['info']}</p>"
        f"<table><thead><tr><th>级别</th><th>规则</th><th>页</th><th>说明</th><th>原文</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></html>\n"
    )
