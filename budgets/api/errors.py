"""Every error of the API as JSON with a Chinese `detail` (REST_FRAMEWORK's EXCEPTION_HANDLER;
addresses outside its routes answer the same way through budgets.views.errors)."""

from django.http import Http404
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

from budgets.parameters import parameter_problems

NOT_FOUND = "未找到。"


def exception_handler(exc, context):
    """DRF's answer, with two changes: Django's Http404 (an unknown object: "No OpenLine
    matches the given query.") says so in Chinese, and a 400 is {"detail": one sentence naming
    each wrong parameter, "parameters": {name: [messages]}}."""
    if isinstance(exc, Http404):
        exc = NotFound(NOT_FOUND)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        errors = response.data
        if not isinstance(errors, dict):
            errors = {"non_field_errors": errors}
        errors = {
            name: [str(m) for m in (v if isinstance(v, list) else [v])]
            for name, v in errors.items()
        }
        response.data = {"detail": parameter_problems(errors), "parameters": errors}
    return response
