"""Pages of the API. Kept apart from budgets.api because Django REST framework imports its
default pagination class while it is still loading its own views."""

from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from budgets import keyset
from budgets.parameters import DIGITS_ONLY, MAX_WHOLE_NUMBER, whole_number

EMPTY = {"type": "string", "maxLength": 0}  # an empty value means the default


class StrictPageSize:
    """100 items a page by default; page_size up to 1000 (more is cut to 1000). A page size
    that is not a positive whole number in ASCII digits is a 400 naming it, not silently the
    default."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def positive_parameter(self, request, name: str, default: int) -> int:
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return default
        number = whole_number(raw)
        if number is None or number < 1:
            raise ValidationError({name: [f"应为正整数（{DIGITS_ONLY}）。"]})
        return number

    def get_page_size(self, request):
        size = self.positive_parameter(request, self.page_size_query_param, self.page_size)
        return min(size, self.max_page_size)


class Pagination(StrictPageSize, pagination.PageNumberPagination):
    """Numbered pages (the short lists); a page that is not a positive whole number is a 400
    naming it, a page past the end is a 404."""

    def get_page_number(self, request, paginator):
        return self.positive_parameter(request, self.page_query_param, 1)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        number = {"type": "integer", "minimum": 1, "maximum": MAX_WHOLE_NUMBER}
        for parameter in parameters:
            if parameter["name"] in (self.page_size_query_param, self.page_query_param):
                parameter["schema"] = {"oneOf": [number, EMPTY]}
        return parameters


class KeysetPagination(StrictPageSize, pagination.CursorPagination):
    """Pages of a large list (the lines) after the last row of the page before: `next` and
    `previous` links carry an opaque `cursor`, no page counts the list, and a page deep in the
    list costs what the first costs (budgets.keyset). `ordering` picks one of the view's
    indexed orders (`view.orders`, a dict of budgets.keyset.Order; `view.default_order`); any
    other is a 400 naming it. A cursor this site did not write for that order, or one past the
    end of the list, is a 404."""

    ordering_param = "ordering"
    invalid_cursor_message = "没有这一页：翻页位置（cursor）无效，请使用 next、previous 链接。"
    past_the_end_message = "没有这一页：翻页位置已在最后一条之后。"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.order = self.get_order(request, view)
        token = request.query_params.get(self.cursor_query_param) or None
        cursor = None
        if token is not None:
            try:
                cursor = keyset.Cursor.decode(token, self.order)
            except ValueError:
                raise NotFound(self.invalid_cursor_message) from None
        self.base_url = request.build_absolute_uri()
        walk = getattr(view, "walks_order_index", lambda: True)()
        self.keyset_page = keyset.paginate(queryset, self.order, self.page_size, cursor, walk)
        if cursor is not None and not self.keyset_page.rows:
            raise NotFound(self.past_the_end_message)
        self.has_previous = self.keyset_page.previous is not None
        self.has_next = self.keyset_page.next is not None
        self.display_page_controls = self.has_previous or self.has_next
        self.page = self.keyset_page.rows
        return self.page

    def get_order(self, request, view) -> keyset.Order:
        orders = view.orders
        name = request.query_params.get(self.ordering_param) or view.default_order
        if name not in orders:
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"不能按“{name}”排序，可用：{'、'.join(orders)}（前加“-”为降序）。"
                    ]
                }
            )
        return orders[name]

    def _link(self, cursor):
        if cursor is None:
            return None
        return replace_query_param(self.base_url, self.cursor_query_param, cursor.encode())

    def get_next_link(self):
        return self._link(self.keyset_page.next)

    def get_previous_link(self):
        return self._link(self.keyset_page.previous)

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["next", "previous", "results"]
        return response

    def get_schema_operation_parameters(self, view):
        number = {"type": "integer", "minimum": 1, "maximum": MAX_WHOLE_NUMBER}
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "翻页位置：取自上一次回答的 next 或 previous 链接，不要自己构造。",
                # What keyset.Cursor.encode writes (URL-safe base64, unpadded): a value of
                # another shape, a NUL byte say, is no cursor and the schema says so.
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]*$"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"每页条数，默认 {self.page_size}，最多 {self.max_page_size}。",
                "schema": {"oneOf": [number, EMPTY]},
            },
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "排序："
                + "；".join(f"{name} {order.label}" for name, order in view.orders.items())
                + f"。默认 {view.default_order}；空白金额总在最后。",
                "schema": {"type": "string", "enum": ["", *view.orders]},
            },
        ]
