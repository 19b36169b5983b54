"""The Content-Security-Policy as Chromium enforces it: an inline script is refused (and the
tests hear of it), while the admin, its import page and the browsable API keep working."""

import pytest
from django.contrib.auth.models import User

from budgets.models import Publication, Unit

pytestmark = pytest.mark.browser
PASSWORD = "密码-2024-portal"


def test_an_inline_script_is_refused_and_the_violation_is_heard(visit):
    visitor = visit()
    page = visitor.go("/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected") is None
    assert visitor.csp_violations == ["/: script-src-elem blocked inline"]


@pytest.fixture
def admin_visitor(visit, site):
    User.objects.create_superuser("admin", password=PASSWORD)
    visitor = visit()
    page = visitor.go("/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    return visitor


def test_the_admin_works_under_the_policy(admin_visitor):
    visitor = admin_visitor
    unit = Unit.objects.create(code="503099", name="示例单位", parent=Unit.objects.get(code="503"))
    draft = Publication.objects.create(unit=unit, year=2024, kind="budget", title="示例草稿")
    page = visitor.go("/admin/")
    changelists = page.locator("#content-main a[href$='/']").evaluate_all(
        "links => [...new Set(links.map(a => a.getAttribute('href')))]"
    )
    assert len(changelists) > 10
    for path in changelists:
        visitor.go(path)
    # The admin's scripts run: the change form's calendar shortcuts, the import page.
    page = visitor.go(f"/admin/budgets/publication/{draft.pk}/change/")
    assert page.locator(".datetimeshortcuts").count() >= 1
    page = visitor.go(f"/admin/budgets/publication/{draft.pk}/import/")
    assert page.locator("input[type=file]").count() == 1
    # The changelist's action bar counts the selected rows (actions.js).
    page = visitor.go("/admin/budgets/publication/")
    page.locator("#action-toggle").check()
    assert "3" in page.locator(".action-counter").inner_text()
    assert visitor.csp_violations == []
    assert visitor.errors == []


def test_the_browsable_api_works_under_the_policy(visit):
    visitor = visit()
    page = visitor.go("/api/lines/")
    page.locator(".dropdown-toggle").click()
    assert page.locator(".format-selection .dropdown-menu").is_visible()
    page.keyboard.press("Escape")
    page.locator("[data-target='#filtersModal']").click()
    page.locator("#filtersModal").wait_for(state="visible")
    page.locator("#filtersModal .close").click()
    page.locator("#filtersModal").wait_for(state="hidden")
    # OPTIONS is sent by the page's own script (ajax-form.js) and its answer shown.
    page.get_by_role("button", name="OPTIONS").click()
    page.wait_for_function("() => document.body.innerText.includes('OPTIONS /api/lines/')")
    assert visitor.csp_violations == []
    assert visitor.errors == []
