"""Charts as drawn by plotly.js, on a phone and a desktop, measured with bounding boxes: no
toolbar that offers to upload the chart, nothing inside a chart (role="img") that takes the
keyboard's focus, every label whole, readable and inside its chart, and no target line through
text."""

import pytest

pytestmark = pytest.mark.browser

YEAR = "/units/503033/2024/"
CHART_PAGES = [
    YEAR,
    f"{YEAR}structure/",
    f"{YEAR}performance/",
    f"{YEAR}history/",
    f"{YEAR}subjects/functional/208/",
    f"{YEAR}subjects/functional/2080150/",
]
SCREENS = pytest.mark.parametrize(
    "screen",
    [{"width": 375, "height": 667}, {"width": 1280, "height": 900}],
    ids=["phone", "desktop"],
)

# Per chart: the toolbar's buttons (their titles), the plotly links, what takes focus inside the
# chart, and whether a toolbar button covers the legend.
TOOLBAR = """(chart) => {
  const visible = (e) =>
    e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  const overlaps = (a, b) =>
    a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const buttons = [...chart.querySelectorAll(".modebar-btn")].filter(visible);
  const legend = chart.querySelector(".legend");
  return {
    titles: buttons.map((b) => b.getAttribute("data-title")),
    plotly_links: [...chart.querySelectorAll("a[href]")].map((a) => a.href),
    focusable: [...chart.querySelectorAll("*")]
      .filter((e) => e.tabIndex >= 0)
      .map((e) => e.outerHTML.slice(0, 80)),
    covers_legend: !!legend && buttons.some(
      (b) => overlaps(b.getBoundingClientRect(), legend.getBoundingClientRect())
    ),
  };
}"""

# Every text plotly drew that is not inside its chart's box (clipped at the edge of the page)
# or that it shrank below 10px to fit a narrow bar.
TEXT_OUTSIDE = """(chart) => {
  const box = chart.getBoundingClientRect();
  // The size a text is drawn at: its font size times the scale of its transforms.
  const drawnSize = (t) => {
    const m = t.getScreenCTM();
    return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
  };
  return [...chart.querySelectorAll("svg text")]
    .filter((t) => t.textContent.trim() && t.getClientRects().length)
    .map((t) => [t.textContent, t.getBoundingClientRect(), drawnSize(t)])
    .filter(([, r, size]) => r.left < box.left - 1 || r.right > box.right + 1 || size < 10)
    .map(([text, r, size]) =>
      `${text} at ${Math.round(r.left)}–${Math.round(r.right)}px, ${size.toFixed(1)}px high`);
}"""

# Every text that the performance chart's dotted target line runs through.
STRUCK_THROUGH = """(chart) => {
  const line = chart.querySelector(".shapelayer path").getBoundingClientRect();
  const x = line.left + line.width / 2;
  return [...chart.querySelectorAll("svg text")]
    .filter((t) => t.textContent.trim())
    .map((t) => [t.textContent, t.getBoundingClientRect()])
    .filter(([, r]) => r.left < x && x < r.right && r.top < line.bottom && line.top < r.bottom)
    .map(([text]) => text);
}"""


def charts_of(visitor, path):
    page = visitor.go(path)
    visitor.charts_drawn()
    return page.locator("[data-figure]").all()


@SCREENS
def test_charts_offer_no_upload_no_logo_and_nothing_to_focus(visit, screen):
    visitor = visit(**screen)
    found = {}
    for path in CHART_PAGES:
        for chart in charts_of(visitor, path):
            chart.hover()  # plotly shows its toolbar while the pointer is over the chart
            toolbar = chart.evaluate(TOOLBAR)
            # A toolbar, if any, speaks Chinese and never offers to upload the chart.
            english = [t for t in toolbar["titles"] if not any("一" <= c <= "鿿" for c in t)]
            problems = {
                "english or upload buttons": english
                + [t for t in toolbar["titles"] if "分享" in t or "Cloud" in t],
                "links": toolbar["plotly_links"],
                "focusable inside role=img": toolbar["focusable"],
                "covers the legend": toolbar["covers_legend"],
            }
            if any(problems.values()):
                found[f"{path} {chart.get_attribute('data-figure')}"] = problems
    assert found == {}
    assert visitor.csp_violations == []
    assert visitor.errors == []


@SCREENS
def test_every_chart_label_is_readable_and_inside_its_chart(visit, screen):
    visitor = visit(**screen)
    outside = {}
    for path in CHART_PAGES:
        for chart in charts_of(visitor, path):
            texts = chart.evaluate(TEXT_OUTSIDE)
            if texts:
                outside[f"{path} {chart.get_attribute('data-figure')}"] = texts
    assert outside == {}


@SCREENS
def test_the_performance_target_line_runs_through_no_label(visit, screen):
    visitor = visit(**screen)
    charts = charts_of(visitor, f"{YEAR}performance/")
    assert len(charts) == 2
    assert [chart.evaluate(STRUCK_THROUGH) for chart in charts] == [[], []]
