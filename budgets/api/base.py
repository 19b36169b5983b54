"""What every endpoint of the API shares: strict parameters (an unknown one is a 400 naming
it), an `ordering` among a few named orders, and a schema that documents the error answers."""

from dataclasses import dataclass

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

from budgets.converters import RECORD_ID

ERROR_DETAIL = {"detail": {"type": "string", "description": "中文说明"}}
ERROR_400 = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        **ERROR_DETAIL,
        "parameters": {
            "type": "object",
            "description": "每个出错或未知的参数及原因",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}
ERROR_404 = {"type": "object", "required": ["detail"], "properties": ERROR_DETAIL}


class PortalSchema(AutoSchema):
    """Every operation documents its error answers: 400 for a bad or unknown parameter, 404
    for an unknown object or a page past the end; both JSON with a Chinese `detail`."""

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if self.method == "GET":
            for status, description, schema in (
                ("400", "参数错误：detail 说明，parameters 列出每个出错或未知的参数", ERROR_400),
                ("404", "没有这个对象或这一页", ERROR_404),
            ):
                bodies.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": schema}},
                    },
                )
        return bodies


class KnownParameters:
    """An unknown query parameter is a 400 naming it and the parameters the address knows,
    never silently ignored (unit_code=999 or sort=-amount would return every row)."""

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


ORDERING = "ordering"  # the one name of the order parameter, as the lines' pages spell it


def unknown_order(name: str, names) -> ValidationError:
    return ValidationError(
        {ORDERING: [f"不能按“{name}”排序，可用：{'、'.join(names)}（前加“-”为降序）。"]}
    )


@dataclass(frozen=True)
class Sorting:
    """An order a list offers: its label and the ORDER BY terms, ending in a unique key so
    that pages never overlap."""

    label: str
    terms: tuple


class Ordering(BaseFilterBackend):
    """`ordering=<name>` among the view's `orderings` (a dict of Sorting, the first the
    default): a few orders on indexed or small columns, never an arbitrary field; any other
    value is a 400 naming the ones offered."""

    def filter_queryset(self, request, queryset, view):
        orderings = getattr(view, "orderings", None)
        if not orderings:
            return queryset
        name = request.query_params.get(ORDERING) or next(iter(orderings))
        if name not in orderings:
            raise unknown_order(name, orderings)
        return queryset.order_by(*orderings[name].terms)

    def get_schema_operation_parameters(self, view):
        orderings = getattr(view, "orderings", None)
        if not orderings:
            return []
        labels = "；".join(f"{name} {sorting.label}" for name, sorting in orderings.items())
        return [
            {
                "name": ORDERING,
                "required": False,
                "in": "query",
                "description": f"排序：{labels}。默认 {next(iter(orderings))}。",
                "schema": {"type": "string", "enum": ["", *orderings]},
            }
        ]


class ReadOnlyViewSet(KnownParameters, viewsets.ReadOnlyModelViewSet):
    schema = PortalSchema()
    filter_backends = [DjangoFilterBackend, Ordering]
    # A detail address matches only the shape of the lookup (a NUL byte, which PostgreSQL
    # text cannot hold, never reaches a query): anything else is a 404.
    lookup_value_regex = RECORD_ID

    def known_parameters(self) -> set[str]:
        known = super().known_parameters()
        if self.action == "list":
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                known |= set(filterset_class.base_filters)
            if getattr(self, "orderings", None):
                known.add(ORDERING)
            # The same names the schema documents for the pages.
            known |= {p["name"] for p in self.paginator.get_schema_operation_parameters(self)}
        return known
