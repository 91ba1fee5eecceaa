"""The hand-verified gold of the performance tables of the five seeds (eval/datasets/seeds/gold-src/
<stem>.performance.jsonl, + <stem>.header.json for 002 and 003): every span reads as its value in
the document, and every relation the documents imply holds on the gold — or the field carries a
note marking the document's own contradiction.

The checks are functions returning a list of problems, so that `test_checks_can_fail` can show each
of them catching a planted error.
"""

from __future__ import annotations

import copy
import json
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from eval.gold import check_record, load_gold_file
from schemas.kinds import KIND_MODELS, NUMERIC_FIELDS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "eval" / "datasets" / "seeds"
STEMS = {
    "000": "000_335c3f7f451f52b5",
    "001": "001_bf78897304f03bf2",
    "002": "002_36c23adddff5d972",
    "003": "003_a600ae6adceb5138",
    "004": "004_7078add5d4f01a7a",
}
PERF_KINDS = (
    "performance_target",
    "performance_indicator",
    "performance_self_evaluation",
    "self_evaluation_indicator",
)
TARGET_TITLES = {
    "项目支出绩效目标表",
    "单位整体绩效目标表",
    "部门整体绩效目标表",
    "部门（单位）整体支出绩效目标表",
}

# records per document and kind, counted by reading the documents (see the dataset README)
EXPECTED_COUNTS = {
    "000": {"performance_target": 20, "performance_indicator": 221},
    "001": {"performance_target": 10, "performance_indicator": 97},
    "002": {"performance_target": 9, "performance_indicator": 72},
    "003": {"performance_self_evaluation": 23, "self_evaluation_indicator": 245},
    "004": {"performance_target": 5, "performance_indicator": 45},
}
# the 说明 of a budget states how much money its performance tables cover; the phrase is read from
# the document and the sum of the tables' budgets must match it
NARRATIVE_TIES = {
    # "本年度预算绩效管理的财政拨款项目18个，涉及预算金额1365.00万元；非财政拨款项目2 个，涉及预算金额66.00万元"
    "000": (
        r"财政拨款项目18个，涉及预算金额1365\.00万元；非财政拨款项目2 个，涉及预算金额66\.00万元",
        1365.00 + 66.00,
    ),
    # "当年财政拨款项目 6 个，涉及预算金额 3,167.09 万元；当年非财政拨\n\n款项目 3个，涉及预算金额 30.00 万元"
    "001": (
        r"当年财政拨款项目 6 个，涉及预算金额 3,167\.09 万元；当年非财政拨\s*款项目 3个，涉及预算金额 30\.00 万元",
        3167.09 + 30.00,
    ),
    # "当年财政拨款项目4 个，涉及预算金\n\n额 37 万元"
    "004": (r"当年财政拨款项目4 个，涉及预算金\s*额 37 万元", 37.0),
}
# project tables whose 成本指标 do not add up to the budget, and why (not a contradiction)
COST_SUM_EXEMPT = {
    (
        "004",
        "特种设备隐患排查",
    ): "unit costs (每家企业 ≤1万元, 每次检查 ≤5万元, 报告 ≤10万元), not parts of the budget",
}
TOL = 0.005
OPERATORS = {
    "＞=": "≥",
    "＜=": "≤",
    ">=": "≥",
    "<=": "≤",
    "≥": "≥",
    "≤": "≤",
    "=": "=",
    "＞": ">",
    "＜": "<",
    ">": ">",
    "<": "<",
}


def compact(s: str) -> str:
    return "".join(s.split())


def read_doc(nnn: str) -> str:
    return (SEEDS / "docs" / f"{STEMS[nnn]}.txt").read_text(encoding="utf-8")


def load_perf(nnn: str) -> list[dict[str, Any]]:
    path = SEEDS / "gold-src" / f"{STEMS[nnn]}.performance.jsonl"
    out: list[dict[str, Any]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            out.append(check_record(json.loads(line), source=path.name, line=number, warnings=[]))
    return out


def val(rec: dict[str, Any], name: str) -> Any:
    return rec["fields"].get(name, {}).get("value")


def num(rec: dict[str, Any], name: str) -> float:
    v = val(rec, name)
    return 0.0 if v is None else float(v)


def has_note(rec: dict[str, Any], name: str) -> bool:
    return bool(rec["fields"].get(name, {}).get("note"))


def by_table(records: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """(table record, its indicator records) in document order; 002's task records are tables too."""
    heads = [r for r in records if r["kind"] in ("performance_target", "performance_self_evaluation")]
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        if r["kind"] in ("performance_indicator", "self_evaluation_indicator"):
            rows[r["key"].rsplit("/", 1)[0]].append(r)
    return [(h, rows.get(h["key"], [])) for h in heads]


# ---------------------------------------------------------------- checks (each returns problems)


def check_shape(nnn: str, records: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    counts: dict[str, int] = defaultdict(int)
    keys: set[tuple[str, str]] = set()
    for r in records:
        kind, key = r["kind"], r["key"]
        counts[kind] += 1
        if kind not in PERF_KINDS:
            problems.append(f"{kind}/{key}: not a performance kind")
            continue
        if (kind, key) in keys:
            problems.append(f"{kind}/{key}: duplicate key")
        keys.add((kind, key))
        unknown = set(r["fields"]) - set(KIND_MODELS[kind].model_fields)
        if unknown:
            problems.append(f"{kind}/{key}: unknown fields {sorted(unknown)}")
        for name, entry in r["fields"].items():
            v = entry["value"]
            if name in NUMERIC_FIELDS[kind] and v is not None and not isinstance(v, int | float):
                problems.append(f"{kind}/{key}/{name}: a number field holds {v!r}")
            if name not in NUMERIC_FIELDS[kind] and v is not None and not isinstance(v, str):
                problems.append(f"{kind}/{key}/{name}: a text field holds {v!r}")
    if dict(counts) != EXPECTED_COUNTS[nnn]:
        problems.append(f"record counts {dict(counts)} != {EXPECTED_COUNTS[nnn]}")
    for head, rows in by_table(records):
        if not rows and head["kind"] == "performance_self_evaluation":
            problems.append(f"{head['key']}: a 自评表 without indicators")
        names: dict[str, int] = defaultdict(int)
        for row in rows:
            name = val(row, "name")
            names[name] += 1
            want = f"{head['key']}/{compact(name)}" + (f"#{names[name]}" if names[name] > 1 else "")
            if row["key"] != want:
                problems.append(f"{row['key']}: key should be {want!r}")
            if val(row, "project_name") != val(head, "project_name"):
                problems.append(f"{row['key']}: project_name {val(row, 'project_name')!r} is not its table's")
        if head["kind"] == "performance_target" and head["table_title"] not in TARGET_TITLES:
            problems.append(f"{head['key']}: table_title {head['table_title']!r}")
    return problems


_NUM_AT = re.compile(r"\d[\d,]*(?:\.\d+)?")


def check_spans(text: str, records: list[dict[str, Any]]) -> list[str]:
    """Every span reads as its value: text (whitespace removed), a number (thousands separators
    dropped), an operator (canonical form). A value printed interleaved with a fragment of another
    cell says so in its note (「fragment」), and the span read without that fragment is the value.
    A span is null only for a derived value (note "derived: ...") or a value the document does not
    print (value null, with a note)."""
    problems: list[str] = []
    for r in records:
        for name, entry in r["fields"].items():
            where = f"{r['kind']}/{r['key']}/{name}"
            v, span, note = entry["value"], entry.get("span"), entry.get("note") or ""
            if span is None:
                if not (note.startswith("derived:") or (v is None and note)):
                    problems.append(f"{where}: no span, and not noted as derived or unprinted")
                continue
            a, b = span
            if not (0 <= a < b <= len(text)):
                problems.append(f"{where}: span {span} outside the document")
                continue
            printed = compact(text[a:b])
            m = re.search(r"「(.+?)」", note) if note.startswith("interleaved:") else None
            if m is not None:
                if printed.count(m.group(1)) != 1:
                    problems.append(f"{where}: noted fragment {m.group(1)!r} not in {printed!r}")
                printed = printed.replace(m.group(1), "", 1)
            if name == "target_operator":
                ok = OPERATORS.get(printed) == v
            elif isinstance(v, int | float) and not isinstance(v, bool):
                ok = (
                    _NUM_AT.fullmatch(printed) is not None
                    and abs(float(printed.replace(",", "")) - v) <= 1e-9
                )
            else:
                ok = isinstance(v, str) and printed == compact(v)
            if not ok:
                problems.append(f"{where}: span {span} reads {printed!r}, value {v!r}")
    return problems


def check_targets(records: list[dict[str, Any]]) -> list[str]:
    """The parsed parts of a 指标值 are read from it: operator, number and unit in order."""
    problems: list[str] = []
    for r in records:
        target = val(r, "target")
        if target is None:
            continue
        op, number, unit = val(r, "target_operator"), val(r, "target_value"), val(r, "target_unit")
        rest = target
        printed_op = next((w for w in OPERATORS if target.startswith(w)), None)
        if printed_op is not None:
            if OPERATORS[printed_op] != op:
                problems.append(f"{r['key']}: operator {op!r} for {target!r}")
            rest = target[len(printed_op) :]
        elif op is not None:
            problems.append(f"{r['key']}: operator {op!r} but {target!r} prints none")
        m = re.fullmatch(r"(\d+(?:\.\d+)?)([^\d=<>＜＞≥≤&]*)", rest)
        want_num = float(m.group(1)) if m else None
        want_unit = (m.group(2) or None) if m else None
        if number != want_num or unit != want_unit:
            problems.append(
                f"{r['key']}: {target!r} parsed as ({number!r}, {unit!r}), want ({want_num!r}, {want_unit!r})"
            )
    return problems


def check_target_tables(nnn: str, records: list[dict[str, Any]]) -> list[str]:
    """绩效目标表: total = 财政拨款 + 其他资金; weights, where printed, sum to 90 (the tables'
    成本/产出/效益/满意度 share of a 100-point scale whose other 10 points are budget execution —
    the same in all 34 tables that print weights); the 成本指标 in 万元 add up to the budget; 002's
    table total is the sum of its tasks."""
    problems: list[str] = []
    tables = by_table(records)
    for head, rows in tables:
        key = head["key"]
        if head["kind"] != "performance_target":
            continue
        total, fiscal, other = (
            num(head, "budget_total"),
            num(head, "budget_fiscal"),
            num(head, "budget_other"),
        )
        if (
            val(head, "budget_total") is not None
            and abs(total - fiscal - other) > TOL
            and not has_note(head, "budget_total")
        ):
            problems.append(f"{key}: budget_total {total} != 财政拨款 {fiscal} + 其他资金 {other}")
        weights = [val(r, "weight") for r in rows if val(r, "weight") is not None]
        if weights and abs(sum(weights) - 90) > TOL:
            problems.append(f"{key}: weights sum to {sum(weights)}, not 90")
        costs = [r for r in rows if val(r, "level1") == "成本指标"]
        if costs and (nnn, key) not in COST_SUM_EXEMPT:
            in_wan = [
                r
                for r in costs
                if val(r, "target_unit") in ("万元", "万") and val(r, "target_operator") in ("≤", "=")
            ]
            if len(in_wan) == len(costs) and abs(sum(num(r, "target_value") for r in in_wan) - total) > TOL:
                problems.append(
                    f"{key}: 成本指标 sum to {sum(num(r, 'target_value') for r in in_wan)}, budget {total}"
                )
    if nnn == "002":
        head, _ = tables[0]
        tasks = [h for h, _ in tables[1:]]
        for name in ("budget_total", "budget_fiscal", "budget_other"):
            s = sum(num(t, name) for t in tasks)
            if abs(num(head, name) - s) > TOL:
                problems.append(f"{head['key']}/{name}: {num(head, name)} != sum of the tasks {s}")
        costs = [
            r for r in records if val(r, "level2") == "成本指标" and val(r, "target_unit") in ("万元", "万")
        ]
        if abs(sum(num(r, "target_value") for r in costs) - num(head, "budget_total")) > TOL:
            problems.append(f"{head['key']}: 成本指标 do not add up to the tasks' total")
    return problems


def check_narrative_ties(nnn: str, text: str, records: list[dict[str, Any]]) -> list[str]:
    if nnn not in NARRATIVE_TIES:
        return []
    pattern, amount = NARRATIVE_TIES[nnn]
    if re.search(pattern, text) is None:
        return [f"{nnn}: the 说明 sentence {pattern!r} is not in the document"]
    projects = [
        r for r in records if r["kind"] == "performance_target" and r["table_title"] == "项目支出绩效目标表"
    ]
    s = sum(num(r, "budget_total") for r in projects)
    return [] if abs(s - amount) <= TOL else [f"{nnn}: project budgets sum to {s}, the 说明 says {amount}"]


def _rounded(x: Decimal, places: int) -> float:
    return float(x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def check_self_evaluations(text: str, records: list[dict[str, Any]]) -> list[str]:
    """自评表: 执行率 = 全年执行数 / 全年预算数 to the printed precision; 得分 ≤ 分值 everywhere; 总分 =
    budget-execution 得分 + Σ indicator 得分; Σ 分值 = the 100 printed on the 总分 row; each 一级's
    分值 add up to the points printed with it (产出指标50分); 成本指标 targets add up to 全年预算数 and
    their 完成值 to 全年执行数 (where all are printed as plain amounts in 万元)."""
    problems: list[str] = []
    for head, rows in by_table(records):
        if head["kind"] != "performance_self_evaluation":
            continue
        key = head["key"]
        rate = head["fields"].get("execution_rate")
        if rate and val(head, "budget_full_year"):
            printed = text[rate["span"][0] : rate["span"][1]] if rate.get("span") else f"{rate['value']:.2f}"
            places = len(printed.split(".")[1]) if "." in printed else 0
            want = _rounded(
                Decimal(str(num(head, "executed"))) / Decimal(str(num(head, "budget_full_year"))) * 100,
                places,
            )
            if abs(want - rate["value"]) > 1e-9 and not rate.get("note"):
                problems.append(f"{key}: 执行率 {rate['value']} but 执行数/预算数 = {want}")
        if num(head, "score") > num(head, "weight") + TOL:
            problems.append(f"{key}: budget 得分 {num(head, 'score')} > 分值 {num(head, 'weight')}")
        scores = num(head, "score") + sum(num(r, "score") for r in rows)
        if abs(scores - num(head, "total_score")) > TOL and not has_note(head, "total_score"):
            problems.append(f"{key}: 总分 {num(head, 'total_score')} != Σ 得分 {scores:.2f}")
        ts = head["fields"]["total_score"]["span"]
        m = re.search(r"总分\s+(\d+)\s+$", text[max(0, ts[0] - 40) : ts[0]])
        weights = num(head, "weight") + sum(num(r, "weight") for r in rows)
        if m is None or abs(weights - float(m.group(1))) > TOL:
            problems.append(f"{key}: Σ 分值 {weights} != the 总分 row's {m.group(1) if m else '?'}")
        points: dict[str, float] = {}
        by_level1: dict[str, float] = defaultdict(float)
        for r in rows:
            if num(r, "score") > num(r, "weight") + TOL:
                problems.append(f"{r['key']}: 得分 {num(r, 'score')} > 分值 {num(r, 'weight')}")
            l1 = r["fields"]["level1"]
            p = re.match(r"\s*(\d+)分", text[l1["span"][1] : l1["span"][1] + 8])
            if p is None:
                problems.append(f"{r['key']}: no points printed after 一级 {l1['value']!r}")
            else:
                points[l1["value"]] = float(p.group(1))
            by_level1[l1["value"]] += num(r, "weight")
        for l1, p in points.items():
            if abs(by_level1[l1] - p) > TOL:
                problems.append(f"{key}: {l1} 分值 sum to {by_level1[l1]}, printed {p}分")
        costs = [r for r in rows if val(r, "level2") == "成本指标"]
        plain = re.compile(r"[=≤≥]?(\d+(?:\.\d+)?)万元")
        tm = [plain.fullmatch(val(r, "target") or "") for r in costs]
        am = [plain.fullmatch(val(r, "actual") or "") for r in costs]
        if (
            costs
            and all(tm)
            and abs(sum(float(m.group(1)) for m in tm if m) - num(head, "budget_full_year")) > TOL
        ):
            problems.append(f"{key}: 成本指标 指标值 do not add up to 全年预算数")
        if costs and all(am) and abs(sum(float(m.group(1)) for m in am if m) - num(head, "executed")) > TOL:
            problems.append(f"{key}: 成本指标 完成值 do not add up to 全年执行数")
    return problems


def check_document(nnn: str) -> list[str]:
    """The header of 002 and 003: the document record, with the source's sha256."""
    import hashlib

    path = SEEDS / "gold-src" / f"{STEMS[nnn]}.header.json"
    header = json.loads(path.read_text(encoding="utf-8"))
    doc = header["document"]
    raw = (SEEDS / "docs" / f"{STEMS[nnn]}.txt").read_bytes()
    problems = []
    if doc["sha256"] != hashlib.sha256(raw).hexdigest():
        problems.append(f"{nnn}: sha256 does not match the document")
    text = raw.decode("utf-8")
    if doc["unit_name"] not in text or f"{doc['fiscal_year']}年" not in text.replace(" ", ""):
        problems.append(f"{nnn}: unit_name or fiscal_year not printed in the document")
    expected = {"002": "performance_targets", "003": "performance_self_evaluation"}[nnn]
    if doc["doc_type"] != expected or doc["money_unit"] != "万元":
        problems.append(f"{nnn}: doc_type/money_unit {doc['doc_type']!r}/{doc['money_unit']!r}")
    return problems


def all_problems(nnn: str, records: list[dict[str, Any]]) -> list[str]:
    text = read_doc(nnn)
    return (
        check_shape(nnn, records)
        + check_spans(text, records)
        + check_targets(records)
        + check_target_tables(nnn, records)
        + check_narrative_ties(nnn, text, records)
        + check_self_evaluations(text, records)
    )


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("nnn", sorted(STEMS))
def test_gold_reads_and_holds(nnn: str) -> None:
    problems = all_problems(nnn, load_perf(nnn))
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("nnn", ["002", "003"])
def test_document_header(nnn: str) -> None:
    assert check_document(nnn) == []


@pytest.mark.parametrize("nnn", sorted(STEMS))
def test_assembled_dataset_holds_the_performance_gold(nnn: str) -> None:
    """build.py was run: the dataset file loads and holds every performance record of gold-src."""
    gold = load_gold_file(SEEDS / f"{STEMS[nnn]}.jsonl", SEEDS)
    assert not [w for w in gold.warnings if "duplicate" in w]
    assembled = {(r["kind"], r["key"]): r for r in gold.records if r["kind"] in PERF_KINDS}
    source = {(r["kind"], r["key"]): r for r in load_perf(nnn)}
    assert assembled == source
    if nnn in ("002", "003"):
        assert gold.document is not None and gold.document["doc_type"] in (
            "performance_targets",
            "performance_self_evaluation",
        )


def test_contradictions_are_noted() -> None:
    """The documents' own contradictions found while making the gold stay marked."""
    notes = {
        (nnn, r["key"], name)
        for nnn in STEMS
        for r in load_perf(nnn)
        for name, e in r["fields"].items()
        if (e.get("note") or "").startswith(("contradiction", "copy of"))
    }
    assert ("000", "执法办案及其他业务保障经费", "overall_goal") in notes
    assert ("003", "知识产权管理与综合执法经费/案件办结率", "actual") in notes
    assert ("003", "综合大楼管理经费/保障大楼内水电暖正常运转，开展日常维修维护次数。", "actual") in notes


def _mutations(nnn: str, records: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Copies of the gold, each with one planted error."""
    out = []

    def planted(label: str, change: Any) -> None:
        recs = copy.deepcopy(records)
        change(recs)
        out.append((label, recs))

    first_ind = next(
        i
        for i, r in enumerate(records)
        if r["kind"] in ("performance_indicator", "self_evaluation_indicator")
    )

    def shift_span(recs: list[dict[str, Any]]) -> None:
        f = recs[first_ind]["fields"]["name"]
        f["span"] = [f["span"][0] + 1, f["span"][1] + 1]

    def change_weight(recs: list[dict[str, Any]]) -> None:
        recs[first_ind]["fields"]["weight"]["value"] += 1

    def drop_row(recs: list[dict[str, Any]]) -> None:
        del recs[first_ind]

    def wrong_operator(recs: list[dict[str, Any]]) -> None:
        r = next(r for r in recs if "target_operator" in r["fields"])
        r["fields"]["target_operator"]["value"] = "<"

    planted("span", shift_span)
    planted("row", drop_row)
    planted("operator", wrong_operator)
    if "weight" in records[first_ind]["fields"]:
        planted("weight", change_weight)
    if nnn == "003":

        def wrong_rate(recs: list[dict[str, Any]]) -> None:
            recs[0]["fields"]["execution_rate"]["value"] += 0.01

        def wrong_total(recs: list[dict[str, Any]]) -> None:
            recs[0]["fields"]["total_score"]["value"] -= 1

        planted("rate", wrong_rate)
        planted("total", wrong_total)
    if nnn in ("000", "001", "004"):

        def wrong_budget(recs: list[dict[str, Any]]) -> None:
            r = next(
                r
                for r in recs
                if r["table_title"] == "项目支出绩效目标表" and r["kind"] == "performance_target"
            )
            r["fields"]["budget_fiscal"]["value"] += 1

        planted("budget", wrong_budget)
    return out


@pytest.mark.parametrize("nnn", sorted(STEMS))
def test_checks_can_fail(nnn: str) -> None:
    records = load_perf(nnn)
    for label, mutated in _mutations(nnn, records):
        assert all_problems(nnn, mutated), f"planted error {label!r} not caught"
