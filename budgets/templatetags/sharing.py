"""What base.html says about a page for sharing, citing and printing: its title and description
for the <head> (meta description, Open Graph), its canonical address, who publishes the data it
shows (the footer), and the links to 报告数据错误."""

from html import unescape

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from budgets import i18n
from budgets.formatting import wan
from budgets.models import Unit

register = template.Library()

# Parameters that only arrange the same figures (order, paging): a sorted or second page is
# not another page to share or index. What remains in a valid address (every page refuses
# parameters it does not know, with a 400) chooses which figures are shown — a level, a class
# of expense, a unit prefix, a search — and stays in the canonical address.
PRESENTATION_PARAMETERS = {"sort", "page", "per_page", "page_size", "cursor"}
SITE_NAME = "预决算公开平台"


@register.simple_tag(takes_context=True)
def block_text(context, name: str) -> str:
    """The text of the page's own `{% block name %}` (the most derived one), as plain text on
    one line: lets the <head> repeat the title in og:title. Rendered with autoescaping, then
    stripped of tags, so the result is text to escape again where it is used."""
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = block_context.get_block(name) if block_context is not None else None
    if block is None:
        return ""
    with context.push():
        html = block.nodelist.render(context)
    return unescape(" ".join(strip_tags(html).split()))


@register.simple_tag(takes_context=True)
def page_description(context, title: str) -> str:
    """A description for a page that gives none: the page's title, whose figures they are and
    where they come from; a subject's page adds its two figures."""
    scope = context.get("scope")
    unit = context.get("unit") or (scope.unit if scope else None)
    year = context.get("year")
    parts = [title]
    row = context.get("row")
    if context.get("subject") is not None and row is not None:
        if getattr(row, "initial", None) is not None:
            parts.append(_("年初预算 %(amount)s 万元") % {"amount": wan(row.initial)})
        if getattr(row, "final", None) is not None:
            parts.append(_("决算 %(amount)s 万元") % {"amount": wan(row.final)})
    whose = i18n.local_name_text(unit) if unit is not None else ""
    department = context.get("department")
    if not whose and department is not None:
        whose = i18n.local_name_text(department)
    if whose and year:
        parts.append(
            _("数据来自%(whose)s依法公开的%(year)s年预算、决算文件，逐项录入并与原表核对")
            % {"whose": whose, "year": year}
        )
    elif whose:
        parts.append(
            _("数据来自%(whose)s依法公开的预算、决算文件，逐项录入并与原表核对") % {"whose": whose}
        )
    else:
        parts.append(_("单位预算与决算逐项公开：计划花多少、实际花多少、差在哪里"))
    # Chinese sentences end with 。; English ones with a full stop and a space between them.
    stop = "." if i18n.in_english() else "。"
    return (stop + " " if i18n.in_english() else stop).join(part for part in parts if part) + stop


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's absolute address without the parameters that only sort or page it."""
    request = context.get("request")
    if request is None:
        return ""
    match = request.resolver_match
    if match is not None and (match.url_name or "").startswith("report"):
        return request.build_absolute_uri(request.path)  # the form's parameters are the visit's
    kept = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if name not in PRESENTATION_PARAMETERS
        for value in values
        if value
    )
    query = f"?{urlencode(kept)}" if kept else ""
    return request.build_absolute_uri(request.path) + query


@register.simple_tag(takes_context=True)
def report_url(context, figure: str = "") -> str:
    """The form of 报告数据错误 for this page (and a row of it); "" on a page that cannot be
    reported (an error page, the form itself)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "budgets" or (match.url_name or "").startswith("report"):
        return ""
    params = {"page": request.path}
    if figure:
        params["figure"] = figure
    return f"{reverse('budgets:report')}?{urlencode(params)}"


def _cached_parent(unit):
    """The unit's department when it was read with the unit (no query in a footer)."""
    if not isinstance(unit, Unit):
        return None
    return Unit.parent.field.get_cached_value(unit, None) if Unit.parent.is_cached(unit) else None


def _subject_row(context) -> str:
    subject, row = context.get("subject"), context.get("row")
    return subject.code if subject is not None and row is not None else ""


@register.inclusion_tag("budgets/report_footer.html", takes_context=True)
def publisher(context):
    """Who publishes the figures of this page: the unit with its phone and address as its
    publication prints them (the final accounts' first, else the budget's), or the unit and its
    department, or the department; and who runs the portal."""
    scope = context.get("scope")
    unit = scope.unit if scope is not None else context.get("unit")
    department = context.get("department")
    if unit is not None and department is None:
        department = _cached_parent(unit)
    contact = None
    if scope is not None:
        for publication in (scope.final, scope.budget):
            phone = getattr(publication, "contact_phone", None)
            address = getattr(publication, "contact_address", None)
            if phone or address:
                contact = {"phone": phone, "address": address, "publication": publication}
                break
    publications = []
    if scope is not None:
        for publication in (scope.budget, scope.final):
            if publication is not None:
                date = publication.published_on
                publications.append(
                    f"《{publication.title}》" + (f"（{date:%Y-%m-%d} 公开）" if date else "")
                )
    return {
        "publications": "；".join(publications),
        # A subject's page is about one figure, its own row (#code): the report names it.
        "report_url": report_url(context, _subject_row(context)),
        "unit": unit,
        "department": department if department != unit else None,
        "contact": contact,
        "operator": context.get("portal_operator"),
        "site_name": SITE_NAME,
    }
