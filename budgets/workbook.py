"""The XLSX workbook of the open data: one sheet per dataset, written row by row as the dataset
is read (XlsxWriter in constant-memory mode), so that memory stays flat whatever the rows.

XlsxWriter lays out the package (workbook, styles, column formats, the zip); the rows of a sheet
are written here as the same XML XlsxWriter writes in constant-memory mode (inline strings,
the same escapes), straight into the sheet's row file. Its per-cell path costs about 40 µs a
cell, which made 1 M lines × 17 columns about ten minutes; one formatted string a row is about
seven times faster (benchmarks/README.md). tests/test_downloads.py reads the workbook back with
openpyxl (types, formats, escapes), so a change of XlsxWriter's internals fails there first.
"""

import re
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

# Rows a sheet holds, its header included (Excel's limit, XlsxWriter's too).
SHEET_ROWS = 1_048_576
# Characters a cell holds (longer text is cut there, as XlsxWriter's write_string does).
CELL_CHARACTERS = 32_767
# Rows written to the sheet's row file at a time.
FLUSH_ROWS = 1_000
# Text that needs XlsxWriter's escapes: XML specials, control characters, a literal _xHHHH_
# (Excel's own escape), non-characters, or white space at either end (xml:space="preserve").
_NEEDS_ESCAPES = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_|^\s|\s$")


class SheetFull(Exception):
    """More rows than a sheet holds."""


def inline_string(text: str) -> str:
    """The <is> element of a text cell, escaped as XlsxWriter escapes it."""
    if len(text) > CELL_CHARACTERS:
        text = text[:CELL_CHARACTERS]
    if not _NEEDS_ESCAPES.search(text):
        return f"<is><t>{text}</t></is>"
    text = Worksheet._escape_control_characters(text)
    preserve = ' xml:space="preserve"' if _preserve_whitespace(text) else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<is><t{preserve}>{text}</t></is>"


class Sheet:
    """One dataset's sheet: `append(row)` writes a row of values typed by the dataset's columns
    (string: text cell formatted as text, so codes keep their digits and nothing is a formula;
    number: a number shown with two places; integer; boolean). None and "" stay empty cells."""

    def __init__(self, book: "Workbook", name: str, header: list[str] | None, kinds: list[str]):
        self.worksheet = book.book.add_worksheet(name)
        self.kinds = kinds
        self.letters = [xl_col_to_name(index) for index in range(len(kinds))]
        self.text = book.text._get_xf_index()
        self.number = book.number._get_xf_index()
        for index, kind in enumerate(kinds):
            if kind == "string":
                self.worksheet.set_column(index, index, None, book.text)
            elif kind == "number":
                self.worksheet.set_column(index, index, None, book.number)
        self.rows = 0  # the header's row number, then the last row's
        self.pending: list[str] = []
        if header is None:
            return
        bold = book.header._get_xf_index()
        self._row([f'<c r="{letter}1" s="{bold}" t="inlineStr">{inline_string(title)}</c>'
                   for letter, title in zip(self.letters, header, strict=True)])  # fmt: skip

    @property
    def data_rows(self) -> int:
        return max(self.rows - 1, 0)

    def append(self, values) -> None:
        number = self.rows + 1
        if number > SHEET_ROWS:
            raise SheetFull(f"a sheet holds {SHEET_ROWS - 1} rows under its header")
        text, amount = self.text, self.number
        cells = []
        for letter, kind, value in zip(self.letters, self.kinds, values, strict=True):
            if value is None or value == "":
                continue
            if kind == "string":
                cells.append(
                    f'<c r="{letter}{number}" s="{text}" t="inlineStr">'
                    f"{inline_string(str(value))}</c>"
                )
            elif kind == "number":
                cells.append(f'<c r="{letter}{number}" s="{amount}"><v>{value:.16G}</v></c>')
            elif kind == "boolean":
                cells.append(f'<c r="{letter}{number}" t="b"><v>{int(value)}</v></c>')
            else:
                cells.append(f'<c r="{letter}{number}"><v>{value:.16G}</v></c>')
        self._row(cells)

    def note(self, text: str) -> None:
        """A sentence in the first column of the next row (what the sheet leaves out, and why)."""
        number = self.rows + 1
        self._row([f'<c r="A{number}" s="{self.text}" t="inlineStr">{inline_string(text)}</c>'])

    def _row(self, cells: list[str]) -> None:
        self.rows += 1
        self.pending.append(f'<row r="{self.rows}">{"".join(cells)}</row>')
        if len(self.pending) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Hand the rows written so far to XlsxWriter: its row file and the sheet's range."""
        if not self.pending:
            return
        self.worksheet.fh.write("".join(self.pending))
        self.pending = []
        self.worksheet._check_dimensions(0, 0)
        self.worksheet._check_dimensions(self.rows - 1, len(self.kinds) - 1)
        # Nothing may be written above the rows already out (XlsxWriter's own rule).
        self.worksheet.previous_row = self.rows - 1


class Workbook:
    """A workbook of sheets written in constant memory; `close()` writes the file."""

    def __init__(self, path: Path):
        self.book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                # The row files of large sheets go beside the workbook, not to a RAM-backed /tmp.
                "tmpdir": str(path.parent),
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self.text = self.book.add_format({"num_format": "@"})
        self.number = self.book.add_format({"num_format": "0.00"})
        self.header = self.book.add_format({"bold": True, "num_format": "@"})
        self.sheets: list[Sheet] = []

    def add_sheet(self, name: str, header: list[str] | None, kinds: list[str]) -> Sheet:
        """A sheet with this header row (None: no header, for a sheet that holds only a note)."""
        sheet = Sheet(self, name, header, kinds)
        self.sheets.append(sheet)
        return sheet

    def close(self) -> None:
        for sheet in self.sheets:
            sheet.flush()
        self.book.close()
