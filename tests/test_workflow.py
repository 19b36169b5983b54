"""The whole finance workflow through the admin, as issue 5 tells it: a staff member imports
a publication from a spreadsheet, fixes its errors, gets a clean check, a reviewer publishes
it and later corrects a figure with a reason, and a citizen sees the correction note."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from budgets.imports import sheets
from budgets.models import Fact, Publication
from fixtures.transcription import budget_2024
from tests.imports.files import empty_tables, filled_from, layouts_of
from tests.staff import fact_form, staff_user

pytestmark = pytest.mark.django_db


def member(username, group, unit):
    client = Client()
    client.force_login(staff_user(username, group, unit.code))
    return client


def test_import_fix_check_publish_correct_and_show(client, django_capture_on_commit_callbacks):
    budget = Publication.objects.get(kind="budget")
    Publication.objects.filter(pk=budget.pk).update(status="draft")
    empty_tables(budget)
    staff = member("caiwu", "财务人员", budget.unit)
    reviewer = member("shenhe", "审核人员", budget.unit)
    import_url = reverse("admin:budgets_publication_import", args=[budget.pk])
    layouts = layouts_of(budget_2024)
    filled = filled_from(budget_2024, layouts)

    # 1. A typing error: the import refuses the file and says where.
    table_3 = filled["table-3"]
    table_3[3] = (*table_3[3][:3], ["168.73", "一六八", None, None, None, None])
    wrong = sheets.write_workbook(layouts, filled)
    html = staff.post(import_url, {"file": SimpleUploadedFile("预算.xlsx", wrong)}).content
    assert "工作表“表3” 第 7 行 “基本支出”栏：“一六八”不是金额（数字）。" in html.decode()
    assert not Fact.objects.filter(publication=budget).exists()

    # 2. Fixed, it is previewed and confirmed.
    table_3[3] = (*table_3[3][:3], ["168.73", "168.73", None, None, None, None])
    right = sheets.write_workbook(layouts, filled)
    staff.post(import_url, {"file": SimpleUploadedFile("预算.xlsx", right)})
    assert staff.post(import_url, {"confirm": "1"}).status_code == 302
    assert Fact.objects.filter(publication=budget).count() == 39

    # 3. The check is clean.
    check = staff.get(reverse("admin:budgets_publication_quality", args=[budget.pk]))
    assert "不一致 0 处" in check.content.decode()

    # 4. The staff member cannot publish; the reviewer does.
    publish = {"action": "publish", "_selected_action": [budget.pk]}
    staff.post(reverse("admin:budgets_publication_changelist"), publish)
    budget.refresh_from_db()
    assert not budget.is_published
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(reverse("admin:budgets_publication_changelist"), publish)
    budget.refresh_from_db()
    assert budget.is_published
    assert "720.94" in client.get("/units/503033/2024/").content.decode()

    # 5. The reviewer corrects a figure with a reason; the citizen sees the note.
    fact = Fact.objects.get(publication=budget, subject__code="2080199", direction="expenditure")
    form = fact_form(fact, amount="483.40", correction_reason="项目测算核减 0.01 万元")
    change = reverse("admin:budgets_fact_change", args=[fact.pk])
    assert staff.post(change, form).status_code == 403
    assert reviewer.post(change, form).status_code == 302
    page = client.get("/units/503033/2024/functional/").content.decode()
    assert "预算更正于" in page
    assert "项目测算核减 0.01 万元" in page
    corrections = client.get("/units/503033/2024/budget/corrections/").content.decode()
    assert "483.41" in corrections
    assert "483.40" in corrections
    assert Fact.objects.get(pk=fact.pk).amount == Decimal("483.40")
