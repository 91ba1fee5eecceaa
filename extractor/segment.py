"""Finding a document's parts: the profile (概况), each budget table, the notes (情况说明), and the
performance tables; each table classified into a canonical kind (see `classify`)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractor.classify import (
    BARE_ENDINGS,
    classify_content,
    classify_title,
    compact,
    is_government_document,
    is_government_title,
    title_core,
)
from extractor.model import PAGE_BREAK, IngestedDocument, Segment

PROFILE = "department_profile"
NARRATIVE = "narrative_facts"
PERFORMANCE_KINDS = ("performance_target", "performance_self_evaluation")

_TABLE_NO = re.compile(r"^\s*表\s*(\d+)\s*")
_PART = re.compile(r"^\s*第\s*([一二三四五六七八九十\d]+)\s*部分\s*(.*)$")
_UNIT = re.compile(r"单\s*位\s*[:：]\s*(万元|元|千元|亿元)")
_EMPTY = re.compile(
    r"为\s*空\s*表|本表无数据|无此项(?:支出|内容|收支)|没有使用.{0,30}安排的支出|[本我](?:单位|部门)无.{0,12}(?:支出|收入|内容|预算|项目)"
)
# digits that are no amount: a year, a code (2xx / 3xx, 3, 5 or 7 digits), a table label, a page number
_NOT_AMOUNT = re.compile(
    r"\d{4}\s*年|(?<![\d.,])[23]\d{2}(?:\d{2}){0,2}(?![\d.,])|(?:公开|附)?表\s*[\d一二三四五六七八九十]+(?:[-－]\d+)?|公开\s*\d+\s*表|第\s*\d+\s*页"
    # a page number on a line of its own (a table cell starts with a tab, so it is never one)
    r"|(?m:^ *\d{1,3} *$)"
)
_DIGITS = re.compile(r"\d")
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
    """The table title a line holds, if any (a title may be glued to what precedes it); known or not."""
    s = line.strip().strip("*").strip()
    s = _TABLE_NO.sub("", s)
    if not s or "。" in s or "《" in s or len(compact(s)) > 60:
        return None
    if not title_core(s)[0].endswith("表"):
        return None
    # a title glued to the previous text: keep the tail after the last separator
    tail = re.split(r"[：:；;。]|单位\s*[:：]\s*\S+", s)[-1].strip()
    tail = _TABLE_NO.sub("", tail)
    if len(compact(tail)) > _MAX_TITLE or len(compact(tail)) < 4:
        return None
    return tail


def find_unit(text: str) -> str | None:
    m = _UNIT.search(text)
    return m.group(1) if m else None


def segment_document(doc: IngestedDocument) -> list[Segment]:
    text = doc.text
    found: list[tuple[int, int, str]] = []  # (start of title line, end, title)
    parts: list[tuple[int, str]] = []
    after_marker = False  # the previous non-blank line was a bare `表N`
    previous: tuple[int, str] | None = None  # the previous non-blank line
    for pos, line in iter_lines(text):
        pm = _PART.match(line)
        if pm:
            parts.append((pos, compact(pm.group(2))))
            after_marker = False
            continue
        # a title printed in a table cell of its own stands like one on a line of its own
        own = _title_cell(text, pos, line, after_marker) or line
        title = _title_in_line(line) or _bare_title(own)
        tail = title or _short_tail(line)
        if tail and previous and (joined := _wrapped_title(previous[1], tail)):
            pos, title = previous[0], joined  # a title wrapped onto a second line (…培训费 / 支出预算表)
        if title and (m := _QUALIFIER_LINE.match(text, pos + len(line) + 1)):
            title += compact(m.group(1))  # （功能分类） printed on the line under the title
        if title and (
            classify_title(title)
            or classify_title(title, government=True)
            and is_government_title(title)
            or _unknown_title(own)
            or _unknown_bare_title(own, title)
        ):
            found.append((pos, pos + len(line), compact(title)))
        elif after_marker and _unknown_title(own):
            found.append((pos, pos + len(line), compact(line)))
        if line.strip():
            after_marker = bool(re.fullmatch(r"\s*表\s*\d+\s*", line))
            previous = (pos, line)
    # a government's own budget (全市 / 本级 tables, its revenue) reads its tables as the gov_* kinds: its
    # heading says so, or most of its tables' titles do (one 市本级 title does not turn a department's)
    opening = [
        t
        for i, t in enumerate(found)
        if _opens_table(text[t[1] : found[i + 1][0] if i + 1 < len(found) else None])
    ]
    government = is_government_document(text, [t[2] for t in opening])
    titles: list[tuple[int, int, str, str | None]] = []
    last_seen = 0
    for i, (start, end, title) in enumerate(found):
        nxt = found[i + 1][0] if i + 1 < len(found) else len(text)
        kind = classify_title(title, government=government)
        # a title with no table under it is a mention (a contents list, a sentence naming the table);
        # a performance table opens with its identity block instead (checked below)
        if kind not in PERFORMANCE_KINDS and not _opens_table(text[end:nxt]):
            continue
        if (
            titles
            and titles[-1][2] == title
            and kind not in PERFORMANCE_KINDS  # one generic title (绩效目标表) heads each project's table
            and text.count(PAGE_BREAK, last_seen, start) <= 1
        ):
            last_seen = start
            continue  # the title printed again on the next page of the same table
        last_seen = start
        titles.append((start, end, title, kind))

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
        if kind == "income_by_function" and not _FUNC_ROW.search(body) and _SOURCE_WORDS.search(body):
            # 收入预算总表 by source (Jiangsu 公开表二): no function code, amounts by 资金 group
            kind, by = "income_by_source", [*by, "content:no_function_codes"]
        seg = Segment(
            len(segments),
            kind,
            title,
            seg_start,
            end,
            unit=find_unit(body[:600]),
            classified_by=by,
            scope=table_scope(title) if government else "",  # a level (市本级) splits a government's tables
        )
        # the statement stands under the table (本表为空表), not in prose that runs on after it
        stated = bool(_EMPTY.search(compact(body[:800]))) and not _has_amount_rows(body)
        # a table printed with its header and 合计 row but not one amount (Jiangsu's 政府性基金 table)
        seg.empty = (
            stated or kind not in (None, *PERFORMANCE_KINDS) and not _DIGITS.search(_NOT_AMOUNT.sub("", body))
        )
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
    _drop_taken_guesses(segments)
    return segments


def _drop_taken_guesses(segments: list[Segment]) -> None:
    """A kind only the content rules gave is not kept when a title in the same document already names that
    kind for the same scope: a disclosure prints each table of its template once, and like tables (支出总表 /
    一般公共预算支出表, 收入总表 / 财政拨款收支总表) share their header words. The table stays unknown."""
    titled = {(s.kind, s.scope) for s in segments if s.kind and s.classified_by[:1] == ["title"]}
    for s in segments:
        if s.classified_by == ["content"] and (s.kind, s.scope) in titled and s.kind not in PERFORMANCE_KINDS:
            s.classified_by = [f"content_taken:{s.kind}"]
            s.kind = None


_QUALIFIER_LINE = re.compile(r"[ \t]*([（(][^（）()\n]{1,20}[）)])[ \t]*\n")
_FUNC_ROW = re.compile(r"(?m)^\s*2[0-3]\d(?:\d{2}){0,2}\b")
_SOURCE_WORDS = re.compile(r"资金|小计")
_AMOUNT_CELL = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_HEADER_CELL = re.compile(
    r"项目|科目|科目编码|科目名称|合计|金额|总计|功能分类科目|经济分类科目|预算数|决算数"
)
_UNIT_LINE = re.compile(r"单位[:：]|金额单位|单位：?万元|单位：?元")
_LEVEL = re.compile(r"(?:[市省县区州]本级|本级|全市|全省|全县|全区)")


def table_scope(title: str) -> str:
    """Which unit a table covers when its title says so (全市 / 市本级), else ''."""
    m = _LEVEL.search(compact(title))
    if not m:
        return ""
    word = m.group(0)
    if word == "本级":
        before = compact(title)[max(0, m.start() - 1) : m.start()]
        word = before + word if before in "市省县区州" and before else word
    return word


def _opens_table(body: str) -> bool:
    """Whether the text under a title opens a table: its first lines hold the unit, cells, amounts or an
    empty-table note, not prose or more titles (a contents list gives one title under another)."""
    lines = [ln for ln in body.split("\n") if ln.strip() and ln.strip() != PAGE_BREAK]
    head = lines[:12]
    if not head or "。" in head[0] and len(compact(head[0])) > 30:
        return False
    joined = compact("".join(head))
    if _UNIT_LINE.search(joined) or _EMPTY.search(joined):
        return True
    cells = sum(1 for ln in head if ln.startswith("\t"))
    amounts = sum(1 for ln in head if _AMOUNT_CELL.fullmatch(ln.strip()))
    headers = sum(1 for ln in head if _HEADER_CELL.fullmatch(compact(ln)))
    return cells >= 2 or amounts >= 2 or headers >= 1 and amounts + cells >= 1


_UNKNOWN_TITLE_END = re.compile(
    r"(?:情况|预算|决算|总|明细|统计|一览|汇总|计划|安排|执行|分配|收支|支出|收入)表$"
)


_HEADING_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])"
)


_TABLE_LABEL = re.compile(
    r"^\s*(?:公开\s*\d+\s*表|公开表\s*[一二三四五六七八九十\d]+|附?表\s*[\d一二三四五六七八九十]+(?:[-－]\d+)?)\s*[：:、.．]?\s*"
)


def _short_tail(line: str) -> str | None:
    """A line too short to be a title on its own that may end one (…支出预 / 算表)."""
    s = compact(line)
    return s if not line.startswith("\t") and 1 < len(s) <= 10 and s.endswith("表") else None


def _wrapped_title(previous: str, tail: str) -> str | None:
    """The whole title when a short title line (支出预算表) ends one the line above began: that line is
    no cell and no sentence, opens with the table's label (公开09表：) or holds no colon, and the two
    read together (without the label or a heading number such as 十一、) name a kind the short line
    alone does not."""
    if previous.startswith("\t") or len(compact(tail)) > 10:
        return None
    line = previous.strip().strip("*")
    head = _HEADING_NUMBER.sub("", _TABLE_LABEL.sub("", line))
    labelled = _TABLE_LABEL.match(line) is not None
    if (
        not head
        or "。" in head
        or "，" in head
        or not labelled
        and re.search(r"[：:]", head)
        or title_core(head)[0].endswith("表")
    ):
        return None
    joined = compact(head + tail)
    if len(joined) > _MAX_TITLE:
        return None
    kind = classify_title(joined)
    return joined if kind and kind != classify_title(tail) else None


def _bare_title(line: str) -> str | None:
    """A table's name printed without 表 (定州: 部门政府采购预算, 部门职责-工作活动绩效目标) on a line of its own; it
    counts only if it names a kind and a table opens under it (checked by the caller)."""
    s = compact(line).strip("*")
    if (
        line.startswith("\t")
        or not 4 <= len(s) <= 30
        or "。" in s
        or "，" in s
        or _HEADING_NUMBER.match(line)
    ):
        return None
    if _unknown_bare_title(line, s):  # 部门基本支出预算（人员经费预算）: kept if a table opens under it
        return s
    core = title_core(s)[0]  # 部门基本支出预算（人员经费预算）: the name before its qualifier
    if core.endswith("表") or not core.endswith(BARE_ENDINGS):
        return None
    kind = classify_title(s)
    # a performance table's own rows (年度绩效目标) read like its title: only the printed 表 opens one
    return s if kind and kind not in PERFORMANCE_KINDS else None


def _title_cell(text: str, pos: int, line: str, after_marker: bool) -> str | None:
    """A table cell standing alone on its line that stands where a title stands: under the table's
    number (表5) or over its unit line (编制单位：… 单位：万元); its text, to be read as a line of its own."""
    cell = line.strip()
    if not line.startswith("\t") or not cell or "\t" in cell:
        return None
    if after_marker:
        return cell
    below = next(
        (ln for ln in text[pos + len(line) + 1 : pos + len(line) + 400].split("\n") if ln.strip()), ""
    )
    return cell if _UNIT_LINE.search(below) or "编制单位" in below or "编制部门" in below else None


def _unknown_title(line: str) -> bool:
    """A line that reads as a title the classifier does not know: on a line of its own (not a table
    cell), ending like a table's name (…情况表, …预算表, …明细表)."""
    if line.startswith("\t"):
        return False
    s, _ = title_core(line.strip("*"))
    return 4 <= len(s) <= _MAX_TITLE and bool(_UNKNOWN_TITLE_END.search(s)) and "。" not in s


def _unknown_bare_title(line: str, title: str) -> bool:
    """A bare name (no 表) the classifier does not know, on a line of its own, ending in 预算 / 决算 and
    qualified (（人员经费预算）): kept as an unknown table when a table opens under it (checked later)."""
    return (
        not line.startswith("\t")
        and classify_title(title) is None
        and compact(line).strip("*").endswith(("预算）", "决算）", "预算)", "决算)"))
    )


def _back_to_table_number(text: str, start: int) -> int:
    """If the lines just above a title are a bare `表N` marker, start the segment there."""
    window = text[max(0, start - 80) : start]
    m = re.search(r"(?:^|\n)([ \t]*表\s*\d+[ \t]*\n(?:[ \t]*\n)*)$", window)
    return start - len(m.group(1)) if m else start


def _has_amount_rows(body: str) -> bool:
    return bool(re.search(r"(?m)^\s*\d{3}\b.*\d+\.\d{2}", body))
