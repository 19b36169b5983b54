"""Streaming CSV: UTF-8 with a BOM (so Excel reads Chinese), codes as text, amounts as plain
decimals exactly as stored, blank for not published, text cells safe to open in a spreadsheet."""

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from urllib.parse import quote

from django.http import StreamingHttpResponse

BOM = "\ufeff"
BATCH_ROWS = 500
# A spreadsheet treats a cell starting with these as a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# ...except a plain signed number or percentage as printed ("-29.1%", "+0.20", "-1,033.09"):
# a spreadsheet reads it as a number, and an apostrophe would turn it into text for pandas or R.
PLAIN_NUMBER = re.compile(r"[+-](?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]+)?%?")


def is_formula_like(text: str) -> bool:
    if not text.startswith(FORMULA_PREFIXES):
        return False
    return not (PLAIN_NUMBER.fullmatch(text) and any(ch.isdigit() for ch in text))


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if is_formula_like(text):
        return "'" + text
    return text


def content_disposition(ascii_name: str, utf8_name: str, *, inline: bool = False) -> str:
    """attachment (or inline: shown in the browser, saved under this name) with an ASCII
    filename for old clients and the Chinese one (RFC 6266/5987)."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name)}"


def stream_csv(header: list[str], rows: Iterable, ascii_name: str, utf8_name: str):
    """A StreamingHttpResponse writing `rows` (iterables of cells) as they come."""
    writer = csv.writer(_Echo())

    def lines():
        # The header travels with the first rows, so that the query runs for the first chunk,
        # which budgets.middleware.StartStreams produces while Django can still answer an error.
        batch = [BOM + writer.writerow([csv_cell(cell) for cell in header])]
        for row in rows:
            batch.append(writer.writerow([csv_cell(cell) for cell in row]))
            if len(batch) >= BATCH_ROWS:
                yield "".join(batch)
                batch = []
        if batch:
            yield "".join(batch)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(ascii_name, utf8_name)
    return response


def value_rows(table):
    """The table's rows as values (Decimal amounts stay Decimal), without the header."""
    rows = iter(table.as_values())
    next(rows)
    return rows


def table_csv(table, ascii_name: str, utf8_name: str):
    """Exactly the table's columns and rows (all pages, in the table's order), as values."""
    header = [str(column.header) for column in table.columns]
    return stream_csv(header, value_rows(table), ascii_name, utf8_name)
