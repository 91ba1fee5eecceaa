"""Finding a document's parts: the profile (概况), each budget table, the notes (情况说明), and the
performance tables; each table classified into a canonical kind (see `classify`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractor.classify import classify_content, classify_title, compact
from extractor.model import IngestedDocument, Segment

PROFILE = "department_profile"
NARRATIVE = "narrative_facts"
PERFORMANCE_KINDS = ("performance_target", "performance_self_evaluation")

_TABLE_NO = re.compile(r"^\s*表\s*(\d+)\s*")
_PART = re.compile(r"^\s*第\s*([一二三四五六七八九十\d]+)\s*部分\s*(.*)$")
_UNIT = re.compile(r"单\s*位\s*[:：]\s*(万元|元|千元|亿元)")
_EMPTY = re.compile(r"为\s*空\s*表|本表无数据|无此项支出|没有使用.{0,30}安排的支出")
_MAX_TITLE = 40
_PERF_OPENING = re.compile(
    r"单位名称|项目名称|预算单位|部门名称|主管部门|实施单位|年度|[（(]\s*\d{4}\s*年(?:度)?\s*[)）]"
)


def iter_lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, line
        pos += len(line) + 1


def _title_in_line(line: str) -> str | None:
    """The table title a line holds, if any (a title may be glued to what precedes it)."""
    s = line.strip().strip("*").strip()
    s = _TABLE_NO.sub("", s)
    if not s or "。" in s or len(compact(s)) > 60:
        return None
    if not compact(s).endswith("表"):
        return None
    # a title glued to the previous text: keep the tail after the last separator
    tail = re.split(r"[：:；;。]|单位\s*[:：]\s*\S+", s)[-1].strip()
    tail = _TABLE_NO.sub("", tail)
    if len(compact(tail)) > _MAX_TITLE or len(compact(tail)) < 4:
        return None
    return tail if classify_title(tail) else None


def find_unit(text: str) -> str | None:
    m = _UNIT.search(text)
    return m.group(1) if m else None


def segment_document(doc: IngestedDocument) -> list[Segment]:
    text = doc.text
    titles: list[tuple[int, int, str, str | None]] = []  # (start of title line, end, title, kind)
    parts: list[tuple[int, str]] = []
    after_marker = False  # the previous non-blank line was a bare `表N`
    for pos, line in iter_lines(text):
        pm = _PART.match(line)
        if pm:
            parts.append((pos, compact(pm.group(2))))
            after_marker = False
            continue
        title = _title_in_line(line)
        if title:
            titles.append((pos, pos + len(line), compact(title), classify_title(title)))
        elif after_marker and _unknown_title(line):
            titles.append((pos, pos + len(line), compact(line), None))
        if line.strip():
            after_marker = bool(re.fullmatch(r"\s*表\s*\d+\s*", line))

    # a performance table opens with its identity block (year, unit or project name); a title-like line
    # without one is a wrapped cell of the table around it (e.g. a basis citing "…部门整体绩效目标表")
    titles = [
        t for t in titles if t[3] not in PERFORMANCE_KINDS or _PERF_OPENING.search(text[t[0] : t[1] + 260])
    ]
    boundaries = sorted({p for p, _ in parts} | {t[0] for t in titles} | {len(text)})

    def next_boundary(after: int) -> int:
        return next((b for b in boundaries if b > after), len(text))

    segments: list[Segment] = []
    first_table = titles[0][0] if titles else len(text)
    profile_end = min([p for p, name in parts if p > 0] + [first_table])
    profile_text = text[:profile_end]
    if "职能" in profile_text or "编制" in profile_text or "人员" in profile_text:
        segments.append(Segment(len(segments), PROFILE, "概况", 0, profile_end, classified_by=["position"]))

    # a "表N" marker line just above a title belongs to its table
    starts = [_back_to_table_number(text, t[0]) for t in titles]
    for i, (_start, title_end, title, kind) in enumerate(titles):
        seg_start = starts[i]
        end = min(next_boundary(title_end), starts[i + 1] if i + 1 < len(titles) else len(text))
        body = text[title_end:end]
        by = ["title"] if kind else []
        content_kind = classify_content(body) if kind not in PERFORMANCE_KINDS else None
        if kind is None and content_kind is not None:
            kind, by = content_kind, ["content"]
        elif content_kind and content_kind != kind:
            by.append(f"content_suggests:{content_kind}")
        seg = Segment(
            len(segments), kind, title, seg_start, end, unit=find_unit(body[:600]), classified_by=by
        )
        seg.empty = bool(_EMPTY.search(compact(body))) and not _has_amount_rows(body)
        segments.append(seg)

    for pos, name in parts:
        if "说明" in name and "名词" not in name:
            end = min(
                [t[0] for t in titles if t[0] > pos and t[3] in PERFORMANCE_KINDS] + [next_boundary(pos)]
            )
            segments.append(
                Segment(len(segments), NARRATIVE, "情况说明", pos, end, classified_by=["part_heading"])
            )
    segments.sort(key=lambda s: s.start)
    for i, s in enumerate(segments):
        s.index = i
    return segments


def _unknown_title(line: str) -> bool:
    """A line under a `表N` marker that reads as a title the classifier does not know."""
    s = compact(line).strip("*")
    return 4 <= len(s) <= _MAX_TITLE and s.endswith("表") and "。" not in s


def _back_to_table_number(text: str, start: int) -> int:
    """If the lines just above a title are a bare `表N` marker, start the segment there."""
    window = text[max(0, start - 80) : start]
    m = re.search(r"(?:^|\n)([ \t]*表\s*\d+[ \t]*\n(?:[ \t]*\n)*)$", window)
    return start - len(m.group(1)) if m else start


def _has_amount_rows(body: str) -> bool:
    return bool(re.search(r"(?m)^\s*\d{3}\b.*\d+\.\d{2}", body))
