"""One pydantic model per record kind. Amounts are in the unit printed on their table."""

from __future__ import annotations

from pydantic import BaseModel, Field

Amount = float | None
# a percentage as printed, in percent (61.97 for 61.97 %); never scaled by the record's money unit
Percent = float | None


def _amt(desc: str) -> Amount:
    return Field(default=None, description=desc)


def _pct(desc: str) -> Percent:
    return Field(default=None, description=desc)


class DocumentRow(BaseModel):
    unit_name: str | None = Field(None, description="编制单位/部门名称 as printed on the title page")
    fiscal_year: int | None = Field(None, description="预算/决算年度, e.g. 2024")
    doc_type: str | None = Field(
        None, description="budget | final_accounts | performance_targets | performance_self_evaluation"
    )
    money_unit: str | None = Field(None, description="万元 or 元, the unit most tables print")


class DepartmentProfileRow(BaseModel):
    functions: list[str] | None = Field(None, description="主要职能, one item per numbered duty")
    internal_units: list[str] | None = Field(None, description="内设机构/科室 names")
    internal_unit_count: int | None = Field(None, description="number of 内设科室 the text states")
    staffing_quota: int | None = Field(None, description="编制数 (people)")
    actual_staff: int | None = Field(None, description="实有人数 (people)")
    in_service: int | None = Field(None, description="在职 (people)")
    retired: int | None = Field(None, description="退休 (people)")
    retired_cadres: int | None = Field(None, description="离休 (people)")


class IncomeSummaryRow(BaseModel):
    name: str | None = Field(None, description="the income item label as printed, e.g. 一、本年收入")
    amount: Amount = _amt("预算数 of the item")
    budget: Amount = _amt("预算数 (final accounts that print both)")
    actual: Amount = _amt("决算数 (final accounts)")


class ExpenditureSummaryRow(BaseModel):
    name: str | None = Field(None, description="function class (类) name, e.g. 一般公共服务支出")
    amount: Amount = _amt("预算数")
    budget: Amount = _amt("预算数 (final accounts that print both)")
    actual: Amount = _amt("决算数 (final accounts)")


class IncomeByFunctionRow(BaseModel):
    name: str | None = Field(None, description="功能分类科目名称")
    total: Amount = _amt("总计")
    fiscal_subtotal: Amount = _amt("财政拨款(补助)小计")
    general_budget: Amount = _amt("一般公共预算")
    general_budget_transfer: Amount = _amt("上级一般公共预算安排的转移支付")
    gov_fund: Amount = _amt("政府性基金预算")
    gov_fund_transfer: Amount = _amt("上级政府性基金安排的转移支付")
    state_capital: Amount = _amt("国有资本经营预算")
    state_capital_transfer: Amount = _amt("上级国有资本经营预算安排的转移支付")
    special_account: Amount = _amt("财政专户(教育收费)")
    unit_funds: Amount = _amt("单位资金")
    fiscal_carryover: Amount = _amt("财政拨款结转")
    nonfiscal_carryover: Amount = _amt("非财政拨款结转结余")


class SplitExpenditureRow(BaseModel):
    name: str | None = Field(None, description="功能分类科目名称")
    total: Amount = _amt("合计")
    basic: Amount = _amt("基本支出")
    project: Amount = _amt("项目支出")


class FiscalAppropriationRow(BaseModel):
    name: str | None = Field(
        None, description="item label (income side) or function class name (expenditure side)"
    )
    total: Amount = _amt("合计")
    general_budget: Amount = _amt("一般公共预算")
    gov_fund: Amount = _amt("政府性基金预算")
    state_capital: Amount = _amt("国有资本经营预算")


class BasicByEconomicRow(BaseModel):
    name: str | None = Field(None, description="经济分类科目名称")
    total: Amount = _amt("合计")
    personnel: Amount = _amt("人员经费")
    public: Amount = _amt("公用经费")


class ProjectExpenditureRow(BaseModel):
    name: str | None = Field(None, description="功能分类科目名称")
    project_name: str | None = Field(None, description="项目名称")
    total: Amount = _amt("项目支出合计")
    wages: Amount = _amt("工资福利支出 (301)")
    goods_services: Amount = _amt("商品和服务支出 (302)")
    family_subsidies: Amount = _amt("对个人和家庭的补助 (303)")
    debt_interest: Amount = _amt("债务利息及费用支出 (307)")
    capital_construction: Amount = _amt("资本性支出（基本建设） (309)")
    capital: Amount = _amt("资本性支出 (310)")
    enterprise_construction: Amount = _amt("对企业补助（基本建设）")
    enterprise_subsidies: Amount = _amt("对企业补助")
    social_security_fund: Amount = _amt("对社会保障基金补助")
    other: Amount = _amt("其他支出")


class EmptyableSplitRow(SplitExpenditureRow):
    empty: bool | None = Field(
        None, description="true when the document states the table is empty (本表为空表)"
    )


class ThreePublicRow(BaseModel):
    total: Amount = _amt("“三公”经费合计")
    overseas_travel: Amount = _amt("因公出国（境）费")
    reception: Amount = _amt("公务接待费")
    vehicles_total: Amount = _amt("公务用车购置及运行费（小计）")
    vehicle_purchase: Amount = _amt("公务用车购置费")
    vehicle_operation: Amount = _amt("公务用车运行费")


class CarryoverRow(BaseModel):
    name: str | None = Field(None, description="item label or project name")
    total: Amount = _amt("总计")
    fiscal_total: Amount = _amt("财政拨款合计")
    fiscal_basic_personnel: Amount = _amt("财政拨款 基本支出 人员经费")
    fiscal_basic_public: Amount = _amt("财政拨款 基本支出 公用经费")
    fiscal_project: Amount = _amt("财政拨款 项目支出")
    nonfiscal_total: Amount = _amt("非财政拨款合计")
    nonfiscal_basic_personnel: Amount = _amt("非财政拨款 基本支出 人员经费")
    nonfiscal_basic_public: Amount = _amt("非财政拨款 基本支出 公用经费")
    nonfiscal_project: Amount = _amt("非财政拨款 项目支出")
    empty: bool | None = Field(None, description="true when the document states the table is empty")


class NarrativeFactsRow(BaseModel):
    total_budget: Amount = _amt("收支总预算 stated in the 情况说明")
    basic_expenditure: Amount = _amt("基本支出 stated in the 情况说明")
    project_expenditure: Amount = _amt("项目支出 stated in the 情况说明")
    basic_expenditure_share: Percent = _pct("基本支出 占支出预算的比例, percent as printed, e.g. 61.97")
    project_expenditure_share: Percent = _pct("项目支出 占支出预算的比例, percent as printed, e.g. 38.03")
    operating_expenses: Amount = _amt("机关运行经费")
    three_public_total: Amount = _amt("“三公”经费 total stated in the 情况说明")
    procurement_total: Amount = _amt("政府采购预算总额")
    procurement_goods: Amount = _amt("政府采购货物")
    procurement_works: Amount = _amt("政府采购工程")
    procurement_services: Amount = _amt("政府采购服务")
    sme_reserved: Amount = _amt("预留给中小企业的金额")
    vehicles: int | None = Field(None, description="车辆 count")
    performance_projects: int | None = Field(None, description="实行绩效目标管理的项目数")
    performance_amount: Amount = _amt("涉及的预算金额")


class PerformanceTargetRow(BaseModel):
    project_name: str | None = Field(None, description="项目名称 (or the unit for 部门整体)")
    owner: str | None = Field(None, description="主管部门及代码 / 实施单位")
    budget_total: Amount = _amt("项目资金 总额 / 资金总额")
    budget_fiscal: Amount = _amt("财政拨款")
    budget_other: Amount = _amt("其他资金")
    overall_goal: str | None = Field(None, description="年度总体目标 / 年度绩效目标")


class PerformanceIndicatorRow(BaseModel):
    project_name: str | None = None
    level1: str | None = Field(None, description="一级指标: 产出指标, 效益指标, 满意度指标 ...")
    level2: str | None = Field(None, description="二级指标: 数量指标, 质量指标, 时效指标 ...")
    name: str | None = Field(None, description="三级指标 name")
    target: str | None = Field(None, description="指标值 exactly as printed, e.g. ≥521人")
    target_operator: str | None = Field(
        None, description="≥ ≤ = > < parsed from the 指标值, None if none printed"
    )
    target_value: float | None = Field(None, description="the number parsed from the 指标值")
    target_unit: str | None = Field(None, description="the unit after the number: 人, 次, %, 万元 ...")
    basis: str | None = Field(None, description="指标值设定依据")
    last_year: str | None = Field(None, description="上年指标值/上年完成值")
    weight: float | None = Field(None, description="分值/权重")
    scoring_rule: str | None = Field(None, description="评(扣)分标准")
    evidence: str | None = Field(None, description="佐证资料/数据来源")


class PerformanceSelfEvaluationRow(BaseModel):
    project_name: str | None = None
    authority: str | None = Field(None, description="主管部门")
    implementer: str | None = Field(None, description="实施单位")
    budget_initial: Amount = _amt("年初预算数 (年度资金总额)")
    budget_full_year: Amount = _amt("全年预算数")
    executed: Amount = _amt("全年执行数")
    execution_rate: float | None = Field(None, description="执行率 in percent, e.g. 98.66")
    weight: float | None = Field(None, description="分值 of budget execution")
    score: float | None = Field(None, description="得分 of budget execution")
    goal_planned: str | None = Field(None, description="年度总体目标 预期目标")
    goal_actual: str | None = Field(None, description="年度总体目标 实际完成情况")
    total_score: float | None = Field(None, description="总分")


class SelfEvaluationIndicatorRow(BaseModel):
    project_name: str | None = None
    level1: str | None = None
    level2: str | None = None
    name: str | None = None
    target: str | None = Field(None, description="指标值 exactly as printed, e.g. ≥521人")
    target_operator: str | None = Field(
        None, description="≥ ≤ = > < parsed from the 指标值, None if none printed"
    )
    target_value: float | None = Field(None, description="the number parsed from the 指标值")
    target_unit: str | None = Field(None, description="the unit after the number: 人, 次, %, 万元 ...")
    actual: str | None = Field(None, description="完成值 as printed")
    weight: float | None = None
    score: float | None = None
    deviation_reason: str | None = Field(None, description="偏差原因分析及改进措施")


KIND_MODELS: dict[str, type[BaseModel]] = {
    "document": DocumentRow,
    "department_profile": DepartmentProfileRow,
    "income_summary": IncomeSummaryRow,
    "expenditure_summary": ExpenditureSummaryRow,
    "income_by_function": IncomeByFunctionRow,
    "expenditure_by_function": SplitExpenditureRow,
    "fiscal_appropriation_summary": FiscalAppropriationRow,
    "general_budget_expenditure": SplitExpenditureRow,
    "basic_expenditure_by_economic": BasicByEconomicRow,
    "project_expenditure": ProjectExpenditureRow,
    "gov_fund_expenditure": EmptyableSplitRow,
    "state_capital_expenditure": EmptyableSplitRow,
    "three_public_expenses": ThreePublicRow,
    "carryover": CarryoverRow,
    "narrative_facts": NarrativeFactsRow,
    "performance_target": PerformanceTargetRow,
    "performance_indicator": PerformanceIndicatorRow,
    "performance_self_evaluation": PerformanceSelfEvaluationRow,
    "self_evaluation_indicator": SelfEvaluationIndicatorRow,
}

KEYED_BY: dict[str, str] = {
    "document": "",
    "department_profile": "",
    "income_summary": "normalised item label",
    "expenditure_summary": "function class code (类), or 'total'",
    "income_by_function": "function code, or 'total'",
    "expenditure_by_function": "function code, or 'total'",
    "fiscal_appropriation_summary": "'income:<label>' or function class code, or 'total'",
    "general_budget_expenditure": "function code, or 'total'",
    "basic_expenditure_by_economic": "economic code, or 'total'",
    "project_expenditure": "function code + '/' + project name, or 'total'",
    "gov_fund_expenditure": "function code, or 'total'; '' for an empty table",
    "state_capital_expenditure": "function code, or 'total'; '' for an empty table",
    "three_public_expenses": "",
    "carryover": "item label; '' for an empty table",
    "narrative_facts": "",
    "performance_target": "project name",
    "performance_indicator": "project name + '/' + indicator name",
    "performance_self_evaluation": "project name",
    "self_evaluation_indicator": "project name + '/' + indicator name",
}


# kinds other regions print (schemas/regional.py, docs/kinds.md): added, never renaming one above.
# The widened models of existing kinds (regional.WIDENED_MODELS) are not registered here: they change the
# LLM schemas and so the recorded replies; the gold uses them through regional.gold_model.
from schemas.regional import REGIONAL_KEYED_BY, REGIONAL_MODELS  # noqa: E402

KIND_MODELS.update(REGIONAL_MODELS)
KEYED_BY.update(REGIONAL_KEYED_BY)


def kind_field_names(kind: str) -> list[str]:
    return list(KIND_MODELS[kind].model_fields)


def _fields_of_type(numeric: bool) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for kind, model in KIND_MODELS.items():
        names = set()
        for name, info in model.model_fields.items():
            ann = str(info.annotation)
            is_num = ("float" in ann or "int" in ann) and "str" not in ann
            if is_num == numeric:
                names.add(name)
        out[kind] = names
    return out


NUMERIC_FIELDS: dict[str, set[str]] = _fields_of_type(True)
TEXT_FIELDS: dict[str, set[str]] = _fields_of_type(False)
