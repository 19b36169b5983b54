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
# A dataset's sheet starts with its Chinese and its ASCII header row.
HEADER_ROWS = 2
README_SHEET = "说明"
WAN_YUAN = "万元"
MONEY = "money"
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
    number: 万元 with two places, other units as stored, so 44 人 reads 44; integer; boolean).
    None and "" stay empty cells.

    Two header rows: the Chinese name of each column with its unit ("金额（万元）"), then the
    ASCII name of the CSV column right above the data. People read the first; a program reads
    the sheet as the CSV with `header=1` (pandas) and every row below is data, typed: were the
    Chinese row under the ASCII one, a reader that takes the first row as header would get it
    as a row of text and every number column as text. Both rows stay frozen, and the filter
    buttons sit on the ASCII row."""

    def __init__(self, book: "Workbook", name: str, columns: list | None):
        self.worksheet = book.book.add_worksheet(name)
        columns = columns or []
        self.kinds = [column.type for column in columns]
        self.letters = [xl_col_to_name(index) for index in range(max(len(columns), 1))]
        self.text = book.text._get_xf_index()
        self.money = book.number._get_xf_index()
        names = [column.name for column in columns]
        # Per number column: MONEY (two places), the index of the column holding each row's
        # unit (two places for 万元, any other unit as stored), or None (as stored).
        self.styles = []
        for index, column in enumerate(columns):
            if column.type in ("string", "date"):
                self.worksheet.set_column(index, index, _width(column), book.text)
                self.styles.append(None)
            elif column.type == "number" and column.unit == WAN_YUAN:
                self.worksheet.set_column(index, index, _width(column), book.number)
                self.styles.append(MONEY)
            elif column.type == "number" and column.unit_from in names:
                self.worksheet.set_column(index, index, _width(column))
                self.styles.append(names.index(column.unit_from))
            else:
                self.worksheet.set_column(index, index, _width(column))
                self.styles.append(None)
        self.rows = 0  # the last row's number
        self.header_rows = 0
        self.pending: list[str] = []
        if not columns:
            return
        bold = book.header._get_xf_index()
        for titles in ([column.label for column in columns], names):
            self._row([f'<c r="{letter}{self.rows + 1}" s="{bold}" t="inlineStr">'
                       f"{inline_string(title)}</c>"
                       for letter, title in zip(self.letters, titles, strict=True)])  # fmt: skip
        self.header_rows = HEADER_ROWS
        self.worksheet.freeze_panes(HEADER_ROWS, 0)

    @property
    def full(self) -> bool:
        return self.rows >= SHEET_ROWS

    @property
    def data_rows(self) -> int:
        return max(self.rows - self.header_rows, 0)

    def append(self, values) -> None:
        number = self.rows + 1
        if number > SHEET_ROWS:
            raise SheetFull(f"a sheet holds {SHEET_ROWS - HEADER_ROWS} rows under its header")
        text, money = self.text, self.money
        cells = []
        for letter, kind, style, value in zip(
            self.letters, self.kinds, self.styles, values, strict=True
        ):
            if value is None or value == "":
                continue
            if kind in ("string", "date"):
                cells.append(
                    f'<c r="{letter}{number}" s="{text}" t="inlineStr">'
                    f"{inline_string(str(value))}</c>"
                )
            elif kind == "boolean":
                cells.append(f'<c r="{letter}{number}" t="b"><v>{int(value)}</v></c>')
            elif style == MONEY or (style is not None and values[style] == WAN_YUAN):
                cells.append(f'<c r="{letter}{number}" s="{money}"><v>{value:.16G}</v></c>')
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
        self.worksheet._check_dimensions(self.rows - 1, len(self.letters) - 1)
        # Nothing may be written above the rows already out (XlsxWriter's own rule).
        self.worksheet.previous_row = self.rows - 1

    def finish(self) -> None:
        self.flush()
        if self.header_rows:
            self.worksheet.autofilter(
                self.header_rows - 1,
                0,
                max(self.rows - 1, self.header_rows - 1),
                len(self.kinds) - 1,
            )


def _width(column) -> int:
    """A column wide enough for its Chinese name, at most 40 characters (long texts wrap in
    the cell when opened, not the column)."""
    return min(max(len(column.label) * 2 + 2, len(column.name) + 4, 10), 40)


class Workbook:
    """A workbook of sheets written in constant memory; `close()` writes the file. Its first
    sheet, 说明, says what the workbook is (`readme()`: written last, shown first)."""

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
        self.wrapped = self.book.add_format({"num_format": "@", "text_wrap": True, "valign": "top"})
        self.about = self.book.add_worksheet(README_SHEET)
        self.about.set_column(0, 0, 16, self.header)
        self.about.set_column(1, 1, 100, self.wrapped)
        self.about_rows: list[tuple[str, str]] = []
        self.sheets: list[Sheet] = []

    def add_sheet(self, name: str, columns: list | None) -> Sheet:
        """A sheet of these columns (budgets.datasets.Column) under two header rows; None: no
        header, for a sheet that holds only a note."""
        sheet = Sheet(self, name, columns)
        self.sheets.append(sheet)
        return sheet

    def readme(self, rows: list[tuple[str, str]]) -> None:
        """The 说明 sheet's rows: (what, text)."""
        self.about_rows = rows

    def close(self) -> None:
        for number, (what, text) in enumerate(self.about_rows):
            self.about.write_string(number, 0, what)
            self.about.write_string(number, 1, text)
        for sheet in self.sheets:
            sheet.finish()
        self.book.close()
