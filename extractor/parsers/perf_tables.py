"""Finding performance tables in a region, and reading the label/value block above their grids.

A table starts at its title line (``项目支出绩效目标表``, ``项  目  支  出  绩  效  目  标  表``,
``**部门（单位）整体支出绩效目标表**``, ``项目支出绩效自评表``): a line whose text, with blanks and
markdown removed, ends in 绩效目标表 / 绩效自评表 and holds nothing else but a short qualifier. A title
that is only the tail of a sentence or a wrapped cell (``...管理局部门整\\n体绩效目标表``) does not
count, because it does not start its line.

The label block (项目名称, 预算单位, 年度预算总额, 其中：财政拨款, 其他资金, 项目总体目标, ...) is read
layout-independently on the compact text: a label's value is what lies between it and the next
label; an amount is the first number printed there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.model import FieldValue
from extractor.numbers import find_amounts
from extractor.parsers.perf_text import Compact, clean_text, number_field, text_field

_TITLE_LINE = re.compile(
    r"^(?P<title>(?:\d{4}年度?)?[\u4e00-\u9fff（）()]{0,16}?(?:项目|部门|单位|整体|支出)[\u4e00-\u9fff（）()]{0,12}?"
    r"绩效(?:目标|自评)[\u4e00-\u9fff]{0,3}?表)(?:[（(]\d{4}年?度?[）)])?$"
)


_GLUED_TITLE = re.compile(
    r"[：:。；;]\s*(?P<title>[^：:。；;\n]{2,30}?绩\s*效\s*(?:目\s*标|自\s*评)[\u4e00-\u9fff]{0,3}?\s*表)\s*\**\s*$"
)


@dataclass
class TableSpan:
    title: str  # compact title as printed
    title_start: int
    start: int  # first character of the title line
    end: int  # start of the next table (or the region's end)

    @property
    def is_self_evaluation(self) -> bool:
        return "自评" in self.title

    @property
    def is_unit_level(self) -> bool:
        return "整体" in self.title


def find_tables(src: str, start: int, end: int) -> list[TableSpan]:
    found: list[tuple[str, int]] = []
    pos = start
    while pos < end:
        nl = src.find("\n", pos, end)
        stop = end if nl < 0 else nl
        line = src[pos:stop]
        if "绩" in line and "表" in line:
            compact = clean_text(line).replace(" ", "")
            m = _TITLE_LINE.match(compact)
            if m and len(compact) <= 34:
                first = pos + len(line) - len(line.lstrip(" \t\u3000*"))
                found.append((m.group("title"), first))
            else:
                # a title glued to the sentence introducing it: "具体情况见下表：项目支出绩效目标表"
                g = _GLUED_TITLE.search(line)
                if g and _TITLE_LINE.match(clean_text(g.group("title")).replace(" ", "")):
                    found.append((clean_text(g.group("title")).replace(" ", ""), pos + g.start("title")))
        pos = stop + 1
    out: list[TableSpan] = []
    for k, (title, at) in enumerate(found):
        nxt = found[k + 1][1] if k + 1 < len(found) else end
        out.extend(
            split_untitled(
                src, TableSpan(title=title, title_start=at, start=at, end=cut_at_heading(src, at, nxt))
            )
        )
    return out


def split_untitled(src: str, t: TableSpan) -> list[TableSpan]:
    """Tables printed one after the other with only the first titled: a new table starts at each
    项目名称 label that opens a line and is followed by its own indicator or funds header."""
    compact = Compact.of(src, t.start, t.end)
    starts: list[int] = []
    pos = compact.text.find("项目名称")
    while pos >= 0:
        at = compact.doc_start(pos)
        line_start = src.rfind("\n", 0, at) + 1
        if not src[line_start:at].strip(" \t\u3000*"):
            starts.append(pos)
        pos = compact.text.find("项目名称", pos + 4)
    cuts = [
        p
        for k, p in enumerate(starts)
        if k > 0 and re.search("一级指标|年初预算数|三级指标", compact.text[starts[k - 1] : p])
    ]
    if not cuts:
        return [t]
    bounds = [t.start, *(src.rfind("\n", 0, compact.doc_start(p)) + 1 for p in cuts), t.end]
    return [
        TableSpan(
            title=t.title,
            title_start=t.title_start if k == 0 else bounds[k],
            start=bounds[k],
            end=bounds[k + 1],
        )
        for k in range(len(bounds) - 1)
    ]


_HEADING = re.compile(
    r"^[ \t\u3000]*(?:[（(][一二三四五六七八九十]{1,3}[）)][ \u3000]*[\u4e00-\u9fff]|第[一二三四五六七八九十]{1,3}部分|"
    r"[一二三四五六七八九十]{1,3}、[\u4e00-\u9fff]{2,10}[：:]|名词解释)",
    re.M,
)


def cut_at_heading(src: str, start: int, end: int) -> int:
    """A table ends at the next section heading printed after its indicator rows
    (``（五）其他需说明的事项``, ``第四部分 名词解释``)."""
    compact = Compact.of(src, start, end)
    k = -1
    for word in ("一级指标", "总分"):
        k = max(k, compact.text.rfind(word))
    if k < 0:
        return end
    m = _HEADING.search(src, compact.doc_start(k), end)
    return m.start() if m else end


# ---------------------------------------------------------------------------------------------- labels

# (field, pattern) in the compact text; fields starting with "_" only end the previous value
_LABELS: list[tuple[str, str]] = [
    ("project_name", r"项目名称"),
    (
        "unit_name",
        r"部门（单位）名称|部门\(单位\)名称|单位名称(?:（盖章）|\(盖章\))?|部门名称(?:（盖章）|\(盖章\))?",
    ),
    ("owner", r"预算单位|预算部门|主管部门及代码|主管部门"),
    ("implementer", r"实施单位"),
    ("_stop", r"项目负责人|单位联系人|部门联系人|联系人|联系电话：?|任务名称|主要内容"),
    (
        "_stop",
        r"项目资金(?:（万元）|\(万元\)|（元）|\(元\))?|年度预算(?:（万元）|\(万元\))|资金来源|资金总额(?:（万元）|\(万元\))",
    ),
    ("budget_total", r"年度预算总额|年度资金总额|资金总额"),
    ("budget_fiscal", r"(?:其中：?)?(?:当年)?财政拨款"),
    ("_fiscal_funds", r"财政资金(?:（万元）|\(万元\))?"),
    ("fiscal_upper", r"上级安排"),
    ("fiscal_local", r"本级安排"),
    ("budget_other", r"其他资金(?:（万元）|\(万元\))?"),
    ("_other_sub", r"其他(?=[：:]?\d)"),
    ("overall_goal", r"项目总体目标|年度总体目标|项目年度目标|年度绩效目标|总体目标|年度目标"),
]
_LABEL_RE = re.compile("|".join(f"(?P<g{i}>{p})" for i, (_, p) in enumerate(_LABELS)))
_GOAL_END = re.compile(r"年度预算(?:（万元）|\(万元\))|资金来源|一级指标|年度绩效指标|绩效指标|任务名称")


@dataclass
class LabelHit:
    field: str
    start: int  # compact indices
    end: int


def label_hits(compact: Compact, lo: int, hi: int) -> list[LabelHit]:
    """Labels in compact[lo:hi]; the goal's text is skipped so that words inside it are not labels."""
    hits: list[LabelHit] = []
    pos = lo
    while pos < hi:
        m = _LABEL_RE.search(compact.text, pos, hi)
        if not m:
            break
        name = _LABELS[int(next(k for k, v in m.groupdict().items() if v is not None)[1:])][0]
        hits.append(LabelHit(name, m.start(), m.end()))
        pos = m.end()
        if name == "overall_goal":
            g = _GOAL_END.search(compact.text, pos, hi)
            if g is None:
                break
            pos = g.start()
    return hits


def read_label_block(src: str, compact: Compact, lo: int, hi: int) -> dict[str, FieldValue]:
    """Fields of the label block in compact[lo:hi]."""
    hits = label_hits(compact, lo, hi)
    out: dict[str, FieldValue] = {}
    for k, h in enumerate(hits):
        if h.field.startswith("_") or h.field in out:
            continue
        nxt = hits[k + 1].start if k + 1 < len(hits) else hi
        if h.field == "overall_goal":
            g = _GOAL_END.search(compact.text, h.end, hi)
            nxt = g.start() if g else hi
        s, e = compact.doc_end(h.end), compact.doc_start(nxt)
        if h.field.startswith(("budget_", "fiscal_")):
            fv = first_amount(src, s, e)
            if fv is None and k + 1 < len(hits) and hits[k + 1].field == "_other_sub":
                # 其他资金（万元） 其他 0.00
                after = hits[k + 2].start if k + 2 < len(hits) else hi
                fv = first_amount(src, compact.doc_end(hits[k + 1].end), compact.doc_start(after))
        else:
            fv = text_field(src, s, e)
            if fv is not None and isinstance(fv.value, str):
                fv.value = fv.value.lstrip("：:").strip()
                if not fv.value:
                    fv = None
        if fv is not None:
            out[h.field] = fv
    return out


def first_amount(src: str, start: int, end: int) -> FieldValue | None:
    """The first number printed in src[start:end] (an amount, possibly with thousands separators)."""
    toks = find_amounts(src[start:end], start)
    if not toks:
        return None
    t = toks[0]
    fv = number_field(src, t.start, t.end)
    return fv if fv is not None else FieldValue(value=t.value, span=(t.start, t.end))


def money_unit(compact_text: str) -> str:
    if re.search(r"[（(]元[）)]|单位：元(?!/)", compact_text) and "万元" not in compact_text[:200]:
        return "元"
    return "万元"
