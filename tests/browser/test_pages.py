"""What a visitor sees in a real browser: charts drawn, drill-down by clicking, no request
leaving the site, no console error, and screenshots to look at."""

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

YEAR = "/units/503033/2024/"
EVERY_TEMPLATE = [
    "/",
    "/units/503033/",
    YEAR,
    f"{YEAR}functional/",
    f"{YEAR}economic/",
    f"{YEAR}structure/",
    f"{YEAR}projects/",
    f"{YEAR}three-public/",
    f"{YEAR}performance/",
    f"{YEAR}history/",
    f"{YEAR}subjects/functional/2080150/",
    f"{YEAR}final/",
    f"{YEAR}final/gk06/",
    f"{YEAR}final/quality/",
    f"{YEAR}final/corrections/",
    "/data/",
    "/data/dictionary/",
    "/data/browse/?stage=final",
    "/api/lines/?page_size=5",
    f"{YEAR}functional/?sort=bogus",
    f"{YEAR}subjects/functional/9999999/",
]


def drawn(page, figure_id):
    # Charts are drawn when scrolled near (static/js/charts.js): scroll to it first.
    page.locator(f'[data-figure="{figure_id}"]').scroll_into_view_if_needed()
    chart = page.locator(f'[data-figure="{figure_id}"][data-drawn="true"]')
    chart.wait_for(timeout=15_000)
    return chart


def click_bar(page, figure_id, index):
    bar = drawn(page, figure_id).locator(".trace.bars .point path").nth(index)
    box = bar.bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_the_overview_draws_one_pair_of_bars_per_class(visit):
    page = visit().go(YEAR)
    chart = drawn(page, "chart-by-class")
    assert chart.locator(".trace.bars").count() == 2
    assert chart.locator(".trace.bars .point path").count() == 6
    labels = chart.locator(".ytick text").all_text_contents()
    assert sorted(labels) == sorted(["社会保障和就业支出", "卫生健康支出", "住房保障支出"])
    assert drawn(page, "chart-waterfall").locator(".point").count() >= 9


def test_clicking_bars_drills_down_from_class_to_section_to_item_and_back(visit):
    page = visit().go(YEAR)
    click_bar(page, "chart-by-class", 0)
    assert page.url.endswith(f"{YEAR}subjects/functional/208/")
    assert "社会保障和就业支出" in page.locator("h1").inner_text()
    click_bar(page, "chart-subject", 0)
    assert page.url.endswith(f"{YEAR}subjects/functional/20801/")
    click_bar(page, "chart-subject", 0)
    assert page.url.endswith(f"{YEAR}subjects/functional/2080150/")
    assert "194.8%" in page.locator(".figures").inner_text()
    page.locator(".breadcrumb a", has_text="208 社会保障和就业支出").click()
    page.wait_for_url(f"**{YEAR}subjects/functional/208/")


def test_a_subject_page_shows_its_chart_and_figures(visit):
    page = visit().go(f"{YEAR}subjects/functional/2080199/")
    figures = page.locator(".figures").inner_text()
    for text in ("483.41", "306.12", "-177.29", "63.3%"):
        assert text in figures
    chart = drawn(page, "chart-subject")
    assert chart.locator(".trace.bars .point path").count() == 2
    assert "分期支付" in page.locator(".note-box").inner_text()


def test_every_template_loads_without_console_errors_or_outside_requests(visit):
    visitor = visit()
    failed = []
    visitor.page.on(
        "response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None
    )
    for path in EVERY_TEMPLATE:
        page = visitor.go(path)
        for chart in page.locator("[data-figure]").all():
            chart.scroll_into_view_if_needed()
            chart.locator("xpath=self::*[@data-drawn='true']").wait_for(timeout=15_000)
    # The two error pages are meant; the console reports their status, and nothing else may fail.
    assert failed == [
        (400, visitor.base + f"{YEAR}functional/?sort=bogus"),
        (404, visitor.base + f"{YEAR}subjects/functional/9999999/"),
    ]
    expected_http_errors = {"400 (Bad Request)", "404 (Not Found)"}
    errors = [
        error for error in visitor.errors if not any(e in error for e in expected_http_errors)
    ]
    assert errors == []
    assert visitor.outside_requests() == []
    assert any("/static/js/vendor/plotly-custom.min.js" in url for url in visitor.requests)


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_of_the_overview_the_comparison_and_a_subject(visit, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    visitor = visit(width=width)
    for name, path, figure in [
        ("overview", YEAR, "chart-by-class"),
        ("functional", f"{YEAR}functional/", None),
        ("subject-2080150", f"{YEAR}subjects/functional/2080150/", "chart-subject"),
    ]:
        page = visitor.go(path)
        if figure:
            drawn(page, figure)
        target = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 20_000
    assert visitor.outside_requests() == []


def test_a_subject_named_like_a_script_is_drawn_as_text_and_never_runs(visit):
    from budgets.models import Subject

    Subject.objects.filter(scheme="functional", code="208").update(name="<script>alert(1)</script>")
    visitor = visit()
    dialogs = []
    visitor.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page = visitor.go(YEAR)
    labels = drawn(page, "chart-by-class").locator(".ytick text").all_text_contents()
    assert any(label == "<script>alert(1)</script>" for label in labels)
    assert "<script>alert(1)</script>" in page.locator(".chart-summary").first.inner_text()
    assert dialogs == []
    assert visitor.errors == []
