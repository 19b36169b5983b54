from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from budgets import feeds, sitemaps, views
from budgets.converters import CONVERTERS
from budgets.views import builds
from budgets.views.lines_csv import browse_csv
from budgets.views.reports import report, report_sent

app_name = "budgets"

# Every path parameter has the shape of what it names: anything else is a 404 here.
for name, converter in CONVERTERS.items():
    register_converter(converter, name)
register_converter(builds.BuildId, "build")


def page(route, view, kwargs=None, name=None):
    """A public page: GET and HEAD only (views.read_only)."""
    return path(route, views.read_only(view), kwargs, name=name)


YEAR = "units/<unit:unit_code>/<year:year>/"
CSV = {"fmt": "csv"}

urlpatterns = [
    page("", views.home, name="home"),
    page("search/", views.search, name="search"),
    page("search.csv", views.search, CSV, name="search_csv"),
    page("glossary/", views.glossary, name="glossary"),
    page("units/<unit:unit_code>/", views.unit_detail, name="unit"),
    # Departments (部门): their years, and one year's units and totals, each table with its CSV.
    page("departments/<unit:department_code>/", views.department, name="department"),
    page(
        "departments/<unit:department_code>/<year:year>/",
        views.department_year,
        name="department_year",
    ),
    *[
        page(
            f"departments/<unit:department_code>/<year:year>/{table}.csv",
            views.department_year,
            {"fmt": table},
            name=f"department_{table}_csv",
        )
        for table in ("units", "functional", "economic")
    ],
    # Feeds, the sitemap: in this namespace, so that the page cache keeps them per data version.
    page("feeds/publications.atom", feeds.PublicationsFeed(), name="publications_feed"),
    page("feeds/corrections.atom", feeds.CorrectionsFeed(), name="corrections_feed"),
    page(
        "units/<unit:unit_code>/feeds/publications.atom",
        feeds.PublicationsFeed(),
        name="unit_publications_feed",
    ),
    page(
        "units/<unit:unit_code>/feeds/corrections.atom",
        feeds.CorrectionsFeed(),
        name="unit_corrections_feed",
    ),
    page("robots.txt", sitemaps.robots_txt, name="robots"),
    page(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "budgets:sitemap_section"},
        name="sitemap",
    ),
    page(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
    # 报告数据错误: a form (GET) that stores a report (POST), not a read-only page.
    path("report/", report, name="report"),
    path("report/sent/", report_sent, name="report_sent"),
    page("data/", views.data_index, name="data"),
    page("data/dictionary/", views.data_dictionary, name="data_dictionary"),
    page("data/browse/", views.data_browse, name="data_browse"),
    page("data/browse.csv", browse_csv, name="data_browse_csv"),
    page("data/<download:name>", views.data_download, name="data_download"),
    page("data/builds/", builds.index, name="builds"),
    page("data/builds/<build:build_id>/<download:name>", builds.build_file, name="build_file"),
    page(YEAR, views.overview, name="overview"),
    page(f"{YEAR}basic-project.csv", views.overview, CSV, name="overview_csv"),
    page(f"{YEAR}changes.csv", views.overview, {"fmt": "changes"}, name="overview_changes"),
    page(f"{YEAR}structure/", views.structure, name="structure"),
    page(f"{YEAR}history/", views.history, name="history"),
    page(f"{YEAR}history.csv", views.history, CSV, name="history_csv"),
    page(f"{YEAR}subjects/<scheme:scheme>/<subject:code>/", views.subject, name="subject"),
    page(
        f"{YEAR}subjects/<scheme:scheme>/<subject:code>.csv", views.subject, CSV, name="subject_csv"
    ),
    page(f"{YEAR}functional/", views.comparison, {"spec": views.FUNCTIONAL}, name="functional"),
    page(
        f"{YEAR}functional.csv",
        views.comparison,
        {"spec": views.FUNCTIONAL, **CSV},
        name="functional_csv",
    ),
    page(f"{YEAR}economic/", views.comparison, {"spec": views.ECONOMIC}, name="economic"),
    page(
        f"{YEAR}economic.csv",
        views.comparison,
        {"spec": views.ECONOMIC, **CSV},
        name="economic_csv",
    ),
    page(f"{YEAR}three-public/", views.three_public, name="three_public"),
    page(f"{YEAR}three-public.csv", views.three_public, CSV, name="three_public_csv"),
    page(f"{YEAR}projects/", views.projects, name="projects"),
    page(f"{YEAR}projects.csv", views.projects, CSV, name="projects_csv"),
    page(
        f"{YEAR}projects-cost-lines.csv",
        views.projects,
        {"fmt": "cost-lines"},
        name="projects_cost_lines",
    ),
    page(
        f"{YEAR}projects-procurement.csv",
        views.projects,
        {"fmt": "procurement"},
        name="projects_procurement",
    ),
    page(f"{YEAR}performance/", views.performance, name="performance"),
    page(f"{YEAR}performance.csv", views.performance, CSV, name="performance_csv"),
    page(
        f"{YEAR}performance-targets.csv",
        views.performance,
        {"fmt": "targets"},
        name="performance_targets",
    ),
    # Comparisons: a subject across years, across a department's units, units like this one.
    page(
        "units/<unit:unit_code>/years/<scheme:scheme>/<subject:code>/",
        views.compare_years,
        name="compare_years",
    ),
    page(
        "units/<unit:unit_code>/years/<scheme:scheme>/<subject:code>.csv",
        views.compare_years,
        CSV,
        name="compare_years_csv",
    ),
    page(
        "departments/<unit:department_code>/<year:year>/subjects/<scheme:scheme>/<subject:code>/",
        views.compare_department,
        name="compare_department",
    ),
    page(
        "departments/<unit:department_code>/<year:year>/subjects/<scheme:scheme>/<subject:code>.csv",
        views.compare_department,
        CSV,
        name="compare_department_csv",
    ),
    page(f"{YEAR}similar/", views.similar, name="similar"),
    page(f"{YEAR}similar.csv", views.similar, CSV, name="similar_csv"),
    page(f"{YEAR}<kind:kind>/", views.publication_detail, name="publication"),
    page(f"{YEAR}<kind:kind>/source.txt", views.publication_source, name="publication_source"),
    page(f"{YEAR}<kind:kind>/corrections/", views.corrections, name="corrections"),
    page(
        f"{YEAR}<kind:kind>/corrections.csv",
        views.corrections,
        CSV,
        name="corrections_csv",
    ),
    page(f"{YEAR}<kind:kind>/quality/", views.quality, name="quality"),
    page(f"{YEAR}<kind:kind>/<slug:slug>/", views.section_detail, name="section"),
    page(f"{YEAR}<kind:kind>/<slug:slug>.csv", views.section_detail, CSV, name="section_csv"),
]
