from django.urls import path, register_converter

from budgets import views
from budgets.converters import CONVERTERS

app_name = "budgets"

# Every path parameter has the shape of what it names: anything else is a 404 here.
for name, converter in CONVERTERS.items():
    register_converter(converter, name)

YEAR = "units/<unit:unit_code>/<year:year>/"
CSV = {"fmt": "csv"}

urlpatterns = [
    path("", views.home, name="home"),
    path("units/<unit:unit_code>/", views.unit_detail, name="unit"),
    path("data/", views.data_index, name="data"),
    path("data/dictionary/", views.data_dictionary, name="data_dictionary"),
    path("data/browse/", views.data_browse, name="data_browse"),
    path("data/browse.csv", views.data_browse, {"fmt": "csv"}, name="data_browse_csv"),
    path("data/<download:name>", views.data_download, name="data_download"),
    path(YEAR, views.overview, name="overview"),
    path(f"{YEAR}basic-project.csv", views.overview, CSV, name="overview_csv"),
    path(f"{YEAR}changes.csv", views.overview, {"fmt": "changes"}, name="overview_changes"),
    path(f"{YEAR}structure/", views.structure, name="structure"),
    path(f"{YEAR}history/", views.history, name="history"),
    path(f"{YEAR}history.csv", views.history, CSV, name="history_csv"),
    path(f"{YEAR}subjects/<scheme:scheme>/<subject:code>/", views.subject, name="subject"),
    path(
        f"{YEAR}subjects/<scheme:scheme>/<subject:code>.csv", views.subject, CSV, name="subject_csv"
    ),
    path(f"{YEAR}functional/", views.comparison, {"spec": views.FUNCTIONAL}, name="functional"),
    path(
        f"{YEAR}functional.csv",
        views.comparison,
        {"spec": views.FUNCTIONAL, **CSV},
        name="functional_csv",
    ),
    path(f"{YEAR}economic/", views.comparison, {"spec": views.ECONOMIC}, name="economic"),
    path(
        f"{YEAR}economic.csv",
        views.comparison,
        {"spec": views.ECONOMIC, **CSV},
        name="economic_csv",
    ),
    path(f"{YEAR}three-public/", views.three_public, name="three_public"),
    path(f"{YEAR}three-public.csv", views.three_public, CSV, name="three_public_csv"),
    path(f"{YEAR}projects/", views.projects, name="projects"),
    path(f"{YEAR}projects.csv", views.projects, CSV, name="projects_csv"),
    path(
        f"{YEAR}projects-cost-lines.csv",
        views.projects,
        {"fmt": "cost-lines"},
        name="projects_cost_lines",
    ),
    path(
        f"{YEAR}projects-procurement.csv",
        views.projects,
        {"fmt": "procurement"},
        name="projects_procurement",
    ),
    path(f"{YEAR}performance/", views.performance, name="performance"),
    path(f"{YEAR}performance.csv", views.performance, CSV, name="performance_csv"),
    path(
        f"{YEAR}performance-targets.csv",
        views.performance,
        {"fmt": "targets"},
        name="performance_targets",
    ),
    path(f"{YEAR}<kind:kind>/", views.publication_detail, name="publication"),
    path(f"{YEAR}<kind:kind>/corrections/", views.corrections, name="corrections"),
    path(f"{YEAR}<kind:kind>/quality/", views.quality, name="quality"),
    path(f"{YEAR}<kind:kind>/<slug:slug>/", views.section_detail, name="section"),
    path(f"{YEAR}<kind:kind>/<slug:slug>.csv", views.section_detail, CSV, name="section_csv"),
]
