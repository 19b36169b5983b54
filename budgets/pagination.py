"""Pages of the API. Kept apart from budgets.api because Django REST framework imports its
default pagination class while it is still loading its own views."""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class Pagination(pagination.PageNumberPagination):
    """100 items a page by default; page_size up to 1000 (more is cut to 1000). A page_size
    that is not a positive whole number is a 400, not silently the default."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError({self.page_size_query_param: ["每页条数应为正整数。"]})
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        empty = {"type": "string", "maxLength": 0}  # an empty value means the default
        for parameter in parameters:
            if parameter["name"] in (self.page_size_query_param, self.page_query_param):
                parameter["schema"] = {"oneOf": [{"type": "integer", "minimum": 1}, empty]}
        return parameters
