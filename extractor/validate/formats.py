"""Formats: years, percentages, 执行率 = 执行数 / 预算数 to the printed precision, scores ≤ weights.

The 说明's shares (基本支出/项目支出 占支出预算 %) are checked the same way: each = 100 × part /
(基本支出 + 项目支出) to its printed precision, and the two add up to 100 — a gap of one unit of the
last printed digit is a rounding gap only when each share holds on its own.

Indicator weights (分值) add up to a full mark: a 自评表's indicators and its 预算执行率 to 100; a
目标表's indicators to 90 (the 10 of 预算执行率 left out, as the seeds print them) or 100. A rate
indicator's target in % (…率, 满意度; not a 增长率) lies between 0 and 100."""

from __future__ import annotations

from extractor.model import Finding, Record
from extractor.validate import outline
from extractor.validate.index import RecordIndex


def _num(record: Record, name: str) -> float | None:
    fv = record.fields.get(name)
    if fv is None or isinstance(fv.value, bool) or not isinstance(fv.value, int | float):
        return None
    return float(fv.value)


def _decimals(record: Record, name: str, text: str) -> int:
    fv = record.fields.get(name)
    if fv is None or fv.span is None:
        return 2
    printed = text[fv.span[0] : fv.span[1]]
    return len(printed.split(".")[1].rstrip("%％ ")) if "." in printed else 0


def format_findings(index: RecordIndex, text: str) -> list[Finding]:
    out: list[Finding] = []
    for r in index.of_kind("performance_self_evaluation"):
        rate, done, budget = _num(r, "execution_rate"), _num(r, "executed"), _num(r, "budget_full_year")
        if rate is not None and done is not None and budget:
            places = _decimals(r, "execution_rate", text)
            exact = done / budget * 100
            expected = round(exact, places)
            # the printed rate is a rounding of the exact ratio (half up or half even: 18.125 → 18.13 or
            # 18.12) when it lies within half a unit of its last digit; a rate capped at 100 % also holds
            ok = abs(exact - rate) <= 10 ** (-places) * 0.5 + 1e-9 or (
                exact >= 100.0 and abs(rate - 100.0) < 1e-9
            )
            out.append(
                Finding(
                    "format",
                    f"execution_rate:{r.key}",
                    ok,
                    [r.address("execution_rate"), r.address("executed"), r.address("budget_full_year")],
                    f"执行率 {rate} vs 执行数/预算数 = {expected}",
                )
            )
    for kind in ("performance_self_evaluation", "self_evaluation_indicator"):
        for r in index.of_kind(kind):
            score, weight = _num(r, "score"), _num(r, "weight")
            if score is not None and weight is not None:
                out.append(
                    Finding(
                        "format",
                        f"score_le_weight:{r.kind}:{r.key}",
                        score <= weight + 1e-9,
                        [r.address("score"), r.address("weight")],
                        f"得分 {score} {'≤' if score <= weight else '>'} 分值 {weight}",
                    )
                )
    out.extend(_share_findings(index, text))
    out.extend(_weight_findings(index))
    out.extend(_rate_findings(index))
    out.extend(outline.rate_findings(index, text))
    out.extend(_price_findings(index, text))
    doc = index.get("document", "")
    if doc is not None:
        year = _num(doc, "fiscal_year")
        if year is not None:
            out.append(
                Finding(
                    "format",
                    "fiscal_year",
                    2000 <= year <= 2100,
                    [doc.address("fiscal_year")],
                    f"fiscal year {int(year)}",
                )
            )
    return out


_SHARES = (
    ("basic_expenditure_share", "basic_expenditure"),
    ("project_expenditure_share", "project_expenditure"),
)


def _share_findings(index: RecordIndex, text: str) -> list[Finding]:
    out: list[Finding] = []
    r = index.get("narrative_facts", "")
    if r is None:
        return out
    basic, project = _num(r, "basic_expenditure"), _num(r, "project_expenditure")
    base = basic + project if basic is not None and project is not None else _num(r, "total_budget")
    held: dict[str, bool] = {}
    for share_name, part_name in _SHARES:
        share, part = _num(r, share_name), _num(r, part_name)
        if share is None or part is None or not base:
            continue
        places = _decimals(r, share_name, text)
        exact = part / base * 100
        ok = abs(exact - share) <= 10 ** (-places) * 0.5 + 1e-9
        held[share_name] = ok
        out.append(
            Finding(
                "format",
                f"share:{share_name}",
                ok,
                [r.address(share_name)],
                f"{share}% vs 100 × {part} / {base:.2f} = {exact:.{places + 2}f}%",
            )
        )
    shares = [_num(r, name) for name, _ in _SHARES]
    if shares[0] is not None and shares[1] is not None:
        places = max(_decimals(r, name, text) for name, _ in _SHARES)
        gap = abs(shares[0] + shares[1] - 100)
        rounding = 1e-9 < gap <= 10 ** (-places) + 1e-9 and len(held) == 2 and all(held.values())
        ok = gap <= 1e-9 or rounding
        # when the pair misses 100, a share that holds on its own is not in doubt: the other one is
        names = [n for n, _ in _SHARES if ok or not held.get(n, True)] or [n for n, _ in _SHARES]
        out.append(
            Finding(
                "format",
                "share_sum",
                ok,
                [r.address(n) for n in names],
                f"{shares[0]}% + {shares[1]}% = {shares[0] + shares[1]:.{places}f}%",
                "rounding" if rounding else "error",
            )
        )
    return out


def _weight_findings(index: RecordIndex) -> list[Finding]:
    out: list[Finding] = []
    tables: dict[str, list[Record]] = {}
    for r in index.of_kind("performance_indicator"):
        if _num(r, "weight") is not None:
            tables.setdefault(r.key.split("/", 1)[0], []).append(r)
    for project, recs in tables.items():
        total = sum(_num(r, "weight") or 0.0 for r in recs)
        out.append(
            Finding(
                "format",
                f"weights:performance_indicator:{project}",
                any(abs(total - full) < 0.005 for full in (90.0, 100.0)),
                [r.address("weight") for r in recs],
                f"Σ分值 {total:g} (a full mark is 90 or 100)",
            )
        )
    indicators = index.of_kind("self_evaluation_indicator")
    for proj in index.of_kind("performance_self_evaluation"):
        mine = [i for i in indicators if i.key.split("/", 1)[0] == proj.key and _num(i, "weight") is not None]
        if not mine or _num(proj, "weight") is None:
            continue
        parts = [proj, *mine]
        total = sum(_num(r, "weight") or 0.0 for r in parts)
        out.append(
            Finding(
                "format",
                f"weights:self_evaluation:{proj.key}",
                abs(total - 100.0) < 0.005,
                [r.address("weight") for r in parts],
                f"Σ分值 {total:g} (100 expected)",
            )
        )
    return out


def _rate_findings(index: RecordIndex) -> list[Finding]:
    out: list[Finding] = []
    for kind in ("performance_indicator", "self_evaluation_indicator"):
        for r in index.of_kind(kind):
            name, unit, value = r.fields.get("name"), r.fields.get("target_unit"), _num(r, "target_value")
            if name is None or unit is None or value is None or unit.value not in ("%", "％"):
                continue
            label = str(name.value)
            if not ("率" in label or "满意度" in label) or any(w in label for w in ("增长", "增幅", "增速")):
                continue
            out.append(
                Finding(
                    "format",
                    f"rate_range:{kind}:{r.key}",
                    0.0 <= value <= 100.0,
                    [r.address("target_value")],
                    f"{label} {value:g}% (a rate lies in 0–100 %)",
                )
            )
    return out


def _price_findings(index: RecordIndex, text: str) -> list[Finding]:
    """A 政府采购 item's 总计 = 数量 × 单价, to the rounding of the printed figures (a unit price printed to two
    places may be off by half a unit in its last digit, times the quantity)."""
    out: list[Finding] = []
    for r in index.of_kind("procurement_budget"):
        qty, price, total = _num(r, "quantity"), _num(r, "unit_price"), _num(r, "total")
        if qty is None or price is None or total is None:
            continue
        slack = 0.5 * 10 ** (-_decimals(r, "unit_price", text)) * abs(qty)
        slack += 0.5 * 10 ** (-_decimals(r, "total", text)) + 1e-9
        out.append(
            Finding(
                "format",
                f"price:{r.scope}:{r.key}",
                abs(qty * price - total) <= slack,
                [r.address("quantity"), r.address("unit_price"), r.address("total")],
                f"数量 {qty:g} × 单价 {price:g} = {qty * price:.2f} vs 总计 {total:g}",
            )
        )
    return out
