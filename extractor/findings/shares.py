"""The 说明's shares: "基本支出 X 万元，占 a%；项目支出 Y 万元，占 b%". Where a + b is 100 (to the printed
precision), the base is 基本 + 项目 and each share is checked against its amount; a gap under one unit of
the last printed digit is a rounding gap (info). Where a + b is not 100 the document shares out a larger
total (上缴上级, 事业单位经营支出 …) that the 说明 does not state, and nothing is checked."""

from __future__ import annotations

from extractor.findings.context import Checks, fmt
from extractor.model import Record

_SHARES = (
    ("basic_expenditure_share", "basic_expenditure", "基本支出"),
    ("project_expenditure_share", "project_expenditure", "项目支出"),
)


def _num(r: Record, name: str) -> float | None:
    fv = r.fields.get(name)
    if fv is None or isinstance(fv.value, bool) or not isinstance(fv.value, int | float):
        return None
    return float(fv.value)


def _places(c: Checks, r: Record, name: str) -> int:
    fv = r.fields[name]
    printed = c.text[fv.span[0] : fv.span[1]] if fv.span else ""
    return len(printed.split(".")[1].strip()) if "." in printed else 0


def check_shares(c: Checks) -> None:
    r = c.record("narrative_facts")
    if r is None:
        return
    values = [(_num(r, s), _num(r, p)) for s, p, _w in _SHARES]
    (sa, pa), (sb, pb) = values
    if sa is None or sb is None or pa is None or pb is None or not pa + pb:
        return
    unit = 10 ** -max(_places(c, r, s) for s, _p, _w in _SHARES)
    if abs(sa + sb - 100) > unit + 1e-9:
        return
    for (share_name, part_name, word), (share, part) in zip(_SHARES, values, strict=True):
        assert share is not None and part is not None
        places = _places(c, r, share_name)
        exact = 100 * part / (pa + pb)
        gap = abs(exact - share)
        if gap <= 0.5 * 10**-places + 1e-9:
            continue
        fv = r.fields[share_name]
        if fv.span is None:
            continue
        msg = f"{word}占比 {share:g}%，按金额 {fmt(part)} / {fmt(pa + pb)} 万元计算为 {exact:.{places + 2}f}%"
        if gap < 10**-places + 1e-9:
            c.add(
                "rounding_gap",
                "info",
                f"尾差：{msg}",
                fv.span,
                f"share:{share_name}",
                [r.address(share_name)],
            )
        else:
            c.add_in_text(
                "share_mismatch",
                msg,
                fv.span,
                f"share:{share_name}",
                [r.address(share_name), r.address(part_name)],
            )
