"""Real addresses of every public URL pattern, shared by the URL, error-page and fuzz tests."""

from django.urls import reverse

from budgets import urls as budget_urls

# A real value for each kind of path parameter of the public pages.
VALUES = {
    "unit_code": "503033",
    "department_code": "503",
    "year": 2024,
    "scheme": "functional",
    "code": "2080150",
    "kind": "final",
    "slug": "gk01",
    "name": "lines.csv",
    "section": "subjects",
    "build_id": "20261203T175828714441Z",
}


# The form of 报告数据错误 and its receipt: not read-only pages (tests/test_views_report.py).
REPORT_PAGES = {"report", "report_sent"}


def public_paths(read_only: bool = False) -> list[str]:
    """One real address for every URL pattern of the public pages (only of the read-only
    pages when asked)."""
    paths = []
    for pattern in budget_urls.urlpatterns:
        if read_only and pattern.name in REPORT_PAGES:
            continue
        kwargs = {name: VALUES[name] for name in pattern.pattern.converters}
        paths.append(reverse(f"budgets:{pattern.name}", kwargs=kwargs))
    return paths
