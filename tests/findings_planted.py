"""The planted-error set: real documents (seeds, corpus-dev) with one error planted into a copy of the
ingested text. Each plant returns the new text and the planted spot `[start, end)` (empty for a removal)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corpus_dev import require_corpus_dev

from extractor.ingest import ingest_path
from extractor.model import IngestedDocument
from extractor.segment import segment_document

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "eval" / "datasets" / "seeds" / "docs"

Plant = Callable[[str], tuple[str, tuple[int, int]]]


def corpus_file(prefix: str) -> Path:
    """A corpus-dev file beside the clone; skipped when absent, except under CI."""
    return require_corpus_dev(f"{prefix}*")


def source(name: str) -> Path:
    return SEEDS / name if name[0] == "0" and (SEEDS / name).exists() else corpus_file(name)


def replace_in(old: str, new: str, *, after: str = "", nth: int = 0) -> Plant:
    """Replace the nth occurrence of `old` (after the first `after`) with `new`; the spot is what changed."""

    def plant(text: str) -> tuple[str, tuple[int, int]]:
        start = text.index(after) if after else 0
        i = start
        for _ in range(nth + 1):
            i = text.index(old, i if i == start else i + 1)
        pre = len(os.path.commonprefix([old, new]))
        suf = len(os.path.commonprefix([old[pre:][::-1], new[pre:][::-1]]))
        return text[:i] + new + text[i + len(old) :], (i + pre, i + len(new) - suf)

    return plant


def regex_in(pattern: str, new: Callable[[re.Match[str]], str], *, group: int = 0) -> Plant:
    def plant(text: str) -> tuple[str, tuple[int, int]]:
        m = re.search(pattern, text, re.S)
        assert m is not None, pattern
        s, e = m.span(group)
        repl = new(m)
        return text[:s] + repl + text[e:], (s, s + len(repl))

    return plant


def _segment(text: str, kind: str) -> tuple[int, int, int]:
    doc = IngestedDocument(sha256="x", source="x", text=text, format="txt")
    seg = next(s for s in segment_document(doc) if s.kind == kind)
    title_end = text.index("\n", text.index(seg.title[:4], seg.start))
    return seg.start, title_end, seg.end


def remove_table(kind: str) -> Plant:
    def plant(text: str) -> tuple[str, tuple[int, int]]:
        start, _t, end = _segment(text, kind)
        return text[:start] + text[end:], (start, start)

    return plant


def empty_table(kind: str) -> Plant:
    """Drop every line with a number from the table's body, and any empty-table statement."""

    def plant(text: str) -> tuple[str, tuple[int, int]]:
        start, title_end, end = _segment(text, kind)
        body = text[title_end:end].split("\n")
        kept = [ln for ln in body if not re.search(r"\d", ln) and "空表" not in ln]
        new_body = "\n".join(kept)
        stripped = new_body.strip()
        at = title_end + new_body.index(stripped[:1]) if stripped else title_end
        return text[:title_end] + new_body + text[end:], (at, at + len(stripped))

    return plant


@dataclass(frozen=True)
class Case:
    doc: str
    what: str
    rule: str
    plant: Plant


CASES = (
    Case(
        "004_7078add5d4f01a7a.txt",
        "placeholder",
        "placeholder",
        replace_in("库尔勒经济技术开发区市场监督管理", "XX", after="第三部分"),
    ),
    Case(
        "000_335c3f7f451f52b5.txt",
        "doubled punctuation",
        "doubled_punctuation",
        replace_in("增加。", "增加。。", after="第三部分"),
    ),
    Case(
        "20_",
        "flipped direction word (PDF)",
        "direction_contradiction",
        regex_in(r"5,223\.22 ?万元，与上年\n相比(增加)", lambda m: "减少", group=1),
    ),
    Case(
        "001_bf78897304f03bf2.txt",
        "说明 total changed",
        "narrative_table_mismatch",
        replace_in("收支总预算 4,402.83", "收支总预算 4,412.83"),
    ),
    Case(
        "000_335c3f7f451f52b5.txt",
        "三公 part changed in the 说明",
        "narrative_table_mismatch",
        replace_in("公务接待费3.00万元", "公务接待费5.00万元", after="第三部分"),
    ),
    Case(
        "004_7078add5d4f01a7a.txt",
        "table emptied without its statement",
        "empty_table_no_statement",
        empty_table("three_public_expenses"),
    ),
    Case(
        "001_bf78897304f03bf2.txt",
        "year changed in one title",
        "year_inconsistent",
        replace_in("第二部分 2024 年", "第二部分 2023 年"),
    ),
    Case(
        "000_335c3f7f451f52b5.txt",
        "required table removed",
        "required_table_missing",
        remove_table("basic_expenditure_by_economic"),
    ),
    Case(
        "07_",
        "placeholder (PDF)",
        "placeholder",
        regex_in(r"江苏省人民检察(?=院 ?2017 ?年度部门预算表)", lambda m: "××"),
    ),
    Case(
        "21_",
        "table emptied without its statement (PDF)",
        "empty_table_no_statement",
        empty_table("three_public_expenses"),
    ),
)


def planted(case: Case) -> tuple[IngestedDocument, IngestedDocument, tuple[int, int]]:
    original = ingest_path(source(case.doc))
    text, spot = case.plant(original.text)
    assert text != original.text
    doc = IngestedDocument(
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        source=f"planted-{original.source}",
        text=text,
        format=original.format,
    )
    return original, doc, spot
