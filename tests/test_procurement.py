"""政府采购预算表 read by its printed header, in the two column sets the regions print: keys follow the
outline, text fields carry down, the 总计 column is summed over the outline."""

from __future__ import annotations

from pathlib import Path

from extractor.model import Record
from extractor.pipeline import extract_bytes
from extractor.settings import Settings
from tests.helpers_docs import xlsx_from_rows

JIANGSU: list[list[object]] = [
    ["采购品目大类", "专项名称", "经济科目", "采购物品名称", "采购组织形式", "总计"],
    ["合计", "", "", "", "", 120.0],
    ["一、货物A", "", "", "", "", 20.0],
    ["", "办公设备购置费", "办公设备购置", "", "", 20.0],
    ["", "", "", "台式计算机（20万以下）", "分散自行组织", 12.0],
    ["", "", "", "家具用具", "分散自行组织", 8.0],
    ["三、服务C", "", "", "", "", 100.0],
    ["", "会议经费", "会议费", "", "", 100.0],
    ["", "", "", "会议服务", "分散自行组织", 60.0],
    ["", "", "", "住宿服务", "分散自行组织", 40.0],
]
DINGZHOU: list[list[object]] = [
    ["项目名称", "采购物品名称", "政府采购目录序号", "数量单位", "数量", "单价", "总计"],
    ["合计", "", "", "", "", "", 5.4],
    ["某某局小计", "", "", "", "", "", 5.4],
    ["日常公用经费", "车辆加油服务", "C050302", "辆", 4, 0.9, 3.6],
    ["日常公用经费", "保险服务", "C1503", "辆", 4, 0.45, 1.8],
]


def _procurement(tmp_path: Path, title: str, rows: list[list[object]]) -> dict[str, Record]:
    data = xlsx_from_rows(title, rows)
    result = extract_bytes(
        data, "p.xlsx", backend="rules", settings=Settings(data_dir=tmp_path, backend="rules")
    )
    return {r.key: r for r in result.records if r.kind == "procurement_budget"}


def test_a_jiangsu_procurement_table_reads_as_an_outline(tmp_path: Path) -> None:
    recs = _procurement(tmp_path, "2019年政府采购预算表", JIANGSU)
    assert list(recs) == [
        "total",
        "货物A",
        "货物A/办公设备购置费",
        "货物A/办公设备购置费/台式计算机（20万以下）",
        "货物A/办公设备购置费/家具用具",
        "服务C",
        "服务C/会议经费",
        "服务C/会议经费/会议服务",
        "服务C/会议经费/住宿服务",
    ]
    item = recs["货物A/办公设备购置费/家具用具"].fields
    assert {k: item[k].value for k in ("category", "project", "economic", "item", "method", "total")} == {
        "category": "一、货物A",
        "project": "办公设备购置费",
        "economic": "办公设备购置",
        "item": "家具用具",
        "method": "分散自行组织",
        "total": 8.0,
    }
    assert "carried_down" in item["project"].reasons and "printed" in item["item"].reasons
    # every 总计 is confirmed by a sum over the outline
    assert all(r.fields["total"].status == "auto_accepted" for r in recs.values())


def test_a_misprint_in_the_outline_goes_to_review(tmp_path: Path) -> None:
    rows = [list(r) for r in JIANGSU]
    rows[4][5] = 13.0  # 台式计算机 12 → 13: 办公设备购置费's 20 no longer adds up
    recs = _procurement(tmp_path, "2019年政府采购预算表", rows)
    item = recs["货物A/办公设备购置费/台式计算机（20万以下）"].fields["total"]
    assert item.status == "needs_review" and any(r.startswith("sum_fails:") for r in item.reasons)


def test_a_dingzhou_procurement_table_keys_items_under_their_unit(tmp_path: Path) -> None:
    recs = _procurement(tmp_path, "部门政府采购预算", DINGZHOU)
    assert list(recs) == ["total", "某某局", "某某局/车辆加油服务", "某某局/保险服务"]
    fuel = recs["某某局/车辆加油服务"].fields
    assert fuel["project"].value == "日常公用经费" and fuel["catalogue_code"].value == "C050302"
    assert (fuel["quantity_unit"].value, fuel["quantity"].value, fuel["unit_price"].value) == ("辆", 4, 0.9)
    assert all(r.fields["total"].status == "auto_accepted" for r in recs.values())


def test_a_table_without_a_readable_header_yields_nothing(tmp_path: Path) -> None:
    rows = [["甲", "乙", "丙"], ["合计", "", 3.0], ["一", "", 3.0]]
    assert _procurement(tmp_path, "2019年政府采购预算表", rows) == {}


def test_quantity_times_price_confirms_an_item_or_sends_it_to_review(tmp_path: Path) -> None:
    recs = _procurement(tmp_path, "部门政府采购预算", DINGZHOU)
    fuel = recs["某某局/车辆加油服务"].fields
    assert fuel["quantity"].status == fuel["unit_price"].status == "auto_accepted"
    assert "format:price" in fuel["unit_price"].reasons
    rows = [list(r) for r in DINGZHOU]
    rows[3][5] = 0.8  # 4 × 0.8 ≠ 3.6
    fuel = _procurement(tmp_path, "部门政府采购预算", rows)["某某局/车辆加油服务"].fields
    assert fuel["unit_price"].status == "needs_review" and "format_fails:price" in fuel["unit_price"].reasons


ACTIVITIES: list[list[object]] = [
    ["职责活动", "年度预算数", "内容描述", "绩效目标", "绩效指标", "优", "良"],
    ["社会救助", 30.0, "开展救助", "应保尽保", "", "", ""],
    ["城乡低保", 20.0, "发放低保", "按时发放", "发放及时率", "100%", "≥95%"],
    ["城乡低保", "", "发放低保", "按时发放", "覆盖率", "100%", "≥95%"],
    ["临时救助", 10.0, "临时救助", "及时救助", "", "100%", "≥95%"],
    ["孤残集中供养", 5.0, "照料", "保障", "", "", ""],
    ["落实孤残儿童各项权益", 5.0, "管理", "关爱", "满意度", "非常满意", "满意"],
]


def test_activity_targets_key_each_activity_under_its_head(tmp_path: Path) -> None:
    data = xlsx_from_rows("部门职责-工作活动绩效目标", ACTIVITIES)
    result = extract_bytes(
        data, "a.xlsx", backend="rules", settings=Settings(data_dir=tmp_path, backend="rules")
    )
    recs = {r.key: r for r in result.records if r.kind == "activity_performance_target"}
    # a row with 评价标准 but no indicator is an activity, not a head; a repeated activity is one record
    assert list(recs) == [
        "社会救助",
        "社会救助/城乡低保",
        "社会救助/临时救助",
        "孤残集中供养",
        "孤残集中供养/落实孤残儿童各项权益",
    ]
    assert recs["社会救助/城乡低保"].fields["budget"].value == 20.0
    # nothing checks a budget read by its header: it waits for a reviewer
    assert recs["社会救助"].fields["budget"].status == "needs_review"


def test_a_project_going_on_under_another_economic_class_is_a_row_of_its_own(tmp_path: Path) -> None:
    """Jiangsu merges a project's name over the rows of its several 经济科目: the row printing only the next
    经济科目 and its amount is a project row of its own (its items under it), so the group's sum holds."""
    rows: list[list[object]] = [
        ["采购品目大类", "专项名称", "经济科目", "采购物品名称", "采购组织形式", "总计"],
        ["合计", "", "", "", "", 50.0],
        ["一、货物A", "", "", "", "", 50.0],
        ["", "系统运行维护费", "信息网络及软件购置更新", "", "", 20.0],
        ["", "", "", "防火墙", "分散自行组织", 20.0],
        ["", "", "专用设备购置", "", "", 30.0],
        ["", "", "", "其他专用设备", "分散自行组织", 30.0],
    ]
    recs = _procurement(tmp_path, "2017年政府采购预算表", rows)
    assert list(recs) == [
        "total",
        "货物A",
        "货物A/系统运行维护费",
        "货物A/系统运行维护费/防火墙",
        "货物A/系统运行维护费（专用设备购置）",
        "货物A/系统运行维护费（专用设备购置）/其他专用设备",
    ]
    further = recs["货物A/系统运行维护费（专用设备购置）"].fields
    assert further["project"].value == "系统运行维护费" and "carried_down" in further["project"].reasons
    assert further["economic"].value == "专用设备购置" and further["total"].value == 30.0
    assert all(r.fields["total"].status == "auto_accepted" for r in recs.values())


def test_a_header_naming_a_total_twice_takes_the_first(tmp_path: Path) -> None:
    """定州 2017 prints 总计 and then 合计 (by source of funds) in one header row: 总计 is the row's total."""
    rows: list[list[object]] = [
        [
            "项目名称",
            "预算资金",
            "采购物品名称",
            "政府采购目录序号",
            "数量单位",
            "数量",
            "单价",
            "总计",
            "合计",
            "一般公共预算拨款",
        ],
        ["某某局小计", "", "", "", "", "", "", 0.6, 0.6, 0.6],
        ["日常公用经费", 27.0, "车辆维修和保养服务", "C050301", "", 1, 0.3, 0.3, 0.3, 0.3],
        ["日常公用经费", 27.0, "印刷服务", "C0812", "", 1, 0.3, 0.3, 0.3, 0.3],
    ]
    recs = _procurement(tmp_path, "部门政府采购预算", rows)
    assert list(recs) == ["某某局", "某某局/车辆维修和保养服务", "某某局/印刷服务"]
    assert recs["某某局"].fields["total"].value == 0.6
    assert all(r.fields["total"].status == "auto_accepted" for r in recs.values())
