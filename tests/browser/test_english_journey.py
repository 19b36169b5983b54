"""A citizen finds 2080150 by searching 事业运行, reads its published reason, switches to
English and finds the same figures, then reports an error from the English page and staff see
it in the admin. The English pages pass axe-core (WCAG 2.1 A and AA) and keep their tables on a
phone's screen. Screenshots of the English overview, subject page and search at 1280 and 375 px.

Interface wording is being translated while these tests are written, so they look only at what
does not depend on it: figures, addresses, lang attributes, the language links' own names
("English", "中文"), the published (Chinese) reason and the reference number.
"""

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from budgets.models import ErrorReport
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_report_journey import READING_MS, finance_staff_group
from tests.staff import PASSWORD, staff_user

pytestmark = pytest.mark.browser

SUBJECT = "/units/503033/2024/subjects/functional/2080150/"
ENGLISH_SUBJECT = "/en" + SUBJECT
ENGLISH_SEARCH = "/en/search/?q=" + quote("事业运行")
# 2080150's published reason for spending more than its initial budget (决算公开 text).
REASON = "支出决算数大于年初预算数的主要原因是预算调剂公用经费支出，用于支付办公用房租赁费用。"
# The subject's own figures: initial budget, final, difference, share of the initial budget.
FIGURES = ["168.73", "328.66", "+159.93", "194.8%"]
# Amounts and rates carry decimals; whole numbers are words of the interface ("× 10,000 yuan").
NUMBER = re.compile(r"[+-]?\d[\d,]*\.\d+%?")
LAYOUT = (Path(__file__).parent / "layout.js").read_text()

ENGLISH_PAGES = [
    "/en/",
    "/en/units/503033/2024/",
    "/en/units/503033/2024/functional/",
    ENGLISH_SUBJECT,
    ENGLISH_SEARCH,
    "/en/glossary/",
    # The report form needs the page it is about (without one it is a 400).
    "/en/report/?page=" + quote(ENGLISH_SUBJECT, safe="") + "&figure=2080150",
]
SCREENSHOTS = {
    "overview": "/en/units/503033/2024/",
    "subject": ENGLISH_SUBJECT,
    "search": ENGLISH_SEARCH,
}


def figures(page) -> list[str]:
    """Every number of the page's key figures and of its tables, in order."""
    texts = page.locator("main .figures .value, main table td.num").all_inner_texts()
    return [number for text in texts for number in NUMBER.findall(text)]


def html_lang(page) -> str:
    return page.evaluate("() => document.documentElement.lang")


def test_a_citizen_searches_reads_the_reason_and_finds_the_same_figures_in_english(visit):
    visitor = visit(width=1280)
    page = visitor.go("/")
    page.locator("header.site input[name=q]").fill("事业运行")
    with page.expect_navigation():
        page.locator("header.site input[name=q]").press("Enter")
    assert page.url.endswith("/search/?q=" + quote("事业运行"))
    hit = page.locator(f'main a[href="{SUBJECT}"]').first
    with page.expect_navigation():
        hit.click()
    assert page.url.endswith(SUBJECT)
    assert html_lang(page) == "zh-Hans"
    assert REASON in page.locator("main").inner_text()
    chinese = figures(page)
    assert chinese[:4] == FIGURES

    switch = page.locator("header.site a.language-switch")
    assert switch.inner_text() == "English"
    with page.expect_navigation():
        switch.click()
    assert page.url.endswith(ENGLISH_SUBJECT)
    assert html_lang(page) == "en"
    assert page.locator("header.site a.language-switch").inner_text() == "中文"
    assert figures(page) == chinese
    # The reason is published text: shown as printed, in Chinese, on the English page too.
    assert REASON in page.locator("main").inner_text()
    assert visitor.errors == []
    assert visitor.csp_violations == []


@pytest.mark.parametrize("width", [1280, 375])
def test_a_citizen_reports_an_error_from_the_english_page_and_staff_see_it(
    visit, width, transactional_db
):
    visitor = visit(width=width)
    page = visitor.go(ENGLISH_SUBJECT)
    with page.expect_navigation():
        page.locator("footer a.report-link").click()
    assert "/en/report/?" in page.url
    assert html_lang(page) == "en"
    assert page.locator('input[name="page"]').input_value() == ENGLISH_SUBJECT
    assert page.locator('input[name="figure"]').input_value() == "2080150"
    page.locator('textarea[name="description"]').fill(
        "2080150: the final figure 328.66 does not match the final accounts table."
    )
    page.locator('input[name="contact"]').fill("reader@example.org")
    page.wait_for_timeout(READING_MS)
    with page.expect_navigation():
        page.locator("section.report-form button[type=submit]").click()
    assert html_lang(page) == "en"
    reference = page.locator(".reference").inner_text()
    assert re.fullmatch(r"BG-\d{4}-\d{6}", reference)
    page.screenshot(path=str(shot_path("report-sent", width)), full_page=True)
    stored = ErrorReport.objects.get(reference=reference)
    assert (stored.page, stored.figure) == (ENGLISH_SUBJECT, "2080150")

    finance_staff_group()
    staff_user(f"caiwu-en-{width}", "财务人员", "503033")
    page = visitor.go("/admin/login/?next=/admin/budgets/errorreport/")
    page.get_by_label("用户名").fill(f"caiwu-en-{width}")
    page.get_by_label("密码").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert reference in page.content()
    assert page.locator(f'a[href="{ENGLISH_SUBJECT}#2080150"]').count() == 1
    assert visitor.errors == []
    assert visitor.csp_violations == []


def shot_path(name, width) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"english-{name}-{width}.png"


@pytest.mark.parametrize("width", [1280, 375])
def test_english_pages_pass_axe_and_keep_their_tables_on_screen(visit, axe_source, width):
    visitor = visit(width=width, height=900 if width == 1280 else 667)
    layout, axe, langs = {}, {}, {}
    for path in ENGLISH_PAGES:
        visitor.go(path, wait_until="load")
        page = visitor.charts_drawn()
        langs[path] = html_lang(page)
        if width == 375 and (problems := page.evaluate(LAYOUT, None)):
            layout[path] = problems[:5]
        if violations := visitor.axe(axe_source):
            axe[path] = violations
    for name, path in SCREENSHOTS.items():
        visitor.go(path, wait_until="load")
        visitor.charts_drawn().screenshot(path=str(shot_path(name, width)), full_page=True)
    assert set(langs.values()) == {"en"}
    assert layout == {}
    assert axe == {}
    assert visitor.csp_violations == []
    assert visitor.errors == []
