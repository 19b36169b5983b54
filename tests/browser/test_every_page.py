"""Every public page in Chromium, as a phone and as a desktop: nothing to scroll sideways on a
phone, the lines browser's amounts on the first screen, no WCAG 2.1 A/AA violation (axe-core)
and no Content-Security-Policy violation anywhere."""

from pathlib import Path

import pytest

from tests.browser.conftest import page_kind

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}
LAYOUT = (Path(__file__).parent / "layout.js").read_text()
# Resources the error pages answer with on purpose (the page itself is a 400 or a 404).
EXPECTED_HTTP_ERRORS = ("400 (Bad Request)", "404 (Not Found)")


def unexpected(errors):
    return [error for error in errors if not any(e in error for e in EXPECTED_HTTP_ERRORS)]


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_lines_browser_shows_an_amount_on_the_first_screen(visit, screen):
    page = visit(**screen).go("/data/browse/")
    amount = page.locator("table.lines tbody td[data-label='amount']:not(:empty)").first
    box = amount.bounding_box()
    assert box is not None
    right, bottom = box["x"] + box["width"], box["y"] + box["height"]
    assert (box["x"] >= 0, right <= screen["width"]) == (True, True)
    assert (box["y"] >= 0, bottom <= screen["height"]) == (True, True)


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_public_page_fits_the_screen_and_passes_axe(visit, public_pages, axe_source, screen):
    """No table cell off-screen, overflowing or squeezed under two characters, and no WCAG 2.1
    A or AA violation that axe-core finds. On a desktop the lines browser keeps the 17 columns
    of lines.csv and scrolls sideways in its box (its amount comes ninth); on a phone it is a
    card per line like every other table. One visit per page measures both."""
    visitor = visit(**screen)
    scrolls_sideways = "table.lines" if screen is DESKTOP else None
    layout, axe = {}, {}
    for path in public_pages:
        visitor.go(path, wait_until="load")
        problems = visitor.charts_drawn().evaluate(LAYOUT, scrolls_sideways)
        if problems:
            layout[path] = problems[:5]
        if violations := visitor.axe(axe_source):
            axe[path] = violations
    # The API's filter dialog, open.
    page = visitor.go("/api/lines/")
    page.locator("[data-target='#filtersModal']").click()
    page.locator("#filtersModal").wait_for(state="visible")
    if violations := visitor.axe(axe_source):
        axe["/api/lines/ (filters open)"] = violations
    assert len(public_pages) > 90
    # The generated city's kinds of page are among them (conftest.EXAMPLE_CITY; its first
    # department is 901, budgets.example_city.FIRST_DEPARTMENT_CODE).
    kinds = {page_kind(p) for p in public_pages if p.startswith(("/units/901", "/departments/901"))}
    assert {
        "/departments/#/#/",
        "/departments/#/#/subjects/functional/#/",
        "/units/#/years/functional/#/",
        "/units/#/#/similar/",
        "/units/#/#/",
    } <= kinds
    assert layout == {}
    assert axe == {}
    assert visitor.csp_violations == []
    assert unexpected(visitor.errors) == []
