"""Keyset pagination: a page is the rows after (or before) the last row seen, in an indexed
order that ends in the key, so that page 1,000 costs what page 1 costs and no request counts
the table. The lines page and the API's lines read their pages through it.

A position is (sort value, key). Blank values (NULL) sort last both ways: the sort value is the
column with NULL replaced by a number beyond any value (COALESCE), so that every position is
comparable and "after this row" is one row comparison, `(value, key) > (v, k)`, which is a
single index range on PostgreSQL and SQLite alike (an `OR value IS NULL` would not be). The
indexes are built on the same expressions (migration 0011).

A cursor is an opaque token for the address: the order's name, the direction and the position.
"""

import base64
import binascii
import re
from dataclasses import dataclass

from django.db.models import BigIntegerField, BooleanField, ExpressionWrapper, F, Func, Value
from django.db.models.functions import Coalesce

# Beyond any stored value (amounts are stored as integer yuan, far below 9 × 10^18), inside a
# PostgreSQL bigint.
BLANK_HIGH = 9 * 10**18
BLANK_LOW = -BLANK_HIGH
POSITION = "keyset_position"


class RowComparison(Func):
    """`(a, b) > (x, y)` (or <): a row comparison, one index range over an index on (a, b)."""

    output_field = BooleanField()

    def __init__(self, left, operator: str, right):
        if operator not in ("<", ">"):
            raise ValueError(operator)
        self.operator = operator
        super().__init__(*left, *right)

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        half = len(parts) // 2
        left, right = ", ".join(parts[:half]), ", ".join(parts[half:])
        return f"({left}) {self.operator} ({right})", params


@dataclass(frozen=True)
class Order:
    """An order the address may ask for: `name` as the address spells it ("-amount"), the
    column (None: the key alone) and its direction, ties broken by the key in the same
    direction. `blank_last`: the column may be NULL, and blanks come last both ways."""

    name: str
    field: str | None = None
    descending: bool = False
    blank_last: bool = False
    label: str = ""

    def value(self):
        """The sort value as an expression (None for the key alone)."""
        if self.field is None:
            return None
        if not self.blank_last:
            return F(self.field)
        blank = BLANK_LOW if self.descending else BLANK_HIGH
        return Coalesce(F(self.field), Value(blank), output_field=BigIntegerField())

    def order_by(self, backwards: bool = False, walk: bool = True) -> list:
        """ORDER BY expressions; `backwards` reads the same order from the other end.

        `walk=False` writes each term as an expression no index provides (`term + 0`, the
        same order), so that PostgreSQL finds the rows through the filters' indexes and
        sorts them, instead of walking the order's index until enough rows pass the
        filters: the right plan when few rows match and they cluster in the order (a unit's
        lines have neighbouring ids), which its planner cannot know."""
        descending = self.descending != backwards
        terms = [F("pk")] if self.field is None else [self.value(), F("pk")]
        if not walk:
            terms = [ExpressionWrapper(term + 0, output_field=BigIntegerField()) for term in terms]
        return [term.desc() if descending else term.asc() for term in terms]

    def apply(self, queryset):
        """The queryset in this order (for a whole view, e.g. its CSV)."""
        return queryset.order_by(*self.order_by())

    def beyond(self, cursor: "Cursor"):
        """The condition "after the cursor's row" (before it when the cursor goes backwards)."""
        greater = self.descending == cursor.backwards
        if self.field is None:
            return {"pk__gt" if greater else "pk__lt": cursor.key}
        return RowComparison(
            [self.value(), F("pk")],
            ">" if greater else "<",
            [Value(cursor.value), Value(cursor.key)],
        )


TOKEN = re.compile(r"([a-z_-]{1,32})~([np])~(-?[0-9]{1,19})?~([0-9]{1,19})")
MAX_BIGINT = 2**63 - 1


@dataclass(frozen=True)
class Cursor:
    """The position of a row of a page in an order: `backwards` asks for the rows before it
    (the previous page), otherwise the rows after it."""

    order: str
    backwards: bool
    value: int | None
    key: int

    def encode(self) -> str:
        value = "" if self.value is None else str(self.value)
        text = f"{self.order}~{'p' if self.backwards else 'n'}~{value}~{self.key}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str, order: Order) -> "Cursor":
        """The cursor of `token` in `order`; ValueError if it is not a cursor this site wrote
        for that order."""
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,120}", token):
            raise ValueError("not a cursor")
        try:
            text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
        except (binascii.Error, UnicodeDecodeError):
            raise ValueError("not a cursor") from None
        match = TOKEN.fullmatch(text)
        if match is None or match[1] != order.name:
            raise ValueError("not a cursor of this order")
        value = None if match[3] is None else int(match[3])
        key = int(match[4])
        if (value is None) != (order.field is None) or key > MAX_BIGINT:
            raise ValueError("not a cursor of this order")
        if value is not None and abs(value) > MAX_BIGINT:
            raise ValueError("not a cursor of this order")
        return cls(order.name, match[2] == "p", value, key)


@dataclass
class Page:
    """A page of rows (model objects or dicts) in the order asked for, and the cursors of the
    pages before and after it (None at either end)."""

    rows: list
    previous: Cursor | None
    next: Cursor | None


def _position(row, order: Order) -> tuple:
    if isinstance(row, dict):
        return row.get(POSITION), row["pk"]
    return getattr(row, POSITION, None), row.pk


def page_query(queryset, order: Order, size: int, cursor: Cursor | None = None, walk: bool = True):
    """The query of one page of `size` rows of `queryset` in `order`, after (or before)
    `cursor`: LIMIT size + 1 (the extra row says whether a page follows), whatever the page's
    depth. `walk`: see Order.order_by. Its rows make the page with `page_of`."""
    backwards = cursor is not None and cursor.backwards
    if order.field is not None:
        queryset = queryset.annotate(**{POSITION: order.value()})
    queryset = queryset.order_by(*order.order_by(backwards, walk))
    if cursor is not None:
        condition = order.beyond(cursor)
        if isinstance(condition, dict):
            queryset = queryset.filter(**condition)
        else:
            queryset = queryset.filter(condition)
    if not walk:
        # Sort the keys alone (an index-only scan of the filter's index, which includes the
        # sort columns), then read the page's rows by key: sorting the whole rows of a
        # 20,000-line unit prefix took 20-75 ms, its keys 3 ms.
        queryset = queryset.filter(pk__in=queryset.values("pk")[: size + 1])
    return queryset[: size + 1]


def page_of(rows: list, order: Order, size: int, cursor: Cursor | None = None) -> Page:
    """The page made of the rows `page_query` found (at most size + 1, in its order)."""
    backwards = cursor is not None and cursor.backwards
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    if not rows:
        return Page(rows, None, None)
    has_previous = more if backwards else cursor is not None
    has_next = True if backwards else more
    first, last = _position(rows[0], order), _position(rows[-1], order)
    return Page(
        rows,
        Cursor(order.name, True, *first) if has_previous else None,
        Cursor(order.name, False, *last) if has_next else None,
    )


def paginate(
    queryset, order: Order, size: int, cursor: Cursor | None = None, walk: bool = True
) -> Page:
    """One page of `size` rows of `queryset` in `order`, after (or before) `cursor`: one
    query, LIMIT size + 1, whatever the page's depth. Rows are dicts when the queryset is a
    values() queryset, which must then include "pk". `walk`: see Order.order_by."""
    rows = list(page_query(queryset, order, size, cursor, walk))
    return page_of(rows, order, size, cursor)
