"""The open lines (budgets.models.OpenLine) are lines.csv in a table: equal to
`datasets.line_rows()` after every way the published data change, each line with its own
unit's project, written alike in SQL (PostgreSQL) and in Python."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from budgets import datasets, line_records, open_lines
from budgets.example_city import delete_example_data
from budgets.lines_csv import csv_record
from budgets.models import (
    Fact,
    OpenLine,
    Project,
    ProjectSubjectLink,
    Publication,
    Subject,
    Unit,
)
from budgets.serializers import LINE_COLUMNS
from tests import factories
from tests.conftest import FIXTURES
from tests.helpers import csv_rows
from tests.staff import fact_form, staff_user

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the SQL path runs on PostgreSQL"
)
KEY_AND_COLUMNS = (
    "fact_id", "publication_id", "unit_id", "subject_code", *open_lines.CSV_FIELDS, "csv_row",
    "api_json",
)  # fmt: skip


def open_rows() -> list[list]:
    lines = OpenLine.objects.order_by("pk").values_list(*open_lines.CSV_FIELDS)
    return [list(row) for row in lines]


def table() -> list[tuple]:
    return list(OpenLine.objects.order_by("pk").values_list(*KEY_AND_COLUMNS))


def assert_in_step():
    expected = list(datasets.line_rows())
    assert expected, "no open line at all: the comparison would prove nothing"
    assert open_rows() == expected
    # Each line's stored CSV record is the one Python's csv module writes of its columns.
    records = OpenLine.objects.order_by("pk").values_list("csv_row", *open_lines.CSV_FIELDS)
    assert [stored for stored, *_ in records] == [csv_record(columns) for _, *columns in records]
    # And its API record the JSON of its columns and its citations as they are now.
    lines = list(OpenLine.objects.order_by("pk").values("api_json", *LINE_COLUMNS))
    citations = line_records.sources([line["pk"] for line in lines])
    assert [line["api_json"] for line in lines] == [
        line_records.line_record(line, citations.get(line["pk"], [])) for line in lines
    ]


# -- two units sharing subjects, each with its own project --------------------------------------


@pytest.fixture
def two_units():
    """Two units of one department, each with a published 2024 budget whose project line is
    2080199 (a subject every unit of the year shares) and a project linked to it."""
    department = factories.department("902", "测试部门")
    codes = {}
    for code, project in (("902001", "P-ONE-0001"), ("902002", "P-TWO-0002")):
        unit = factories.unit_in(department, code)
        budget = factories.publication(unit, 2024)
        factories.fact(budget, "2080199", "12.00", expenditure_type="project")
        factories.fact(budget, "2080199", "3.00", expenditure_type="basic")
        linked = Project.objects.create(code=project, name=f"项目{project}", unit=unit)
        ProjectSubjectLink.objects.create(
            project=linked,
            subject=Subject.objects.get(scheme="functional", year=2024, code="2080199"),
            stage="initial_budget",
            inferred=False,
        )
        codes[code] = project
    return codes


def projects_by_unit(rows) -> dict:
    header = datasets.LINES.header
    found = {}
    for row in rows:
        line = dict(zip(header, (str(cell) for cell in row), strict=True))
        if line["unit_code"] in ("902001", "902002") and line["expenditure_type"] == "project":
            found[line["unit_code"]] = line["project_code"]
    return found


def test_lines_csv_names_each_lines_own_units_project(two_units):
    assert projects_by_unit(datasets.line_rows()) == two_units


def test_open_lines_name_each_lines_own_units_project(two_units):
    assert projects_by_unit(open_rows()) == two_units
    open_lines.refresh_all()
    assert projects_by_unit(open_rows()) == two_units
    assert_in_step()


def test_the_browse_csv_names_each_lines_own_units_project(client, two_units):
    open_lines.refresh_all()  # both units' lines written together
    rows = csv_rows(client.get("/data/browse.csv", {"unit_prefix": "902"}))
    assert rows[0] == datasets.LINES.header
    assert projects_by_unit(rows[1:]) == two_units


def test_a_basic_line_names_no_project_and_several_projects_are_all_named(two_units):
    unit = Unit.objects.get(code="902001")
    other = Project.objects.create(code="P-ONE-0000", name="另一个项目", unit=unit)
    ProjectSubjectLink.objects.create(
        project=other,
        subject=Subject.objects.get(scheme="functional", year=2024, code="2080199"),
        stage="initial_budget",
        inferred=False,
    )
    assert projects_by_unit(open_rows())["902001"] == "P-ONE-0000;P-ONE-0001"
    basic = OpenLine.objects.get(unit_code="902001", expenditure_type="basic")
    assert basic.project_code == ""
    assert_in_step()


# -- in step after every change of the published data ----------------------------------------


def test_the_loaded_publications_have_their_open_lines():
    assert OpenLine.objects.count() == Fact.objects.count() == 121
    assert_in_step()


def test_loaddata_writes_the_open_lines_of_what_it_loaded(django_capture_on_commit_callbacks):
    OpenLine.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddata", *FIXTURES, verbosity=0)
    assert_in_step()


def test_load_publications_writes_the_open_lines(django_capture_on_commit_callbacks):
    OpenLine.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_publications", "--force", verbosity=0)
    assert_in_step()


def test_a_published_fact_can_be_deleted_with_its_citations_and_line():
    fact = Fact.objects.filter(citations__isnull=False).first()
    fact.delete()
    assert not OpenLine.objects.filter(pk=fact.pk).exists()
    assert_in_step()


def test_refresh_open_lines_rewrites_every_line():
    OpenLine.objects.filter(stage="final").delete()
    OpenLine.objects.update(unit_name="过时的名称")
    output = StringIO()
    call_command("refresh_open_lines", stdout=output)
    assert "121 open lines written" in output.getvalue()
    assert_in_step()


def test_publishing_writes_the_lines_and_a_draft_has_none(client):
    budget = Publication.objects.get(kind="budget")
    Publication.objects.filter(pk=budget.pk).update(status="draft")
    open_lines.refresh([budget])
    assert not OpenLine.objects.filter(publication=budget).exists()
    assert "initial_budget" not in {row[1] for row in open_rows()}
    assert_in_step()

    client.force_login(staff_user("shenhe", "审核人员", "503033"))
    publish = {"action": "publish", "_selected_action": [budget.pk]}
    client.post(reverse("admin:budgets_publication_changelist"), publish)
    assert OpenLine.objects.filter(publication=budget).count() == 39
    assert_in_step()


def test_a_draft_publications_lines_are_not_open():
    unit = factories.unit_in(factories.department("903"), "903001")
    draft = factories.publication(unit, 2024, status="draft")
    factories.fact(draft, "2080199", "1.00")
    open_lines.refresh([draft])
    assert not OpenLine.objects.filter(publication=draft).exists()
    assert_in_step()


def test_a_publication_taken_back_to_draft_loses_its_lines():
    budget = Publication.objects.get(kind="budget")
    budget.status = "draft"
    budget.save()
    assert not OpenLine.objects.filter(publication=budget).exists()
    assert_in_step()


def test_a_correction_is_in_the_open_lines_at_once(client):
    fact = Fact.objects.get(
        publication__kind="final", subject__code="2080150", stage="final", direction="expenditure"
    )
    client.force_login(staff_user("shenhe", "审核人员", "503033"))
    data = fact_form(fact, amount="328.67", correction_reason="房租结算单据核对后调整")
    response = client.post(reverse("admin:budgets_fact_change", args=[fact.pk]), data)
    assert response.status_code == 302
    assert OpenLine.objects.get(pk=fact.pk).amount == Decimal("328.67")
    assert_in_step()


def test_renaming_a_unit_renames_its_lines():
    unit = Unit.objects.get(code="503033")
    unit.name = "改名后的单位"
    unit.save()
    assert set(OpenLine.objects.values_list("unit_name", flat=True)) == {"改名后的单位"}
    assert_in_step()


def test_renaming_a_subject_renames_its_lines():
    subject = Subject.objects.get(scheme="functional", year=2024, code="2080199")
    subject.name = "改名后的科目"
    subject.save()
    assert set(
        OpenLine.objects.filter(functional_code="2080199").values_list("functional_name", flat=True)
    ) == {"改名后的科目"}
    assert_in_step()


def test_a_projects_new_code_and_links_reach_its_lines():
    project = Project.objects.get()
    project.code = "42010022503T000000999"
    project.save()
    assert set(
        OpenLine.objects.exclude(project_code="").values_list("project_code", flat=True)
    ) == {"42010022503T000000999"}
    assert_in_step()
    ProjectSubjectLink.objects.filter(stage="final").delete()
    assert not OpenLine.objects.filter(stage="final").exclude(project_code="").exists()
    assert_in_step()


def test_a_new_citation_reaches_the_lines_source():
    fact = Fact.objects.get(
        publication__kind="final", subject__code="2080150", stage="final", direction="expenditure"
    )
    before = OpenLine.objects.get(pk=fact.pk).source
    citation = fact.citations.first()
    citation.pk = None
    citation.section = fact.publication.sections.exclude(
        pk__in=fact.citations.values("section")
    ).first()
    citation.save()
    after = OpenLine.objects.get(pk=fact.pk).source
    assert citation.section.code not in before
    assert citation.section.code in after
    assert_in_step()


def test_an_example_city_opened_to_the_public_has_its_lines_and_leaves_none_when_deleted(
    settings,
):
    settings.OPEN_DATA_INCLUDES_EXAMPLES = True
    call_command(
        "generate_city", "--departments=2", "--units=4", "--years=2", "--seed=3", stdout=StringIO()
    )
    examples = OpenLine.objects.filter(unit__is_example=True)
    assert examples.count() == Fact.objects.filter(unit__is_example=True).count() > 100
    assert examples.exclude(project_code="").count() == 4 * 2 * 2  # units × years × stages
    assert_in_step()
    delete_example_data()
    assert not examples.exists()
    assert_in_step()


def test_an_example_city_kept_from_the_public_has_no_lines():
    call_command(
        "generate_city", "--departments=1", "--units=2", "--years=1", "--seed=3", stdout=StringIO()
    )
    assert not OpenLine.objects.filter(unit__is_example=True).exists()
    assert_in_step()


# -- the SQL path (PostgreSQL) and the Python path write the same rows -------------------------


@pytest.fixture
def hostile_lines():
    """Lines whose names and codes a spreadsheet would run as formulas, or that need quoting,
    a blank amount, a negative one and a large one, cited by tables with such names."""
    department = factories.department("904", "测试部门")
    unit = factories.unit_in(department, "904001", name="=1+2")
    budget = factories.publication(unit, 2024)
    names = ["-3", "+0.20", "@x", 'a "quoted", name', "line\nbreak", "\ttab", "\rcr", "-29.1%",
             "+1,033.09", "-", "=SUM(A1)"]  # fmt: skip
    amounts = ["1.00", None, "-5.00", "12345678.90", "0.00", "0.01", None, "7.50", "2.00",
               "3.00", "4.00"]  # fmt: skip
    for index, (name, amount) in enumerate(zip(names, amounts, strict=True)):
        code = f"5019{index:03d}"
        fact = factories.fact(budget, code, amount, expenditure_type="project")
        Subject.objects.filter(pk=fact.subject_id).update(name=name)
        section = budget.sections.create(
            code=f"=表{index}" if index % 2 else f'表"{index}",', slug=f"t{index}",
            title="表", kind="table", topic="expenditure", order=index % 3,
        )  # fmt: skip
        fact.citations.create(section=section, row_order=1, row_label="行", column="金额")
    project = Project.objects.create(code="@P-1", name="项目", unit=unit)
    ProjectSubjectLink.objects.create(
        project=project, subject_id=fact.subject_id, stage="initial_budget", inferred=False
    )
    factories.fact(budget, "30201", "2.00", scheme="economic", expense_class="public")
    open_lines.refresh_all()
    return budget


@postgresql_only
def test_the_sql_and_python_paths_write_the_same_rows(hostile_lines):
    open_lines.refresh_all()
    written_in_sql = table()
    open_lines.refresh_all(python=True)
    assert table() == written_in_sql
    assert len(written_in_sql) == Fact.objects.count()
    open_lines.refresh([hostile_lines])
    assert table() == written_in_sql


def test_hostile_lines_are_in_step(hostile_lines):
    assert_in_step()


# -- lines.csv: stored records (PostgreSQL) and Python csv give the same bytes -------------------


def both_paths(lines) -> tuple[bytes, bytes]:
    return (
        b"".join(open_lines.csv_chunks(lines)),
        b"".join(open_lines.csv_chunks(lines, python=True)),
    )


@postgresql_only
@pytest.mark.parametrize(
    "lines",
    [
        lambda: OpenLine.objects.all(),
        lambda: OpenLine.objects.filter(unit_code="904001").order_by("-amount", "-pk"),
        lambda: OpenLine.objects.filter(stage="final", breakdown="economic").order_by(
            "amount", "pk"
        ),
        lambda: OpenLine.objects.filter(year=1999),
    ],
    ids=["all", "hostile by amount", "final economic", "none"],
)
def test_copy_gives_exactly_the_bytes_of_python_csv(hostile_lines, lines):
    copied, written = both_paths(lines())
    assert copied == written
    assert copied.startswith(b"\xef\xbb\xbfyear,stage,direction,")


def test_hostile_cells_are_guarded_quoted_and_blank(client, hostile_lines):
    body = b"".join(open_lines.csv_chunks(OpenLine.objects.filter(unit_code="904001")))
    rows = csv_rows(client.get("/data/browse.csv", {"unit": "904001"}))
    # Rows end in CRLF; the one bare newline is inside a quoted name.
    text = body.decode("utf-8")
    assert text.count("\r\n") == len(rows)
    assert text.replace("\r\n", "").count("\n") == 1
    header = rows[0]
    lines = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert {line["unit_name"] for line in lines} == {"'=1+2"}
    names = {line["functional_name"]: line["amount"] for line in lines if line["functional_name"]}
    assert names == {
        "-3": "1.00",
        "+0.20": "",
        "'@x": "-5.00",
        'a "quoted", name': "12345678.90",
        "line\nbreak": "0.00",
        "'\ttab": "0.01",
        "'\rcr": "",
        "-29.1%": "7.50",
        "+1,033.09": "2.00",
        "'-": "3.00",
        "'=SUM(A1)": "4.00",
    }
    assert {line["project_code"] for line in lines} == {"", "'@P-1"}
    assert any(line["source"] == '2024年预算 表"0",' for line in lines)
    assert any(line["source"] == "2024年预算 =表1" for line in lines)
    assert body == b"".join(client.get("/data/browse.csv", {"unit": "904001"}).streaming_content)


def test_a_correction_rewrites_the_lines_csv_record_on_both_paths(client):
    fact = Fact.objects.get(
        publication__kind="final", subject__code="2080150", stage="final", direction="expenditure"
    )
    lines = OpenLine.objects.filter(pk=fact.pk)
    before = lines.get().csv_row
    client.force_login(staff_user("shenhe", "审核人员", "503033"))
    data = fact_form(fact, amount="328.67", correction_reason="房租结算单据核对后调整")
    assert (
        client.post(reverse("admin:budgets_fact_change", args=[fact.pk]), data).status_code == 302
    )
    record = lines.get().csv_row
    assert record != before
    assert record.split(",")[15] == "328.67"
    copied, written = both_paths(lines)
    assert copied == written
    assert copied.endswith(record.encode() + b"\r\n")
