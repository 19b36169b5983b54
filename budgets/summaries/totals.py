"""Sums of facts: the one aggregation path of the portal.

Pages, department roll-ups, downloads, checks and the importer ask this module for "the sum of
the facts in these dimensions at this stage". Three things are decided here once:

- which facts: `facts_of()` (a unit's publications, or units and a year, published or not);
- which dimensions: a `Slice` (direction, stage, scheme, code prefix, expenditure type,
  expense class, fund source or group of sources). An expenditure slice must name its
  breakdown (functional, economic, or UNIT_WIDE for facts without a subject): the functional
  and economic classifications are two views of the same money and are never added together;
- how to group: `by=` any of GROUPS, or `Level(scheme, index)` for codes cut to 类/款/项.

Sums are done by the database in one query over integer-stored amounts (ExactDecimalField), so
they are exact on SQLite and PostgreSQL and come back as Decimal in 万元. A sum over nothing,
or over lines printed blank only, is None: blank is not 0.

The adjusted-budget rule lives here: the adjusted budget (调整预算) is the unit-wide fact
(subject None) at stage adjusted_budget, as the self-evaluation reports it (ADJUSTED_BUDGET).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db.models import Aggregate, Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Substr

from budgets.choices import (
    FUND_SOURCE_GROUPS,
    LEVEL_LENGTHS,
    THREE_PUBLIC_GROUPS,
    Direction,
    ExpenditureType,
    ExpenseClass,
    Scheme,
    Stage,
)
from budgets.models import Fact, ThreePublicExpense
from budgets.rates import Denominator, rate

UNIT_WIDE = "unit_wide"  # the "scheme" of facts reported for the unit as a whole (no subject)


class MixedBreakdowns(ValueError):
    """A sum that would add functional and economic amounts (or codes of either)."""


def fund_sources(fund_source: str) -> tuple[str, ...]:
    """The sources a fund source value covers: a group (财政拨款) or the source itself."""
    return tuple(FUND_SOURCE_GROUPS.get(fund_source, (fund_source,)))


def three_public_kinds(kind: str) -> tuple[str, ...]:
    """The kinds a 三公 value covers: a group (公务用车购置及运行维护费) or the kind itself."""
    return tuple(THREE_PUBLIC_GROUPS.get(kind, (kind,)))


@dataclass(frozen=True)
class Slice:
    """Which facts a sum covers; a blank field means "any". Amounts in 万元.

    `scheme` is Scheme.FUNCTIONAL, Scheme.ECONOMIC or UNIT_WIDE; it is required for
    expenditure (MixedBreakdowns otherwise). `fund_source` may be a FUND_SOURCE_GROUPS key.
    `subject_year` keeps the facts whose subject belongs to that year's subject lists: a fact's
    subject is of its publication's year (Fact.clean), so over `facts_of(year=…)` of the same
    year it changes no sum, but the database then starts from that year's few subjects (index
    fact_subject_unit_stage) instead of every fact of the year's publications (see
    `of_year`).
    """

    stage: str = ""
    scheme: str = ""
    direction: str = Direction.EXPENDITURE
    code_prefix: str = ""
    expenditure_type: str = ""
    expense_class: str = ""
    fund_source: str = ""
    subject_year: int | None = None

    def __post_init__(self):
        if self.direction == Direction.EXPENDITURE and not self.scheme:
            raise MixedBreakdowns(
                "An expenditure sum must name its breakdown (functional, economic or unit-wide): "
                "the two classifications are two views of the same money."
            )
        if self.scheme and self.scheme not in (*Scheme.values, UNIT_WIDE):
            raise ValueError(f"unknown scheme {self.scheme!r}")
        if self.code_prefix and self.scheme not in Scheme.values:
            raise MixedBreakdowns("A code prefix belongs to one classification: name it.")
        if self.subject_year is not None and self.scheme not in Scheme.values:
            raise ValueError("Only a slice of a classification has subjects of a year.")

    def but(self, **changes) -> "Slice":
        """The same slice with some dimensions changed."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return Slice(**{**values, **changes})

    @property
    def q(self) -> Q:
        return self.q_of(SLICE_FIELDS)

    def q_of(self, names) -> Q:
        """The conditions of some of the dimensions only (each dimension's condition depends
        on its own value alone)."""
        q = Q()
        if "direction" in names:
            q &= Q(direction=self.direction)
        if self.stage and "stage" in names:
            q &= Q(stage=self.stage)
        if "scheme" in names:
            if self.scheme == UNIT_WIDE:
                q &= Q(subject=None)
            elif self.scheme:
                q &= Q(subject__scheme=self.scheme)
        if self.subject_year is not None and "subject_year" in names:
            q &= Q(subject__year=self.subject_year)
        if self.code_prefix and "code_prefix" in names:
            q &= Q(subject__code__startswith=self.code_prefix)
        if self.expenditure_type and "expenditure_type" in names:
            q &= Q(expenditure_type=self.expenditure_type)
        if self.expense_class and "expense_class" in names:
            q &= Q(expense_class=self.expense_class)
        if self.fund_source and "fund_source" in names:
            q &= Q(fund_source__in=fund_sources(self.fund_source))
        return q


SLICE_FIELDS = tuple(f.name for f in fields(Slice))


def functional(stage: str = "", **dims) -> Slice:
    return Slice(stage=stage, scheme=Scheme.FUNCTIONAL, **dims)


def economic(stage: str = "", **dims) -> Slice:
    return Slice(stage=stage, scheme=Scheme.ECONOMIC, **dims)


def of_year(slices: Mapping[str, Slice], year: int) -> dict[str, Slice]:
    """The slices restricted to the subjects of `year`: the same sums over facts of that year,
    found from the subjects (for sums over many units, e.g. a whole city's year)."""
    return {name: piece.but(subject_year=year) for name, piece in slices.items()}


def income(stage: str = "", **dims) -> Slice:
    return Slice(stage=stage, direction=Direction.INCOME, **dims)


# The adjusted budget is reported only for the unit as a whole (the self-evaluation's 全年预算数).
ADJUSTED_BUDGET = Slice(stage=Stage.ADJUSTED_BUDGET, scheme=UNIT_WIDE)


@dataclass(frozen=True)
class Level:
    """Group by subject code cut to a level of a scheme: 0 类, 1 款, 2 项 (functional only)."""

    scheme: str
    index: int

    @property
    def length(self) -> int:
        return LEVEL_LENGTHS[Scheme(self.scheme)][self.index]


# Names accepted in `by=`, and the field each groups by.
GROUPS = {
    "unit": "unit__code",
    "department": "unit__parent__code",  # the code of the unit's parent (部门)
    # The parent's id: the same groups as "department" without joining the parent's row to
    # every fact (the city's year: 25,000 facts summed in about half the time).
    "department_id": "unit__parent_id",
    "year": "publication__year",
    "publication": "publication_id",
    "stage": "stage",
    "direction": "direction",
    "scheme": "subject__scheme",
    "code": "subject__code",
    "expenditure_type": "expenditure_type",
    "expense_class": "expense_class",
    "fund_source": "fund_source",
}
CODE = "code"  # the key of a Level group in result rows


def facts_of(
    *,
    publications: Iterable | None = None,
    units: Iterable | None = None,
    unit_codes: Iterable[str] | None = None,
    year: int | None = None,
    published: bool = True,
) -> QuerySet:
    """The facts a sum is taken over.

    `publications` (ids or objects) are taken as given: the caller chose them (a page's Scope
    holds published ones; a check looks at a draft and its sibling). Otherwise facts of `units`
    (ids or objects) or `unit_codes`, in `year`, of published publications unless
    `published=False` (checks before publishing)."""
    if publications is not None:
        ids = [getattr(p, "pk", p) for p in publications]
        return Fact.objects.filter(publication_id__in=ids)
    facts = Fact.objects.published() if published else Fact.objects.all()
    if units is not None:
        facts = facts.filter(unit_id__in=[getattr(u, "pk", u) for u in units])
    if unit_codes is not None:
        facts = facts.filter(unit__code__in=list(unit_codes))
    if year is not None:
        facts = facts.filter(publication__year=year)
    return facts


def _aggregates(slices: Mapping[str, Slice]) -> dict:
    return {name: Sum("amount", filter=piece.q) for name, piece in slices.items()}


def _aggregates_within(slices: Mapping[str, Slice]) -> dict:
    """The sums of the slices over facts already filtered by `_any_of(slices)`: a dimension
    with the same value in every slice is then true of every fact (the WHERE is C AND (A1 OR
    A2 …)), so each FILTER keeps only the dimensions in which the slices differ. The city's
    year: the same sums of 25,000 facts a quarter faster than with every condition per row."""
    differing = [
        name
        for name in SLICE_FIELDS
        if len({getattr(piece, name) for piece in slices.values()}) > 1
    ]
    aggregates = {}
    for name, piece in slices.items():
        q = piece.q_of(differing)
        aggregates[name] = Sum("amount", filter=q) if q else Sum("amount")
    return aggregates


def _any_of(slices: Mapping[str, Slice]) -> Q:
    combined = Q(pk__in=[])
    for piece in slices.values():
        combined |= piece.q
    return combined


def _group_fields(facts: QuerySet, by: Sequence, slices: Mapping[str, Slice]):
    names = []
    for key in by:
        if isinstance(key, Level):
            if any(piece.scheme != key.scheme for piece in slices.values()):
                raise MixedBreakdowns("Codes of one classification group sums of that one only.")
            facts = facts.annotate(**{CODE: Substr("subject__code", 1, key.length)})
            names.append(CODE)
        elif key in GROUPS:
            names.append(GROUPS[key])
        else:
            raise ValueError(f"cannot group by {key!r}; use one of {sorted(GROUPS)} or Level")
    return facts, names


def sums(
    facts: QuerySet,
    slices: Mapping[str, Slice],
    by: Sequence = (),
    extra: Mapping[str, Aggregate] | None = None,
) -> dict:
    """Sum of the facts in each slice, in one query; amounts in 万元, None for nothing printed.

    Without `by`: {slice name: sum}. With `by` (names of GROUPS, or a Level): {group key:
    {slice name: sum}} in key order, the key a value or, for several groups, a tuple; only
    groups holding a fact of some slice appear. `extra` adds other aggregates per group (e.g.
    Max("expense_class")).
    """
    facts = facts.order_by()
    if not by:
        return facts.aggregate(**{**_aggregates(slices), **(extra or {})})
    aggregates = {**_aggregates_within(slices), **(extra or {})}
    facts, names = _group_fields(facts.filter(_any_of(slices)), by, slices)
    rows = facts.values(*names).annotate(**aggregates).order_by(*names)
    found = {}
    for row in rows:
        key = tuple(row[name] for name in names)
        found[key[0] if len(key) == 1 else key] = {name: row[name] for name in aggregates}
    return found


def total(facts: QuerySet, piece: Slice) -> Decimal | None:
    """Sum of the facts in one slice, in 万元; None when nothing in it is printed."""
    return sums(facts, {"total": piece})["total"]


def total_if_reported(
    facts: QuerySet, reported: Slice, piece: Slice
) -> tuple[bool, Decimal | None]:
    """(whether any fact of `reported` exists, sum of `piece`) in one query: a check derives a
    printed total only where the publication reports that breakdown at all."""
    found = facts.order_by().aggregate(
        reported=Count("pk", filter=reported.q), total=Sum("amount", filter=piece.q)
    )
    return bool(found["reported"]), found["total"]


def by_code(
    facts: QuerySet,
    scheme: str,
    slices: Mapping[str, Slice],
    prefix: str = "",
    extra: Mapping[str, Aggregate] | None = None,
) -> list[dict]:
    """Sums for every code of `scheme` and every prefix of it at each level (类, 款, 项), in
    one query; with `prefix`, the levels from its own down, for it and the codes below it.
    Rows are {"code": …, slice name: sum, …}, unordered. `extra` may add Max, Min or Count.

    The database sums the facts once, by their own codes; each level's row is then the sum of
    the rows of the codes it starts (exact: Decimal sums of exact sums; blank while every part
    is blank), where a UNION of one grouping per level read the same facts once per level.
    """
    return _by_code(facts, scheme, slices, prefix, extra)[0]


def by_code_and(
    facts: QuerySet, scheme: str, slices: Mapping[str, Slice], by: str
) -> tuple[list[dict], dict]:
    """by_code's rows and, from the same query, `sums(facts, slices, by=(by,))`: the facts are
    grouped by their code and `by` (a GROUPS name, e.g. "unit"), and each group's sums are the
    sums of its codes' rows. A department's year gets its units' totals and its subject tree
    from one reading of its facts instead of two."""
    return _by_code(facts, scheme, slices, "", None, by)


def _by_code(facts, scheme, slices, prefix, extra, by=None) -> tuple[list[dict], dict]:
    pieces = {name: piece.but(code_prefix=prefix) for name, piece in slices.items()}
    if any(piece.scheme != scheme for piece in pieces.values()):
        raise MixedBreakdowns("by_code sums one classification at a time.")
    facts = facts.order_by().filter(_any_of(pieces))
    aggregates = {**_aggregates_within(pieces), **(extra or {})}
    combine = {name: _ROLL_UP[type(aggregate)] for name, aggregate in aggregates.items()}
    lengths = [n for n in LEVEL_LENGTHS[Scheme(scheme)] if n >= len(prefix)]

    def add(into: dict, key, row: dict, first: dict) -> None:
        found = into.get(key)
        if found is None:
            into[key] = {**first, **{name: row[name] for name in aggregates}}
        else:
            for name in aggregates:
                found[name] = combine[name](found[name], row[name])

    levels: dict[tuple[int, str], dict] = {}
    groups: dict = {}
    if by is None:
        rows = facts.values(CODE_FIELD).annotate(**aggregates)
    else:
        rows = facts.values(CODE_FIELD, GROUPS[by]).annotate(**aggregates)
    for row in rows:
        code = row[CODE_FIELD]
        for length in lengths:
            # Keyed by level too: a code shorter than a level counts at that level as itself,
            # as a grouping by the code cut to that length would.
            add(levels, (length, code[:length]), row, {CODE: code[:length]})
        if by is not None:
            add(groups, row[GROUPS[by]], row, {})
    return list(levels.values()), groups


def _either(a, b, pick):
    """Two parts of a total: blank only when both are."""
    if a is None:
        return b
    return a if b is None else pick(a, b)


CODE_FIELD = "subject__code"
_ROLL_UP = {
    Sum: lambda a, b: _either(a, b, lambda x, y: x + y),
    Count: lambda a, b: a + b,
    Max: lambda a, b: _either(a, b, max),
    Min: lambda a, b: _either(a, b, min),
}


# -- stage totals -------------------------------------------------------------------------


@dataclass(frozen=True)
class StageTotals:
    """Expenditure totals by stage in 万元: initial budget and final by the functional
    breakdown (split basic/project), personnel and public funds by the economic breakdown, and
    the adjusted budget as reported for the whole unit."""

    initial: Decimal | None
    initial_basic: Decimal | None
    initial_project: Decimal | None
    final: Decimal | None
    final_basic: Decimal | None
    final_project: Decimal | None
    adjusted: Decimal | None
    initial_personnel: Decimal | None = None
    initial_public: Decimal | None = None
    final_personnel: Decimal | None = None
    final_public: Decimal | None = None

    @property
    def completion_rate(self) -> Decimal | None:
        """Final ÷ initial budget (完成年初预算), as the final accounts' explanation states it."""
        return rate(self.final, self.initial, of=Denominator.INITIAL_BUDGET)

    @property
    def execution_rate(self) -> Decimal | None:
        """Final ÷ adjusted budget (执行率), as the self-evaluation states it."""
        return rate(self.final, self.adjusted, of=Denominator.ADJUSTED_BUDGET)

    @property
    def difference(self) -> Decimal | None:
        """Final minus initial budget."""
        if self.final is None or self.initial is None:
            return None
        return self.final - self.initial

    @property
    def initial_basic_share(self) -> Decimal | None:
        return rate(self.initial_basic, self.initial, of=Denominator.WHOLE)

    @property
    def initial_project_share(self) -> Decimal | None:
        return rate(self.initial_project, self.initial, of=Denominator.WHOLE)

    @property
    def final_basic_share(self) -> Decimal | None:
        return rate(self.final_basic, self.final, of=Denominator.WHOLE)

    @property
    def final_project_share(self) -> Decimal | None:
        return rate(self.final_project, self.final, of=Denominator.WHOLE)


_INITIAL, _FINAL = Stage.INITIAL_BUDGET, Stage.FINAL
_BASIC, _PROJECT = ExpenditureType.BASIC, ExpenditureType.PROJECT
STAGE_TOTAL_SLICES = {
    "initial": functional(_INITIAL),
    "initial_basic": functional(_INITIAL, expenditure_type=_BASIC),
    "initial_project": functional(_INITIAL, expenditure_type=_PROJECT),
    "final": functional(_FINAL),
    "final_basic": functional(_FINAL, expenditure_type=_BASIC),
    "final_project": functional(_FINAL, expenditure_type=_PROJECT),
    "adjusted": ADJUSTED_BUDGET,
    "initial_personnel": economic(_INITIAL, expense_class=ExpenseClass.PERSONNEL),
    "initial_public": economic(_INITIAL, expense_class=ExpenseClass.PUBLIC),
    "final_personnel": economic(_FINAL, expense_class=ExpenseClass.PERSONNEL),
    "final_public": economic(_FINAL, expense_class=ExpenseClass.PUBLIC),
}


def stage_totals(facts: QuerySet) -> StageTotals:
    """The stage totals of some facts (see facts_of), in one query."""
    return StageTotals(**sums(facts, STAGE_TOTAL_SLICES))


def stage_totals_by(facts: QuerySet, by: Sequence = ("unit",)) -> dict:
    """{group key: StageTotals} in one query, e.g. each unit of a department (by unit code)."""
    return {key: StageTotals(**row) for key, row in sums(facts, STAGE_TOTAL_SLICES, by).items()}


# -- the three public expenses ------------------------------------------------------------


def three_public_expenses(
    *, publications: Iterable | None = None, units: Iterable | None = None, year=None
) -> QuerySet:
    """三公 records of some publications (as given), or of units in a year (published only)."""
    if publications is not None:
        ids = [getattr(p, "pk", p) for p in publications]
        return ThreePublicExpense.objects.filter(publication_id__in=ids)
    expenses = ThreePublicExpense.objects.published()
    if units is not None:
        expenses = expenses.filter(unit_id__in=[getattr(u, "pk", u) for u in units])
    if year is not None:
        expenses = expenses.filter(publication__year=year)
    return expenses


def three_public_sums(expenses: QuerySet, stages: Iterable[str]) -> dict:
    """{(group, stage): sum in 万元} for the total ("") and each THREE_PUBLIC_GROUPS group, in
    one query; None where nothing of it is printed at that stage."""
    groups = {"": None, **THREE_PUBLIC_GROUPS}
    aggregates = {}
    for index, kinds in enumerate(groups.values()):
        for stage in stages:
            condition = Q(stage=stage) if kinds is None else Q(stage=stage, kind__in=kinds)
            aggregates[f"g{index}_{stage}"] = Sum("amount", filter=condition)
    found = expenses.order_by().aggregate(**aggregates)
    return {
        (group, stage): found[f"g{index}_{stage}"]
        for index, group in enumerate(groups)
        for stage in stages
    }


# -- amounts of other records (projects, cost lines) -------------------------------------------


def sum_by(records: QuerySet, by: Sequence[str], amount: str = "amount") -> dict:
    """{key: sum of `amount`} over any records with an exact amount (project amounts, cost
    lines), grouped by the database in one query; a key is a value or a tuple of values."""
    rows = (
        records.order_by()
        .values(*by)
        .annotate(total=Sum(amount))
        .order_by(*by)
        .values_list(*by, "total")
    )
    return {(row[0] if len(by) == 1 else tuple(row[:-1])): row[-1] for row in rows}


def amount_total(records: QuerySet, amount: str = "amount") -> Decimal | None:
    """Sum of `amount` over any records with an exact amount, in 万元; None for none printed."""
    return records.order_by().aggregate(total=Sum(amount))["total"]
