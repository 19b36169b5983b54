"""The read-only JSON API: units, subjects, lines, projects and indicators of published
publications (their JSON in budgets.serializers). Every list has a stable order and bounded
pages; bad filter values and unknown parameters are a 400 naming them."""

from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, Prefetch
from django.db.models.expressions import RawSQL
from django.urls import reverse
from drf_spectacular.openapi import AutoSchema
from rest_framework import routers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from budgets.converters import PROJECT_CODE, RECORD_ID, UNIT_CODE
from budgets.filters import (
    DEFAULT_LINE_ORDER,
    LINE_ORDERS,
    EvaluationItemFilter,
    IndicatorTargetFilter,
    OpenLineFilter,
    ProjectFilter,
    SubjectFilter,
    walks_order_index,
)
from budgets.models import (
    Citation,
    EvaluationItem,
    IndicatorTarget,
    OpenLine,
    Project,
    ProjectAmount,
    Subject,
    Unit,
)
from budgets.pagination import KeysetPagination
from budgets.serializers import (
    LINE_COLUMNS,
    EvaluationItemSerializer,
    IndicatorTargetSerializer,
    LineSerializer,
    ProjectSerializer,
    SubjectSerializer,
    UnitSerializer,
)


class PortalSchema(AutoSchema):
    """Every operation documents its error answers: 400 for a bad filter value, 404 for an
    unknown object or a page past the end."""

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if self.method == "GET":
            bodies.setdefault(
                "400",
                {
                    "description": "参数错误：每个出错或未知的参数及原因",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "additionalProperties": {
                                    "type": "array",
                                    "items": {"type": "string"},
                                },
                            }
                        }
                    },
                },
            )
            bodies.setdefault(
                "404",
                {
                    "description": "没有这个对象或这一页",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"detail": {"type": "string"}},
                            }
                        }
                    },
                },
            )
        return bodies


class KnownParameters:
    """An unknown query parameter is a 400 naming it and the parameters the address knows,
    never silently ignored (unit_code=999 or ordering=-amount would return every row)."""

    def known_parameters(self) -> set[str]:
        return {"format"}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            return  # a 405 comes first
        known = self.known_parameters()
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            message = f"未知参数。可用的参数：{'、'.join(sorted(known))}。"
            raise ValidationError({name: [message] for name in unknown})


class ReadOnlyViewSet(KnownParameters, viewsets.ReadOnlyModelViewSet):
    schema = PortalSchema()
    # A detail address matches only the shape of the lookup (a NUL byte, which PostgreSQL
    # text cannot hold, never reaches a query): anything else is a 404.
    lookup_value_regex = RECORD_ID

    def known_parameters(self) -> set[str]:
        known = super().known_parameters()
        if self.action == "list":
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                known |= set(filterset_class.base_filters)
            # The same names the schema documents for the pages.
            known |= {p["name"] for p in self.paginator.get_schema_operation_parameters(self)}
        return known


class UnitViewSet(ReadOnlyViewSet):
    """预算单位与部门 · Budget units and departments."""

    queryset = Unit.objects.select_related("parent").order_by("code")
    serializer_class = UnitSerializer
    lookup_field = "code"
    lookup_value_regex = UNIT_CODE


class SubjectViewSet(ReadOnlyViewSet):
    """功能分类、经济分类科目（按年度） · Classification subjects by year."""

    queryset = Subject.objects.order_by("scheme", "year", "code", "pk")
    serializer_class = SubjectSerializer
    filterset_class = SubjectFilter


class LineViewSet(ReadOnlyViewSet):
    """逐条数据：已公开的每一条收入、支出数据 · Every published figure at its finest grain.

    Functional and economic breakdowns are two views of the same money: filter by `breakdown`
    before adding amounts. Pages follow `next` and `previous` (a cursor): no page counts the
    lines, and a page deep in the list answers as fast as the first."""

    queryset = OpenLine.objects.values(*LINE_COLUMNS)
    serializer_class = LineSerializer
    filterset_class = OpenLineFilter
    pagination_class = KeysetPagination
    orders = LINE_ORDERS
    default_order = DEFAULT_LINE_ORDER

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sources": {}}

    def walks_order_index(self) -> bool:
        # Called by the paginator after the filters have checked unit_prefix.
        return walks_order_index(self.request.query_params.get("unit_prefix"))

    def get_serializer(self, *args, **kwargs):
        """The serializer, with the citations of the lines it writes, in one query."""
        instance = args[0] if args else kwargs.get("instance")
        if instance is not None:
            lines = instance if kwargs.get("many") else [instance]
            context = self.get_serializer_context()
            context["sources"] = self.sources([line["pk"] for line in lines])
            kwargs["context"] = context
        return super().get_serializer(*args, **kwargs)

    @staticmethod
    def sources(fact_ids) -> dict:
        """{fact id: its citations (as SourceSerializer writes them) in the order the
        publication prints them}, in one query."""
        found = {}
        citations = Citation.objects.all()
        if connections[citations.db].vendor == "postgresql":
            # One array parameter: Django writes `IN (%s, …)` with a parameter per id, and
            # preparing a hundred of them was a third of a page's time (1.5 ms).
            among = RawSQL('"budgets_citation"."fact_id" = ANY(%s)', (list(fact_ids),))
            citations = citations.filter(ExpressionWrapper(among, output_field=BooleanField()))
        else:
            citations = citations.filter(fact_id__in=fact_ids)
        citations = citations.order_by("section__order", "row_order", "pk").values_list(
            "fact_id",
            "section__publication__kind",
            "section__code",
            "row_label",
            "column",
            "printed_text",
        )
        for fact_id, publication, table, row, column, printed_text in citations:
            found.setdefault(fact_id, []).append(
                {
                    "publication": publication,
                    "table": table,
                    "row": row,
                    "column": column,
                    "printed_text": printed_text,
                }
            )
        return found


class ProjectViewSet(ReadOnlyViewSet):
    """项目及各年度、各阶段金额 · Projects with their amounts by year and stage."""

    queryset = (
        Project.objects.published()
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "amounts",
                ProjectAmount.objects.published().order_by("year", "stage", "fund_source"),
            ),
            "subject_links__subject",
        )
        .order_by("code")
    )
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    lookup_field = "code"
    lookup_value_regex = PROJECT_CODE


class IndicatorTargetViewSet(ReadOnlyViewSet):
    """绩效目标（预算） · Performance targets of budgets."""

    queryset = (
        IndicatorTarget.objects.published()
        .select_related("plan__section__publication__unit", "plan__project")
        .prefetch_related("prior_values")
        .order_by("plan__section__publication__year", "plan_id", "order", "pk")
    )
    serializer_class = IndicatorTargetSerializer
    filterset_class = IndicatorTargetFilter


class EvaluationItemViewSet(ReadOnlyViewSet):
    """绩效自评结果（决算） · Self-evaluation results of final accounts."""

    queryset = (
        EvaluationItem.objects.published()
        .select_related("evaluation__section__publication__unit", "evaluation__project")
        .order_by("evaluation__section__publication__year", "evaluation_id", "order", "pk")
    )
    serializer_class = EvaluationItemSerializer
    filterset_class = EvaluationItemFilter


class APIRoot(KnownParameters, routers.APIRootView):
    """预决算公开平台的只读 API。OpenAPI 描述见 schema，逐条数据也可批量下载（/data/）。"""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        links = dict(response.data)
        # Django's reverse: DRF's carries ?format=api over to the schema, which has no such
        # format (a 404 from the browsable root).
        links["schema"] = request.build_absolute_uri(reverse("api-schema"))
        links["downloads"] = request.build_absolute_uri("/data/")
        return Response(links)


class Router(routers.DefaultRouter):
    APIRootView = APIRoot


router = Router()
router.register("units", UnitViewSet, basename="unit")
router.register("subjects", SubjectViewSet, basename="subject")
router.register("lines", LineViewSet, basename="line")
router.register("projects", ProjectViewSet, basename="project")
router.register("indicator-targets", IndicatorTargetViewSet, basename="indicator-target")
router.register("indicator-results", EvaluationItemViewSet, basename="indicator-result")

from budgets.api_figures import FigureViewSet  # noqa: E402 (it builds on ReadOnlyViewSet above)

router.register("figures", FigureViewSet, basename="figure")
