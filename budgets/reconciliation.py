"""Compare what a publication prints with what its facts add up to.

Every total, narrative amount and rate a publication prints is kept as a PublishedFigure.
`derive()` recomputes a figure from the stored facts with a database aggregate (never from
other printed figures), and `reconcile()` lists each figure with its derived value and whether
the two agree. Rates are compared at the precision they are printed with.

This runs one aggregate per figure; it is for checks and reports, not for public pages.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, Sum

from budgets.choices import (
    FUND_SOURCE_GROUPS,
    THREE_PUBLIC_GROUPS,
    Direction,
    Measure,
    Stage,
)
from budgets.models import (
    Correction,
    EvaluationItem,
    Fact,
    ProjectAmount,
    PublishedFigure,
    SelfEvaluation,
    ThreePublicExpense,
    Unit,
)
from budgets.rates import Denominator, rate
from budgets.summaries import totals

NOT_DERIVABLE = object()


class Status:
    MATCH = "match"
    MISMATCH = "mismatch"
    BLANK_VS_ZERO = "blank_vs_zero"  # one side blank (not published), the other states zero
    NOT_DERIVABLE = "not_derivable"


@dataclass(frozen=True)
class Reconciled:
    figure: PublishedFigure
    derived: Decimal | None
    status: str


def unit_codes(unit: Unit) -> list[str]:
    """The unit's code and those of every unit below it."""
    children = {}
    for code, parent in Unit.objects.values_list("code", "parent__code"):
        children.setdefault(parent, []).append(code)
    codes, pending = [], [unit.code]
    while pending:
        code = pending.pop()
        codes.append(code)
        pending.extend(children.get(code, []))
    return codes


def derive_amount(measure: str, dims: dict, units: list[str]):
    """Sum of the stored amounts that `dims` describes (keys as on PublishedFigure), in 万元,
    whatever the publications' status; NOT_DERIVABLE when the units report nothing of that
    measure, stage and breakdown in that year."""
    year, stage = dims["year"], dims["stage"]
    if measure in (Measure.EXPENDITURE, Measure.INCOME):
        facts = totals.facts_of(unit_codes=units, year=year, published=False)
        if measure == Measure.EXPENDITURE:
            # A printed total without a breakdown is the unit-wide figure (the adjusted budget).
            reported = totals.Slice(stage=stage, scheme=dims.get("scheme") or totals.UNIT_WIDE)
        else:
            reported = totals.income(stage)
        code = dims.get("subject_code", "")
        piece = reported.but(
            scheme=dims.get("scheme") if code else reported.scheme,
            code_prefix=code,
            expenditure_type=dims.get("expenditure_type", ""),
            expense_class=dims.get("expense_class", ""),
            fund_source=dims.get("fund_source", ""),
        )
        found, amount = totals.total_if_reported(facts, reported, piece)
        return amount if found else NOT_DERIVABLE
    if measure == Measure.THREE_PUBLIC:
        scope = ThreePublicExpense.objects.filter(
            unit__code__in=units, publication__year=year, stage=stage
        )
        if not scope.exists():
            return NOT_DERIVABLE
        kind = dims.get("three_public_kind", "")
        if kind:
            scope = scope.filter(kind__in=totals.three_public_kinds(kind))
        return totals.amount_total(scope)
    if measure == Measure.PROJECT:
        scope = ProjectAmount.objects.filter(year=year, stage=stage)
        if dims.get("project"):
            scope = scope.filter(project_id=dims["project"])
        else:
            scope = scope.filter(project__unit__code__in=units)
        if not scope.exists():
            return NOT_DERIVABLE
        if dims.get("fund_source"):
            scope = scope.filter(fund_source__in=totals.fund_sources(dims["fund_source"]))
        return totals.amount_total(scope)
    return NOT_DERIVABLE


def _figure_dims(figure: PublishedFigure) -> dict:
    return {
        "year": figure.year,
        "stage": figure.stage,
        "scheme": figure.scheme,
        "subject_code": figure.subject_code,
        "expenditure_type": figure.expenditure_type,
        "expense_class": figure.expense_class,
        "fund_source": figure.fund_source,
        "three_public_kind": figure.three_public_kind,
        "project": figure.project_id,
    }


def _rate(numerator, denominator, of: Denominator):
    if numerator is NOT_DERIVABLE or denominator is NOT_DERIVABLE:
        return NOT_DERIVABLE
    derived = rate(numerator, denominator, of=of)
    return NOT_DERIVABLE if derived is None else derived


def _evaluation_for(figure: PublishedFigure):
    return SelfEvaluation.objects.filter(section=figure.section_id).first()


def derive(figure: PublishedFigure, units: list[str] | None = None):
    """The figure's value recomputed from stored facts, or NOT_DERIVABLE."""
    units = units if units is not None else unit_codes(figure.unit)
    dims = _figure_dims(figure)
    measure = figure.measure
    if measure in (Measure.EXPENDITURE, Measure.INCOME, Measure.THREE_PUBLIC, Measure.PROJECT):
        return derive_amount(measure, dims, units)
    if measure == Measure.COMPLETION_RATE:
        base = Measure.THREE_PUBLIC if figure.three_public_kind else Measure.EXPENDITURE
        final = derive_amount(base, {**dims, "stage": Stage.FINAL}, units)
        initial = derive_amount(base, {**dims, "stage": Stage.INITIAL_BUDGET}, units)
        return _rate(final, initial, Denominator.INITIAL_BUDGET)
    if measure == Measure.EXECUTION_RATE:
        if figure.project_id:
            executed = derive_amount(Measure.PROJECT, {**dims, "stage": Stage.FINAL}, units)
            budget = derive_amount(Measure.PROJECT, {**dims, "stage": Stage.ADJUSTED_BUDGET}, units)
        else:
            executed = derive_amount(
                Measure.EXPENDITURE, {**dims, "stage": Stage.FINAL, "scheme": "functional"}, units
            )
            budget = derive_amount(
                Measure.EXPENDITURE, {**dims, "stage": Stage.ADJUSTED_BUDGET, "scheme": ""}, units
            )
        return _rate(executed, budget, Denominator.ADJUSTED_BUDGET)
    if measure in (Measure.SCORE, Measure.WEIGHT):
        evaluation = _evaluation_for(figure)
        if evaluation is None:
            return NOT_DERIVABLE
        items = EvaluationItem.objects.filter(evaluation=evaluation)
        if measure == Measure.SCORE:
            if figure.row_label != "总分":
                return NOT_DERIVABLE
            return items.aggregate(total=Sum("score"))["total"]
        label = figure.row_label
        matching = items.filter(Q(level1=label) | Q(level2=label))
        if label == EvaluationItem.Kind.BUDGET_EXECUTION.label:
            matching = items.filter(kind=EvaluationItem.Kind.BUDGET_EXECUTION)
        if not matching.exists():
            return NOT_DERIVABLE
        return matching.aggregate(total=Sum("weight"))["total"]
    return NOT_DERIVABLE


def printed_places(figure: PublishedFigure) -> int:
    """Decimal places the figure is printed with ("87%" → 0, "101.5%" → 1)."""
    text = "".join(figure.printed_text.split()).replace(",", ".")
    digits = text.rstrip("%分").split(".")
    return len(digits[1]) if len(digits) == 2 and digits[1].isdigit() else 0


def compare(figure: PublishedFigure, derived) -> str:
    if derived is NOT_DERIVABLE:
        return Status.NOT_DERIVABLE
    printed = figure.value
    if figure.measure in (Measure.COMPLETION_RATE, Measure.EXECUTION_RATE) and derived is not None:
        exponent = Decimal(1).scaleb(-printed_places(figure))
        derived = derived.quantize(exponent, rounding=ROUND_HALF_UP)
    if printed == derived:
        return Status.MATCH
    if (printed is None and derived == 0) or (derived is None and printed == 0):
        return Status.BLANK_VS_ZERO
    return Status.MISMATCH


def reconcile(figures) -> list[Reconciled]:
    """Each figure with its derived value (rates rounded as printed) and the comparison."""
    results = []
    unit_scopes = {}
    for figure in figures.select_related("section", "unit"):
        units = unit_scopes.setdefault(figure.unit_id, unit_codes(figure.unit))
        derived = derive(figure, units)
        status = compare(figure, derived)
        shown = None if derived is NOT_DERIVABLE else derived
        if shown is not None and figure.measure in (
            Measure.COMPLETION_RATE,
            Measure.EXECUTION_RATE,
        ):
            shown = shown.quantize(Decimal(1).scaleb(-printed_places(figure)), ROUND_HALF_UP)
        results.append(Reconciled(figure=figure, derived=shown, status=status))
    return results


# -- corrections: which printed totals add up a corrected record --------------------------


def _units_above(unit_id) -> list[int]:
    """The unit and every unit above it: the units whose totals include its figures."""
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    found = []
    while unit_id is not None and unit_id not in found:
        found.append(unit_id)
        unit_id = parents.get(unit_id)
    return found


def _grouped(value: str, groups: dict) -> list[str]:
    """The printed values that include `value`: blank (all), itself, and its groups."""
    return ["", value, *(name for name, members in groups.items() if value in members)]


def figures_adding_up(record):
    """The printed money figures whose derived value (derive_amount) sums `record`, a Fact,
    ThreePublicExpense or ProjectAmount: the totals that a change of its amount moves. The
    inverse of derive_amount's filters, in one query."""
    figures = PublishedFigure.objects.select_related("section")
    if isinstance(record, Fact):
        subject = record.subject
        found = figures.filter(
            measure=Measure.EXPENDITURE
            if record.direction == Direction.EXPENDITURE
            else Measure.INCOME,
            year=record.publication.year,
            stage=record.stage,
            unit__in=_units_above(record.unit_id),
            expenditure_type__in=["", record.expenditure_type],
            expense_class__in=["", record.expense_class],
            fund_source__in=_grouped(record.fund_source, FUND_SOURCE_GROUPS),
        )
        prefixes = [subject.code[:n] for n in range(1, len(subject.code) + 1)] if subject else []
        found = found.filter(subject_code__in=["", *prefixes])
        if record.direction == Direction.EXPENDITURE:
            found = found.filter(scheme=subject.scheme if subject else "")
        return found
    if isinstance(record, ThreePublicExpense):
        return figures.filter(
            measure=Measure.THREE_PUBLIC,
            year=record.publication.year,
            stage=record.stage,
            unit__in=_units_above(record.unit_id),
            three_public_kind__in=_grouped(record.kind, THREE_PUBLIC_GROUPS),
        )
    if isinstance(record, ProjectAmount):
        return figures.filter(
            Q(project=record.project_id)
            | Q(project=None, unit__in=_units_above(record.project.unit_id)),
            measure=Measure.PROJECT,
            year=record.year,
            stage=record.stage,
            fund_source__in=_grouped(record.fund_source, FUND_SOURCE_GROUPS),
        )
    return figures.none()


AMOUNT_MODELS = (Fact, ThreePublicExpense, ProjectAmount)


def totals_awaiting_correction(publication) -> dict:
    """{printed figure pk: Correction} for the publication's printed totals that add up a
    record corrected after the figure itself was last corrected (or never): a gap between
    such a total and its lines was made by the correction, not by rounding."""
    kinds = ContentType.objects.get_for_models(*AMOUNT_MODELS, PublishedFigure)
    by_kind = {content_type.pk: model for model, content_type in kinds.items()}
    corrections = Correction.objects.filter(
        publication__year=publication.year,
        content_type__in=[kinds[model] for model in AMOUNT_MODELS],
    ).order_by("corrected_at", "pk")
    awaiting = {}
    for correction in corrections:
        record = by_kind[correction.content_type_id]._default_manager.filter(
            pk=correction.object_id
        )
        record = record.first()
        if record is None:
            continue
        totals = figures_adding_up(record).filter(section__publication=publication)
        for pk in totals.values_list("pk", flat=True):
            awaiting[pk] = correction  # the latest, corrections being in time order
    own = Correction.objects.filter(
        content_type=kinds[PublishedFigure], object_id__in=list(awaiting)
    ).values_list("object_id", "corrected_at")
    for pk, corrected_at in own:
        if pk in awaiting and corrected_at >= awaiting[pk].corrected_at:
            del awaiting[pk]
    return awaiting
