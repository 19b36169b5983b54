"""Totals of earlier years as the publications cite them, beside this year's, by stage."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from budgets.choices import FigureKind, Measure, PublicationKind, Stage
from budgets.models import ProjectAmount, PublishedFigure
from budgets.summaries.expenditure import StageTotals
from budgets.summaries.scope import Scope
from budgets.summaries.totals import sum_by

TOTAL = "total"
PROJECT = "project"


@dataclass(frozen=True)
class HistoryPoint:
    """One amount in 万元 of a series (the unit's total, or its projects) in a year and stage.

    `derived` marks a figure the publications only imply (the 2023 final total 1033.09 from
    "减少301.09万元"); `source` says where it is printed or implied."""

    series: str
    year: int
    stage: str
    amount: Decimal
    derived: bool
    source: str


def history(scope: Scope, totals: StageTotals) -> list[HistoryPoint]:
    """Earlier years as cited by this year's publications, then this year from its facts."""
    points = {}
    cited = (
        PublishedFigure.objects.filter(
            section__publication_id__in=scope.publication_ids,
            measure=Measure.EXPENDITURE,
            year__lt=scope.year,
            subject_code="",
            expenditure_type="",
            expense_class="",
            value__isnull=False,
        )
        .filter(Q(fund_source="") | Q(fund_source="fiscal"))
        .select_related("section__publication")
        .order_by("year", "stage", "kind", "section__order")
    )
    for figure in cited:
        key = (TOTAL, figure.year, figure.stage)
        # A figure printed in a table is preferred to the same figure implied by the text.
        if key not in points or (points[key].derived and figure.kind != FigureKind.DERIVED):
            points[key] = HistoryPoint(
                series=TOTAL,
                year=figure.year,
                stage=figure.stage,
                amount=figure.value,
                derived=figure.kind == FigureKind.DERIVED,
                source=_where(figure.section),
            )
    for stage, amount in ((Stage.INITIAL_BUDGET, totals.initial), (Stage.FINAL, totals.final)):
        if amount is not None:
            points[(TOTAL, scope.year, stage)] = HistoryPoint(
                TOTAL, scope.year, stage, amount, False, _("本年预算、决算的明细相加")
            )
    project_totals = sum_by(
        ProjectAmount.objects.filter(publication_id__in=scope.publication_ids), ("year", "stage")
    )
    for (year, stage), amount in project_totals.items():
        if amount is not None and stage != Stage.ADJUSTED_BUDGET:
            points[(PROJECT, year, stage)] = HistoryPoint(
                PROJECT, year, stage, amount, False, _("各年项目金额（见项目支出页）")
            )
    stage_order = {stage: index for index, stage in enumerate(Stage.values)}
    return sorted(points.values(), key=lambda p: (p.series != TOTAL, p.year, stage_order[p.stage]))


def _where(section) -> str:
    kind = PublicationKind(section.publication.kind).label
    return _("%(year)s年%(kind)s%(code)s") % {
        "year": section.publication.year,
        "kind": kind,
        "code": section.code,
    }
