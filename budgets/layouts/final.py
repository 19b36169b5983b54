"""The tables of a unit's final accounts (单位决算公开, 公开01–公开09) and its performance
self-evaluations (整体绩效自评表, one 项目自评表 per project), for one year, unit and set of
projects. 公开09's row names the publication's year; the self-evaluations are named after the
unit and the project.
"""

from budgets.layouts.classes import class_code
from budgets.layouts.dsl import Col, Part, Row, Table
from budgets.layouts.units import LayoutProject, LayoutUnit, per_project

INCOME = {"measure": "income"}
EXPENDITURE = {"measure": "expenditure", "scheme": "functional"}
BALANCE = {"measure": "balance"}
FISCAL = {"fund_source": "fiscal"}
GENERAL = {"fund_source": "general_budget"}
STAGE = "final"
PROJECT_TABLE = "项目自评表"

# (行次, label) of 公开01's expenditure side; 公开04 prints the same lines two 行次 later.
CLASSES = [
    ("31", "一、一般公共服务支出"),
    ("32", "二、外交支出"),
    ("33", "三、国防支出"),
    ("34", "四、公共安全支出"),
    ("35", "五、教育支出"),
    ("36", "六、科学技术支出"),
    ("37", "七、文化旅游体育与传媒支出"),
    ("38", "八、社会保障和就业支出"),
    ("39", "九、卫生健康支出"),
    ("40", "十、节能环保支出"),
    ("41", "十一、城乡社区支出"),
    ("42", "十二、农林水支出"),
    ("43", "十三、交通运输支出"),
    ("44", "十四、资源勘探工业信息等支出"),
    ("45", "十五、商业服务业等支出"),
    ("46", "十六、金融支出"),
    ("47", "十七、援助其他地区支出"),
    ("48", "十八、自然资源海洋气象等支出"),
    ("49", "十九、住房保障支出"),
    ("50", "二十、粮油物资储备支出"),
    ("51", "二十一、国有资本经营预算支出"),
    ("52", "二十二、灾害防治及应急管理支出"),
    ("53", "二十三、其他支出"),
    ("54", "二十四、债务还本支出"),
    ("55", "二十五、债务付息支出"),
    ("56", "二十六、抗疫特别国债安排的支出"),
]

# The indicator levels a self-evaluation scores (一级 and 二级指标), with their weights.
SCORED_LEVELS = [
    "产出指标",
    "数量指标",
    "质量指标",
    "时效指标",
    "效益指标",
    "社会效益指标",
    "满意度指标",
    "服务对象满意度指标",
]


def class_rows(line_shift=0):
    return [
        Row(
            str(int(line) + line_shift),
            label,
            [],
            dims={**EXPENDITURE, "subject_code": class_code(label)},
        )
        for line, label in CLASSES
    ]


def table_01():
    return Table(
        code="公开01",
        slug="gk01",
        title="收入支出决算总表",
        topic="income_expenditure_summary",
        note="注：1. 本表反映单位本年度的总收支和年末结转结余情况。2. 本套报表金额单位转换时可能存在尾数误差。",
        parts=[
            Part(
                "收入",
                [Col("决算数")],
                [
                    Row("1", "一、一般公共预算财政拨款收入", [], dims={**INCOME, **GENERAL}),
                    Row(
                        "2",
                        "二、政府性基金预算财政拨款收入",
                        [],
                        dims={**INCOME, "fund_source": "government_fund"},
                    ),
                    Row(
                        "3",
                        "三、国有资本经营预算财政拨款收入",
                        [],
                        dims={**INCOME, "fund_source": "state_capital"},
                    ),
                    Row(
                        "4",
                        "四、上级补助收入",
                        [],
                        dims={**INCOME, "fund_source": "superior_subsidy"},
                    ),
                    Row("5", "五、事业收入", [], dims={**INCOME, "fund_source": "business"}),
                    Row("6", "六、经营收入", [], dims={**INCOME, "fund_source": "operating"}),
                    Row(
                        "7",
                        "七、附属单位上缴收入",
                        [],
                        dims={**INCOME, "fund_source": "subordinate_remittance"},
                    ),
                    Row("8", "八、其他收入", [], dims={**INCOME, "fund_source": "other"}),
                    Row("27", "本年收入合计", [], dims=INCOME, total=True),
                    Row("28", "使用非财政拨款结余", [], dims=BALANCE),
                    Row("29", "年初结转和结余", [], dims=BALANCE),
                    Row("31", "总计", [], dims=INCOME, total=True),
                ],
            ),
            Part(
                "支出",
                [Col("决算数")],
                [
                    *class_rows(),
                    Row("57", "本年支出合计", [], dims=EXPENDITURE, total=True),
                    Row("58", "结余分配", [], dims=BALANCE),
                    Row("59", "年末结转和结余", [], dims=BALANCE),
                    Row("62", "总计", [], dims=EXPENDITURE, total=True),
                ],
            ),
        ],
    )


def table_02():
    return Table(
        code="公开02",
        slug="gk02",
        title="收入决算表",
        topic="income",
        dims=INCOME,
        subject_scheme="functional",
        note="注：本表反映单位本年度取得的各项收入情况。",
        parts=[
            Part(
                "",
                [
                    Col("本年收入合计"),
                    Col("财政拨款收入", GENERAL, leaf=True),
                    Col("上级补助收入", {"fund_source": "superior_subsidy"}, leaf=True),
                    Col("事业收入", {"fund_source": "business"}, leaf=True),
                    Col("经营收入", {"fund_source": "operating"}, leaf=True),
                    Col("附属单位上缴收入", {"fund_source": "subordinate_remittance"}, leaf=True),
                    Col("其他收入", {"fund_source": "other"}, leaf=True),
                ],
                [Row("", "合计", [], total=True)],
            )
        ],
    )


def table_03():
    # 公开03 lists all funds; its figures are read as general-budget facts, which 公开05 repeats.
    return Table(
        code="公开03",
        slug="gk03",
        title="支出决算表",
        topic="expenditure",
        dims={**EXPENDITURE, **GENERAL},
        subject_scheme="functional",
        note="注：本表反映单位本年度各项支出情况。",
        parts=[
            Part(
                "",
                [
                    Col("本年支出合计"),
                    Col("基本支出", {"expenditure_type": "basic"}, leaf=True),
                    Col("项目支出", {"expenditure_type": "project"}, leaf=True),
                    Col("上缴上级支出"),
                    Col("经营支出"),
                    Col("对附属单位补助支出"),
                ],
                [Row("", "合计", [], total=True)],
            )
        ],
    )


def table_04():
    return Table(
        code="公开04",
        slug="gk04",
        title="财政拨款收入支出决算总表",
        topic="fiscal_summary",
        note="注：本表反映单位本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。",
        parts=[
            Part(
                "收入",
                [Col("决算数")],
                [
                    Row("1", "一、一般公共预算财政拨款", [], dims={**INCOME, **GENERAL}),
                    Row(
                        "2",
                        "二、政府性基金预算财政拨款",
                        [],
                        dims={**INCOME, "fund_source": "government_fund"},
                    ),
                    Row(
                        "3",
                        "三、国有资本经营预算财政拨款",
                        [],
                        dims={**INCOME, "fund_source": "state_capital"},
                    ),
                    Row("27", "本年收入合计", [], dims={**INCOME, **FISCAL}, total=True),
                    Row("28", "年初财政拨款结转和结余", [], dims={**BALANCE, **FISCAL}),
                    Row("29", "一般公共预算财政拨款", [], dims={**BALANCE, **GENERAL}),
                    Row(
                        "30",
                        "政府性基金预算财政拨款",
                        [],
                        dims={**BALANCE, "fund_source": "government_fund"},
                    ),
                    Row(
                        "31",
                        "国有资本经营预算财政拨款",
                        [],
                        dims={**BALANCE, "fund_source": "state_capital"},
                    ),
                    Row("32", "总计", [], dims={**INCOME, **FISCAL}, total=True),
                ],
            ),
            Part(
                "支出",
                [
                    Col("决算数/合计", FISCAL),
                    Col("决算数/一般公共预算财政拨款", GENERAL),
                    Col("决算数/政府性基金预算财政拨款", {"fund_source": "government_fund"}),
                    Col("决算数/国有资本经营预算财政拨款", {"fund_source": "state_capital"}),
                ],
                [
                    *class_rows(line_shift=2),
                    Row("59", "本年支出合计", [], dims=EXPENDITURE, total=True),
                    Row("60", "年末财政拨款结转和结余", [], dims=BALANCE),
                    Row("64", "总计", [], dims=EXPENDITURE, total=True),
                ],
            ),
        ],
    )


def table_05():
    return Table(
        code="公开05",
        slug="gk05",
        title="一般公共预算财政拨款支出决算表",
        topic="general_budget_by_function",
        dims={**EXPENDITURE, **GENERAL},
        subject_scheme="functional",
        note="注：本表反映单位本年度一般公共预算财政拨款支出情况。",
        parts=[
            Part(
                "",
                [
                    Col("本年支出/小计"),
                    Col("本年支出/基本支出", {"expenditure_type": "basic"}, leaf=True),
                    Col("本年支出/项目支出", {"expenditure_type": "project"}, leaf=True),
                ],
                [Row("", "合计", [], total=True)],
            )
        ],
    )


def table_06():
    # 公开06 prints three blocks side by side (人员经费 | 公用经费 | 资本性支出, the last two
    # under 公用经费); they are two parts of one list: code, name, amount.
    return Table(
        code="公开06",
        slug="gk06",
        title="一般公共预算财政拨款基本支出决算明细表",
        topic="basic_by_economic",
        dims={
            "measure": "expenditure",
            "scheme": "economic",
            "expenditure_type": "basic",
            **GENERAL,
        },
        subject_scheme="economic",
        note="注：本表反映单位本年度一般公共预算财政拨款基本支出明细情况。",
        parts=[
            Part(
                "人员经费",
                [Col("决算数", leaf=True)],
                dims={"expense_class": "personnel"},
                rows=[Row("", "人员经费合计", [], total=True)],
            ),
            Part(
                "公用经费",
                [Col("决算数", leaf=True)],
                dims={"expense_class": "public"},
                rows=[Row("", "公用经费合计", [], total=True)],
            ),
        ],
    )


def table_07():
    return Table(
        code="公开07",
        slug="gk07",
        title="政府性基金预算财政拨款收入支出决算表",
        topic="government_fund",
        note="注：本表反映单位本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
        parts=[
            Part(
                "",
                [
                    Col("年初结转和结余"),
                    Col("本年收入"),
                    Col("本年支出/小计"),
                    Col("本年支出/基本支出"),
                    Col("本年支出/项目支出"),
                    Col("年末结转和结余"),
                ],
                [],
            )
        ],
    )


def table_08():
    return Table(
        code="公开08",
        slug="gk08",
        title="国有资本经营预算财政拨款支出决算表",
        topic="state_capital",
        note="注：本表反映单位本年度国有资本经营预算财政拨款支出情况。",
        parts=[
            Part("", [Col("本年支出/合计"), Col("本年支出/基本支出"), Col("本年支出/项目支出")], [])
        ],
    )


def three_public_columns(prefix, stage):
    vehicle = f"{prefix}/公务用车购置及运行维护费"
    return [
        Col(f"{prefix}/合计", {"stage": stage}),
        Col(
            f"{prefix}/因公出国（境）费",
            {"stage": stage, "three_public_kind": "outbound_travel"},
            leaf=True,
        ),
        Col(f"{vehicle}/小计", {"stage": stage, "three_public_kind": "vehicle"}),
        Col(
            f"{vehicle}/公务用车购置费",
            {"stage": stage, "three_public_kind": "vehicle_purchase"},
            leaf=True,
        ),
        Col(
            f"{vehicle}/公务用车运行维护费",
            {"stage": stage, "three_public_kind": "vehicle_running"},
            leaf=True,
        ),
        Col(f"{prefix}/公务接待费", {"stage": stage, "three_public_kind": "reception"}, leaf=True),
    ]


def table_09(year):
    # 预算数 here is the adjusted budget: the table note says it is the 全年预算数 after adjustment.
    return Table(
        code="公开09",
        slug="gk09",
        title="财政拨款“三公”经费支出决算表",
        topic="three_public",
        dims={"measure": "three_public"},
        blank_leaf_is_fact=True,
        note="注：本表反映单位本年度财政拨款“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，"
        "反映按规定程序调整后的预算数；决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。",
        parts=[
            Part(
                "",
                [
                    *three_public_columns("预算数", "adjusted_budget"),
                    *three_public_columns("决算数", "final"),
                ],
                [Row("", f"{year}年度", [], leaf=True)],
            )
        ],
    )


EVALUATION_NOTE = "预算数为全年预算数（调整后），执行率 = 执行数 ÷ 预算数。"


def evaluation_table(
    code, slug, title, topic, execution_row, budget_col, executed_col, extra_parts=(), project=""
):
    """A self-evaluation table: its money cells and its printed totals. Its scored items (the
    budget-execution item and the indicators, with their weights and scores) are evaluation
    items, imported from the table's indicator sheet, not cells."""
    return Table(
        code=code,
        slug=slug,
        title=title,
        topic=topic,
        kind="form",
        note=EVALUATION_NOTE,
        project=project,
        parts=[
            Part(
                "预算执行情况",
                [
                    budget_col,
                    executed_col,
                    Col("执行率（B/A）", {"measure": "execution_rate", "unit_of_measure": "%"}),
                ],
                [execution_row],
            ),
            *extra_parts,
            Part(
                "评分",
                [
                    Col("分值", {"measure": "weight", "unit_of_measure": "分"}),
                    Col("得分", {"measure": "score", "unit_of_measure": "分"}),
                ],
                [*[Row("", level, []) for level in SCORED_LEVELS], Row("", "总分", [], total=True)],
            ),
        ],
    )


def unit_evaluation(unit):
    # Unit-wide, 预算数 (A) is the unit's adjusted budget, a figure reported only as a whole;
    # 执行数 (B) is the final total, derivable from the functional facts.
    return evaluation_table(
        "整体绩效自评表",
        "self-evaluation-unit",
        f"{unit.name}整体绩效自评表",
        "unit_performance",
        Row("", "部门整体支出总额", [], dims={"measure": "expenditure"}, leaf=True),
        Col("预算数（A）", {"stage": "adjusted_budget"}, leaf=True),
        Col("执行数（B）", {"stage": "final", "scheme": "functional"}),
        extra_parts=[
            Part(
                "支出总额",
                [Col("金额")],
                [
                    Row("", "基本支出总额", [], dims={**EXPENDITURE, "expenditure_type": "basic"}),
                    Row(
                        "", "项目支出总额", [], dims={**EXPENDITURE, "expenditure_type": "project"}
                    ),
                ],
            )
        ],
    )


def project_evaluation(project, code, slug):
    return evaluation_table(
        code,
        slug,
        f"{project.name}项目自评表",
        "project_performance",
        Row(
            "",
            "年度财政资金总额",
            [],
            dims={"measure": "project", "project": project.code},
            leaf=True,
        ),
        Col("预算数（A）", {"stage": "adjusted_budget"}, leaf=True),
        Col("执行数（B）", {"stage": "final"}, leaf=True),
        project=project.code,
    )


def tables(year: int, unit: LayoutUnit, projects: list[LayoutProject]) -> list[Table]:
    """公开01–公开09 and the self-evaluations of `unit`'s final accounts for `year`, in printed
    order (the explanation and other narrative parts come between them), rows without cells."""
    return [
        table_01(),
        table_02(),
        table_03(),
        table_04(),
        table_05(),
        table_06(),
        table_07(),
        table_08(),
        table_09(year),
        unit_evaluation(unit),
        *[
            project_evaluation(project, code, slug)
            for project, code, slug in per_project(
                PROJECT_TABLE, "self-evaluation-project", projects
            )
        ],
    ]
