"""Pages of the API. Kept apart from budgets.api because Django REST framework imports its
default pagination class while it is still loading its own views."""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from budgets.parameters import DIGITS_ONLY, MAX_WHOLE_NUMBER, whole_number


class Pagination(pagination.PageNumberPagination):
    """100 items a page by default; page_size up to 1000 (more is cut to 1000). A page or
    page_size that is not a positive whole number in ASCII digits is a 400 naming it, not
    silently the default; a page past the end is a 404."""

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

    def get_page_number(self, request, paginator):
        return self.positive_parameter(request, self.page_query_param, 1)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        empty = {"type": "string", "maxLength": 0}  # an empty value means the default
        number = {"type": "integer", "minimum": 1, "maximum": MAX_WHOLE_NUMBER}
        for parameter in parameters:
            if parameter["name"] in (self.page_size_query_param, self.page_query_param):
                parameter["schema"] = {"oneOf": [number, empty]}
        return parameters
