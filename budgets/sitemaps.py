"""sitemap.xml: every public page of published data, as a sitemap index of sections, each
paginated (django.contrib.sitemaps: 50,000 addresses a page; a city has hundreds of thousands
of subject pages). Each page of a section is two queries (its count and its slice), whatever
the data. Example units (generated demonstration data) are left out: they are not data a search
engine should index. /robots.txt names the index.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import F
from django.db.models.functions import Substr
from django.http import HttpResponse
from django.urls import reverse

from budgets.choices import LEVEL_LENGTHS
from budgets.models import OpenLine, Publication, Section, Unit
from budgets.views.common import YEAR_PAGES

# Pages of a unit's year beside its overview (the CSV twins are data, not pages).
YEAR_PAGE_NAMES = [name for name, _label in YEAR_PAGES]


def _published():
    return Publication.objects.published().filter(unit__is_example=False)


class _Section(Sitemap):
    protocol = None  # the request's

    def location(self, item):
        name, *args = item
        return reverse(f"budgets:{name}", args=args)


class PagesSitemap(_Section):
    def items(self):
        return [("home",), ("data",), ("data_dictionary",), ("data_browse",), ("builds",)]


class DepartmentsSitemap(_Section):
    """Each department, and each year some unit of it published."""

    def items(self):
        departments = [
            ("department", code)
            for code in Unit.objects.filter(kind=Unit.Kind.DEPARTMENT, is_example=False)
            .order_by("code")
            .values_list("code", flat=True)
        ]
        years = [
            ("department_year", code, year)
            for code, year in _published()
            .filter(unit__parent__kind=Unit.Kind.DEPARTMENT)
            .values_list("unit__parent__code", "year")
            .distinct()
            .order_by("unit__parent__code", "year")
        ]
        return departments + years


class UnitsSitemap(_Section):
    def items(self):
        codes = _published().values_list("unit__code", flat=True).distinct().order_by("unit__code")
        return [("unit", code) for code in codes]


class YearsSitemap(_Section):
    """Each unit's published years: the overview and its tables."""

    def items(self):
        pairs = (
            _published().values_list("unit__code", "year").distinct().order_by("unit__code", "year")
        )
        return [(name, code, year) for code, year in pairs for name in YEAR_PAGE_NAMES]


class PublicationsSitemap(_Section):
    """Each published publication, its corrections and its check, and each of its tables and
    narrative parts."""

    def items(self):
        publications = (
            _published()
            .values_list("unit__code", "year", "kind")
            .order_by("unit__code", "year", "kind")
        )
        pages = [
            (name, *key)
            for key in publications
            for name in ("publication", "corrections", "quality")
        ]
        sections = (
            Section.objects.filter(publication__in=_published())
            .values_list(
                "publication__unit__code", "publication__year", "publication__kind", "slug"
            )
            .order_by("publication__unit__code", "publication__year", "publication__kind", "slug")
        )
        return pages + [("section", *row) for row in sections]


class SubjectsSitemap(_Section):
    """Each subject a unit's year has lines of, with the classes and sections above it (their
    codes are its code's prefixes): a query of the open lines, a page at a time."""

    def items(self):
        lines = OpenLine.objects.filter(
            publication__in=_published(), breakdown__in=list(LEVEL_LENGTHS)
        )
        levels = sorted({n for lengths in LEVEL_LENGTHS.values() for n in lengths})
        parts = [
            lines.filter(subject_code__regex=rf"^[0-9]{{{length},}}$")
            .annotate(scheme=F("breakdown"), code=Substr("subject_code", 1, length))
            .values_list("unit_code", "year", "scheme", "code")
            .order_by()
            for length in levels
        ]
        return parts[0].union(*parts[1:]).order_by("unit_code", "year", "scheme", "code")

    def location(self, item):
        return reverse("budgets:subject", args=item)


SITEMAPS = {
    "pages": PagesSitemap,
    "departments": DepartmentsSitemap,
    "units": UnitsSitemap,
    "years": YearsSitemap,
    "publications": PublicationsSitemap,
    "subjects": SubjectsSitemap,
}


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("budgets:sitemap"))
    return HttpResponse(
        f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n", content_type="text/plain; charset=utf-8"
    )
