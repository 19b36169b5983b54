"""The layouts of the official tables move with the publication's year and list its projects."""

from budgets.layouts import LayoutProject, LayoutUnit, layouts_for

UNIT = LayoutUnit("503099", "另一个单位", "503", "武汉市人力资源和社会保障局")
ONE = LayoutProject(
    "P1", "服务运行经费", category="特定目标类", group_code="31", group_name="本级支出项目"
)
TWO = LayoutProject(
    "P2", "信息系统运维", category="特定目标类", group_code="31", group_name="本级支出项目"
)


def by_code(kind, year, projects=(ONE,)):
    return {table.code: table for table in layouts_for(kind, year, UNIT, projects)}


def labels_and_years(table, part_name):
    part = next(part for part in table.parts if part.name == part_name)
    return [(row.label, row.dims.get("year")) for row in part.rows]


def test_a_2025_budget_says_2025_2024_2023_where_the_2024_one_says_2024_2023_2022():
    for year, (this, last, before) in ((2024, (2024, 2023, 2022)), (2025, (2025, 2024, 2023))):
        tables = by_code("budget", year)
        assert [row.label for row in tables["表7"].parts[0].rows] == [f"{this} 年预算"]
        income = tables["表11"].parts[0]
        assert [(c.label, c.dims.get("year")) for c in income.columns[2:]] == [
            (f"{last}年", last),
            (f"{before}年", before),
        ]
        assert f"{last} 年、{before} 年预算数" in tables["表11"].note
        assert labels_and_years(tables["表12"], "项目前两年预算及当年预算变动情况") == [
            (f"{before}年预算安排", before),
            (f"{last}年预算安排", last),
            (f"{this}年预算安排", None),  # the publication's own year, from its defaults
            ("较上年增加", None),
        ]


def test_a_2025_final_names_its_own_year_in_the_three_public_table():
    assert [row.label for row in by_code("final", 2025)["公开09"].parts[0].rows] == ["2025年度"]


def test_a_unit_with_two_projects_has_two_project_tables_each_naming_its_project():
    budget = layouts_for("budget", 2025, UNIT, [ONE, TWO])
    project_tables = [t for t in budget if t.topic == "project_performance"]
    assert [(t.code, t.slug, t.project, t.dims) for t in project_tables] == [
        ("表12（P1）", "table-12-p1", "P1", {"project": "P1"}),
        ("表12（P2）", "table-12-p2", "P2", {"project": "P2"}),
    ]
    table_10 = next(t for t in budget if t.code == "表10")
    assert [(row.code, row.dims.get("project")) for row in table_10.parts[0].rows][-3:] == [
        ("31", None),
        ("P1", "P1"),
        ("P2", "P2"),
    ]
    final = layouts_for("final", 2025, UNIT, [ONE, TWO])
    evaluations = [t for t in final if t.topic == "project_performance"]
    assert [(t.code, t.title, t.project) for t in evaluations] == [
        ("项目自评表（P1）", "服务运行经费项目自评表", "P1"),
        ("项目自评表（P2）", "信息系统运维项目自评表", "P2"),
    ]
    assert [t.parts[0].rows[0].dims["project"] for t in evaluations] == ["P1", "P2"]


def test_a_unit_with_one_project_keeps_the_printed_table_numbers():
    codes = [t.code for t in layouts_for("budget", 2025, UNIT, [ONE])]
    assert codes[-2:] == ["表11", "表12"]
    assert "表12" not in [t.code for t in layouts_for("budget", 2025, UNIT, [])]


def test_the_layouts_name_the_unit_and_its_department():
    rows = by_code("budget", 2025)["表2"].parts[0].rows
    assert [(row.code, row.label) for row in rows] == [
        ("", "合计"),
        ("503", "武汉市人力资源和社会保障局"),
        ("503099", "另一个单位"),
    ]
    assert by_code("final", 2025)["整体绩效自评表"].title == "另一个单位整体绩效自评表"


def notes(tables):
    return {n for t in tables for n in [t.note] + [r.note for p in t.parts for r in p.rows] if n}


def test_a_2025_layout_holds_no_note_of_the_2024_transcriptions():
    from fixtures.transcription import budget_2024, final_2024

    for kind, module in (("budget", budget_2024), ("final", final_2024)):
        tables = [s for s in module.SECTIONS if hasattr(s, "parts")]
        own = notes(module.LAYOUT.values())  # what the form itself prints, year 2024
        of_2024 = notes(tables) - own
        assert of_2024  # the transcription does hold notes of its own
        in_2025 = notes(layouts_for(kind, 2025, UNIT, [ONE, TWO]))
        assert not in_2025 & of_2024
        assert not [note for note in in_2025 if "原表" in note or "OCR" in note]
