"""A staff member with only a browser: logs in, imports a spreadsheet into a draft, sees what
was repaired and what will change, confirms, and finds the figures written."""

import importlib
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission, User

from budgets.models import Fact, Publication, Unit, UnitMembership
from tests.browser.conftest import ARTIFACTS
from tests.imports.files import table_3_rows, xlsx

pytestmark = pytest.mark.browser
PASSWORD = "密码-2024-portal"
FINANCE = importlib.import_module("budgets.migrations.0002_finance_staff_group")


def finance_staff_group():
    """The group the migrations create (recreated if a transactional test flushed it)."""
    group, created = Group.objects.get_or_create(name=FINANCE.GROUP)
    if created:
        codenames = [f"{a}_{m}" for m, actions in FINANCE.PERMISSIONS.items() for a in actions]
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="budgets", codename__in=codenames)
        )
    return group


@pytest.fixture
def draft(site):
    unit = Unit.objects.create(code="503099", name="示例单位", parent=Unit.objects.get(code="503"))
    publication = Publication.objects.create(
        unit=unit, year=2024, kind="budget", title="示例单位2024年单位预算"
    )
    user = User.objects.create_user("caiwu", password=PASSWORD, is_staff=True)
    user.groups.add(finance_staff_group())
    UnitMembership.objects.create(user=user, unit=unit)
    return publication


def test_a_staff_member_imports_a_spreadsheet_in_the_browser(visit, draft, tmp_path):
    noisy = table_3_rows({(3, "基本支出"): "１６８．７３", (4, "项目支出"): "483. 41"})
    path = tmp_path / "表3.xlsx"
    path.write_bytes(xlsx({"表3": noisy}))
    browser = visit()
    failed = []
    browser.page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page = browser.go("/admin/login/")
    page.fill("#id_username", "caiwu")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page = browser.go(f"/admin/budgets/publication/{draft.pk}/change/")
    page.click("text=导入表格")
    page.set_input_files("input[type=file]", str(path))
    page.click("input[value='上传并预览']")
    repaired = page.locator("#import-repaired li")
    # all_inner_texts() does not wait: on a loaded machine it read the upload page before the
    # preview had arrived (CI, 2026-12-04). The preview's first repair is waited for.
    repaired.first.wait_for()
    assert repaired.all_inner_texts() == [
        "工作表“表3” 第 7 行 “基本支出”栏：“１６８．７３”按 168.73 读入（全角转半角）。",
        "工作表“表3” 第 8 行 “项目支出”栏：“483. 41”按 483.41 读入。",
    ]
    assert "支出 年初预算 2080199 项目支出" in page.locator("#import-changes").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-import-preview.png"), full_page=True)
    page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist")
    assert "已导入“表3.xlsx”：1 个金额变化，1 张表格更新。" in page.inner_text(".messagelist")
    fact = Fact.objects.get(publication=draft)
    assert (fact.subject.code, fact.amount) == ("2080199", Decimal("483.41"))
    assert failed == []
    assert browser.errors == []
    assert browser.csp_violations == []
    assert browser.outside_requests() == []
