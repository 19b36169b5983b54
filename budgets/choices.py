"""Code lists shared by the models, the pages and the exports.

Values are fixed ASCII (they appear in URLs and CSV files); labels are the Chinese terms the
publications use, translated on the English pages (locale/en).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationKind(models.TextChoices):
    BUDGET = "budget", _("预算")
    FINAL = "final", _("决算")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公开")


class Stage(models.TextChoices):
    """When in the budget cycle a figure was set."""

    INITIAL_BUDGET = "initial_budget", _("年初预算")
    ADJUSTED_BUDGET = "adjusted_budget", _("调整预算")
    FINAL = "final", _("决算")


# Which stages each kind of publication may report.
STAGES_BY_KIND = {
    PublicationKind.BUDGET: {Stage.INITIAL_BUDGET},
    PublicationKind.FINAL: {Stage.ADJUSTED_BUDGET, Stage.FINAL},
}


class Scheme(models.TextChoices):
    FUNCTIONAL = "functional", _("支出功能分类")
    ECONOMIC = "economic", _("支出经济分类")


# Code lengths of each level, 类 first.
LEVEL_LENGTHS = {
    Scheme.FUNCTIONAL: (3, 5, 7),
    Scheme.ECONOMIC: (3, 5),
}
LEVEL_NAMES = (_("类"), _("款"), _("项"))
LEVEL_SLUGS = ("class", "section", "item")


class Direction(models.TextChoices):
    EXPENDITURE = "expenditure", _("支出")
    INCOME = "income", _("收入")


class ExpenditureType(models.TextChoices):
    BASIC = "basic", _("基本支出")
    PROJECT = "project", _("项目支出")


class ExpenseClass(models.TextChoices):
    PERSONNEL = "personnel", _("人员经费")
    PUBLIC = "public", _("公用经费")


class FundSource(models.TextChoices):
    """Where money comes from: income sources, and the fund an expenditure is paid from."""

    GENERAL_BUDGET = "general_budget", _("一般公共预算财政拨款")
    GOVERNMENT_FUND = "government_fund", _("政府性基金预算财政拨款")
    STATE_CAPITAL = "state_capital", _("国有资本经营预算财政拨款")
    SPECIAL_ACCOUNT = "special_account", _("财政专户管理资金")
    BUSINESS = "business", _("事业收入")
    OPERATING = "operating", _("事业单位经营收入")
    SUPERIOR_SUBSIDY = "superior_subsidy", _("上级补助收入")
    SUBORDINATE_REMITTANCE = "subordinate_remittance", _("附属单位上缴收入")
    OTHER = "other", _("其他收入")
    UNIT_FUNDS = "unit_funds", _("单位资金")


# Groups of sources that a published column may add up (a column headed 财政拨款 covers three).
FUND_SOURCE_GROUPS = {
    "fiscal": (
        FundSource.GENERAL_BUDGET,
        FundSource.GOVERNMENT_FUND,
        FundSource.STATE_CAPITAL,
    ),
}
FUND_SOURCE_GROUP_LABELS = {"fiscal": _("财政拨款")}


class ThreePublicKind(models.TextChoices):
    OUTBOUND_TRAVEL = "outbound_travel", _("因公出国（境）费")
    VEHICLE_PURCHASE = "vehicle_purchase", _("公务用车购置费")
    VEHICLE_RUNNING = "vehicle_running", _("公务用车运行维护费")
    RECEPTION = "reception", _("公务接待费")


THREE_PUBLIC_GROUPS = {
    "vehicle": (ThreePublicKind.VEHICLE_PURCHASE, ThreePublicKind.VEHICLE_RUNNING),
}
THREE_PUBLIC_GROUP_LABELS = {"vehicle": _("公务用车购置及运行维护费")}


class SectionKind(models.TextChoices):
    TABLE = "table", _("表格")
    NARRATIVE = "narrative", _("文字说明")
    FORM = "form", _("绩效表")


class Topic(models.TextChoices):
    """What a section holds, so that pages find tables by meaning, not by local numbering."""

    OVERVIEW = "overview", _("概况")
    INCOME_EXPENDITURE_SUMMARY = "income_expenditure_summary", _("收支总表")
    INCOME = "income", _("收入表")
    EXPENDITURE = "expenditure", _("支出表")
    FISCAL_SUMMARY = "fiscal_summary", _("财政拨款收支总表")
    GENERAL_BUDGET_BY_FUNCTION = "general_budget_by_function", _("一般公共预算支出表（功能分类）")
    GENERAL_BUDGET_BY_UNIT = "general_budget_by_unit", _("一般公共预算支出表（分单位）")
    BASIC_BY_ECONOMIC = "basic_by_economic", _("基本支出表（经济分类）")
    THREE_PUBLIC = "three_public", _("“三公”经费支出表")
    GOVERNMENT_FUND = "government_fund", _("政府性基金预算支出表")
    STATE_CAPITAL = "state_capital", _("国有资本经营预算支出表")
    PROJECTS = "projects", _("项目支出表")
    UNIT_PERFORMANCE = "unit_performance", _("整体支出绩效")
    PROJECT_PERFORMANCE = "project_performance", _("项目支出绩效")
    EXPLANATION = "explanation", _("情况说明")
    KEY_WORK = "key_work", _("重点工作完成情况")
    GLOSSARY = "glossary", _("名词解释")


class FigureKind(models.TextChoices):
    TABLE = "table", _("表格数")
    NARRATIVE = "narrative", _("文字说明数")
    DERIVED = "derived", _("推算数（未直接公开）")


class Measure(models.TextChoices):
    """What a published figure measures; the first four can be derived from stored facts."""

    EXPENDITURE = "expenditure", _("支出")
    INCOME = "income", _("收入")
    THREE_PUBLIC = "three_public", _("“三公”经费")
    PROJECT = "project", _("项目支出")
    SCORE = "score", _("绩效得分")
    WEIGHT = "weight", _("绩效分值")
    COMPLETION_RATE = "completion_rate", _("完成年初预算的比例")
    EXECUTION_RATE = "execution_rate", _("预算执行率")
    SHARE = "share", _("占比")
    CHANGE = "change", _("比上年增减额")
    GROWTH_RATE = "growth_rate", _("比上年增减幅度")
    BALANCE = "balance", _("结转结余")
    PROJECT_TOTAL_BUDGET = "project_total_budget", _("项目总预算")
    PROCUREMENT = "procurement", _("政府采购")
    ASSETS = "assets", _("国有资产")
    COUNT = "count", _("数量")
    INDICATOR = "indicator", _("绩效指标完成值")
    OPERATING_COSTS = "operating_costs", _("机关运行经费")
    PURCHASED_SERVICES = "purchased_services", _("政府购买服务")


class EvaluationScope(models.TextChoices):
    UNIT = "unit", _("单位整体")
    PROJECT = "project", _("项目")


class Horizon(models.TextChoices):
    LONG_TERM = "long_term", _("长期目标")
    ANNUAL = "annual", _("年度目标")


class ExplanationKind(models.TextChoices):
    VARIANCE_REASON = "variance_reason", _("决算与年初预算差异原因")
    CHANGE_REASON = "change_reason", _("与上年相比变化原因")
    USE = "use", _("主要用途")
    DEFINITION = "definition", _("名词解释")
    KEY_WORK = "key_work", _("重点工作完成情况")
