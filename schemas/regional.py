"""Kinds for what the national template prints in other regions' wording and the seeds do not.

Added beside the kinds of `schemas/kinds.py` (never renaming one): Jiangsu's 公开表 (收入预算总表 by source,
支出用途 sides, 财政拨款 tables by function and by economic class, 会议费/培训费 beside 三公, the 机关运行经费
table, 政府采购预算表), 定州's 部门职责-工作活动绩效目标, and the government-level tables of a city's 决算
(Harbin, 定州 附表1). Each kind is described in `docs/kinds.md`. Amounts are in the unit printed on the table.

Fields shared by every amount row of a 决算: `budget` (预算数 / 年初预算), `adjusted_budget` (调整预算数),
`actual` (决算数) where a table prints them side by side; a 预算 table's single amount stays in its usual field.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from schemas.kinds import (
    Amount,
    BasicByEconomicRow,
    IncomeByFunctionRow,
    NarrativeFactsRow,
    SplitExpenditureRow,
)


def _amt(desc: str) -> Amount:
    return Field(default=None, description=desc)


class IncomeByFunctionWideRow(IncomeByFunctionRow):
    """收入总表 / 收入预算表 / 收入决算表 with the 事业单位 columns (定州 附表3-2, 西南大学 表2)."""

    superior_subsidy: Amount = _amt("上级补助收入")
    business_income: Amount = _amt("事业收入")
    business_income_tuition: Amount = _amt("事业收入 其中：教育收费")
    operating_income: Amount = _amt("经营收入 / 事业单位经营收入")
    affiliated_income: Amount = _amt("附属单位上缴收入")
    other_income: Amount = _amt("其他收入")


class ExpenditureByFunctionWideRow(SplitExpenditureRow):
    """支出总表 / 支出预算总表 / 支出决算表 with the columns beside 基本/项目 (Jiangsu 公开表三, 定州 3-3)."""

    reserve: Amount = _amt("单位预留机动经费")
    carry_forward: Amount = _amt("结转下年资金")
    remit_to_superior: Amount = _amt("上缴上级支出")
    operating: Amount = _amt("经营支出")
    subsidy_to_subordinates: Amount = _amt("对附属单位补助支出 / 对下级单位补助支出")
    budget: Amount = _amt("预算数 (决算 tables printing both)")
    actual: Amount = _amt("决算数 (决算 tables printing both)")


class NarrativeFactsWideRow(NarrativeFactsRow):
    """情况说明 facts other regions state (Jiangsu 说明九–十三, 定州 说明五–七)."""

    reserve: Amount = _amt("单位预留机动经费 stated in the 说明")
    reserve_share: float | None = Field(None, description="单位预留机动经费 占支出预算的比例, percent")
    personnel_expenses: Amount = _amt("基本支出 人员经费 stated in the 说明")
    public_expenses: Amount = _amt("基本支出 公用经费 stated in the 说明")
    overseas_travel: Amount = _amt("因公出国（境）费 stated in the 说明")
    vehicles_cost: Amount = _amt("公务用车购置及运行费 stated in the 说明")
    vehicle_purchase: Amount = _amt("公务用车购置费 stated in the 说明")
    vehicle_operation: Amount = _amt("公务用车运行（维护）费 stated in the 说明")
    reception: Amount = _amt("公务接待费 stated in the 说明")
    meeting: Amount = _amt("会议费 stated in the 说明")
    training: Amount = _amt("培训费 stated in the 说明")
    equipment_large: int | None = Field(None, description="单价20万元（含）以上的设备 count (台/套)")
    assets_total: Amount = _amt("国有资产年末价值 stated in the 说明")


class IncomeBySourceRow(BaseModel):
    """Jiangsu 公开表二 收入预算总表: income by source, one 金额 per item (小计 rows included)."""

    name: str | None = Field(None, description="item label as printed, e.g. 公共财政拨款(补助)资金")
    group: str | None = Field(
        None,
        description="the source it sits under: 一般公共预算资金, 政府性基金, 财政专户管理资金, 其他资金 …",
    )
    amount: Amount = _amt("金额")


class ExpenditureByPurposeRow(BaseModel):
    """The 支出用途 side of a 收支(预算)总表: 基本支出, 项目支出, 单位预留机动经费, 结转下年资金, totals."""

    name: str | None = Field(None, description="item label as printed, e.g. 三、单位预留机动经费")
    amount: Amount = _amt("金额")


class FiscalExpenditureByFunctionRow(SplitExpenditureRow):
    """财政拨款支出预算表（功能科目） / 财政拨款支出决算表: fiscal-appropriation spending by function code."""

    project_capital_construction: Amount = _amt("项目支出 其中：基本建设资金支出")
    budget: Amount = _amt("预算数 (决算 tables printing both)")
    adjusted_budget: Amount = _amt("调整预算数")
    actual: Amount = _amt("决算数 (决算 tables printing both)")


class FiscalBasicByEconomicRow(BasicByEconomicRow):
    """财政拨款基本支出预算表（经济科目）: fiscal-appropriation basic spending by economic code."""


class MeetingTrainingRow(BaseModel):
    """会议费 and 培训费, printed beside 三公 in one table (Jiangsu 公开表九, 定州 三公及会议培训经费)."""

    meeting: Amount = _amt("会议费")
    training: Amount = _amt("培训费")
    grand_total: Amount = _amt("合计 of the whole table: “三公”经费 + 会议费 + 培训费")


class OperatingExpensesRow(BaseModel):
    """一般公共预算机关运行经费支出预算表: economic code rows, one 机关运行经费支出 column."""

    name: str | None = Field(None, description="经济科目名称")
    amount: Amount = _amt("机关运行经费支出")


class ProcurementRow(BaseModel):
    """政府采购预算表 row: a 品目大类 (货物 A, 工程 B, 服务 C), a 专项 line, or one item."""

    category: str | None = Field(None, description="采购品目大类 as printed: 一、货物A / 三、服务C")
    project: str | None = Field(None, description="专项名称 / 政府采购项目来源")
    economic: str | None = Field(None, description="经济科目 name")
    item: str | None = Field(None, description="采购物品名称")
    method: str | None = Field(None, description="采购组织形式: 分散自行组织, 政府集中采购 …")
    catalogue_code: str | None = Field(None, description="政府采购目录序号, e.g. C050302")
    quantity: float | None = Field(None, description="数量")
    quantity_unit: str | None = Field(None, description="数量单位")
    unit_price: Amount = _amt("单价")
    total: Amount = _amt("总计")


class ActivityPerformanceRow(BaseModel):
    """部门职责-工作活动绩效目标 (定州): one 职责活动 with its budget and target."""

    activity: str | None = Field(None, description="职责活动")
    budget: Amount = _amt("年度预算数")
    description: str | None = Field(None, description="内容描述")
    target: str | None = Field(None, description="绩效目标")
    indicator: str | None = Field(None, description="绩效指标")


class GovAmountRow(BaseModel):
    """A government-level 决算/预算 row (收入, 支出 by 类/款/项, 收支总表 items, execution)."""

    name: str | None = Field(None, description="项目 as printed")
    seq: str | None = Field(
        None, description="序号 as printed (一 / (一) / 1): the row's place in the outline"
    )
    budget: Amount = _amt("年初预算 / 预算数")
    adjusted_budget: Amount = _amt("调整预算")
    actual: Amount = _amt("决算 / 执行数")
    completion_rate: float | None = Field(None, description="完成调整预算% (percent as printed)")
    growth_rate: float | None = Field(None, description="增长% (percent as printed)")


class GovDebtRow(BaseModel):
    """政府债务余额 / 限额 / 债券发行及还本付息 rows."""

    name: str | None = Field(None, description="项目 as printed")
    general: Amount = _amt("一般债务")
    special: Amount = _amt("专项债务")
    total: Amount = _amt("合计")
    issued: Amount = _amt("政府债券发行额")
    repaid: Amount = _amt("政府债券还本付息额")


REGIONAL_MODELS: dict[str, type[BaseModel]] = {
    "income_by_source": IncomeBySourceRow,
    "expenditure_by_purpose": ExpenditureByPurposeRow,
    "fiscal_expenditure_by_function": FiscalExpenditureByFunctionRow,
    "fiscal_basic_expenditure_by_economic": FiscalBasicByEconomicRow,
    "meeting_training_expenses": MeetingTrainingRow,
    "operating_expenses_by_economic": OperatingExpensesRow,
    "procurement_budget": ProcurementRow,
    "activity_performance_target": ActivityPerformanceRow,
    "gov_balance_summary": GovAmountRow,
    "gov_revenue": GovAmountRow,
    "gov_expenditure": GovAmountRow,
    "gov_expenditure_by_function": GovAmountRow,
    "gov_expenditure_by_economic": GovAmountRow,
    "gov_transfer": GovAmountRow,
    "gov_execution": GovAmountRow,
    "gov_debt": GovDebtRow,
}

# existing kinds whose tables print more columns elsewhere: the wider model has every old field.
# Not in KIND_MODELS yet (registering them changes the LLM schemas of those kinds, hence the prompts and
# the recorded replies): the gold reads them through `gold_model`; the extractor adopts them when its
# recordings are renewed.
WIDENED_MODELS: dict[str, type[BaseModel]] = {
    "income_by_function": IncomeByFunctionWideRow,
    "expenditure_by_function": ExpenditureByFunctionWideRow,
    "narrative_facts": NarrativeFactsWideRow,
}

REGIONAL_KEYED_BY: dict[str, str] = {
    "income_by_source": "'<group>/<label>' without numbering, or the label for a top row; 'total' for 收入总计",
    "expenditure_by_purpose": "purpose label without numbering (基本支出, 项目支出, 单位预留机动经费, 结转下年资金); 'total'",
    "fiscal_expenditure_by_function": "function code, or 'total'",
    "fiscal_basic_expenditure_by_economic": "economic code, or 'total'",
    "meeting_training_expenses": "",
    "operating_expenses_by_economic": "economic code, or 'total'",
    "procurement_budget": "'total'; category label (货物A); '<category>/<project>'; '<category>/<project>/<item>'",
    "activity_performance_target": "职责活动 as printed (a sub-activity: '<activity>/<sub-activity>')",
    "gov_balance_summary": "'income:<label>' / 'expenditure:<label>' without numbering",
    "gov_revenue": "item label without numbering; 'total'",
    "gov_expenditure": "function code where printed, else the class name; 'total'",
    "gov_expenditure_by_function": "function code; 'total'",
    "gov_expenditure_by_economic": "economic code; 'total'",
    "gov_transfer": "item or region label; 'total'",
    "gov_execution": "item label; 'total'",
    "gov_debt": "item label",
}


def gold_model(kind: str) -> type[BaseModel]:
    """The model a gold record of `kind` is checked against: the widened one where there is one."""
    from schemas.kinds import KIND_MODELS

    return WIDENED_MODELS.get(kind) or KIND_MODELS[kind]


def gold_numeric_fields(kind: str) -> set[str]:
    """Numeric fields of `gold_model(kind)` (as `schemas.NUMERIC_FIELDS` does for `KIND_MODELS`)."""
    out = set()
    for name, info in gold_model(kind).model_fields.items():
        ann = str(info.annotation)
        if ("float" in ann or "int" in ann) and "str" not in ann:
            out.add(name)
    return out
