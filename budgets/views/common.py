"""What every public page of a unit's year shares: finding the publications, the page links,
source lines and CSV file names."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets import summaries
from budgets.forms import TableQuery
from budgets.i18n import local_name_text
from budgets.models import Publication, Unit

YEAR_PAGES = [
    ("overview", gettext_lazy("概览")),
    ("functional", gettext_lazy("预算与决算对比")),
    ("economic", gettext_lazy("基本支出")),
    ("structure", gettext_lazy("支出结构")),
    ("projects", gettext_lazy("项目支出")),
    ("three_public", gettext_lazy("“三公”经费")),
    ("performance", gettext_lazy("绩效")),
    ("history", gettext_lazy("历年")),
    ("similar", gettext_lazy("同类单位")),
]


PAGE_NAMES = {name for name, _ in YEAR_PAGES}


class YearNotPublished(Http404):
    """A known unit asked for a year it has not published: the 404 page lists the years it
    has, each linking to that year's overview."""

    def __init__(self, unit: Unit, year: int, years: list[int]):
        super().__init__(
            _("%(unit)s没有 %(year)s 年已公开的预算或决算。")
            % {"unit": local_name_text(unit), "year": year}
        )
        self.year_links = [
            {"year": other, "url": reverse("budgets:overview", args=[unit.code, other])}
            for other in years
        ]


def scope_or_404(unit_code: str, year: int) -> summaries.Scope:
    scope = summaries.published_scope(unit_code, year)
    if scope is None:
        # Only on the way to a 404: is it the unit or the year that is unknown?
        unit = Unit.objects.filter(code=unit_code).first()
        if unit is None:
            raise Http404(
                _("没有找到单位“%(unit)s”%(year)s 年已公开的预算或决算。")
                % {"unit": unit_code, "year": year}
            )
        years = Publication.objects.published().filter(unit=unit).values_list("year", flat=True)
        raise YearNotPublished(unit, year, sorted(set(years)))
    return scope


def year_links(scope: summaries.Scope, active: str, kind: str | None = None) -> list[dict]:
    """The years the unit has published, each linking to the same page in that year: a page
    of YEAR_PAGES exists in every published year, a publication's page where that kind was
    published; otherwise (a table's page, or a kind not published that year) the link goes to
    that year's overview. A subject's page passes its classification's page as `active`: the
    subject may have another code or none in another year. No query: the scope knows what
    was published."""
    links = []
    for year in scope.years:
        args = [scope.unit.code, year]
        if active in PAGE_NAMES:
            url = reverse(f"budgets:{active}", args=args)
        elif kind and (year, kind) in scope.published:
            url = reverse("budgets:publication", args=[*args, kind])
        else:
            url = reverse("budgets:overview", args=args)
        links.append({"year": year, "url": url, "current": year == scope.year})
    return links


def year_context(scope: summaries.Scope, active: str, kind: str | None = None) -> dict:
    """What every page of a unit's year shows: the unit, the year, the page links and the
    links to the unit's other years (`kind` names the publication a page belongs to)."""
    nav = [
        {
            "title": title,
            "url": reverse(f"budgets:{name}", args=[scope.unit.code, scope.year]),
            "active": name == active,
        }
        for name, title in YEAR_PAGES
    ]
    # The note on corrections costs a query only in a year that has any.
    corrections = summaries.corrections_in_scope(scope.publications) if scope.corrected else []
    return {
        "scope": scope,
        "unit": scope.unit,
        "year": scope.year,
        "nav": nav,
        "year_links": year_links(scope, active, kind),
        "corrections": corrections,
        "example_data": scope.unit.is_example,
    }


def source_text(scope: summaries.Scope, budget_tables: str, final_tables: str) -> str:
    parts = []
    if scope.budget:
        parts.append(f"{scope.year}年单位预算{budget_tables}")
    if scope.final:
        parts.append(f"{scope.year}年度单位决算{final_tables}")
    return "；".join(parts)


def csv_names(scope: summaries.Scope, slug: str, title: str) -> tuple[str, str]:
    """An ASCII file name and the Chinese one, for Content-Disposition; an example unit's
    files say so in their names (示例数据)."""
    mark = ("example-", "示例数据-") if scope.unit.is_example else ("", "")
    return (
        f"{mark[0]}{scope.unit.code}-{scope.year}-{slug}.csv",
        f"{mark[1]}{scope.unit.name}{scope.year}年{title}.csv",
    )


def no_parameters(request):
    """Pages without sorting or paging still refuse malformed paging parameters."""
    TableQuery(request.GET, sortable=[]).parsed()


def subject_url(scope: summaries.Scope, scheme: str, code: str) -> str:
    return reverse("budgets:subject", args=[scope.unit.code, scope.year, scheme, code])


def link_rows(rows, scope: summaries.Scope, scheme: str):
    """Give each comparison row the address of its subject page."""
    for row in rows:
        row.url = subject_url(scope, scheme, row.code)
    return rows
