"""Synthetic extraction results with real spans, for tests, demos and the review benchmark.

The text is a function-coded table (`code name total basic project` per line); each field's span points at
the characters it was read from, and a chosen share of the fields is left for review.
"""

from __future__ import annotations

import hashlib
import random

from extractor.model import DocumentInfo, ExtractionResult, FieldValue, IngestedDocument, Record, Segment

KIND = "expenditure_by_function"
TITLE = "部门支出总体情况表"


def synthetic_result(
    *,
    rows: int = 10,
    review_share: float = 0.3,
    seed: int = 0,
    source: str | None = None,
    extra_text: str = "",
) -> ExtractionResult:
    """A document of `rows` records × 4 fields, about `review_share` of them `needs_review`."""
    rnd = random.Random(seed)
    parts: list[str] = [f"{extra_text}单位：万元\n{TITLE}\n科目编码 科目名称 合计 基本支出 项目支出\n"]
    offset = len(parts[0])
    records: list[Record] = []
    for i in range(rows):
        code = f"{2010000 + i * 7 + 1:07d}"
        basic = round(rnd.uniform(1, 500), 2)
        project = round(rnd.uniform(0, 300), 2)
        total = round(basic + project, 2)
        cells = [code, f"项目{i}", f"{total:.2f}", f"{basic:.2f}", f"{project:.2f}"]
        fields: dict[str, FieldValue] = {}
        pos = offset
        for name, cell in zip(["code", "name", "total", "basic", "project"], cells, strict=True):
            span = (pos, pos + len(cell))
            pos = span[1] + 1
            if name == "code":
                continue
            value: float | str = cell if name == "name" else float(cell)
            doubted = rnd.random() < review_share
            fields[name] = FieldValue(
                value=value,
                span=span,
                # a doubt the validators keep on re-validation (a parser's reason), as in real documents
                reasons=["grounded", f"sum:{code}"] + (["column_ambiguous"] if doubted else []),
                confidence=round(rnd.uniform(0.3, 0.85), 3) if doubted else 0.99,
                status="needs_review" if doubted else "auto_accepted",
            )
        line = " ".join(cells) + "\n"
        parts.append(line)
        offset += len(line)
        records.append(
            Record(kind=KIND, key=code, table_title=TITLE, unit="万元", fields=fields, segment_index=0)
        )
    text = "".join(parts)
    sha = hashlib.sha256(f"{seed}:{rows}:{text}".encode()).hexdigest()
    return ExtractionResult(
        document=IngestedDocument(
            sha256=sha, source=source or f"synthetic_{seed}.txt", text=text, format="txt"
        ),
        info=DocumentInfo(unit_name="测试单位", fiscal_year=2024, doc_type="budget", money_unit="万元"),
        segments=[Segment(index=0, kind=KIND, title=TITLE, start=0, end=len(text), unit="万元")],
        records=records,
    )
