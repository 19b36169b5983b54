"""Reading pages and CSV files as a visitor would: table rows as lists of cell texts."""

import csv
import io
import json
import re
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self._row, self._cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
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
