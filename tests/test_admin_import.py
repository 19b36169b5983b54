"""The import pages of the admin: template, upload, preview, confirm; drafts only, own units
only."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets.admin import imports
from budgets.imports import sheets
from budgets.models import Fact, Publication, Unit, UnitMembership
from tests.imports.files import declaring, table_3_rows, with_rows, xlsx
from tests.staff import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    unit = Unit.objects.create(
        code="503099", name="另一个单位", parent=Unit.objects.get(code="503")
    )
    return Publication.objects.create(
        unit=unit, year=2024, kind="budget", title="另一个单位2024年单位预算"
    )


@pytest.fixture
def staff(client, draft):
    user = staff_user("caiwu", "财务人员", draft.unit.code)
    client.force_login(user)
    return user


def import_url(publication):
    return reverse("admin:budgets_publication_import", args=[publication.pk])


def upload(client, publication, name, data):
    return client.post(import_url(publication), {"file": SimpleUploadedFile(name, data)})


def test_the_import_page_offers_the_template_and_an_upload_form(client, staff, draft):
    html = client.get(import_url(draft)).content.decode()
    assert reverse("admin:budgets_publication_template", args=[draft.pk]) in html
    assert 'type="file"' in html
    change = client.get(reverse("admin:budgets_publication_change", args=[draft.pk]))
    assert import_url(draft) in change.content.decode()


def test_the_template_holds_every_table_and_the_drafts_figures(client, staff):
    publication = Publication.objects.get(kind="final")
    Publication.objects.filter(pk=publication.pk).update(status="draft")
    UnitMembership.objects.create(user=staff, unit=publication.unit)
    response = client.get(reverse("admin:budgets_publication_template", args=[publication.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = sheets.read_upload("t.xlsx", response.content)
    # Instructions, 公开01–09, the two self-evaluations, and the indicators of each.
    assert len(workbook) == 1 + 11 + 2
    gk06 = workbook["公开06"]
    assert ["30113", "住房公积金", "人员经费", "17. 73"] in gk06
    items = workbook["整体绩效自评表-指标"]
    assert items[2] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "分值",
        "年初目标值",
        "实际完成值",
        "得分",
    ]
    assert ["预算执行情况", None, None, "20", None, None, "20"] in items
    rate = "12333电话端、微信端服务综合接通率"
    assert ["产出指标", "数量指标", rate, "8", "≥80%", "83.2%", "8"] in items


def test_an_upload_is_previewed_and_written_only_when_confirmed(client, staff, draft):
    response = upload(client, draft, "表3.xlsx", xlsx({"表3": table_3_rows()}))
    html = response.content.decode()
    assert "将要写入的金额变化（1 项）" in html
    assert "支出 年初预算 2080199 项目支出 一般公共预算财政拨款" in html
    assert 'name="confirm"' in html
    assert "表3 读入的各行" in html
    assert "168.73 | 168.73 | （空白） | （空白） | （空白） | （空白）" in html
    assert not Fact.objects.filter(publication=draft).exists()
    response = client.post(import_url(draft), {"confirm": "1"})
    assert response.status_code == 302
    fact = Fact.objects.get(publication=draft)
    assert fact.amount == Decimal("483.41")
    assert fact.history.get().history_user == staff


def test_an_upload_with_errors_lists_them_and_cannot_be_confirmed(client, staff, draft):
    rows = table_3_rows({(3, "基本支出"): "十七点五"})
    html = upload(client, draft, "表3.xlsx", xlsx({"表3": rows})).content.decode()
    assert "文件中有 1 处问题，没有导入任何数据" in html
    assert "工作表“表3” 第 7 行 “基本支出”栏：“十七点五”不是金额（数字）。" in html
    assert 'name="confirm"' not in html
    response = client.post(import_url(draft), {"confirm": "1"}, follow=True)
    assert "没有待确认的导入" in response.content.decode()
    assert not Fact.objects.filter(publication=draft).exists()


def test_an_unreadable_file_is_refused_with_a_reason(client, staff, draft):
    html = upload(client, draft, "表3.pdf", b"%PDF").content.decode()
    assert "只能上传 .xlsx 或 .csv 文件。" in html


def test_a_published_publication_cannot_be_imported_into(client, staff):
    publication = Publication.objects.get(kind="budget", unit__code="503033")
    UnitMembership.objects.create(user=staff, unit=publication.unit)
    assert client.get(import_url(publication)).status_code == 403


def test_staff_of_another_unit_cannot_import_into_a_units_draft(client, draft):
    client.force_login(staff_user("b", "财务人员", "503033"))
    assert client.get(import_url(draft)).status_code == 404
    response = client.post(import_url(draft), {"file": SimpleUploadedFile("a.xlsx", b"x")})
    assert response.status_code == 404


def test_a_file_declaring_a_million_rows_is_refused_with_a_message_in_chinese(client, staff, draft):
    last_cell = '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
    hostile = with_rows(declaring("A1:XFD1048576", xlsx({"表3": table_3_rows()})), last_cell)
    response = upload(client, draft, "表3.xlsx", hostile)
    assert response.status_code == 200
    html = response.content.decode()
    assert "工作表“表3”声明的范围是 A1:XFD1048576（1048576 行、16384 列）" in html
    assert 'name="confirm"' not in html


def test_each_formula_without_a_result_is_listed_as_an_error(client, staff, draft):
    rows = table_3_rows()
    rows[3][2], rows[4][3] = "=C5", "=D6"
    html = upload(client, draft, "表3.xlsx", xlsx({"表3": rows})).content.decode()
    assert "工作表“表3” C4 格是公式“=C5”" in html
    assert "工作表“表3” D5 格是公式“=D6”" in html
    assert not Fact.objects.filter(publication=draft).exists()


class Unread(SimpleUploadedFile):
    def read(self, *args):
        raise AssertionError("a file over the bound was read")


def test_an_upload_over_the_size_bound_is_refused_before_it_is_read():
    big = Unread("表3.csv", b"")
    big.size = 50 * 1024 * 1024
    form = imports.UploadForm(data={}, files={"file": big})
    assert not form.is_valid()
    assert "“表3.csv”有 50.0 MB，超过了 2.0 MB 的上限" in form.errors["file"][0]
