"""The records of the API: units, subjects, lines, projects and indicators of published
publications (their JSON in budgets.serializers)."""

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend

from budgets import line_records
from budgets.api.base import ReadOnlyViewSet, Sorting
from budgets.converters import PROJECT_CODE, UNIT_CODE
from budgets.filters import (
    DEFAULT_LINE_ORDER,
    LINE_ORDERS,
    EvaluationItemFilter,
    IndicatorTargetFilter,
    LineFilter,
    ProjectFilter,
    SubjectFilter,
    walks_order_index,
)
from budgets.models import (
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


class UnitViewSet(ReadOnlyViewSet):
    """预算单位与部门 · Budget units and departments."""

    queryset = Unit.objects.select_related("parent").order_by("code")
    serializer_class = UnitSerializer
    orderings = {
        "code": Sorting("编码从小到大", ("code",)),
        "-code": Sorting("编码从大到小", ("-code",)),
    }
    lookup_field = "code"
    lookup_value_regex = UNIT_CODE


class SubjectViewSet(ReadOnlyViewSet):
    """功能分类、经济分类科目（按年度） · Classification subjects by year."""

    queryset = Subject.objects.order_by("scheme", "year", "code", "pk")
    serializer_class = SubjectSerializer
    filterset_class = SubjectFilter
    # Each a prefix of the unique (scheme, year, code) or the code alone, ties by id.
    orderings = {
        "scheme": Sorting("分类、年度、编码", ("scheme", "year", "code", "pk")),
        "code": Sorting("编码从小到大", ("code", "scheme", "year", "pk")),
        "-year": Sorting("年度从晚到早", ("-year", "scheme", "code", "pk")),
    }


class LineViewSet(ReadOnlyViewSet):
    """逐条数据：已公开的每一条收入、支出数据 · Every published figure at its finest grain.

    Functional and economic breakdowns are two views of the same money: filter by `breakdown`
    before adding amounts. Pages follow `next` and `previous` (a cursor): no page counts the
    lines, and a page deep in the list answers as fast as the first."""

    queryset = OpenLine.objects.values(*LINE_COLUMNS)
    serializer_class = LineSerializer
    filterset_class = LineFilter
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
            rows = instance if kwargs.get("many") else [instance]
            context = self.get_serializer_context()
            context["sources"] = self.sources([line["pk"] for line in rows])
            kwargs["context"] = context
        return super().get_serializer(*args, **kwargs)

    def filter_queryset(self, queryset):
        # A FilterSet with none of its parameters given filters nothing (every filter of
        # OpenLineFilter is optional and skips an empty value), but building it and its form
        # deep-copies a dozen filters and fields: a fifth of an unfiltered page's CPU. The
        # unfiltered list and the pages reached by `next` skip it; any filter parameter, valid
        # or not, goes through it as before.
        if self.filterset_class.base_filters.keys() & self.request.query_params.keys():
            return super().filter_queryset(queryset)
        for backend in self.filter_backends:
            if not issubclass(backend, DjangoFilterBackend):
                queryset = backend().filter_queryset(self.request, queryset, self)
        return queryset

    # The citations of a page's lines, in one query (budgets.line_records). Valid pages as
    # JSON are answered before they reach this view (budgets.api.lines_lane).
    sources = staticmethod(line_records.sources)


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
    orderings = {
        "code": Sorting("项目编码从小到大", ("code",)),
        "-code": Sorting("项目编码从大到小", ("-code",)),
    }
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
    orderings = {
        "year": Sorting(
            "年度从早到晚", ("plan__section__publication__year", "plan_id", "order", "pk")
        ),
        "-year": Sorting(
            "年度从晚到早", ("-plan__section__publication__year", "plan_id", "order", "pk")
        ),
    }


class EvaluationItemViewSet(ReadOnlyViewSet):
    """绩效自评结果（决算） · Self-evaluation results of final accounts."""

    queryset = (
        EvaluationItem.objects.published()
        .select_related("evaluation__section__publication__unit", "evaluation__project")
        .order_by("evaluation__section__publication__year", "evaluation_id", "order", "pk")
    )
    serializer_class = EvaluationItemSerializer
    filterset_class = EvaluationItemFilter
    orderings = {
        "year": Sorting(
            "年度从早到晚",
            ("evaluation__section__publication__year", "evaluation_id", "order", "pk"),
        ),
        "-year": Sorting(
            "年度从晚到早",
            ("-evaluation__section__publication__year", "evaluation_id", "order", "pk"),
        ),
    }
