"""Browser tests: Playwright driving the system's Chromium (never a downloaded browser) against
a live server holding the published fixtures.

CI installs Chromium and a CJK font (.ci/run) and sets PORTAL_BROWSER_TESTS=required, so that a
missing browser fails the run there; elsewhere the tests are skipped with the reason.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from budgets.models import Publication
from tests.conftest import FIXTURES

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
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


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (Debian package chromium)"
        if os.environ.get("PORTAL_BROWSER_TESTS") == "required":
            pytest.fail(message)
        pytest.skip(message)
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
        call_command("loaddata", *FIXTURES, verbosity=0)
    return live_server.url


class Visit:
    """A page of a browser context that records console errors and every request."""

    def __init__(self, context, base):
        self.base = base
        self.page = context.new_page()
        self.errors, self.requests = [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def go(self, path):
        self.page.goto(self.base + path, wait_until="networkidle")
        return self.page

    def outside_requests(self):
        return [url for url in self.requests if not url.startswith(self.base)]


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
