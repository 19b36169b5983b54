"""A unit with several projects in another year: its template has one project table per
project and names that year; a filled template attaches each project's figures to its own
project; nothing of the 2024 transcription reaches it."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from budgets.imports import changes, sheets
from budgets.imports.parsing import Level
from budgets.models import Project, ProjectAmount, Publication, PublishedFigure, Section, Unit
from fixtures.transcription import budget_2024, final_2024
from tests.staff import staff_user

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def unit():
    unit = Unit.objects.create(
        code="503099", name="另一个单位", parent=Unit.objects.get(code="503")
    )
    for code, name in (("P503099A", "信息系统运维"), ("P503099B", "热线服务外包")):
        Project.objects.create(
            code=code,
            name=name,
            unit=unit,
            category="特定目标类",
            group_code="31",
            group_name="本级支出项目",
        )
    return unit


def draft(unit, kind):
    title = f"{unit.name}{YEAR}年{'单位预算' if kind == 'budget' else '度单位决算'}"
    return Publication.objects.create(unit=unit, year=YEAR, kind=kind, title=title)


def template(publication):
    client = Client()
    user = User.objects.filter(username="caiwu").first()
    client.force_login(user or staff_user("caiwu", "财务人员", publication.unit.code))
    url = reverse("admin:budgets_publication_template", args=[publication.pk])
    response = client.get(url)
    assert response.status_code == 200
    return sheets.read_upload("template.xlsx", response.content)


def transcription_notes():
    """Every note the 2024 transcriptions write on a table or row."""
    found = set()
    for module in (budget_2024, final_2024):
        for section in module.SECTIONS:
            found.add(section.note)
            for part in getattr(section, "parts", []):
                found.update(row.note for row in part.rows)
    return {note for note in found if note}


def test_the_template_of_a_unit_with_two_projects_has_a_sheet_per_project(unit):
    budget = template(draft(unit, "budget"))
    assert [name for name in budget if name.startswith("表12")] == [
        "表12（P503099A）",
        "表12（P503099B）",
        "表12（P503099A）-指标",
        "表12（P503099B）-指标",
    ]
    final = template(draft(unit, "final"))
    assert [name for name in final if name.startswith("项目自评表")] == [
        "项目自评表（P503099A）",
        "项目自评表（P503099B）",
        "项目自评表（P503099A）-指标",
        "项目自评表（P503099B）-指标",
    ]
    assert final["项目自评表（P503099B）"][0][0] == "项目自评表（P503099B） 热线服务外包项目自评表"


def test_a_2025_template_names_2025_and_holds_no_2024_note(unit):
    workbook = template(draft(unit, "budget"))
    assert workbook["表7"][3][:2] == [None, "2025 年预算"]
    assert workbook["表11"][2][5:7] == ["2024年", "2023年"]
    labels = [row[1] for row in workbook["表12（P503099A）"][3:]]
    assert labels[2:5] == ["2023年预算安排", "2024年预算安排", "2025年预算安排"]
    assert workbook["表11-指标"][2][4:6] == ["2023年指标值", "2024年指标值"]
    cells = {cell for rows in workbook.values() for row in rows for cell in row if cell}
    assert not [cell for cell in cells for note in transcription_notes() if note in cell]


def project_sheet(code, this_year, last_year, before):
    return [
        [f"表12（{code}） 项目支出绩效目标表"],
        ["单位：万元"],
        ["编码", "项目", "部分", "金额"],
        ["", "项目总预算", "项目预算", this_year],
        ["", "项目当年预算", "项目预算", this_year],
        ["", "2023年预算安排", "项目前两年预算及当年预算变动情况", before],
        ["", "2024年预算安排", "项目前两年预算及当年预算变动情况", last_year],
        ["", "2025年预算安排", "项目前两年预算及当年预算变动情况", this_year],
    ]


def test_a_filled_template_attaches_each_projects_figures_to_its_own_project(unit):
    budget = draft(unit, "budget")
    uploaded = {
        "表12（P503099A）": project_sheet("P503099A", "120.00", "100.00", "90.00"),
        "表12（P503099B）": project_sheet("P503099B", "30.50", "20.00", None),
    }
    plan = changes.plan(budget, uploaded)
    assert [i.message for i in plan.issues if i.level == Level.ERROR] == []
    changes.apply(plan, None, "项目.xlsx")
    amounts = sorted(
        (a.project.code, a.year, a.stage, a.amount)
        for a in ProjectAmount.objects.filter(publication=budget).select_related("project")
    )
    assert amounts == [
        ("P503099A", 2023, "initial_budget", Decimal("90.00")),
        ("P503099A", 2024, "initial_budget", Decimal("100.00")),
        ("P503099B", 2023, "initial_budget", None),  # printed blank: listed, no figure
        ("P503099B", 2024, "initial_budget", Decimal("20.00")),
    ]
    this_year = {
        (f.section.code, f.project.code, f.year): f.value
        for f in PublishedFigure.objects.filter(
            section__publication=budget, row_label="2025年预算安排"
        ).select_related("section", "project")
    }
    assert this_year == {
        ("表12（P503099A）", "P503099A", 2025): Decimal("120.00"),
        ("表12（P503099B）", "P503099B", 2025): Decimal("30.50"),
    }
    sections = Section.objects.filter(publication=budget).order_by("slug")
    assert [(s.slug, s.note) for s in sections] == [
        ("table-12-p503099a", "单位：万元。"),
        ("table-12-p503099b", "单位：万元。"),
    ]
    assert not PublishedFigure.objects.filter(section__publication=budget).exclude(note="").exists()


def test_a_project_sheet_for_a_project_the_unit_does_not_have_is_refused(unit):
    uploaded = {
        "表12（42010022503T000000136）": project_sheet("42010022503T000000136", "1", "1", "1")
    }
    with pytest.raises(changes.ImportProblems) as refused:
        changes.plan(draft(unit, "budget"), uploaded)
    assert [i.message for i in refused.value.issues] == [
        "表12（42010022503T000000136） 是项目的表格，"
        "项目“42010022503T000000136”不是本单位 2025 年的项目"
        "（本单位的项目：P503099A、P503099B），不能导入这张表。"
        "请下载本单位的模板填写；如缺少项目，请先在“项目”中为本单位添加。"
    ]
