"""Cell tails of PDF-stream indicator rows printed after the row (`extractor.parsers.perf_tails`).

Small made-up tables in the layout of the PDF seeds (001, 004): header lines as narrow as their
columns, one visual line per text line, a row's lowest lines pushed after its evidence.
"""

from __future__ import annotations

import re

from extractor.model import FieldValue, Record
from extractor.parsers.performance import parse_performance_targets

_HEAD = """项目支出绩效目标表
预算部门 某某局
项目名称 测试项目 项目负责人 张三
项目资金（万元）
年度预算总额：
10
其中：财政拨款
10
其他资金：
0
项目总体目标
完成测试工作。
一级指

标
二级指标 三级指标 指标值
指标值设置依

据
上年

完成

值
指 标 分

值权重
指 标

赋 分

规则
佐 证 资

料
"""

# a last row that closes the table in every case below (its evidence sets the column's width)
_LAST = """满意度指

标
服务对象满意度指

标
企业满意度
>=90% 计划标准 - 10
按照完成比例赋分
原始凭证,工作

资料
"""


def indicators(rows: str, last: str = _LAST) -> dict[str, Record]:
    text = _HEAD + rows + last
    recs = parse_performance_targets(text, 0, len(text))
    out = {r.key.split("/", 1)[1]: r for r in recs if r.kind == "performance_indicator"}
    for r in out.values():
        for fv in r.fields.values():
            _reads_as_value(text, fv)
    return out


def _reads_as_value(text: str, fv: FieldValue) -> None:
    if fv.span is None or not isinstance(fv.value, str) or len(fv.value) < 2:
        return
    printed = re.sub(r"\s+", "", text[fv.span[0] : fv.span[1]])
    it = iter(printed)
    assert all(ch in it for ch in fv.value.replace(" ", "")), (fv.value, printed)
    if "interleaved" not in fv.reasons:
        assert printed == fv.value.replace(" ", ""), (fv.value, printed)


def test_a_tail_line_continues_as_many_cells_as_it_has_fragments() -> None:
    """The tail line " 额 赋分": the name's and the rule's last lines, printed after the evidence."""
    rows = indicators(
        "成本指\n\n标\n经济成本指\n\n标\n第三方检测服\n\n务合同履约金\n<=2 万元 计划标准 - 90\n"
        "按照\n\n完成\n\n比例\n\n原始凭\n\n证\n 额 赋分\n\n",
        # a rule column two characters wide, an evidence column three
        last=_LAST.replace("按照完成比例赋分\n", "按照\n\n完成\n\n比例\n\n赋分\n").replace(
            "原始凭证,工作\n\n资料", "工作资\n\n料"
        ),
    )
    r = rows["第三方检测服务合同履约金额"]
    assert r.fields["scoring_rule"].value == "按照完成比例赋分"
    assert r.fields["evidence"].value == "原始凭证"
    for f in ("name", "scoring_rule"):
        assert "interleaved" in r.fields[f].reasons
        assert "uncertain_layout" not in r.fields[f].reasons  # no choice: the only open cells


def test_a_tail_two_cells_could_take_is_flagged() -> None:
    """The tail " 明显" could end the 指标值 (有效/促进) or the 上年完成值 (完全/达到): equally tall, nothing else
    decides. It goes to the cell next to the weight, and both cells say they are unsure."""
    rows = indicators(
        "效益指\n\n标\n社会效益指\n\n标\n执法成效\n有效\n\n促进\n历史标准\n完全\n\n达到\n"
        "80 按评判等级赋分 说明材料\n 明显\n\n"
    )
    r = rows["执法成效"]
    assert r.fields["last_year"].value == "完全达到明显"
    assert "uncertain_layout" in r.fields["last_year"].reasons
    assert "uncertain_layout" in r.fields["target"].reasons


def test_a_value_printed_in_the_same_column_decides_a_tie() -> None:
    rows = indicators(
        "效益指\n\n标\n社会效益指\n\n标\n执法成效\n有效\n\n促进\n历史标准\n完全\n\n达到\n"
        "40 按评判等级赋分 说明材料\n 明显\n\n"
        "社会成效\n有效\n\n促进\n历史标准\n完全\n\n达到\n\n明显\n40 按评判等级赋分 说明材料\n"
    )
    r = rows["执法成效"]
    assert (r.fields["target"].value, r.fields["last_year"].value) == ("有效促进", "完全达到明显")
    assert "uncertain_layout" not in r.fields["last_year"].reasons
    assert "uncertain_layout" not in r.fields["target"].reasons


def test_a_one_line_cell_taking_a_tail_is_a_guess() -> None:
    rows = indicators(
        "产出指\n\n标\n数量指标\n检查企业数量\n>=3 个 计划标准 - 90\n按照完成比例赋分 工作资料\n 另附\n\n"
    )
    r = rows["检查企业数量另附"]
    assert "uncertain_layout" in r.fields["name"].reasons


def test_a_tail_no_cell_can_take_is_left_out_and_said() -> None:
    """Every cell of the row is complete (short last lines, a rule ending in 分): the stray text is
    not glued anywhere, and the row says a cell may have lost its end."""
    rows = indicators(
        "产出指\n\n标\n数量指标\n检查数\n>=3 个 计划标准 - 90\n按照完成比例赋分 工作资料\n 另附\n\n"
    )
    r = rows["检查数"]
    assert all("另附" not in str(fv.value) for fv in r.fields.values())
    assert any("uncertain_layout" in fv.reasons for fv in r.fields.values())
    assert "企业满意度" in rows
