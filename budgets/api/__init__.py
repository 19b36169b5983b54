"""The read-only JSON API of published data (its JSON in budgets.serializers). Every list has
a stable order among a few named ones and bounded pages; bad values and unknown parameters are
a 400 naming them; every error is JSON with a Chinese `detail` (budgets.api.errors)."""

from budgets.api.publications import (
    CorrectionViewSet,
    CostLineViewSet,
    ProcurementViewSet,
    QualityViewSet,
    ThreePublicViewSet,
)
from budgets.api.records import (
    EvaluationItemViewSet,
    IndicatorTargetViewSet,
    LineViewSet,
    ProjectViewSet,
    SubjectViewSet,
    UnitViewSet,
)
from budgets.api.routes import SchemaView, router
from budgets.api.totals import TotalsViewSet

__all__ = [
    "CorrectionViewSet",
    "CostLineViewSet",
    "EvaluationItemViewSet",
    "IndicatorTargetViewSet",
    "LineViewSet",
    "ProcurementViewSet",
    "ProjectViewSet",
    "QualityViewSet",
    "SchemaView",
    "SubjectViewSet",
    "ThreePublicViewSet",
    "TotalsViewSet",
    "UnitViewSet",
    "router",
]
