"""Each publication's contents, and each of its tables and narrative parts as printed."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from budgets import quality as checks
from budgets import summaries
from budgets.choices import PublicationKind
from budgets.exports import content_disposition, stream_csv
from budgets.models import Publication, PublicationSource
from budgets.views.common import csv_names, no_parameters, scope_or_404, year_context


def publication_or_404(unit_code, year, kind, *related: str) -> Publication:
    if kind not in PublicationKind.values:
        raise Http404(f"没有“{kind}”这类公开文件。")
    return get_object_or_404(
        Publication.objects.published().select_related("unit", "unit__parent", *related),
        unit__code=unit_code,
        year=year,
        kind=kind,
    )


def publication_page(request, unit_code, year, kind, template, context):
    """A page about one published publication (its corrections, its check) that takes no
    parameters, with the pages of its year around it; `context(publication)` gives what the
    page itself shows."""
    scope = scope_or_404(unit_code, year)  # first: a year not published lists the others
    publication = publication_or_404(unit_code, year, kind)
    no_parameters(request)
    return render(
        request,
        template,
        {**year_context(scope, "", kind), "publication": publication, **context(publication)},
    )


def publication_detail(request, unit_code, year, kind):
    scope = scope_or_404(unit_code, year)  # first: a year not published lists the others
    publication = publication_or_404(unit_code, year, kind, "source")
    return render(
        request,
        "budgets/publication.html",
        {
            **year_context(scope, "", kind),
            "publication": publication,
            "source": getattr(publication, "source", None),
            "sections": publication.sections.all(),
        },
    )


def publication_source(request, unit_code, year, kind):
    """The archived copy of the text a publication's figures were transcribed from, as kept
    (OCR noise included): what a reader checks a figure against."""
    publication = publication_or_404(unit_code, year, kind)
    no_parameters(request)
    source = get_object_or_404(PublicationSource, publication=publication)
    response = HttpResponse(source.text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = content_disposition(
        source.file_name, source.file_name, inline=True
    )
    response["X-Content-SHA256"] = source.sha256
    return response


CORRECTIONS_HEADER = [
    "corrected_at", "unit_code", "year", "kind", "stage", "table", "record", "field",
    "before", "after", "reason", "page",
]  # fmt: skip


def corrections(request, unit_code, year, kind, fmt=None):
    if fmt == "csv":
        return corrections_csv(request, unit_code, year, kind)
    return publication_page(
        request,
        unit_code,
        year,
        kind,
        "budgets/corrections.html",
        lambda publication: {"rows": summaries.corrections_of(publication)},
    )


def corrections_csv(request, unit_code, year, kind):
    """The corrections page as data: one row per field a correction changed, with the value
    before and after (as the page prints them; "（空白）" for a blank), the record's stage, the
    time (ISO 8601, with its offset) and the reason."""
    scope = scope_or_404(unit_code, year)
    publication = publication_or_404(unit_code, year, kind)
    no_parameters(request)
    page = request.build_absolute_uri(reverse("budgets:corrections", args=[unit_code, year, kind]))
    rows = []
    for row in summaries.corrections_of(publication):
        at = row.correction.corrected_at.isoformat(timespec="seconds")
        common = [at, unit_code, year, kind, row.stage, row.table, row.record]
        reason = row.correction.reason
        for change in row.changes or [None]:
            cells = [change.field, change.before, change.after] if change else ["", "", ""]
            rows.append([*common, *cells, reason, f"{page}#correction-{row.correction.pk}"])
    ascii_name, utf8_name = csv_names(scope, f"{kind}-corrections", f"{publication.title}更正记录")
    return stream_csv(CORRECTIONS_HEADER, rows, ascii_name, utf8_name)


def quality(request, unit_code, year, kind):
    return publication_page(
        request,
        unit_code,
        year,
        kind,
        "budgets/quality.html",
        lambda publication: {"report": checks.stored(publication)},
    )


def section_detail(request, unit_code, year, kind, slug, fmt=None):
    scope = scope_or_404(unit_code, year)  # first: a year not published lists the others
    publication = publication_or_404(unit_code, year, kind)
    section = get_object_or_404(publication.sections, slug=slug)
    no_parameters(request)
    grid = summaries.section_grid(section)
    if fmt == "csv":
        title = f"{publication.get_kind_display()}{section.code}{section.title}"
        header, rows = summaries.grid_rows(grid)
        return stream_csv(header, rows, *csv_names(scope, f"{kind}-{slug}", title))
    return render(
        request,
        "budgets/section.html",
        {
            **year_context(scope, "", kind),
            "publication": publication,
            "section": section,
            "grid": grid,
            "explanations": section.explanations.select_related("subject"),
            "csv_url": reverse("budgets:section_csv", args=[unit_code, year, kind, slug]),
        },
    )
