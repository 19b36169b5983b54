"""Browser tests: Playwright driving the system's Chromium (never a downloaded browser) against
a live server holding the published fixtures.

CI installs Chromium and a CJK font (.ci/run) and sets PORTAL_BROWSER_TESTS=required, so that a
missing browser fails the run there; elsewhere the tests are skipped with the reason.
"""

import os
import re
from pathlib import Path

import pytest

from budgets.models import Publication
from tests.conftest import load_published

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
# axe-core from npm (tests/browser/package.json; .ci/run installs it with npm ci).
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]

# Playwright's synchronous API keeps an event loop in this thread; the tests only touch the
# database outside page interactions, so Django's guard against async contexts is lifted here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def missing(message):
    if os.environ.get("PORTAL_BROWSER_TESTS") == "required":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        missing(f"Chromium not found at {CHROMIUM} (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with the publications loaded (a transactional test empties
    the database when it ends)."""
    if not Publication.objects.exists():
        load_published()
    return live_server.url


# Reports every Content-Security-Policy violation of every document the page loads.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${location.pathname}: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
  );
});
"""


class Visit:
    """A page of a browser context that records console errors, Content-Security-Policy
    violations and every request."""

    def __init__(self, context, base):
        self.base = base
        self.errors, self.requests, self.csp_violations = [], [], []
        context.expose_function("reportCspViolation", lambda text: self.csp_violations.append(text))
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        self.page = context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def go(self, path, wait_until="networkidle"):
        self.page.goto(self.base + path, wait_until=wait_until)
        return self.page

    def charts_drawn(self):
        """Wait until every chart of the page is drawn. Charts are drawn when scrolled near
        (static/js/charts.js): each is scrolled into view, then the page back to its top."""
        for chart in self.page.locator("[data-figure]").all():
            chart.scroll_into_view_if_needed()
            chart.locator("xpath=self::*[@data-drawn='true']").wait_for(timeout=15_000)
        self.page.evaluate("() => window.scrollTo(0, 0)")
        return self.page

    def outside_requests(self):
        return [url for url in self.requests if not url.startswith(self.base)]

    def axe(self, source):
        """The page's WCAG 2.1 A and AA violations found by axe-core, as "rule: element" lines.
        axe is evaluated through the DevTools protocol, which the page's CSP does not govern."""
        if not self.page.evaluate("() => Boolean(window.axe)"):
            self.page.evaluate(source)
        result = self.page.evaluate(
            """(tags) => axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]
            })""",
            WCAG_21_AA,
        )
        return [
            f"{violation['id']}: {' '.join(map(str, node['target']))}"
            for violation in result["violations"]
            for node in violation["nodes"]
        ]


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        missing(f"axe-core not found at {AXE} (cd tests/browser && npm ci)")
    return AXE.read_text()


# A small generated city (示例数据) beside the real publications: a department with several
# units, comparisons across units and years, the example banner. Every kind of its pages is
# visited, not every page (one unit-year alone has some 90, most of them subject pages).
EXAMPLE_CITY = {"departments": 1, "units": 2, "years": 2, "seed": 3}
EXAMPLE_PAGES_PER_KIND = 1
# A subject's page, and a subject compared across years or across a department's units, has one
# page per code (over two hundred for 503033 alone) built by the same template and view: a few
# of each kind are enough to measure the layout, and all of them are still fetched by
# tests/test_crawl.py. (The publication's tables, /budget/#/ and /final/#/, each have a shape of
# their own and are all visited.)
SAMPLED_KINDS = re.compile(r"^/units/#/years/|^/departments/#/#/subjects/|^/units/#/#/subjects/")
PAGES_PER_SAMPLED_KIND = 3
# The English pages (/en/…) are the same templates and figures as the Chinese ones with the
# interface translated: one of each kind is measured here (axe, layout), which doubled this
# test's time when every one was; tests/test_i18n.py checks every English page's text and
# figures without a browser.
ENGLISH_PAGES_PER_KIND = 1


def page_kind(address: str) -> str:
    """The address with its codes and years blanked: /units/#/#/subjects/functional/#/."""
    return re.sub(r"[^/]*[0-9][^/]*", "#", address)


@pytest.fixture
def public_pages(site):
    """Every public HTML page of the real publications reachable from / by links without a
    query string (pages, not their sorted or paged variants) but for a sample of the per-code
    comparison pages (SAMPLED_KINDS), one page of each kind of the generated city's, plus the
    error pages: a few hundred addresses."""
    from django.test import Client

    from budgets.example_city import generate_city
    from budgets.models import Unit

    generate_city(**EXAMPLE_CITY)
    examples = set(Unit.objects.filter(is_example=True).values_list("code", flat=True))
    example_unit = min(code for code in examples if len(code) > 3)
    years = sorted(
        Publication.objects.published()
        .filter(unit__code=example_unit)
        .values_list("year", flat=True)
        .distinct()
    )

    def is_example(address):
        return any(segment in examples for segment in address.split("/")[2:3])

    client, queue, seen, pages, kinds = Client(), ["/"], {"/"}, [], {}
    while queue:
        address = queue.pop(0)
        response = client.get(address, HTTP_ACCEPT="text/html,*/*;q=0.8")
        if response.streaming or not response["Content-Type"].startswith("text/html"):
            continue
        pages.append(address)
        html = response.content.decode()
        for link in re.findall(r'href="(?:http://testserver)?(/[^"?#]*)"', html):
            if link in seen or link.startswith(("/static/", "/admin/")) or "." in link:
                continue
            seen.add(link)
            example, kind = is_example(link), page_kind(link)
            english = link.startswith("/en/")
            if english or example or SAMPLED_KINDS.match(kind):
                # Counted apart: the real pages of a kind must not use up the example city's,
                # nor the English pages the Chinese ones.
                group = "en" if english else example
                if english:
                    most = ENGLISH_PAGES_PER_KIND
                elif example:
                    most = EXAMPLE_PAGES_PER_KIND
                else:
                    most = PAGES_PER_SAMPLED_KIND
                if kinds.get((group, kind), 0) >= most:
                    continue
                kinds[(group, kind)] = kinds.get((group, kind), 0) + 1
            queue.append(link)
    errors = [
        "/units/503033/2024/functional/?sort=bogus",
        "/units/503033/2024/9999/",
        # A year the unit has not published: a 404 that lists the years it has.
        f"/units/503033/{years[0] - 1}/",
        f"/units/{example_unit}/{years[0] - 1}/",
    ]
    return [*pages, *errors]


@pytest.fixture
def visit(browser, site):
    contexts = []

    def open_page(width=1280, height=900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        return Visit(context, site)

    yield open_page
    for context in contexts:
        context.close()
