"""Direction words against their numbers, in the prose.

"X 万元，比上年增加 B 万元，增长 Y%": the change word (增加/减少/持平) and the rate word (增长/下降) must
agree; where this year's X is in the same clause, the printed rate tells which way the money moved
(Y = 100·B/(X−B) for a rise, 100·B/(X+B) for a fall), so the word that contradicts it is named. A 决算's
"决算数大于/小于/等于预算数" is checked against the 预算数 and 决算数 it states. A change without a reason
where the template asks for one ("主要原因是…") is a warning."""

from __future__ import annotations

import re

from extractor.findings.context import Checks, fmt
from extractor.layout import Cell
from extractor.parsers.rows import JoinedText

_NUM = r"(\d[\d,]*(?:\.\d+)?)"
_UP, _DOWN = ("增加", "增长", "上升", "提高", "上涨"), ("减少", "下降", "降低", "减", "缩减")
_CHANGE = re.compile(
    rf"(?:{_NUM}万元[^。；，,]{{0,4}}[，,])?(?:比|较|与)上年(?:度)?(?:预算|决算|预算数|决算数)?(?:相比)?"
    rf"(增加|减少|持平|增长|下降)了?{_NUM}?万元?[，,]?(增长|下降|减少|增加|上升|降低)?{_NUM}?[%％]?"
)
_COMPARE = re.compile(
    rf"(?:年初)?预算(?:数)?为?{_NUM}万元[^。]{{0,60}}?决算(?:数)?为?{_NUM}万元[^。]{{0,60}}?"
    rf"决算数(大于|小于|等于|高于|低于|持平于?)(?:年初)?预算数?"
)


def _f(s: str | None) -> float | None:
    return float(s.replace(",", "")) if s else None


def _sign(word: str | None) -> int:
    if not word:
        return 0
    if word in _UP:
        return 1
    if word in _DOWN:
        return -1
    return 0


def _rate_matches(rate: float, change: float, base: float, printed: str) -> bool:
    if base <= 0:
        return False
    places = len(printed.split(".")[1]) if "." in printed else 0
    return bool(abs(100 * change / base - rate) <= 0.5 * 10 ** (-places) + 1e-9)


def check_directions(c: Checks) -> None:
    for seg in c.result.segments:
        if seg.kind != "narrative_facts":
            continue
        joined = JoinedText()
        joined.add(Cell(c.text[seg.start : seg.end], seg.start, seg.end), c.text)
        for m in _CHANGE.finditer(joined.text):
            _change(c, joined, m)
        for m in _COMPARE.finditer(joined.text):
            _compare(c, joined, m)


def _change(c: Checks, joined: JoinedText, m: re.Match[str]) -> None:
    amount, word, change, rate_word, rate_s = (
        _f(m.group(1)),
        m.group(2),
        _f(m.group(3)),
        m.group(4),
        m.group(5),
    )
    rate = _f(rate_s)
    if not change:
        if word == "持平" or change is None:
            return
        return  # "增加 0 万元" is the template's way of saying 持平
    span = joined.span(m.start(2), m.end(2))
    if span is None:
        return
    trusted = c.text_trusted(*span)
    if word == "持平":
        c.add(
            "direction_contradiction",
            "error" if trusted else "warning",
            f"写“持平”，但变动额为 {fmt(change)} 万元",
            span,
            f"持平@{m.group(0)}",
        )
        return
    said, rated = _sign(word), _sign(rate_word)
    moved = 0
    if amount is not None and rate is not None and rate_s is not None:
        up = _rate_matches(rate, change, amount - change, rate_s)
        down = _rate_matches(rate, change, amount + change, rate_s)
        moved = 1 if up and not down else -1 if down and not up else 0
    if moved and said and moved != said:
        c.add(
            "direction_contradiction",
            "error" if trusted else "warning",
            f"写“{word}”{fmt(change)} 万元，但本年 {fmt(amount or 0)} 万元与 {fmt(rate or 0)}% 表明是"
            f"{'增加' if moved > 0 else '减少'}（上年应为 {fmt((amount or 0) - moved * change)} 万元）",
            span,
            f"{word}@{m.group(0)}",
        )
    elif said and rated and said != rated:
        where = joined.span(m.start(2), m.end(4)) or span
        c.add_in_text(
            "direction_contradiction",
            f"同一变动前写“{word}”，后写“{rate_word}”",
            where,
            f"{word}/{rate_word}@{m.group(0)}",
        )
    if said and not _has_reason(joined.text, m.end()):
        c.add(
            "reason_missing", "warning", f"“{word}{fmt(change)}万元”未说明原因", span, f"reason@{m.group(0)}"
        )


# "主要原因是…" (the 地方 template), "主要是因…" (Jiangsu), "由于…", "用于…"
_REASON_WORDS = ("原因", "主要是", "由于", "因为", "用于", "系因")


def _has_reason(text: str, end: int) -> bool:
    stop = text.find("。", end)
    sentence = text[end : (stop if stop > 0 else len(text)) + 1]
    nxt = text[end : end + 160]
    return any(w in nxt for w in _REASON_WORDS) or "其中" in sentence


def _compare(c: Checks, joined: JoinedText, m: re.Match[str]) -> None:
    budget, actual, word = _f(m.group(1)), _f(m.group(2)), m.group(3)
    if budget is None or actual is None:
        return
    truth = "大于" if actual > budget + 0.005 else "小于" if actual < budget - 0.005 else "等于"
    said = {"高于": "大于", "低于": "小于"}.get(word, "等于" if word.startswith("持平") else word)
    if said == truth:
        return
    span = joined.span(m.start(3), m.end(3))
    if span is None:
        return
    c.add_in_text(
        "comparison_contradiction",
        f"写“决算数{word}预算数”，但决算数 {fmt(actual)} 万元{truth}预算数 {fmt(budget)} 万元",
        span,
        f"{word}@{m.group(0)}",
    )
