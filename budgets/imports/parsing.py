"""Rows of text from a sheet → a table the fixture builder reads, with every problem found.

Typing slips with one reading only are repaired and reported as such: full-width digits
("１７．７３"), a space inside a number ("17. 73"), a comma for the decimal point ("306, 12";
the tables print no thousands separators). Everything else that is wrong is an error, by
sheet, row and column, in plain Chinese: an unknown code, a code at the wrong level, a text
where an amount belongs, a total that disagrees with its rows (within 0.05 万元 it is a
rounding difference, 尾差, and only a warning).
"""

import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal

from budgets.choices import LEVEL_LENGTHS, Scheme
from budgets.crosswalk import CodeMoves
from budgets.imports.layouts import CODE_HEADER, Layout
from budgets.layouts.builder import is_zero_word
from budgets.layouts.classes import economic_expense_class
from budgets.layouts.dsl import Part, Row, Table, parse_number

ROUNDING_TOLERANCE = Decimal("0.05")
TWO_PLACES = Decimal("0.01")
SCHEME_NAMES = {"functional": "功能分类", "economic": "经济分类"}
LEVEL_TEXT = {
    "functional": "3 位（类）、5 位（款）或 7 位（项）",
    "economic": "3 位（类）或 5 位（款）",
}


class Level:
    ERROR = "error"
    WARNING = "warning"
    REPAIRED = "repaired"


@dataclass(frozen=True)
class Issue:
    sheet: str
    row: int | None  # the spreadsheet's row number, 1-based
    column: str
    message: str
    level: str = Level.ERROR

    @property
    def where(self) -> str:
        parts = [f"工作表“{self.sheet}”"]
        if self.row:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"“{self.column}”栏")
        return " ".join(parts)


@dataclass
class ParsedRow:
    number: int  # spreadsheet row number
    part: Part
    row: Row
    values: dict = field(default_factory=dict)  # column label → Decimal (amounts only)


@dataclass
class ParsedTable:
    layout: Layout
    sheet: str
    rows: list[ParsedRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    uploaded: bool = True  # False: a table already in the publication, read back

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.level == Level.ERROR]

    def table(self) -> Table:
        """The layout's table (of the publication's year) with the rows read from the sheet,
        in their order."""
        parts = [
            replace(part, rows=[parsed.row for parsed in self.rows if parsed.part is part])
            for part in self.layout.table.parts
        ]
        return replace(self.layout.table, parts=parts)


def _squash(text: str) -> str:
    """The text without spaces and with full-width forms folded, for comparing labels."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def normalise(text: str | None) -> str | None:
    """Full-width characters to their ASCII forms; None for an empty cell."""
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFKC", text).strip()
    return cleaned or None


class SheetReader:
    def __init__(self, layout: Layout, sheet: str, subjects: dict):
        self.layout = layout
        self.parsed = ParsedTable(layout=layout, sheet=sheet)
        self.subjects = subjects  # (scheme, code) → name, for the publication's year
        self.used = set()  # positions of the template's fixed rows already read
        self.moves = {}  # scheme → CodeMoves, read only when a code is not in the year's list

    def issue(self, row, column, message, level=Level.ERROR):
        self.parsed.issues.append(Issue(self.parsed.sheet, row, column, message, level))

    # --- cells -----------------------------------------------------------------------------

    def amount(self, number, column, raw, unit_of_measure):
        """The cell's text for the builder, or None (blank, or unreadable: reported)."""
        text = normalise(raw)
        if text is None:
            return None
        if is_zero_word(_squash(text)):
            return _squash(text)  # "无", "没有": read as zero by the builder, kept as printed
        try:
            value, unit = parse_number(text)
        except ValueError:
            self.issue(number, column, f"“{raw}”不是金额（数字）。")
            return None
        if unit and unit != unit_of_measure:
            self.issue(number, column, f"“{raw}”的单位“{unit}”与本栏（{unit_of_measure}）不符。")
            return None
        if value != value.quantize(TWO_PLACES):
            self.issue(number, column, f"“{raw}”超过两位小数。")
            return None
        if value < 0:
            self.issue(number, column, f"“{raw}”是负数，金额不能为负。")
            return None
        canonical = format(value, "f") + unit
        if raw.strip() != canonical:
            how = "（全角转半角）" if text != raw.strip() else ""
            self.issue(number, column, f"“{raw}”按 {canonical} 读入{how}。", Level.REPAIRED)
        # The text as typed (full-width folded) is kept as the printed text; the builder reads
        # the same value from it.
        return text

    # --- rows ------------------------------------------------------------------------------

    def fixed_row(self, code, label, part_name, number=None, place=None):
        """The first row of the template not yet filled that has this label: a label may be
        printed twice in one table (表4 lists 一般公共预算拨款 under two headings).

        In a table of fixed rows only, a row whose label differs from the template's is the
        template's row at its place (the `place`-th row of the sheet), when that row is not yet
        filled and the codes agree: the label is kept as typed (a publication's misprint, say
        "2024年预算安（排）") and a warning names the template's."""
        wanted = _squash(label)
        rows = self.layout.fixed_rows()
        for position, (part, row) in enumerate(rows):
            if position in self.used or _squash(row.label) != wanted:
                continue
            if part_name and part.name != part_name:
                continue
            if code and row.code and code != row.code:
                continue
            self.used.add(position)
            return part, row
        if self.layout.has_subject_rows or place is None or place >= len(rows) or not label:
            return None
        part, row = rows[place]
        if place in self.used or (part_name and part.name != part_name) or code != row.code:
            return None
        self.used.add(place)
        message = f"名称“{label}”与模板不同（模板为“{row.label}”），按模板的这一行读入。"
        self.issue(number, "项目", message, Level.WARNING)
        return part, replace(row, label=label)

    def subject_row(self, number, code, label, part_name):
        scheme = self.layout.scheme
        if not code.isdigit():
            self.issue(number, CODE_HEADER, f"编码“{code}”只能由数字组成。")
            return None
        if len(code) not in LEVEL_LENGTHS[Scheme(scheme)]:
            self.issue(
                number,
                CODE_HEADER,
                f"编码“{code}”的位数不对：{SCHEME_NAMES[scheme]}编码应为 {LEVEL_TEXT[scheme]}。",
            )
            return None
        name = self.subjects.get((scheme, code))
        if name is None:
            moves = self.moves.setdefault(scheme, CodeMoves(scheme))
            moved = moves.explain(code, lambda other: (scheme, other) in self.subjects)
            unknown = f"编码“{code}”不是本年度{SCHEME_NAMES[scheme]}中的科目。"
            self.issue(number, CODE_HEADER, moved or unknown)
            return None
        if label and _squash(label) != _squash(name):
            self.issue(
                number, "项目", f"名称“{label}”与科目表不同（科目表为“{name}”）。", Level.WARNING
            )
        part = self.part_of(number, code, part_name)
        if part is None:
            return None
        return part, Row(code, label or name, [])

    def part_of(self, number, code, part_name):
        parts = self.layout.table.parts
        if part_name:
            part = self.layout.part(part_name)
            if part is None:
                names = "、".join(p.name for p in parts)
                self.issue(number, "部分", f"本表没有“{part_name}”部分（应为：{names}）。")
            return part
        if len(parts) == 1:
            return parts[0]
        expense_class = economic_expense_class(code) if self.layout.scheme == "economic" else ""
        matching = [p for p in parts if p.dims.get("expense_class") == expense_class]
        if len(matching) == 1:
            return matching[0]
        self.issue(number, "部分", "请填写本行所属的部分。")
        return None

    def read(self, rows: list[list[str | None]]) -> ParsedTable:
        headers = self.layout.headers()
        start = next(
            (i for i, row in enumerate(rows) if row and normalise(row[0]) == CODE_HEADER), None
        )
        if start is None:
            self.issue(None, "", f"找不到表头：应有一行以“{CODE_HEADER}”开头。")
            return self.parsed
        found = [normalise(cell) or "" for cell in rows[start][: len(headers)]]
        if [_squash(h) for h in found] != [_squash(h) for h in headers]:
            self.issue(
                start + 1,
                "",
                f"表头应为“{'、'.join(headers)}”，文件中为“{'、'.join(filter(None, found))}”。",
            )
            return self.parsed
        offset = 3 if self.layout.has_parts else 2
        seen = set()
        place = -1  # the row's place among the sheet's rows that hold something
        for index in range(start + 1, len(rows)):
            cells = (list(rows[index]) + [None] * len(headers))[: len(headers)]
            if all(normalise(cell) is None for cell in cells):
                continue
            place += 1
            number = index + 1
            code = normalise(cells[0]) or ""
            label = (cells[1] or "").strip()  # as typed: labels are kept as printed
            part_name = (normalise(cells[2]) or "") if self.layout.has_parts else ""
            found_row = self.fixed_row(code, label, part_name, number, place)
            if found_row is None and self.layout.has_subject_rows and code:
                found_row = self.subject_row(number, code, label, part_name)
            elif found_row is None:
                what = f"“{label or code}”"
                self.issue(number, "项目", f"本表没有{what}这一行，请对照模板填写。")
                continue
            if found_row is None:
                continue
            part, template_row = found_row
            if template_row.code.isdigit() and self.layout.has_subject_rows:
                key = (part.name, template_row.code)
                if key in seen:
                    self.issue(number, CODE_HEADER, f"编码“{template_row.code}”重复出现。")
                    continue
                seen.add(key)
            self.add_row(number, part, template_row, cells[offset:], headers[offset:])
        self.check_totals()
        return self.parsed

    def add_row(self, number, part, template_row, raw_cells, value_headers):
        by_header = dict(zip(value_headers, raw_cells, strict=True))
        cells, values = [], {}
        labels = [column.label for column in part.columns]
        for header, raw in by_header.items():
            if header not in labels and normalise(raw) is not None:
                self.issue(number, header, f"“{part.name}”部分没有这一栏，此格应留空。")
        for column in part.columns:
            dims = {**self.layout.table.dims, **part.dims, **template_row.dims, **column.dims}
            unit_of_measure = dims.get("unit_of_measure", "万元")
            text = self.amount(number, column.label, by_header.get(column.label), unit_of_measure)
            cells.append(text)
            if text is not None and unit_of_measure == "万元":
                values[column.label] = Decimal(0) if is_zero_word(text) else parse_number(text)[0]
        row = replace(template_row, cells=cells)
        self.parsed.rows.append(ParsedRow(number, part, row, values))

    # --- totals ----------------------------------------------------------------------------

    def check_totals(self):
        if not self.layout.has_subject_rows:
            return
        lengths = LEVEL_LENGTHS[Scheme(self.layout.scheme)]
        for part in self.layout.table.parts:
            rows = [parsed for parsed in self.parsed.rows if parsed.part is part]
            coded = [parsed for parsed in rows if parsed.row.code.isdigit()]
            for parent in rows:
                code = parent.row.code
                if parent.row.total or not code:
                    children = [c for c in coded if len(c.row.code) == lengths[0]]
                elif len(code) in lengths[:-1]:
                    size = lengths[lengths.index(len(code)) + 1]
                    children = [
                        c for c in coded if len(c.row.code) == size and c.row.code.startswith(code)
                    ]
                else:
                    continue
                if children:
                    self.compare(parent, children)

    def compare(self, parent: ParsedRow, children: list[ParsedRow]):
        for column, stated in parent.values.items():
            present = [c.values[column] for c in children if column in c.values]
            if not present:
                continue
            total = sum(present, Decimal(0))
            gap = stated - total
            if gap == 0:
                continue
            name = " ".join(filter(None, [parent.row.code, parent.row.label]))
            message = f"{name}为 {stated}，其下级各行之和为 {total}，相差 {abs(gap)}"
            if abs(gap) <= ROUNDING_TOLERANCE:
                self.issue(parent.number, column, f"{message}，按尾差处理。", Level.WARNING)
            else:
                self.issue(parent.number, column, f"{message}。")


def read_sheet(layout, sheet, rows, subjects) -> ParsedTable:
    return SheetReader(layout, sheet, subjects).read(rows)
