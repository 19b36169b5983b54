"""The API's addresses and its root page."""

from django.db.models import Max
from django.urls import reverse
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from budgets.api.base import KnownParameters
from budgets.api.figures import FigureViewSet
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
from budgets.api.totals import TotalsViewSet
from budgets.models import Publication


class APIRoot(KnownParameters, routers.APIRootView):
    """预决算公开平台的只读 API。OpenAPI 描述见 schema，逐条数据也可批量下载（/data/）。"""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        links = dict(response.data)
        # Django's reverse: DRF's carries ?format=api over to the schema, which has no such
        # format (a 404 from the browsable root).
        links["schema"] = request.build_absolute_uri(reverse("api-schema"))
        # The totals need a year and a breakdown: the root links to those of the latest year.
        latest = Publication.objects.published().aggregate(latest=Max("year"))["latest"]
        for name, value in (("breakdown", "functional"), ("year", latest)):
            if value is not None:
                links["totals"] = replace_query_param(links["totals"], name, value)
        links["downloads"] = request.build_absolute_uri("/data/")
        return Response(links)


class Router(routers.DefaultRouter):
    APIRootView = APIRoot


router = Router()
router.register("units", UnitViewSet, basename="unit")
router.register("subjects", SubjectViewSet, basename="subject")
router.register("lines", LineViewSet, basename="line")
router.register("totals", TotalsViewSet, basename="total")
router.register("projects", ProjectViewSet, basename="project")
router.register("cost-lines", CostLineViewSet, basename="cost-line")
router.register("purchases", ProcurementViewSet, basename="purchase")
router.register("three-public", ThreePublicViewSet, basename="three-public")
router.register("indicator-targets", IndicatorTargetViewSet, basename="indicator-target")
router.register("indicator-results", EvaluationItemViewSet, basename="indicator-result")
router.register("figures", FigureViewSet, basename="figure")
router.register("corrections", CorrectionViewSet, basename="correction")
router.register("quality", QualityViewSet, basename="quality")


class SchemaView(SpectacularAPIView):
    """The OpenAPI description, named in ASCII: drf-spectacular names the file after the
    Chinese title, which Django can only send as a MIME-encoded word that no browser reads as
    a Content-Disposition."""

    def _get_filename(self, request, version):
        suffix = super()._get_filename(request, version).rsplit(".", 1)[-1]
        return f"open-budget-portal-api.{suffix}"
