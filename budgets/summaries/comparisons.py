"""Comparisons: one subject of a unit across years, one subject across the units of a
department in a year, and the units like a given one. Amounts in 万元, summed by
budgets.summaries.totals; every function runs a fixed number of queries whatever the number of
units, years or facts."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Q

from budgets.choices import (
    FUND_SOURCE_GROUP_LABELS,
    LEVEL_LENGTHS,
    FigureKind,
    FundSource,
    Measure,
    PublicationKind,
    Scheme,
    Stage,
)
from budgets.crosswalk import codes_by_year
from budgets.models import Publication, PublishedFigure, Subject, Unit
from budgets.rates import Denominator, rate
from budgets.summaries import totals
from budgets.summaries.totals import Level, Slice, StageTotals

STAGES = {"initial": Stage.INITIAL_BUDGET, "final": Stage.FINAL}
FUND_SOURCE_LABELS = {**dict(FundSource.choices), **FUND_SOURCE_GROUP_LABELS}


def level_of(scheme: str, code: str) -> int | None:
    lengths = LEVEL_LENGTHS[Scheme(scheme)]
    return lengths.index(len(code)) if len(code) in lengths else None


def stage_slices(scheme: str, code: str = "") -> dict:
    """Initial budget and final of one subject (and the codes below it) of one breakdown."""
    return {name: Slice(stage, scheme, code_prefix=code) for name, stage in STAGES.items()}


# -- a subject across years, for one unit --------------------------------------------------


@dataclass
class YearRow:
    """One year of a subject: its code that year (the crosswalk follows 科目调整) and its
    initial budget and final, from that year's facts or as a later publication cites them."""

    year: int
    code: str | None
    name: str = ""
    initial: Decimal | None = None
    final: Decimal | None = None
    initial_derived: bool = False
    final_derived: bool = False
    initial_source: str = ""
    final_source: str = ""
    published: bool = False  # whether the unit published this year (facts) or only cited it
    url: str = ""  # the subject's page in that year, set by the view

    @property
    def rate(self) -> Decimal | None:
        """Final ÷ initial budget, in percent."""
        return rate(self.final, self.initial, of=Denominator.INITIAL_BUDGET)

    @property
    def derived(self) -> bool:
        return self.initial_derived or self.final_derived


@dataclass
class SubjectYears:
    unit: Unit
    scheme: str
    code: str
    subject: Subject
    year: int  # the year `code` is read in: the latest published year whose list has it
    rows: list[YearRow] = field(default_factory=list)


def _where(section) -> str:
    kind = PublicationKind(section.publication.kind).label
    return f"{section.publication.year}年{kind}{section.code}"


def subject_years(unit: Unit, scheme: str, code: str) -> SubjectYears | None:
    """Every year the unit has (published or cited by its publications), with the subject's
    initial budget and final, the code followed across years through the crosswalk; None when
    the unit published nothing or `code` is in no list of a year it published. Six queries."""
    published = sorted(
        set(Publication.objects.published().filter(unit=unit).values_list("year", flat=True))
    )
    if not published:
        return None
    # `code` is read in the latest published year whose list has it (a code retired since
    # is still found in the years it had).
    subject = (
        Subject.objects.filter(scheme=scheme, year__in=published, code=code)
        .order_by("-year")
        .first()
    )
    if subject is None:
        return None
    latest = subject.year
    cited = list(
        PublishedFigure.objects.filter(
            section__publication__in=Publication.objects.published().filter(unit=unit),
            measure=Measure.EXPENDITURE,
            scheme=scheme,
            expenditure_type="",
            expense_class="",
            value__isnull=False,
            stage__in=STAGES.values(),
        )
        .exclude(year__in=published)
        .select_related("section__publication")
        .order_by("year", "stage", "kind", "section__order")
    )
    years = sorted({*published, *(figure.year for figure in cited)})
    codes = codes_by_year(scheme, code, latest, years)
    rows = {year: YearRow(year, codes[year], published=year in published) for year in years}
    # An exact code only (printed figures are never added up into a parent's); a figure of all
    # fund sources is preferred to one of a single source, a table's to one the text implies.
    chosen = {}
    for figure in cited:
        row = rows[figure.year]
        if row.code is None or figure.subject_code != row.code:
            continue
        rank = (figure.fund_source != "", figure.kind == FigureKind.DERIVED)
        key = (figure.year, figure.stage)
        if key in chosen and chosen[key] <= rank:
            continue
        chosen[key] = rank
        name = "initial" if figure.stage == Stage.INITIAL_BUDGET else "final"
        source = _where(figure.section)
        if figure.fund_source:
            source += f"（仅{FUND_SOURCE_LABELS.get(figure.fund_source, figure.fund_source)}）"
        setattr(row, name, figure.value)
        setattr(row, f"{name}_derived", figure.kind == FigureKind.DERIVED)
        setattr(row, f"{name}_source", source)
    own = [(year, rows[year].code) for year in published if rows[year].code]
    if own:
        facts = totals.facts_of(units=[unit]).filter(
            reduce(or_, (Q(publication__year=y, subject__code__startswith=c) for y, c in own))
        )
        level = Level(scheme, level_of(scheme, code))
        found = totals.sums(facts, stage_slices(scheme), by=("year", level))
        for year, year_code in own:
            sums = found.get((year, year_code), {})
            row = rows[year]
            row.initial, row.final = sums.get("initial"), sums.get("final")
            row.initial_source = row.final_source = "本年预算、决算的明细相加" if sums else ""
    # A year without a subject list of its own (cited only) takes the code's name from the
    # nearest later list that has it.
    names, latest_names = {}, {}
    for s in Subject.objects.filter(
        scheme=scheme, code__in={r.code for r in rows.values() if r.code}
    ).order_by("year"):
        names[s.year, s.code] = s.name
        latest_names.setdefault(s.code, []).append((s.year, s.name))
    for row in rows.values():
        later = [name for year, name in latest_names.get(row.code, []) if year >= row.year]
        row.name = names.get((row.year, row.code)) or (later[0] if later else "")
    return SubjectYears(unit, scheme, code, subject, latest, list(rows.values()))


# -- a subject across the units of a department ----------------------------------------------


@dataclass
class UnitRow:
    """One unit of a department: its initial budget and final for a subject, and its share of
    the department's total (the sum of its units' facts)."""

    unit: Unit
    initial: Decimal | None
    final: Decimal | None
    initial_share: Decimal | None
    final_share: Decimal | None
    kinds: tuple = ()  # the publications it has published that year: budget, final
    url: str = ""

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def published(self) -> bool:
        return bool(self.kinds)

    @property
    def rate(self) -> Decimal | None:
        return rate(self.final, self.initial, of=Denominator.INITIAL_BUDGET)


@dataclass
class DepartmentSubject:
    department: Unit
    year: int
    scheme: str
    subject: Subject
    rows: list[UnitRow]
    initial: Decimal | None  # the department's total: the sum of its units' facts
    final: Decimal | None

    @property
    def unit_count(self) -> int:
        return len(self.rows)

    @property
    def published_count(self) -> int:
        return sum(1 for row in self.rows if row.published)

    @property
    def complete(self) -> bool:
        """A department's total is complete only when every unit has published."""
        return self.published_count == self.unit_count

    @property
    def rate(self) -> Decimal | None:
        return rate(self.final, self.initial, of=Denominator.INITIAL_BUDGET)

    @property
    def has_example(self) -> bool:
        return any(row.unit.is_example for row in self.rows)


def department_units(department: Unit) -> list[Unit]:
    """The units of a department, in code order (one query)."""
    return list(Unit.objects.filter(parent=department).order_by("code"))


def published_kinds(units, year: int) -> dict:
    """{unit id: (kinds published that year)} in one query."""
    kinds = {}
    for unit_id, kind in (
        Publication.objects.published()
        .filter(unit__in=units, year=year)
        .order_by("kind")
        .values_list("unit_id", "kind")
    ):
        kinds[unit_id] = (*kinds.get(unit_id, ()), kind)
    return kinds


def department_subject(
    department: Unit, year: int, scheme: str, code: str
) -> DepartmentSubject | None:
    """Each unit's initial budget and final for the subject in `year`, its share of the
    department, and the department's total; None when the year's list has no such code.
    Five queries."""
    subject = Subject.objects.filter(scheme=scheme, year=year, code=code).first()
    if subject is None:
        return None
    units = department_units(department)
    kinds = published_kinds(units, year)
    facts = totals.facts_of(units=units, year=year)
    slices = stage_slices(scheme, code)
    by_unit = totals.sums(facts, slices, by=("unit",))
    whole = totals.sums(facts, slices)
    rows = []
    for unit in units:
        sums = by_unit.get(unit.code, {})
        initial, final = sums.get("initial"), sums.get("final")
        rows.append(
            UnitRow(
                unit=unit,
                initial=initial,
                final=final,
                initial_share=rate(initial, whole["initial"], of=Denominator.WHOLE),
                final_share=rate(final, whole["final"], of=Denominator.WHOLE),
                kinds=kinds.get(unit.pk, ()),
            )
        )
    return DepartmentSubject(
        department, year, scheme, subject, rows, whole["initial"], whole["final"]
    )


# -- units like this one -----------------------------------------------------------------------

SIMILAR_LIMIT = 20  # units of the same main 类 shown, the closest in size first
SAME_DEPARTMENT, SAME_CLASS = "同部门", "同一主要类"


@dataclass
class SimilarRow:
    unit: Unit
    totals: StageTotals
    main_class: str = ""
    is_self: bool = False
    group: str = ""  # 同部门 or 同一主要类: which table of the page the row is in
    url: str = ""

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def initial(self) -> Decimal | None:
        return self.totals.initial

    @property
    def final(self) -> Decimal | None:
        return self.totals.final


@dataclass
class Similar:
    unit: Unit
    year: int
    main_class: Subject | None
    same_department: list[SimilarRow]
    same_class: list[SimilarRow]
    same_class_count: int  # how many units share the main 类, before the limit


def _size(row_totals: StageTotals) -> Decimal:
    for amount in (row_totals.final, row_totals.initial):
        if amount is not None:
            return amount
    return Decimal(0)


def main_classes(year: int) -> dict[str, str]:
    """{unit code: its largest functional 类 in `year`} (by final where it has one, else by
    initial budget), for every unit that published that year; one query."""
    by_class = totals.sums(
        totals.facts_of(year=year),
        stage_slices(Scheme.FUNCTIONAL),
        by=("unit", Level(Scheme.FUNCTIONAL, 0)),
    )
    stage_of, best = {}, {}
    for (unit_code, _class_code), sums in by_class.items():
        if sums["final"] is not None:
            stage_of[unit_code] = "final"
    for (unit_code, class_code), sums in by_class.items():
        amount = sums[stage_of.get(unit_code, "initial")]
        if amount is not None and (unit_code not in best or amount > best[unit_code][1]):
            best[unit_code] = (class_code, amount)
    return {unit_code: class_code for unit_code, (class_code, _) in best.items()}


def similar_units(unit: Unit, year: int) -> Similar:
    """The units of the unit's department and the units whose largest functional 类 is the
    unit's, with their stage totals in `year` beside the unit's. Example units (示例数据) are
    compared only with example units and real ones only with real ones, so that nothing
    invented stands beside a real publication. Six queries."""
    classes = main_classes(year)
    main = classes.get(unit.code, "")
    department = unit.parent
    siblings = department_units(department) if department is not None else [unit]
    siblings = [u for u in siblings if u.is_example == unit.is_example]
    candidates = [code for code, class_code in classes.items() if main and class_code == main]
    others = Unit.objects.filter(code__in=candidates, is_example=unit.is_example).exclude(
        pk__in=[u.pk for u in siblings]
    )
    units = {u.code: u for u in (*siblings, *others.select_related("parent"))}
    same_class_codes = [code for code in candidates if code in units]
    stage = totals.stage_totals_by(totals.facts_of(units=list(units.values()), year=year))
    empty = StageTotals(*([None] * 7))

    def row(code, group):
        totals_ = stage.get(code, empty)
        return SimilarRow(units[code], totals_, classes.get(code, ""), code == unit.code, group)

    same_department = [row(u.code, SAME_DEPARTMENT) for u in siblings]
    mine = _size(stage.get(unit.code, empty))
    same_class = sorted(
        (row(code, SAME_CLASS) for code in same_class_codes if code in units),
        key=lambda r: (not r.is_self, abs(_size(r.totals) - mine), r.unit.code),
    )
    main_subject = (
        Subject.objects.filter(scheme=Scheme.FUNCTIONAL, year=year, code=main).first()
        if main
        else None
    )
    return Similar(
        unit,
        year,
        main_subject,
        same_department,
        same_class[: SIMILAR_LIMIT + 1],
        len(same_class_codes),
    )
