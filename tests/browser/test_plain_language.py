"""The answers and the glossary in a real browser: a term's definition opens by keyboard and
by tap and closes with Escape, the pages pass axe-core, and screenshots to look at."""

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

YEAR = "/units/503033/2024/"


def tip_of(page, button):
    return page.locator(f"#{button.get_attribute('aria-describedby')}")


def test_a_term_opens_by_keyboard_and_closes_with_escape(visit):
    page = visit().go(YEAR)
    button = page.locator("section.answers button.term").first
    tip = tip_of(page, button)
    assert not tip.is_visible()
    page.locator("section.answers").scroll_into_view_if_needed()
    # Focus the link before the term, then Tab to the term, as a keyboard user would.
    button.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert tip.is_visible()
    assert tip.inner_text().startswith("年初预算：")
    page.keyboard.press("Escape")
    assert not tip.is_visible()


def test_a_term_opens_by_tap_on_a_phone_and_stays_on_screen(browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True)
    try:
        page = context.new_page()
        page.goto(site + YEAR, wait_until="networkidle")
        button = page.locator("section.answers button.term").nth(3)  # 调整后预算, at a line end
        button.scroll_into_view_if_needed()
        button.tap()
        tip = tip_of(page, button)
        assert tip.is_visible()
        box = tip.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 375
        page.screenshot(path=str(ARTIFACTS / "plain-term-375.png"))
        page.locator("h1").tap()
        assert not tip.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize(
    "path",
    [
        YEAR,
        f"{YEAR}performance/",
        f"{YEAR}three-public/",
        f"{YEAR}functional/",
        f"{YEAR}economic/",
        "/glossary/",
    ],
)
def test_the_pages_with_answers_notes_and_terms_pass_axe(visit, axe_source, width, path):
    visitor = visit(width=width)
    page = visitor.go(path)
    assert visitor.axe(axe_source) == []
    assert visitor.errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if path == YEAR:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("section.answers").screenshot(path=str(ARTIFACTS / f"answers-{width}.png"))
