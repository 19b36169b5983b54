"""A visitor who follows every link: starting from the home page, every internal address found in
a page (pages, sort and page links, CSV files, downloads, the API and the links inside its
answers) answers without a 4xx or 5xx. Static files are checked against the static finders."""

import json
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
# The site has ~1,000 addresses in each of its two languages today; a crawl past this many has
# found a link that breeds links (a query string that grows with each page), which is a defect
# in itself.
MAX_ADDRESSES = 6000
BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8"}


class _Links(HTMLParser):
    # data-plotly: the plotly.js bundle that static/js/charts.js fetches when a chart is seen.
    ATTRIBUTES = {"href", "src", "data-plotly"}

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        self.links.extend(value for name, value in attrs if name in self.ATTRIBUTES and value)


def links_in(response) -> list[str]:
    content_type = response.get("Content-Type", "")
    if response.streaming:  # CSV files and downloads
        return []
    if content_type.startswith("text/html"):
        parser = _Links()
        parser.feed(response.content.decode())
        return parser.links
    if content_type.startswith("application/json"):
        return re.findall(r'"(https?://testserver/[^"]*|/[^"/][^"]*)"', json.dumps(response.json()))
    return []


def internal(link: str, base: str) -> str | None:
    """The address a link leads to on this site (path and query), or None for another site."""
    address, _ = urldefrag(urljoin(base, link))
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def read_body(response) -> None:
    """Read the whole body: a streamed CSV can fail after its first row. (The test client closes
    the response at the end; closing it again here would close the test's connection.)"""
    if response.streaming:
        for _ in response.streaming_content:
            pass


def crawl(client, start="/"):
    """Every address reachable from `start`, with the status it answered (redirects followed
    as links) and the page it was first found on."""
    queue, found_on, statuses = deque([start]), {start: "(start)"}, {}
    while queue:
        address = queue.popleft()
        assert len(found_on) < MAX_ADDRESSES, f"more than {MAX_ADDRESSES} addresses"
        if address.startswith("/static/"):
            exists = finders.find(urlsplit(address).path.removeprefix("/static/"))
            statuses[address] = 200 if exists else 404
            continue
        response = client.get(address, **BROWSER)
        statuses[address] = response.status_code
        targets = links_in(response)
        if response.status_code in (301, 302, 303, 307, 308):
            targets.append(response["Location"])
        read_body(response)
        for link in targets:
            target = internal(link, HOST + address)
            if target is not None and target not in found_on:
                found_on[target] = address
                queue.append(target)
    return statuses, found_on


def test_every_internal_link_from_the_home_page_answers_without_an_error(client):
    call_command("build_downloads", verbosity=0)
    statuses, found_on = crawl(client)
    broken = sorted(
        f"{status} {address} (linked from {found_on[address]})"
        for address, status in statuses.items()
        if status >= 400
    )
    assert broken == [], f"{len(broken)} of {len(statuses)} links are broken:\n" + "\n".join(
        broken[:40]
    )
    # The crawl really went everywhere: every kind of page, file and API answer was reached.
    reached = set(statuses)
    for expected in (
        "/units/503033/2024/subjects/functional/2080199/",
        "/units/503033/2024/final/gk01.csv",
        "/units/503033/2024/functional/?sort=-final",
        "/data/lines.csv",
        "/data/browse.csv",
        "/api/lines/",
        "/static/js/vendor/plotly-custom.min.js",
    ):
        assert expected in reached, expected
    assert any(address.startswith("/api/lines/?") and "cursor=" in address for address in reached)
