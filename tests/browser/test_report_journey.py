"""A citizen reports an error from the page of 2080150 and staff find it in the admin; the
row's 引用 control copies a citation. Screenshots at 1280 and 375 px to look at."""

import re

import pytest
from django.contrib.auth.models import Group, Permission

from budgets.models import ErrorReport
from tests.browser.conftest import ARTIFACTS
from tests.staff import PASSWORD, staff_user

pytestmark = pytest.mark.browser

SUBJECT = "/units/503033/2024/subjects/functional/2080150/"
# The form refuses what comes back sooner than this after it was shown (a person reads it).
READING_MS = 3_500


def finance_staff_group():
    """The group as migration 0014 leaves it for reports (a transactional test before this one
    empties the tables, groups included)."""
    group, _ = Group.objects.get_or_create(name="财务人员")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["view_errorreport", "change_errorreport"])
    )


def shot(page, name, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"report-{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_a_citizen_reports_an_error_and_staff_see_it_in_the_admin(visit, width, transactional_db):
    visit_ = visit(width=width)
    page = visit_.go(SUBJECT)
    footer = page.locator("footer .publisher")
    assert "联系电话 85370050" in footer.inner_text()
    shot(page, "subject", width)

    with page.expect_navigation():
        page.get_by_role("link", name="报告数据错误").click()
    assert page.locator('input[name="page"]').input_value() == SUBJECT
    page.get_by_label("哪里错了？").fill("2080150 事业运行的决算 328.66 与决算公开表不一致。")
    page.get_by_label("联系方式（选填）").fill("reader@example.org")
    honeypot = page.locator('input[name="website"]').bounding_box()
    assert honeypot["x"] + honeypot["width"] <= 0  # off screen: people never fill it
    shot(page, "form", width)
    page.wait_for_timeout(READING_MS)
    with page.expect_navigation():
        page.get_by_role("button", name="提交报告").click()
    reference = page.locator(".reference").inner_text()
    assert re.fullmatch(r"BG-\d{4}-\d{6}", reference)
    shot(page, "sent", width)
    stored = ErrorReport.objects.get(reference=reference)
    assert stored.page == SUBJECT

    finance_staff_group()
    staff_user(f"caiwu{width}", "财务人员", "503033")
    page = visit_.go("/admin/login/?next=/admin/budgets/errorreport/")
    page.get_by_label("用户名").fill(f"caiwu{width}")
    page.get_by_label("密码").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert reference in page.content()
    assert page.locator(f'a[href="{SUBJECT}#2080150"]').count() == 1
    shot(page, "admin", width)
    assert visit_.errors == []
    assert visit_.csp_violations == []


def test_the_cite_button_copies_the_rows_citation(visit):
    visit_ = visit(width=1280)
    visit_.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = visit_.go("/units/503033/2024/functional/")
    button = page.locator('[id="2080150"] button.cite')
    assert button.count() == 1  # the link became a button
    button.focus()
    page.keyboard.press("Enter")
    status = page.locator(".cite-status")
    status.wait_for()
    assert "已复制“2080150”行的引用" in status.inner_text()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    for part in (
        "武汉市人力资源和社会保障投诉咨询中心",
        "2080150 事业运行",
        "年初预算 168.73 万元",
        "决算 328.66 万元",
        "差额 +159.93 万元；完成年初预算 194.8%",
        "/units/503033/2024/functional/#2080150",
        "2025-10-10",
    ):
        assert part in copied, part
    assert (
        status.get_by_role("link", name="报告这个数字有误")
        .get_attribute("href")
        .endswith("figure=2080150")
    )
    page.screenshot(path=str(ARTIFACTS / "report-cite-1280.png"))
    assert visit_.errors == []
    assert visit_.csp_violations == []
