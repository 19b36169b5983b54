"""Tables of the city and department pages: the home page's departments, a department's years,
a department year's units and its totals by subject (budgets/tables.py holds the unit pages').

Written without django-tables2, with the same markup (budgets/tables/table.html's wrapper,
classes, `data-label` on every cell for the cards on phones, sort links, pagination): on a
department year at city scale (25 units and ~100 subject rows) tables2 took about two thirds
of the page's time building each cell (bound rows, attribute dicts, format_html per cell);
here each column's cell tag is built once and a row is one join of escaped strings.

Amounts are Decimal in 万元 (two places on pages, plain decimals in CSV); blank stays blank
(never 0.00); rates are text at the published precision. `as_values()` gives the CSV twin's
rows (budgets.exports.table_csv)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from django.core.paginator import Paginator
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from budgets.formatting import signed_wan, wan
from budgets.i18n import data_text, english_name, in_english
from budgets.rates import percent_text
from budgets.tables import LEVEL_CLASSES, without_unit

TEXT, NUMBER, AMOUNT, SIGNED, RATE = "text", "number", "amount", "signed", "rate"
EMPTY_TEXT = "—"  # a text cell with nothing in it, as django-tables2 printed it
# Placeholders of the shapes the URL converters accept, unlike each other and any other part of
# an address: a unit or department code, a year, a subject code.
UNIT_MARK, YEAR_MARK, CODE_MARK = "4040404040", "9898", "7171717"


def addresses(name: str, *marks: str) -> Callable[..., str]:
    """`reverse(name, args=values)` for every row at the cost of one reverse: the pattern is
    reversed once with `marks` (placeholders, in the order of the arguments) and each row's
    values take their places. The values come from the database and have the shapes the
    patterns match (codes are digits, years four digits); pages escape the address."""
    rest = reverse(name, args=marks)
    pieces = []
    for mark in marks:
        before, found, rest = rest.partition(mark)
        if not found:
            raise ValueError(f"{mark!r} is not in the address of {name}")
        pieces.append(before)

    def address(*values) -> str:
        return (
            "".join(f"{piece}{value}" for piece, value in zip(pieces, values, strict=True)) + rest
        )

    return address


@dataclass(frozen=True)
class Column:
    """One column: `name` is what `?sort=` names; `attr` the row's attribute (dotted) holding
    the value, `name` by default; `css` the cell's class (name, code, num); a `linked` cell
    links to the row's `url` when it has one."""

    name: str
    header: str  # a lazy translation: the request's language is chosen when it is shown
    kind: str = TEXT
    css: str = ""
    attr: str = ""
    orderable: bool = True
    linked: bool = False

    def __post_init__(self):
        if not self.css and self.kind != TEXT:
            object.__setattr__(self, "css", "num")
        object.__setattr__(self, "get", attrgetter(self.attr or self.name))

    @property
    def label(self) -> str:
        """The header on each card on phones, without the unit every table states above."""
        return without_unit(str(self.header))

    def text(self, value) -> str:
        if self.kind == AMOUNT:
            return wan(value)
        if self.kind == SIGNED:
            return signed_wan(value)
        if self.kind == RATE:
            return percent_text(value, 1)
        if value is None or value == "":
            return EMPTY_TEXT if self.kind == TEXT else ""
        return str(value)

    def csv_value(self, value):
        """Amounts as stored (blank: ""), rates as the page prints them."""
        if self.kind == RATE:
            return percent_text(value, 1)
        return "" if value is None else value


def _sort_key(column: Column) -> Callable:
    """Blank (None) before any value in ascending order, after every value in descending."""
    get = column.get

    def key(row):
        value = get(row)
        return (value is not None, value if value is not None else 0)

    return key


def _english_name(row) -> str:
    """The English name staff gave the row's unit or department (its `name_en`, or its
    `unit`'s), or ""."""
    return english_name(row) or english_name(getattr(row, "unit", None))


class PlainTable:
    """Rows (any objects) shown through `columns`, optionally sorted (`order_by`, names with
    "-" for descending, as TableQuery parses `?sort=`) and paginated."""

    columns: Sequence[Column] = ()
    css = "data stack"
    empty_text = _("没有数据。")

    def __init__(self, rows, order_by: Sequence[str] | None = None, query=None, row_id_prefix=None):
        self.rows = list(rows)
        # With a prefix, each row with a code gets the id prefix + code and a 引用 control in
        # its name cell (budgets.tables.row_id); a page's two tables of codes take two prefixes.
        self.row_id_prefix = row_id_prefix
        self.order_by = list(order_by or [])
        self.query = query  # the request's QueryDict, for sort and page links
        self.page = None
        self.paginator = None
        by_name = {column.name: column for column in self.columns}
        for alias in reversed(self.order_by):  # stable sorts, least significant key first
            column = by_name[alias.removeprefix("-")]
            self.rows.sort(key=_sort_key(column), reverse=alias.startswith("-"))

    @classmethod
    def sortable(cls) -> list[str]:
        return [column.name for column in cls.columns if column.orderable]

    def paginate(self, page: int, per_page: int) -> None:
        """Show one page; EmptyPage past the last one."""
        self.paginator = Paginator(self.rows, per_page)
        self.page = self.paginator.page(page)

    def row_class(self, row) -> str:
        return ""

    def cell_text(self, column: Column, row, value) -> str:
        return column.text(value)

    # -- the page -----------------------------------------------------------------------

    def _link(self, **changes) -> str:
        """This page's address with some parameters changed (None: left out)."""
        query = self.query.copy() if self.query is not None else QueryDict(mutable=True)
        for name, value in changes.items():
            if value is None:
                query.pop(name, None)
            else:
                query[name] = value
        return "?" + query.urlencode()

    @property
    def head(self) -> list[dict]:
        """Each header: its text, class and sort link (a new order starts at page 1)."""
        current = {alias.removeprefix("-"): alias for alias in self.order_by}
        cells = []
        for column in self.columns:
            classes = ["num"] if column.kind != TEXT else []  # cell classes stay on cells
            url = ""
            if column.orderable:
                classes.append("orderable")
                alias = current.get(column.name)
                if alias is not None:
                    classes.append("desc" if alias.startswith("-") else "asc")
                following = column.name if alias != column.name else f"-{column.name}"
                url = self._link(sort=following, page=None)
            cells.append({"header": column.header, "css": " ".join(classes), "url": url})
        return cells

    @property
    def body(self) -> SafeString:
        """The rows of the page as HTML; every value is escaped here."""
        rows = self.page.object_list if self.page is not None else self.rows
        if not rows:
            return mark_safe(
                f'<tr><td colspan="{len(self.columns)}">{escape(self.empty_text)}</td></tr>'
            )
        opening = []
        for column in self.columns:
            css = f' class="{escape(column.css)}"' if column.css else ""
            opening.append(f'<td{css} data-label="{escape(column.label)}">')
        parts = []
        cite = escape(gettext("引用"))
        english = in_english()
        for index, row in enumerate(rows):
            stripe = "odd" if index % 2 else "even"
            extra = self.row_class(row)
            code = getattr(row, "code", "") if self.row_id_prefix is not None else ""
            row_id = f' id="{escape(self.row_id_prefix)}{escape(code)}"' if code else ""
            parts.append(
                f'<tr class="{escape(extra)} {stripe}"{row_id}>'
                if extra
                else f'<tr class="{stripe}"{row_id}>'
            )
            url = getattr(row, "url", "")
            for column, td in zip(self.columns, opening, strict=True):
                value = column.get(row)
                name_en = _english_name(row) if english and column.name == "name" else ""
                if name_en:
                    text = escape(self.cell_text(column, row, name_en))
                elif column.css == "name":
                    # A name is published text: marked as Chinese on English pages.
                    text = data_text(self.cell_text(column, row, value))
                else:
                    text = escape(self.cell_text(column, row, value))
                if column.linked and url:
                    text = f'<a href="{escape(url)}">{text}</a>'
                if code and column.css == "name":
                    what = escape(f"{code} {name_en}") if name_en else data_text(f"{code} {value}")
                    text += (
                        f' <a class="cite" href="#{escape(self.row_id_prefix)}{escape(code)}">'
                        f'{cite}<span class="visually-hidden"> {what}</span></a>'
                    )
                parts.append(f"{td}{text}</td>")
            parts.append("</tr>")
        return mark_safe("".join(parts))

    @property
    def previous_url(self) -> str:
        if self.page is None or not self.page.has_previous():
            return ""
        return self._link(page=self.page.previous_page_number())

    @property
    def next_url(self) -> str:
        if self.page is None or not self.page.has_next():
            return ""
        return self._link(page=self.page.next_page_number())

    # -- the CSV twin -------------------------------------------------------------------

    def as_values(self):
        """The header, then every row (all pages, in the table's order) as CSV values."""
        yield [str(column.header) for column in self.columns]
        for row in self.rows:
            yield [
                self.csv_text(column, row, column.csv_value(column.get(row)))
                for column in self.columns
            ]

    def csv_text(self, column: Column, row, value):
        return value


class DepartmentUnitTable(PlainTable):
    """The units of a department in a year: initial budget and final side by side."""

    columns = (
        Column("name", _("单位"), css="name", linked=True),
        Column("code", _("单位编码"), css="code"),
        Column("initial", _("年初预算（万元）"), AMOUNT),
        Column("final", _("决算（万元）"), AMOUNT),
        Column("rate", _("完成年初预算"), RATE),
        Column("initial_share", _("占部门年初预算"), RATE),
        Column("final_share", _("占部门决算"), RATE),
        Column("published_text", _("已公开"), orderable=False),
    )
    empty_text = _("这个部门没有下属单位。")


class DepartmentSubjectTable(PlainTable):
    """The department's total by 类 and 款 of one classification."""

    columns = (
        Column("code", _("科目编码"), css="code", orderable=False, linked=True),
        Column("name", _("科目名称"), css="name", orderable=False),
        Column("initial", _("年初预算（万元）"), AMOUNT, orderable=False),
        Column("final", _("决算（万元）"), AMOUNT, orderable=False),
        Column("difference", _("差额（万元）"), SIGNED, orderable=False),
        Column("rate", _("完成年初预算"), RATE, orderable=False),
    )
    css = "data tree stack"

    def row_class(self, row) -> str:
        return LEVEL_CLASSES[row.level]


class DepartmentYearsTable(PlainTable):
    columns = (
        Column("year", _("年度"), css="name", orderable=False, linked=True),
        Column("published", _("公开情况"), attr="publishing.text", orderable=False),
        Column("initial", _("年初预算（万元）"), AMOUNT, orderable=False),
        Column("final", _("决算（万元）"), AMOUNT, orderable=False),
        Column("rate", _("完成年初预算"), RATE, orderable=False),
    )


class CityDepartmentTable(PlainTable):
    """The departments of the city in a year (the home page)."""

    columns = (
        Column("name", _("部门"), css="name", linked=True),
        Column("code", _("部门编码"), css="code"),
        Column("units", _("单位数"), NUMBER, attr="publishing.units"),
        Column("finals", _("已公开决算的单位"), NUMBER, attr="publishing.finals"),
        Column("initial", _("年初预算（万元）"), AMOUNT),
        Column("final", _("决算（万元）"), AMOUNT),
        Column("rate", _("完成年初预算"), RATE),
    )
    empty_text = _("还没有已公开的预算或决算。")

    def cell_text(self, column, row, value) -> str:
        if column.name == "name" and row.is_example:
            return gettext("%(name)s（示例数据）") % {"name": value}
        return super().cell_text(column, row, value)

    def csv_text(self, column, row, value):
        if column.name == "name" and row.is_example:
            return f"{value}（示例数据）"
        return value
