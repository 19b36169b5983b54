"""Reading pages and CSV files as a visitor would: table rows as lists of cell texts."""

import csv
import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path


class _Tables(HTMLParser):
    """Cells as text, without the rows' 引用 controls (a control, not a figure)."""

    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell = [], None, None
        self._in_cite = False

    def handle_starttag(self, tag, attrs):
        if tag == "a" and "cite" in (dict(attrs).get("class") or "").split():
            self._in_cite = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "a" and self._in_cite:
            self._in_cite = False
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None and not self._in_cite:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    parser = _Tables()
    parser.feed(html)
    return parser.rows


def row_starting(html: str, first_cell: str) -> list[str]:
    """The first table row whose first cell is `first_cell`."""
    for row in table_rows(html):
        if row and row[0] == first_cell:
            return row
    raise AssertionError(f"no row starting with {first_cell!r}")


def json_script(html: str, element_id: str):
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no json_script {element_id}"
    return json.loads(match.group(1))


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "CSV must start with a BOM so that Excel reads UTF-8"
    return list(csv.reader(io.StringIO(body[1:])))


def csv_row(rows, first_cell):
    for row in rows:
        if row[0] == first_cell:
            return row
    raise AssertionError(f"no CSV row starting with {first_cell!r}")


class _Form(HTMLParser):
    """The fields of the first form with method post, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.data, self._in_form, self._select, self._textarea = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self._in_form = True
        if not self._in_form or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file") or (
                kind in ("checkbox", "radio") and "checked" not in attrs
            ):
                return
            self.data[attrs["name"]] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select = attrs["name"]
            self.data.setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.removeprefix("\n")


def form_data(html: str) -> dict:
    """What submitting the page's form unchanged would post (inputs, selects, textareas)."""
    parser = _Form()
    parser.feed(html)
    return parser.data


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.links, self._href = [], [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self.links.append([self._href, ""])

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None

    def handle_data(self, data):
        self.parts.append(data)
        if self._href is not None:
            self.links[-1][1] += data


def page_text(html: str) -> str:
    """The page's text as a reader sees it: tags removed, so that a line with links reads
    as one."""
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def links(html: str) -> list[tuple[str, str]]:
    """(address, text) of every link of the page, in order."""
    parser = _Text()
    parser.feed(html)
    return [(href, text) for href, text in parser.links]


def new_process_settings(names: tuple, **environ) -> dict:
    """These names of portal.settings, imported afresh in a new process with exactly this
    environment (no DJANGO_*, PORTAL_* or REDIS_URL from ours). pytest-django and
    tests/conftest.py change settings in the test process, so only a new process sees what the
    settings module decides. A settings module that refuses the environment gives
    {"error": its stderr}."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PORTAL_")) and k != "REDIS_URL"
    }
    picked = f"{{n: getattr(s, n) for n in {tuple(names)!r}}}"
    code = f"import json, portal.settings as s; print(json.dumps({picked}))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, **environ},
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        return {"error": result.stderr}
    return json.loads(result.stdout)
