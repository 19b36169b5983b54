"""Light chart pages (issue 12): the JavaScript a chart page can load, plotly.js included, is at
most 500 KB once gzipped, as WhiteNoise serves it. Sizes are read from the static files the
page names, not timed (the first paint under throttling is in tests/browser/)."""

import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

LIMIT = 500_000  # bytes of gzipped JavaScript per page
YEAR = "/units/503033/2024/"
# One page per template that draws a chart.
CHART_PAGES = [
    YEAR,  # overview.html
    f"{YEAR}structure/",
    f"{YEAR}performance/",
    f"{YEAR}history/",
    f"{YEAR}subjects/functional/208/",  # subject.html
    f"{YEAR}similar/",  # compare_similar.html
    "/units/503033/years/functional/2080150/",  # compare_years.html
    "/departments/503/2024/",  # department_year.html
    "/departments/503/2024/subjects/functional/2080150/",  # compare_department.html
]


class _Scripts(HTMLParser):
    """Every script a page loads: its <script src> and the bundle that static/js/charts.js
    fetches (data-plotly); and how many charts it has."""

    def __init__(self):
        super().__init__()
        self.scripts, self.charts = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += [attrs[name] for name in ("src", "data-plotly") if attrs.get(name)]
        if "data-figure" in attrs:
            self.charts += 1


def scripts_of(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    parser = _Scripts()
    parser.feed(response.content.decode())
    return parser


def gzipped_size(address: str) -> int:
    assert address.startswith("/static/"), f"{address} is not one of our static files"
    found = finders.find(address.removeprefix("/static/"))
    assert found, f"no static file behind {address}"
    with open(found, "rb") as file:
        return len(gzip.compress(file.read(), compresslevel=9))


@pytest.mark.parametrize("address", CHART_PAGES)
def test_a_chart_page_loads_at_most_500_kb_of_gzipped_javascript(client, address):
    page = scripts_of(client, address)
    assert page.charts > 0, f"{address} draws no chart"
    assert any("plotly" in script for script in page.scripts), page.scripts
    sizes = {script: gzipped_size(script) for script in page.scripts}
    assert sum(sizes.values()) <= LIMIT, sizes


def test_plotly_is_fetched_by_the_chart_script_not_loaded_by_the_page(client):
    # The bundle is no <script src>: charts.js fetches it when a chart is near the viewport.
    html = client.get(YEAR).content.decode()
    sources = re.findall(r'<script[^>]* src="([^"]+)"', html)
    assert "/static/js/charts.js" in sources
    assert [source for source in sources if "plotly" in source] == []
    assert 'data-plotly="/static/js/vendor/plotly-custom.min.js"' in html


def test_the_plotly_bundle_keeps_its_licence_and_draws_the_traces_the_charts_use():
    source = Path(finders.find("js/vendor/plotly-custom.min.js")).read_text(encoding="utf-8")
    assert source.startswith("/**\n* plotly.js v")
    assert "Licensed under the MIT license" in source[:400]
    for trace in ("bar", "waterfall", "treemap"):
        assert f'name:"{trace}"' in source, trace
