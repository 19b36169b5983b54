"""Public pages: parse the request, ask summaries for rows, render. Each table page has a CSV
twin (same rows, same columns) at the same address ending in .csv."""

from budgets.views.city import home
from budgets.views.classification import ECONOMIC, FUNCTIONAL, comparison, subject
from budgets.views.comparisons import department_subject as compare_department
from budgets.views.comparisons import similar
from budgets.views.comparisons import subject_years as compare_years
from budgets.views.data import browse as data_browse
from budgets.views.data import dictionary as data_dictionary
from budgets.views.data import download as data_download
from budgets.views.data import index as data_index
from budgets.views.departments import department, department_year
from budgets.views.errors import (
    bad_request,
    csrf_failure,
    page_not_found,
    permission_denied,
    read_only,
    server_error,
)
from budgets.views.glossary import glossary
from budgets.views.performance import performance
from budgets.views.projects import projects
from budgets.views.publications import (
    corrections,
    publication_detail,
    publication_source,
    quality,
    section_detail,
)
from budgets.views.search import search
from budgets.views.units import unit_detail
from budgets.views.years import history, overview, structure, three_public

__all__ = [
    "ECONOMIC",
    "FUNCTIONAL",
    "bad_request",
    "compare_department",
    "compare_years",
    "comparison",
    "corrections",
    "csrf_failure",
    "data_browse",
    "data_dictionary",
    "data_download",
    "data_index",
    "department",
    "department_year",
    "glossary",
    "history",
    "home",
    "overview",
    "page_not_found",
    "performance",
    "permission_denied",
    "projects",
    "publication_detail",
    "publication_source",
    "quality",
    "read_only",
    "search",
    "section_detail",
    "server_error",
    "similar",
    "structure",
    "subject",
    "three_public",
    "unit_detail",
]
