"""Department (部门) and city roll-ups: sums of the units' published facts, through the one
aggregation path (summaries/totals.py). Amounts in 万元; initial budget (年初预算) and final
(决算) by the functional breakdown, economic totals by the economic breakdown, never added
together. A department's total is complete only when every unit has published: each roll-up
says how many have.

Every function runs a fixed number of queries whatever the number of units."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from budgets.choices import LEVEL_LENGTHS, PublicationKind, Scheme, Stage
from budgets.models import Publication, Subject, Unit
from budgets.rates import Denominator, percent_text, rate
from budgets.summaries import totals

INITIAL_AND_FINAL = {
    "functional": {
        "initial": totals.functional(Stage.INITIAL_BUDGET),
        "final": totals.functional(Stage.FINAL),
    },
    "economic": {
        "initial": totals.economic(Stage.INITIAL_BUDGET),
        "final": totals.economic(Stage.FINAL),
    },
}


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    """Blank plus blank is blank; blank plus an amount is the amount."""
    if a is None:
        return b
    return a if b is None else a + b


@dataclass
class Amounts:
    """Initial budget and final in 万元, with the rate of the final to the initial budget."""

    initial: Decimal | None = None
    final: Decimal | None = None

    @property
    def rate(self) -> Decimal | None:
        return rate(self.final, self.initial, of=Denominator.INITIAL_BUDGET)

    @property
    def rate_text(self) -> str:
        return percent_text(self.rate)

    @property
    def difference(self) -> Decimal | None:
        if self.initial is None or self.final is None:
            return None
        return self.final - self.initial

    def add(self, other: "Amounts") -> None:
        self.initial = _add(self.initial, other.initial)
        self.final = _add(self.final, other.final)


@dataclass
class Publishing:
    """How many of a department's units have published a year's budget and final accounts."""

    units: int = 0
    budgets: int = 0
    finals: int = 0

    @property
    def complete(self) -> bool:
        return self.budgets == self.units and self.finals == self.units

    @property
    def text(self) -> str:
        return _("%(units)s 个单位中 %(budgets)s 个已公开预算、%(finals)s 个已公开决算") % {
            "units": self.units,
            "budgets": self.budgets,
            "finals": self.finals,
        }


@dataclass
class UnitRow(Amounts):
    """One unit of a department in a year, its share of the department's totals."""

    unit: Unit | None = None
    code: str = ""
    name: str = ""
    budget_published: bool = False
    final_published: bool = False
    initial_share: Decimal | None = None
    final_share: Decimal | None = None
    url: str = ""

    @property
    def published_text(self) -> str:
        parts = [(_("预算"), self.budget_published), (_("决算"), self.final_published)]
        shown = [label for label, published in parts if published]
        return _("、").join(shown) if shown else _("未公开")


@dataclass
class SubjectRow(Amounts):
    """A 类 or 款 of the department's total."""

    code: str = ""
    name: str = ""
    level: int = 0
    url: str = ""


@dataclass
class DepartmentYear:
    department: Unit
    year: int
    publishing: Publishing
    total: Amounts
    units: list[UnitRow]
    functional: list[SubjectRow]
    economic: list[SubjectRow]
    years: list[int] = field(default_factory=list)  # every year a unit of it published


@dataclass
class YearRow(Amounts):
    year: int = 0
    publishing: Publishing = field(default_factory=Publishing)
    url: str = ""


def department_or_none(code: str) -> Unit | None:
    return Unit.objects.filter(code=code, kind=Unit.Kind.DEPARTMENT).first()


def _units(department: Unit) -> list[Unit]:
    return list(Unit.objects.filter(parent=department).order_by("code"))


def _publishing(units: list[Unit], year: int | None = None) -> dict:
    """{(unit id, year): {kinds published}} of the units, in one query."""
    published = Publication.objects.published().filter(unit__in=units)
    if year is not None:
        published = published.filter(year=year)
    found = defaultdict(set)
    for unit_id, year_, kind in published.values_list("unit_id", "year", "kind"):
        found[(unit_id, year_)].add(kind)
    return found


def department_years(department: Unit) -> list[YearRow]:
    """Each year in which a unit of the department published, newest first: how many units
    published, and the department's totals (3 queries)."""
    units = _units(department)
    kinds = _publishing(units)
    by_year = totals.sums(
        totals.facts_of(units=units), INITIAL_AND_FINAL["functional"], by=("year",)
    )
    rows = []
    for year in sorted({year for _unit, year in kinds}, reverse=True):
        published = [kinds.get((unit.pk, year), set()) for unit in units]
        sums = by_year.get(year, {})
        rows.append(
            YearRow(
                initial=sums.get("initial"),
                final=sums.get("final"),
                year=year,
                publishing=Publishing(
                    units=len(units),
                    budgets=sum(PublicationKind.BUDGET in k for k in published),
                    finals=sum(PublicationKind.FINAL in k for k in published),
                ),
            )
        )
    return rows


def _subject_rows(rows: list[dict], scheme: str, names: dict) -> list[SubjectRow]:
    """类 and 款 rows in code order (the tree), from by_code's rows."""
    lengths = LEVEL_LENGTHS[Scheme(scheme)][:2]
    found = [
        SubjectRow(
            initial=row["initial"],
            final=row["final"],
            code=row["code"],
            name=names.get((scheme, row["code"]), ""),
            level=lengths.index(len(row["code"])),
        )
        for row in rows
        if row["code"] and len(row["code"]) in lengths
    ]
    return sorted(found, key=lambda row: row.code)


def department_year(department: Unit, year: int) -> DepartmentYear | None:
    """The department's units and totals in a year (5 queries); None when none of its units
    published anything that year."""
    units = _units(department)
    every_year = _publishing(units)  # every year in the same query: the page links them
    kinds = {key: found for key, found in every_year.items() if key[1] == year}
    if not kinds:
        return None
    facts = totals.facts_of(units=units, year=year)
    # The units' totals and the functional tree from one reading of the functional facts.
    functional, by_unit = totals.by_code_and(
        facts,
        Scheme.FUNCTIONAL,
        totals.of_year(INITIAL_AND_FINAL["functional"], year),
        by="unit",
    )
    by_scheme = {
        "functional": functional,
        "economic": totals.by_code(
            facts, Scheme.ECONOMIC, totals.of_year(INITIAL_AND_FINAL["economic"], year)
        ),
    }
    codes = {row["code"] for rows in by_scheme.values() for row in rows if row["code"]}
    names = {
        (scheme, code): name
        for scheme, code, name in Subject.objects.filter(year=year, code__in=codes).values_list(
            "scheme", "code", "name"
        )
    }
    total = Amounts()
    unit_rows = []
    for unit in units:
        sums = by_unit.get(unit.code, {})
        row = UnitRow(
            initial=sums.get("initial"),
            final=sums.get("final"),
            unit=unit,
            code=unit.code,
            name=unit.name,
            budget_published=PublicationKind.BUDGET in kinds.get((unit.pk, year), ()),
            final_published=PublicationKind.FINAL in kinds.get((unit.pk, year), ()),
        )
        total.add(row)
        unit_rows.append(row)
    for row in unit_rows:
        row.initial_share = rate(row.initial, total.initial, of=Denominator.WHOLE)
        row.final_share = rate(row.final, total.final, of=Denominator.WHOLE)
    return DepartmentYear(
        department=department,
        year=year,
        publishing=Publishing(
            units=len(units),
            budgets=sum(row.budget_published for row in unit_rows),
            finals=sum(row.final_published for row in unit_rows),
        ),
        total=total,
        units=unit_rows,
        functional=_subject_rows(by_scheme["functional"], Scheme.FUNCTIONAL, names),
        economic=_subject_rows(by_scheme["economic"], Scheme.ECONOMIC, names),
        years=sorted({year_ for _unit, year_ in every_year}, reverse=True),
    )


@dataclass
class CityRow(Amounts):
    """One department of the city in a year."""

    code: str = ""
    name: str = ""
    name_en: str = ""  # the English name staff gave the department (budgets.i18n)
    is_example: bool = False
    publishing: Publishing = field(default_factory=Publishing)
    url: str = ""


def city_years() -> list[int]:
    """Years with a published publication, newest first (1 query)."""
    return sorted(
        set(Publication.objects.published().order_by().values_list("year", flat=True).distinct()),
        reverse=True,
    )


def city_year(year: int) -> list[CityRow]:
    """Every department with its units' totals in the year (3 queries), summed by the
    database: one row per department, never per unit or fact."""
    departments = list(
        Unit.objects.filter(kind=Unit.Kind.DEPARTMENT)
        .annotate(unit_count=Count("children"))
        .order_by("is_example", "code")
    )
    published = (
        Publication.objects.published()
        .filter(year=year)
        .order_by()
        .values("unit__parent_id")
        .annotate(
            budgets=Count("pk", filter=Q(kind=PublicationKind.BUDGET)),
            finals=Count("pk", filter=Q(kind=PublicationKind.FINAL)),
        )
    )
    counts = {row["unit__parent_id"]: row for row in published}
    # Summed by department (the units' parent, as the publishing counts above and the
    # department pages count them), from the year's subjects: ~25,000 of a million facts,
    # read from one index, grouped by the parent's id (no join to the parent's row).
    by_department = totals.sums(
        totals.facts_of(year=year),
        totals.of_year(INITIAL_AND_FINAL["functional"], year),
        by=("department_id",),
    )
    rows = {}
    for department in departments:
        sums = by_department.get(department.pk, {})
        rows[department.code] = CityRow(
            initial=sums.get("initial"),
            final=sums.get("final"),
            code=department.code,
            name=department.name,
            name_en=department.name_en,
            is_example=department.is_example,
            publishing=Publishing(
                units=department.unit_count,
                budgets=counts.get(department.pk, {}).get("budgets", 0),
                finals=counts.get(department.pk, {}).get("finals", 0),
            ),
        )
    return [row for row in rows.values() if row.publishing.budgets or row.publishing.finals]
