"""The tables of a unit budget (单位预算公开, 表1–表12) for one year, unit and set of projects.

Every label that names a year is computed from the publication's year: 表7's row "2025 年预算",
表11's columns for the two years before, 表12's three years of budgets. 表10 and 表11 list
each project; 表12 is printed once per project, in the order of the project codes.
"""

from budgets.layouts.classes import class_code
from budgets.layouts.dsl import Col, Part, Row, Table
from budgets.layouts.units import LayoutProject, LayoutUnit, per_project

INCOME = {"measure": "income"}
EXPENDITURE = {"measure": "expenditure", "scheme": "functional"}
BALANCE = {"measure": "balance"}
FISCAL = {"fund_source": "fiscal"}
GENERAL = {**EXPENDITURE, "fund_source": "general_budget"}
SHARE = {"measure": "share", "unit_of_measure": "%"}
STAGE = "initial_budget"
PROJECT_TABLE = "表12"

INCOME_ROWS = [
    ("一、一般公共预算拨款收入", "general_budget"),
    ("二、政府性基金预算拨款收入", "government_fund"),
    ("三、国有资本经营预算拨款收入", "state_capital"),
    ("四、财政专户管理资金收入", "special_account"),
    ("五、事业收入", "business"),
    ("六、事业单位经营收入", "operating"),
    ("七、上级补助收入", "superior_subsidy"),
    ("八、附属单位上缴收入", "subordinate_remittance"),
    ("九、其他收入", "other"),
]

# The 类 as 表1 and 表4 print them, numbered.
CLASSES = [
    "一、一般公共服务支出",
    "二、公共安全支出",
    "三、教育支出",
    "四、科学技术支出",
    "五、文化旅游体育与传媒支出",
    "六、社会保障和就业支出",
    "七、卫生健康支出",
    "八、节能环保支出",
    "九、城乡社区支出",
    "十、农林水支出",
    "十一、交通运输支出",
    "十二、资源勘探工业信息等支出",
    "十三、商业服务业等支出",
    "十四、金融支出",
    "十五、援助其他地区支出",
    "十六、自然资源海洋气象等支出",
    "十七、住房保障支出",
    "十八、粮油物资储备支出",
    "十九、国有资本经营预算支出",
    "二十、灾害防治及应急管理支出",
    "廿一、其他支出",
    "廿二、债务还本支出",
    "廿三、债务付息支出",
    "廿四、债务发行费用支出",
]


def class_rows(dims, numbered_in_brackets=False):
    rows = []
    for label in CLASSES:
        number, name = label.split("、")
        printed = f"（{number}）{name}" if numbered_in_brackets else label
        rows.append(Row("", printed, [], dims={**dims, "subject_code": class_code(label)}))
    return rows


def unit_rows(unit: LayoutUnit, leaf_dims=None, unit_is_total=False):
    """The department's row and the unit's, as 表2, 表5-2 and 表10 print them."""
    rows = []
    if unit.department_code:
        rows.append(
            Row(
                unit.department_code,
                unit.department_name,
                [],
                dims={"unit": unit.department_code},
                total=True,
            )
        )
    if unit_is_total:
        rows.append(Row(unit.code, unit.name, [], total=True))
    else:
        rows.append(Row(unit.code, unit.name, [], dims=leaf_dims or {}, leaf=True))
    return rows


def table_1():
    return Table(
        code="表1",
        slug="table-1",
        title="收支总表",
        topic="income_expenditure_summary",
        note="备注：财政专户管理资金收入是指教育收费收入；事业收入不含教育收费收入，下同。",
        parts=[
            Part(
                "收入",
                [Col("预算数")],
                [
                    *[
                        Row("", label, [], dims={**INCOME, "fund_source": source})
                        for label, source in INCOME_ROWS
                    ],
                    Row("", "本年收入合计", [], dims=INCOME, total=True),
                    Row("", "上年结转结余", [], dims=BALANCE),
                    Row("", "收入总计", [], dims=INCOME, total=True),
                ],
            ),
            Part(
                "支出",
                [Col("预算数")],
                [
                    *class_rows(EXPENDITURE),
                    Row("", "本年支出合计", [], dims=EXPENDITURE, total=True),
                    Row("", "年终结转结余", [], dims=BALANCE),
                    Row("", "支出总计", [], dims=EXPENDITURE, total=True),
                ],
            ),
        ],
    )


def table_2(unit):
    columns = [
        Col("合计", INCOME),
        Col("本年收入/小计", INCOME),
        *[
            Col(f"本年收入/{name}", {**INCOME, "fund_source": source}, leaf=True)
            for name, source in [
                ("一般公共预算", "general_budget"),
                ("政府性基金预算", "government_fund"),
                ("国有资本经营预算", "state_capital"),
                ("财政专户管理资金", "special_account"),
                ("事业收入", "business"),
                ("事业单位经营收入", "operating"),
                ("上级补助收入", "superior_subsidy"),
                ("附属单位上缴收入", "subordinate_remittance"),
                ("其他收入", "other"),
            ]
        ],
        Col("上年结转结余/小计", BALANCE),
        *[
            Col(f"上年结转结余/{name}", {**BALANCE, "fund_source": source})
            for name, source in [
                ("一般公共预算", "general_budget"),
                ("政府性基金预算", "government_fund"),
                ("国有资本经营预算", "state_capital"),
                ("财政专户管理资金", "special_account"),
                ("单位资金", "unit_funds"),
            ]
        ],
    ]
    return Table(
        code="表2",
        slug="table-2",
        title="收入总表",
        topic="income",
        parts=[Part("", columns, [Row("", "合计", [], total=True), *unit_rows(unit)])],
    )


def table_3():
    # 表3 lists all funds; its figures are read as general-budget facts (the fund every line
    # of 表5-1 repeats), as a unit's only fund usually is.
    return Table(
        code="表3",
        slug="table-3",
        title="支出总表",
        topic="expenditure",
        dims=GENERAL,
        subject_scheme="functional",
        parts=[
            Part(
                "",
                [
                    Col("合计"),
                    Col("基本支出", {"expenditure_type": "basic"}),
                    Col("项目支出", {"expenditure_type": "project"}, leaf=True),
                    Col("事业单位经营支出"),
                    Col("上缴上级支出"),
                    Col("对附属单位补助支出"),
                ],
                [Row("", "合计", [], total=True)],
            )
        ],
    )


def table_4():
    def fund_rows(dims):
        return [
            Row("", "（一）一般公共预算拨款", [], dims={**dims, "fund_source": "general_budget"}),
            Row(
                "", "（二）政府性基金预算拨款", [], dims={**dims, "fund_source": "government_fund"}
            ),
            Row(
                "", "（三）国有资本经营预算拨款", [], dims={**dims, "fund_source": "state_capital"}
            ),
        ]

    return Table(
        code="表4",
        slug="table-4",
        title="财政拨款收支总表",
        topic="fiscal_summary",
        parts=[
            Part(
                "收入",
                [Col("预算数")],
                [
                    Row("", "一、本年收入", [], dims={**INCOME, **FISCAL}, total=True),
                    *fund_rows(INCOME),
                    Row("", "二、上年结转", [], dims={**BALANCE, **FISCAL}),
                    *fund_rows(BALANCE),
                    Row("", "收入总计", [], dims={**INCOME, **FISCAL}, total=True),
                ],
            ),
            Part(
                "支出",
                [Col("预算数")],
                [
                    Row("", "一、本年支出", [], dims={**EXPENDITURE, **FISCAL}, total=True),
                    *class_rows({**EXPENDITURE, **FISCAL}, numbered_in_brackets=True),
                    Row("", "二、年终结转结余", [], dims={**BALANCE, **FISCAL}),
                    Row("", "支出总计", [], dims={**EXPENDITURE, **FISCAL}, total=True),
                ],
            ),
        ],
    )


def columns_5():
    return [
        Col("合计"),
        Col("基本支出/小计", {"expenditure_type": "basic"}),
        Col(
            "基本支出/人员经费",
            {"expenditure_type": "basic", "expense_class": "personnel"},
            leaf=True,
        ),
        Col(
            "基本支出/公用经费", {"expenditure_type": "basic", "expense_class": "public"}, leaf=True
        ),
        Col("项目支出", {"expenditure_type": "project"}, leaf=True),
    ]


def table_5_1():
    return Table(
        code="表5-1",
        slug="table-5-1",
        title="一般公共预算支出表（分功能科目）",
        topic="general_budget_by_function",
        dims=GENERAL,
        subject_scheme="functional",
        parts=[Part("", columns_5(), [Row("", "合计", [], total=True)])],
    )


def table_5_2(unit):
    return Table(
        code="表5-2",
        slug="table-5-2",
        title="一般公共预算支出表（分单位）",
        topic="general_budget_by_unit",
        dims=GENERAL,
        parts=[
            Part(
                "",
                columns_5(),
                [Row("", "合计", [], total=True), *unit_rows(unit, unit_is_total=True)],
            )
        ],
    )


def table_6():
    return Table(
        code="表6",
        slug="table-6",
        title="一般公共预算基本支出表",
        topic="basic_by_economic",
        dims={
            "measure": "expenditure",
            "scheme": "economic",
            "expenditure_type": "basic",
            "fund_source": "general_budget",
        },
        subject_scheme="economic",
        parts=[
            Part(
                "",
                [
                    Col("合计"),
                    Col("人员经费", {"expense_class": "personnel"}, leaf=True),
                    Col("公用经费", {"expense_class": "public"}, leaf=True),
                ],
                [Row("", "合计", [], total=True)],
            )
        ],
    )


def table_7(year):
    return Table(
        code="表7",
        slug="table-7",
        title="一般公共预算“三公”经费支出表",
        topic="three_public",
        dims={"measure": "three_public"},
        blank_leaf_is_fact=True,
        parts=[
            Part(
                "",
                [
                    Col("“三公”经费合计"),
                    Col("因公出国（境）费", {"three_public_kind": "outbound_travel"}, leaf=True),
                    Col("公务用车购置及运行费/小计", {"three_public_kind": "vehicle"}),
                    Col(
                        "公务用车购置及运行费/公务用车购置费",
                        {"three_public_kind": "vehicle_purchase"},
                        leaf=True,
                    ),
                    Col(
                        "公务用车购置及运行费/公务用车运行费",
                        {"three_public_kind": "vehicle_running"},
                        leaf=True,
                    ),
                    Col("公务接待费", {"three_public_kind": "reception"}, leaf=True),
                ],
                [Row("", f"{year} 年预算", [], leaf=True)],
            )
        ],
    )


def table_8():
    return Table(
        code="表8",
        slug="table-8",
        title="政府性基金预算支出表",
        topic="government_fund",
        parts=[Part("", [Col("合计"), Col("基本支出"), Col("项目支出")], [])],
    )


def table_9():
    return Table(
        code="表9",
        slug="table-9",
        title="国有资本经营预算支出表",
        topic="state_capital",
        parts=[Part("", [Col("合计"), Col("基本支出"), Col("项目支出")], [])],
    )


def table_10(unit, projects):
    columns = [
        Col("合计"),
        Col("本年拨款/一般公共预算", {"fund_source": "general_budget"}, leaf=True),
        Col("本年拨款/政府性基金预算", {"fund_source": "government_fund"}, leaf=True),
        Col("本年拨款/国有资本经营预算", {"fund_source": "state_capital"}, leaf=True),
        Col("财政拨款结转结余/一般公共预算", {**BALANCE, "fund_source": "general_budget"}),
        Col("财政拨款结转结余/政府性基金预算", {**BALANCE, "fund_source": "government_fund"}),
        Col("财政拨款结转结余/国有资本经营预算", {**BALANCE, "fund_source": "state_capital"}),
        Col("财政专户管理资金", {"fund_source": "special_account"}, leaf=True),
        Col("单位资金", {"fund_source": "unit_funds"}, leaf=True),
    ]
    rows = [Row("", "合计", [], total=True), *unit_rows(unit, unit_is_total=True)]
    group = None
    for project in projects:
        # A project group's row totals its projects, printed before them.
        if project.group_code and project.group_code != group:
            rows.append(Row(project.group_code, project.group_name, [], total=True))
        group = project.group_code
        label = f"{project.name}（项目单位：{unit.name}）"
        rows.append(Row(project.code, label, [], dims={"project": project.code}, leaf=True))
    return Table(
        code="表10",
        slug="table-10",
        title="项目支出表",
        topic="projects",
        dims={"measure": "project"},
        parts=[Part("", columns, rows)],
    )


def table_11(year, projects):
    def columns():
        return [
            Col("当年金额"),
            Col("占比", SHARE),
            Col(f"{year - 1}年", {"year": year - 1}),
            Col(f"{year - 2}年", {"year": year - 2}),
        ]

    def spending(label, **dims):
        return Row("", label, [], dims={**EXPENDITURE, **dims})

    return Table(
        code="表11",
        slug="table-11",
        title="整体支出绩效目标表",
        topic="unit_performance",
        kind="form",
        note=f"单位：万元。“近两年收支金额”为 {year - 1} 年、{year - 2} 年预算数。",
        parts=[
            Part(
                "收入构成",
                columns(),
                [
                    Row("", "财政拨款", [], dims={**INCOME, **FISCAL}),
                    Row(
                        "",
                        "财政专户管理资金",
                        [],
                        dims={**INCOME, "fund_source": "special_account"},
                    ),
                    Row("", "单位资金", [], dims={**INCOME, "fund_source": "unit_funds"}),
                    Row("", "合计", [], dims=INCOME, total=True),
                ],
            ),
            Part(
                "支出构成",
                columns(),
                [
                    spending("人员类项目支出", expenditure_type="basic", expense_class="personnel"),
                    spending("运转类项目支出", expenditure_type="basic", expense_class="public"),
                    spending("特定目标类项目支出", expenditure_type="project"),
                    Row("", "合计", [], dims=EXPENDITURE, total=True),
                ],
            ),
            Part(
                "项目支出情况",
                [
                    Col("项目总预算", {"measure": "project_total_budget"}),
                    Col("项目本年度预算", {"measure": "project"}),
                    Col("项目本年度预算（第二栏）", {"measure": "project"}),
                ],
                [
                    Row(
                        "",
                        f"{project.name}（{project.category}）"
                        if project.category
                        else project.name,
                        [],
                        dims={"project": project.code},
                    )
                    for project in projects
                ],
            ),
        ],
    )


def table_12(year, project, code, slug):
    measure = {"measure": "project"}
    return Table(
        code=code,
        slug=slug,
        title="项目支出绩效目标表",
        topic="project_performance",
        kind="form",
        note="单位：万元。",
        dims={"project": project.code},
        project=project.code,
        parts=[
            Part(
                "项目预算",
                [Col("金额")],
                [
                    Row("", "项目总预算", [], dims={"measure": "project_total_budget"}),
                    Row("", "项目当年预算", [], dims=measure),
                ],
            ),
            Part(
                "项目前两年预算及当年预算变动情况",
                [Col("金额", leaf=True)],
                [
                    Row(
                        "",
                        f"{year - 2}年预算安排",
                        [],
                        dims={**measure, "year": year - 2},
                        leaf=True,
                    ),
                    Row(
                        "",
                        f"{year - 1}年预算安排",
                        [],
                        dims={**measure, "year": year - 1},
                        leaf=True,
                    ),
                    Row("", f"{year}年预算安排", [], dims=measure),
                    Row("", "较上年增加", [], dims={"measure": "change"}),
                ],
            ),
            Part(
                "项目资金来源",
                [Col("金额")],
                [
                    Row("", "合计", [], dims=measure, total=True),
                    Row(
                        "",
                        "1.一般公共预算财政拨款",
                        [],
                        dims={**measure, "fund_source": "general_budget"},
                    ),
                    Row(
                        "",
                        "其中：申请本级财力年初安排",
                        [],
                        dims={**measure, "fund_source": "general_budget"},
                        cite=False,
                    ),
                    Row(
                        "",
                        "2.政府性基金预算财政拨款",
                        [],
                        dims={**measure, "fund_source": "government_fund"},
                    ),
                    Row(
                        "",
                        "3.财政专户管理资金",
                        [],
                        dims={**measure, "fund_source": "special_account"},
                    ),
                    Row("", "4.单位资金", [], dims={**measure, "fund_source": "unit_funds"}),
                    Row(
                        "",
                        "其中：使用上年度财政拨款结转",
                        [],
                        dims={**BALANCE, **FISCAL},
                        cite=False,
                    ),
                ],
            ),
        ],
    )


def tables(year: int, unit: LayoutUnit, projects: list[LayoutProject]) -> list[Table]:
    """表1–表12 of `unit`'s budget for `year`, in printed order, their rows without cells."""
    return [
        table_1(),
        table_2(unit),
        table_3(),
        table_4(),
        table_5_1(),
        table_5_2(unit),
        table_6(),
        table_7(year),
        table_8(),
        table_9(),
        table_10(unit, projects),
        table_11(year, projects),
        *[
            table_12(year, project, code, slug)
            for project, code, slug in per_project(PROJECT_TABLE, "table-12", projects)
        ],
    ]
