"""A new year, as staff do it in the admin with no developer: a reviewer opens 2025, finance
staff create the 2025 budget as a draft, download its template, fill it from 2024's figures with
a change, import it (preview, confirm), run the check; a reviewer publishes; the 2025 pages show
2025's figures. Then the same with a code reclassified for 2025 (科目调整)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from budgets.imports import sheets
from budgets.models import Fact, Publication, Subject, Unit
from tests.staff import staff_user

pytestmark = pytest.mark.django_db

# The change made to 2024's figures for 2025: the project gets 16.59 more, and every total
# that adds it up moves with it.
CHANGED = {"483.41": "500.00", "720.94": "737.53", "674.79": "691.38", "652.14": "668.73"}


@pytest.fixture
def reviewer():
    return staff_user("shenhe", "审核人员", "503033")


@pytest.fixture
def finance_staff():
    return staff_user("caiwu", "财务人员", "503033")


def open_2025(client, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("admin:budgets_subject_open_year"), {"year": "2025"})
    assert response.status_code == 302


def create_draft(client, finance_staff) -> Publication:
    client.force_login(finance_staff)
    form = {
        "unit": Unit.objects.get(code="503033").pk,
        "year": "2025",
        "kind": "budget",
        "title": "武汉市人力资源和社会保障投诉咨询中心2025年单位预算",
        "published_on": "",
        "source_document": "",
        "duties": "",
        "structure": "",
        "rounding_note": "",
    }
    for prefix in ("sections", "corrections"):
        form |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    # The original comes with it: the text the figures will be transcribed from.
    form |= {
        "source-TOTAL_FORMS": "1",
        "source-INITIAL_FORMS": "0",
        "source-MIN_NUM_FORMS": "0",
        "source-MAX_NUM_FORMS": "1",
        "source-0-document_title": "武汉市人力资源和社会保障投诉咨询中心2025年单位预算",
        "source-0-address": "",
        "source-0-page_count": "28",
        "source-0-file_name": "2025-budget.txt",
        "source-0-method": "pdf_text",
        "source-0-text": "第一部分 武汉市人力资源和社会保障投诉咨询中心概况",
    }
    response = client.post(reverse("admin:budgets_publication_add"), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = Publication.objects.get(unit__code="503033", year=2025, kind="budget")
    assert draft.status == "draft"
    assert draft.source.page_count == 28
    return draft


def template(client, publication) -> bytes:
    response = client.get(reverse("admin:budgets_publication_template", args=[publication.pk]))
    assert response.status_code == 200
    return response.content


def filled_from_2024(client, template_2025: bytes, changes=None, codes=None) -> bytes:
    """The 2025 template with 2024's figures typed in, as staff copy them over: rows of the
    template's own tables keep their labels and get 2024's amounts; tables of subject rows get
    2024's rows. `changes` replaces amounts (text), `codes` subject codes."""
    changes, codes = changes or {}, codes or {}
    budget_2024 = Publication.objects.get(unit__code="503033", year=2024, kind="budget")
    rows_2024 = sheets.read_upload("2024.xlsx", template(client, budget_2024))
    workbook = load_workbook(io.BytesIO(template_2025))
    for sheet in workbook.worksheets:
        old = rows_2024.get(sheet.title)
        if old is None or sheet.title == "填写说明":
            continue
        headers = [cell.value for cell in sheet[3]]
        first_value = 3 if "部分" in headers else 2
        old_data = old[3:]
        for index, old_row in enumerate(old_data):
            target = 4 + index
            existing = [cell.value for cell in sheet[target]] if target <= sheet.max_row else []
            keep_heads = any(existing[:first_value])
            for column, value in enumerate(old_row, start=1):
                if column <= first_value and keep_heads:
                    continue
                if column == 1 and value in codes:
                    value = codes[value]
                if column > first_value and value in changes:
                    value = changes[value]
                sheet.cell(row=target, column=column, value=value)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def import_file(client, publication, data, confirm=True) -> str:
    url = reverse("admin:budgets_publication_import", args=[publication.pk])
    upload = SimpleUploadedFile("2025年预算.xlsx", data)
    preview = client.post(url, {"file": upload}).content.decode()
    if confirm:
        assert 'name="confirm"' in preview, _errors(preview)
        assert client.post(url, {"confirm": "1"}).status_code == 302
    return preview


def _errors(html):
    return re.findall(r"<li>([^<]*)</li>", html)[:20]


def publish(client, reviewer, publication):
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:budgets_publication_changelist"),
        {"action": "publish", "_selected_action": [publication.pk]},
        follow=True,
    )
    assert "已公开" in response.content.decode()
    publication.refresh_from_db()
    assert publication.is_published


def test_staff_open_import_check_and_publish_2025_without_a_developer(
    client, reviewer, finance_staff
):
    open_2025(client, reviewer)
    draft = create_draft(client, finance_staff)
    blank = template(client, draft)
    data = filled_from_2024(client, blank, changes=CHANGED)
    preview = import_file(client, draft, data, confirm=False)
    assert "将要写入的金额变化" in preview
    import_file(client, draft, data)
    project = Fact.objects.get(publication=draft, subject__code="2080199", stage="initial_budget")
    assert str(project.amount) == "500.00"
    assert project.subject.year == 2025
    check = client.get(reverse("admin:budgets_publication_quality", args=[draft.pk]))
    assert check.status_code == 200
    assert "数据核对" in check.content.decode()

    assert client.get("/units/503033/2025/").status_code == 404  # a draft is not public
    publish(client, reviewer, draft)
    client.logout()
    overview = client.get("/units/503033/2025/")
    assert overview.status_code == 200
    assert "737.53" in overview.content.decode()
    functional = client.get("/units/503033/2025/functional/").content.decode()
    assert "500.00" in functional
    assert "668.73" in functional
    assert "652.14" not in functional  # 2024's figures stay in 2024
    assert "652.14" in client.get("/units/503033/2024/functional/").content.decode()


def test_a_2025_import_with_a_reclassified_code_names_the_new_code(client, reviewer, finance_staff):
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:budgets_subjectchange_add"),
        {
            "scheme": "functional",
            "year": "2025",
            "old_code": "2080150",
            "new_code": "2080160",
            "note": "财政部2025年科目调整",
        },
    )
    assert response.status_code == 302
    open_2025(client, reviewer)
    assert Subject.objects.get(year=2025, code="2080160").name == "事业运行"
    assert not Subject.objects.filter(year=2025, code="2080150").exists()
    draft = create_draft(client, finance_staff)
    blank = template(client, draft)

    refused = import_file(client, draft, filled_from_2024(client, blank), confirm=False)
    assert "2080150 已于 2025 年调整为 2080160（财政部2025年科目调整），请按新编码填写。" in refused
    assert 'name="confirm"' not in refused
    assert not Fact.objects.filter(publication=draft).exists()

    renumbered = filled_from_2024(client, blank, codes={"2080150": "2080160"})
    import_file(client, draft, renumbered)
    moved = Fact.objects.filter(publication=draft, subject__code="2080160")
    assert moved.exists()
    assert {str(fact.amount) for fact in moved} >= {"145.26", "23.47"}
    assert not Fact.objects.filter(publication=draft, subject__code="2080150").exists()


def test_the_2025_template_and_pages_say_2025(client, reviewer, finance_staff):
    """Labels follow the publication's year (the layouts of budgets/layouts, fix/layouts)."""
    open_2025(client, reviewer)
    draft = create_draft(client, finance_staff)
    blank = sheets.read_upload("2025.xlsx", template(client, draft))
    assert blank["表7"][3][1] == "2025 年预算"
    assert blank["表11"][2][5:7] == ["2024年", "2023年"]
    labels = [row[1] for row in blank["表12"][3:]]
    assert labels[2:5] == ["2023年预算安排", "2024年预算安排", "2025年预算安排"]
    assert blank["表11-指标"][2][4:6] == ["2023年指标值", "2024年指标值"]
    assert not any("2022" in str(cell) for rows in blank.values() for row in rows for cell in row)

    import_file(client, draft, filled_from_2024(client, template(client, draft), CHANGED))
    publish(client, reviewer, draft)
    client.logout()
    functional = client.get("/units/503033/2025/functional/").content.decode()
    assert "2025年单位预算" in functional
    three_public = client.get("/units/503033/2025/three-public/").content.decode()
    assert "“三公”经费 · 武汉市人力资源和社会保障投诉咨询中心 2025 年" in three_public
    assert "2024 年预算" not in three_public
