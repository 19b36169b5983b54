"""Performance targets and self-evaluations, with totals summed by the database."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Sum

from budgets.models import IndicatorTarget, PerformancePlan, PublishedFigure, SelfEvaluation
from budgets.summaries.scope import Scope


@dataclass
class EvaluationCard:
    """A self-evaluation with its items and its total score summed by the database."""

    evaluation: object
    items: list
    total_score: Decimal | None
    total_weight: Decimal | None
    published_total: Decimal | None


def performance_plans(scope: Scope) -> list:
    return list(
        PerformancePlan.objects.filter(section__publication_id__in=scope.publication_ids)
        .select_related("section__publication", "project")
        .prefetch_related(
            Prefetch(
                "targets",
                IndicatorTarget.objects.prefetch_related("prior_values").order_by("order"),
            )
        )
        .order_by("section__order")
    )


def evaluation_cards(scope: Scope) -> list[EvaluationCard]:
    evaluations = list(
        SelfEvaluation.objects.filter(section__publication_id__in=scope.publication_ids)
        .select_related("section__publication", "project")
        .prefetch_related("items")
        .annotate(total_score=Sum("items__score"), total_weight=Sum("items__weight"))
        .order_by("section__order")
    )
    published = dict(
        PublishedFigure.objects.filter(
            section_id__in=[e.section_id for e in evaluations], measure="score", row_label="总分"
        ).values_list("section_id", "value")
    )
    return [
        EvaluationCard(
            evaluation=evaluation,
            items=list(evaluation.items.all()),
            total_score=evaluation.total_score,
            total_weight=evaluation.total_weight,
            published_total=published.get(evaluation.section_id),
        )
        for evaluation in evaluations
    ]
