"""django-filter FilterSets of the open data: the API's filters and the lines page's form.

A value that cannot be read (a year that is not a number, an unknown stage, a code with
letters) makes the FilterSet invalid; the API answers 400 naming the parameter.
"""

import copy
import json

import django_filters
from django.core.validators import RegexValidator
from django.db import connections
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from budgets.choices import (
    Direction,
    EvaluationScope,
    ExpenditureType,
    ExpenseClass,
    FundSource,
    Horizon,
    PublicationKind,
    Scheme,
    Stage,
    ThreePublicKind,
)
from budgets.keyset import Order
from budgets.models import (
    Correction,
    EvaluationItem,
    IndicatorTarget,
    OpenLine,
    ProcurementItem,
    Project,
    ProjectCostLine,
    QualityReport,
    Subject,
    ThreePublicExpense,
)
from budgets.parameters import WholeNumberField

CODE_PATTERN = r"^[0-9]{0,7}$"
UNIT_PATTERN = r"^[0-9]{0,32}$"
FIRST_YEAR, LAST_YEAR = 1990, 2100
EMPTY = {"type": "string", "maxLength": 0}  # an empty value means "no filter"
UNIT_LABEL = _("单位编码")


# The schema of each parameter says exactly what the filter accepts, so that a value the
# OpenAPI description allows is never refused and one it forbids is (schemathesis checks both).
@extend_schema_field(
    {"oneOf": [{"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}, EMPTY]}
)
class YearFilter(django_filters.NumberFilter):
    field_class = WholeNumberField


@extend_schema_field({"type": "string", "pattern": CODE_PATTERN})
class CodeFilter(django_filters.CharFilter):
    pass


@extend_schema_field({"type": "string", "pattern": UNIT_PATTERN})
class UnitFilter(django_filters.CharFilter):
    pass


def choice_filter(choices, **kwargs):
    """A ChoiceFilter whose schema lists its values and the empty value (no filter)."""
    values = ["", *[value for value, _ in choices]]
    schema = {"type": "string", "enum": values}
    filter_class = extend_schema_field(schema)(type("Choice", (django_filters.ChoiceFilter,), {}))
    return filter_class(choices=choices, **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^[0-9A-Za-z]{0,40}$"})
class ProjectCodeFilter(django_filters.CharFilter):
    pass


def project_filter(field_name: str):
    validator = RegexValidator(r"^[0-9A-Za-z]{0,40}$", "项目编码只能由数字和字母组成。")
    # Not stripped, as unit codes: a blank value is refused as the schema's pattern says, not
    # read as "no filter" (schemathesis sent ?project=+).
    return ProjectCodeFilter(
        field_name=field_name, label=_("项目编码"), validators=[validator], strip=False
    )


def year_filter(field_name: str):
    return YearFilter(
        field_name=field_name, label=_("年度"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )


def code_filter(field_name: str, label, lookup: str = "exact"):
    validator = RegexValidator(CODE_PATTERN, _("科目编码为 1 到 7 位数字。"))
    return CodeFilter(
        field_name=field_name, lookup_expr=lookup, label=label, validators=[validator]
    )


def unit_filter(field_name: str, label=UNIT_LABEL, lookup: str = "exact"):
    validator = RegexValidator(UNIT_PATTERN, _("单位编码只能由数字组成。"))
    return UnitFilter(
        field_name=field_name, label=label, lookup_expr=lookup, validators=[validator], strip=False
    )


class OpenLineFilter(django_filters.FilterSet):
    """The open lines (budgets.models.OpenLine), for the lines page, its CSV and the API: every
    filter reads a column of the one denormalised table (year and stage included), so that no
    filter joins another table and the indexes of OpenLine serve them."""

    year = year_filter("year")
    unit = unit_filter("unit_code")
    unit_prefix = unit_filter("unit_code", _("单位编码前缀（含下属单位）"), "startswith")
    stage = choice_filter(choices=Stage.choices, label=_("阶段"))
    direction = choice_filter(choices=Direction.choices, label=_("收支"))
    breakdown = choice_filter(choices=Scheme.choices, label=_("分类"))
    code = code_filter("subject_code", _("科目编码"))
    code_prefix = code_filter("subject_code", _("科目编码前缀（含下级）"), "startswith")
    expenditure_type = choice_filter(choices=ExpenditureType.choices, label=_("支出类型"))
    expense_class = choice_filter(choices=ExpenseClass.choices, label=_("经费性质"))
    fund_source = choice_filter(choices=FundSource.choices, label=_("资金来源"))

    class Meta:
        model = OpenLine
        fields = []


class LineFilter(OpenLineFilter):
    """OpenLineFilter as the API and the lines page build it on every request, without its
    two copies (0.35-0.4 ms of CPU a request): the filters are copied shallowly (each gets its
    own `parent` and `model`; what they share is only read) rather than deep-copied, and the
    form class is made once rather than a new class with new fields per request (a form
    copies its class's fields when it is made). The same filters, fields, validation and
    messages."""

    _form_class = None

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        base_filters = self.base_filters
        self.base_filters = {}  # nothing to deep-copy in FilterSet.__init__
        super().__init__(data, queryset, request=request, prefix=prefix)
        del self.base_filters
        self.filters = {name: copy.copy(filter_) for name, filter_ in base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = self.queryset.model
            filter_.parent = self

    def get_form_class(self):
        cls = type(self)
        if cls._form_class is None:
            cls._form_class = super().get_form_class()
        return cls._form_class


# The orders the lines page and the API offer: each is an index (migrations 0009, 0011), so that
# a page is an index range whatever the table's size. Ties are broken by the key (the fact's id)
# in the same direction; blank amounts come last both ways. The CSV of a view uses the same
# orders (`LINE_ORDERS[name].apply(queryset)`).
LINE_ORDERS = {
    order.name: order
    for order in (
        Order("pk", label=_("数据编号")),
        Order("amount", "amount", blank_last=True, label=_("金额从小到大")),
        Order("-amount", "amount", descending=True, blank_last=True, label=_("金额从大到小")),
        Order("year", "year", label=_("年度从早到晚")),
        Order("-year", "year", descending=True, label=_("年度从晚到早")),
    )
}
DEFAULT_LINE_ORDER = "pk"
# A unit prefix that matches at most this many lines is read through its index (their keys
# sorted, ~40 ms at this size) rather than found by walking an order's index: a unit's lines
# have neighbouring ids, so a walk from the first id passed ~400,000 lines of other units
# before a department's first (280 ms).
NARROW_UNIT_PREFIX = 200_000


def walks_order_index(unit_prefix: str | None) -> bool:
    """Whether a page of open lines filtered by this unit prefix (if any) should walk its
    order's index (budgets.keyset.Order.order_by): not when the prefix matches few lines.
    PostgreSQL's estimate of their number costs the same for any prefix (its planner alone);
    elsewhere they are counted up to the bound."""
    if not unit_prefix:
        return True
    lines = OpenLine.objects.filter(unit_code__startswith=unit_prefix).order_by()
    if connections[lines.db].vendor == "postgresql":
        plan = lines.explain(format="json")
        estimate = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]
        return estimate > NARROW_UNIT_PREFIX
    return lines[: NARROW_UNIT_PREFIX + 1].count() > NARROW_UNIT_PREFIX


class SubjectFilter(django_filters.FilterSet):
    year = year_filter("year")
    scheme = choice_filter(choices=Scheme.choices, label=_("分类"))
    code = code_filter("code", _("科目编码"))
    code_prefix = code_filter("code", _("科目编码前缀（含下级）"), "startswith")

    class Meta:
        model = Subject
        fields = []


class ProjectFilter(django_filters.FilterSet):
    year = year_filter("amounts__year")
    unit = unit_filter("unit__code")

    class Meta:
        model = Project
        fields = []

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).distinct()


class IndicatorTargetFilter(django_filters.FilterSet):
    year = year_filter("plan__section__publication__year")
    unit = unit_filter("plan__section__publication__unit__code")
    scope = choice_filter(
        field_name="plan__scope", choices=EvaluationScope.choices, label=_("范围")
    )
    horizon = choice_filter(choices=Horizon.choices, label=_("目标期限"))

    class Meta:
        model = IndicatorTarget
        fields = []


class EvaluationItemFilter(django_filters.FilterSet):
    year = year_filter("evaluation__section__publication__year")
    unit = unit_filter("evaluation__section__publication__unit__code")
    scope = choice_filter(
        field_name="evaluation__scope", choices=EvaluationScope.choices, label=_("范围")
    )

    class Meta:
        model = EvaluationItem
        fields = []


# The lists of one publication's records (三公, cost lines, purchases, corrections, quality):
# each filters by the year, unit and kind (`publication`: budget, final) of its publication.
def publication_filters(path: str) -> dict:
    return {
        "year": year_filter(f"{path}__year"),
        "unit": unit_filter(f"{path}__unit__code"),
        "publication": choice_filter(
            field_name=f"{path}__kind",
            choices=PublicationKind.choices,
            label=_("公开文件（预算或决算）"),
        ),
    }


class ThreePublicFilter(django_filters.FilterSet):
    locals().update(publication_filters("publication"))
    stage = choice_filter(choices=Stage.choices, label=_("阶段"))
    item = choice_filter(field_name="kind", choices=ThreePublicKind.choices, label=_("项目"))

    class Meta:
        model = ThreePublicExpense
        fields = []


class CostLineFilter(django_filters.FilterSet):
    locals().update(publication_filters("section__publication"))
    project = project_filter("project__code")

    class Meta:
        model = ProjectCostLine
        fields = []


class ProcurementFilter(django_filters.FilterSet):
    locals().update(publication_filters("section__publication"))
    project = project_filter("project__code")

    class Meta:
        model = ProcurementItem
        fields = []


class CorrectionFilter(django_filters.FilterSet):
    locals().update(publication_filters("publication"))

    class Meta:
        model = Correction
        fields = []


class QualityFilter(django_filters.FilterSet):
    locals().update(publication_filters("publication"))

    class Meta:
        model = QualityReport
        fields = []
