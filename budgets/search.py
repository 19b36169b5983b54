"""Search over the published data: units and departments, classification subjects, projects,
performance indicators and the publications' texts (Explanation).

A query is cut into words (at most MAX_WORDS); a row is found when every word is in one of its
searched columns: a code begins with it (a code prefix: 20801 finds 2080150), a name or text
contains it. Every kind is one query (subjects: two, the second naming the ≤ limit + 1 subjects
found), LIMITed to one row more than is shown, so that the page can say there are more; the
number of queries never depends on the data.

Matching is `icontains` (UPPER(column) LIKE UPPER('%word%') on PostgreSQL, where migration
0014 gives the searched columns trigram indexes on UPPER(column); LIKE on SQLite). Chinese has
no word boundaries, so a substring match is what a reader expects ("运行" finds 事业运行 and
行政运行); benchmarks/README.md has the measurements behind the choice.

Only published rows are searched, through the `published()` querysets (published_lookup for
the texts, whose model has no queryset of its own). Example units (示例数据) are public pages
like any other: their rows are found, after the real ones, and marked.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy, gettext_noop, pgettext_lazy

from budgets import i18n
from budgets.choices import LEVEL_LENGTHS, Scheme
from budgets.models import (
    EvaluationItem,
    Explanation,
    Fact,
    IndicatorTarget,
    ProjectAmount,
    Publication,
    Subject,
    Unit,
)
from budgets.models.organisation import published_lookup

MAX_LENGTH = 100
MAX_WORDS = 5
LIMIT = 20  # rows of each kind on the page of all kinds
KIND_LIMIT = 200  # rows on the page of one kind (its "more" link)
EXCERPT_CHARS = 60  # of a text, either side of the first word found

UNITS, SUBJECTS, PROJECTS = "units", "subjects", "projects"
INDICATORS, TEXTS = "indicators", "texts"
KINDS = {
    UNITS: gettext_lazy("单位和部门"),
    SUBJECTS: gettext_lazy("科目"),
    # "项目" alone is also a table's "item": the context keeps the two translations apart.
    PROJECTS: pgettext_lazy("search kind", "项目"),
    INDICATORS: gettext_lazy("绩效指标"),
    TEXTS: gettext_lazy("公开文件中的文字"),
}


def words(query: str) -> list[str]:
    """The words searched for: any Unicode decimal digit as its ASCII digit (a full-width
    "２０８０１５０" typed with a Chinese input method is 2080150), split on any space
    (including the ideographic space), repeated words once, at most MAX_WORDS."""
    text = "".join(
        str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
        for ch in query
    )
    return list(dict.fromkeys(text.split()))[:MAX_WORDS]


def highlight(text: str, found: list[str]) -> SafeString:
    """`text` escaped, with each occurrence of a word (case-insensitively) in <mark>."""
    if not text:
        return mark_safe("")
    if not found:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(found, key=len, reverse=True)), re.I)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # every piece of the database's text went through escape()


def excerpt(text: str, found: list[str], chars: int = EXCERPT_CHARS) -> str:
    """The part of a long text around the first word found in it."""
    lowered = text.lower()
    positions = [p for p in (lowered.find(w.lower()) for w in found) if p >= 0]
    start = min(positions, default=0)
    begin, end = max(0, start - chars), min(len(text), start + chars * 2)
    return f"{'…' if begin else ''}{text[begin:end]}{'…' if end < len(text) else ''}"


@dataclass
class Hit:
    """One thing found, with the address of its page. `name` and `text` are plain text; the
    page marks the words in them (`marked_name`, `marked_text`)."""

    kind: str
    name: str
    url: str
    code: str = ""
    unit_code: str = ""
    unit_name: str = ""
    year: int | None = None
    # English names staff gave (name_en), shown on English pages instead of the Chinese ones.
    name_en: str = ""
    unit_name_en: str = ""
    label: str = ""  # what the thing is: 部门, 功能分类 项, 绩效目标 ...
    label_is_data: bool = False  # a published title (an indicator's table), not our word
    # Where it is: a path of indicator levels, a section's title; `context_lead` is the
    # portal's word before it (a publication's kind: 预算, 决算).
    context: str = ""
    context_lead: str = ""
    text: str = ""
    is_example: bool = False
    # Hits of one subject (several units) are listed under one heading: the same key.
    key: str = ""
    marked: dict = field(default_factory=dict)


@dataclass
class Group:
    kind: str
    title: str
    hits: list[Hit]
    more: bool  # more rows match than are shown


def _all_words(found: list[str], one_word) -> Q:
    """Every word matches: `one_word(word)` is the Q of one word over the kind's columns."""
    condition = Q()
    for word in found:
        condition &= one_word(word)
    return condition


def _in_text(*columns):
    def one_word(word):
        condition = Q()
        for column in columns:
            condition |= Q(**{f"{column}__icontains": word})
        return condition

    return one_word


def _code_or_text(code_column, *columns):
    text = _in_text(*columns)

    def one_word(word):
        return Q(**{f"{code_column}__startswith": word}) | text(word)

    return one_word


# -- units and departments --------------------------------------------------------------------


def find_units(found: list[str], limit: int) -> tuple[list[Hit], bool]:
    """Units with a published publication (linking to the overview of their latest year) and
    departments with a published publication of theirs or of a unit below them (linking to
    the department's page)."""
    published = Publication.objects.published()
    latest = published.filter(unit=OuterRef("pk")).order_by("-year").values("year")[:1]
    below = published.filter(unit__parent=OuterRef("pk"))
    rows = list(
        Unit.objects.filter(_all_words(found, _code_or_text("code", "name")))
        .annotate(latest_year=Subquery(latest, output_field=IntegerField()))
        .filter(Q(latest_year__isnull=False) | Q(Exists(below), kind=Unit.Kind.DEPARTMENT))
        .order_by("is_example", "code")[: limit + 1]
    )
    hits = []
    for unit in rows[:limit]:
        if unit.kind == Unit.Kind.DEPARTMENT:
            url = reverse("budgets:department", args=[unit.code])
        else:
            url = reverse("budgets:overview", args=[unit.code, unit.latest_year])
        hits.append(
            Hit(
                UNITS,
                unit.name,
                url,
                code=unit.code,
                unit_code=unit.code,
                unit_name=unit.name,
                name_en=unit.name_en,
                unit_name_en=unit.name_en,
                year=unit.latest_year if unit.kind != Unit.Kind.DEPARTMENT else None,
                label=gettext(str(unit.get_kind_display())),
                is_example=unit.is_example,
            )
        )
    return hits, len(rows) > limit


# -- subjects ---------------------------------------------------------------------------------


def _levels():
    """(scheme, code length) of every level that is not a leaf: facts are recorded at the
    leaves (项 of the functional classification, 款 of the economic one), and a 类 or 款 is
    found through the leaves below it."""
    return [(scheme, length) for scheme in Scheme for length in LEVEL_LENGTHS[scheme][:-1]]


def find_subjects(found: list[str], limit: int) -> tuple[list[Hit], bool]:
    """Subjects of any level that a published publication has amounts under, one hit per
    unit, year and subject, linking to the subject's page of that unit's year. A subject is
    found by a code prefix or a word of its name; a 类 or 款 (no facts of its own) is found
    through the leaves below it, each level its own part of one UNION query. The UNION keeps
    its rows narrow (codes and ids: it sorts every fact of a broad subject); the names of the
    few subjects and units shown are read after it, in one query each."""
    matched = Subject.objects.filter(_all_words(found, _code_or_text("code", "name")))
    facts = Fact.objects.published()
    columns = ("is_example", "year", "scheme", "code", "unit_ref")

    def part(queryset, code):
        return (
            queryset.annotate(
                is_example=F("publication__unit__is_example"),
                year=F("publication__year"),
                scheme=F("subject__scheme"),
                code=code,
                unit_ref=F("publication__unit_id"),
            )
            .values_list(*columns)
            .order_by()
        )

    parts = [part(facts.filter(subject__in=matched), F("subject__code"))]
    for scheme, length in _levels():
        # The leaves whose 类 (or 款) of the same year is a matched subject.
        above = matched.filter(
            scheme=scheme,
            year=OuterRef("year"),
            code=Substr(OuterRef("code"), 1, length),
        )
        leaves = Subject.objects.filter(scheme=scheme).filter(Exists(above))
        parts.append(part(facts.filter(subject__in=leaves), Substr("subject__code", 1, length)))
    union = parts[0].union(*parts[1:])
    rows = list(union.order_by("is_example", "-year", "scheme", "code", "unit_ref")[: limit + 1])
    shown = rows[:limit]
    condition = Q(pk__in=[])
    for _example, year, scheme, code, _unit in shown:
        condition |= Q(scheme=scheme, year=year, code=code)
    subjects = {(s.scheme, s.year, s.code): s for s in Subject.objects.filter(condition)}
    units = Unit.objects.in_bulk({unit for *_, unit in shown})
    hits = []
    for is_example, year, scheme, code, unit_id in shown:
        subject, unit = subjects[(scheme, year, code)], units[unit_id]
        hits.append(
            Hit(
                SUBJECTS,
                subject.name,
                reverse("budgets:subject", args=[unit.code, year, scheme, code]),
                code=code,
                unit_code=unit.code,
                unit_name=unit.name,
                year=year,
                name_en=subject.name_en,
                unit_name_en=unit.name_en,
                label=f"{Scheme(scheme).label} {subject.level_name}",
                is_example=is_example,
                key=f"{is_example}-{scheme}-{year}-{code}",
            )
        )
    # The UNION picks the hits in unit id order (it sorts ids, not codes); they are shown by
    # unit code under each subject.
    hits.sort(key=lambda h: (h.is_example, -h.year, h.key, h.unit_code))
    return hits, len(rows) > limit


# -- projects ---------------------------------------------------------------------------------


def find_projects(found: list[str], limit: int) -> tuple[list[Hit], bool]:
    """Projects by code or name, one hit per unit and year that published an amount of the
    project, linking to the project on that year's projects page."""
    rows = list(
        ProjectAmount.objects.published()
        .filter(_all_words(found, _in_text("project__code", "project__name")))
        .values_list(
            "project__code",
            "project__name",
            "publication__unit__code",
            "publication__unit__name",
            "publication__unit__is_example",
            "publication__year",
            "project__name_en",
            "publication__unit__name_en",
        )
        .distinct()
        .order_by("publication__unit__is_example", "-publication__year", "project__code")[
            : limit + 1
        ]
    )
    hits = [
        Hit(
            PROJECTS,
            name,
            reverse("budgets:projects", args=[unit_code, year]) + f"#project-{code}",
            code=code,
            unit_code=unit_code,
            unit_name=unit_name,
            year=year,
            name_en=name_en,
            unit_name_en=unit_name_en,
            label=gettext("项目支出"),
            is_example=is_example,
        )
        for code, name, unit_code, unit_name, is_example, year, name_en, unit_name_en in rows[
            :limit
        ]
    ]
    return hits, len(rows) > limit


# -- performance indicators -------------------------------------------------------------------


def find_indicators(found: list[str], limit: int) -> tuple[list[Hit], bool]:
    """Indicators of the targets (budget) and of the self-evaluations (final accounts) by any
    of their three levels, linking to their table on that year's performance page."""
    one_word = _in_text("level1", "level2", "level3")
    columns = (
        "value_label",
        "level1",
        "level2",
        "level3",
        "value",
        "slug",
        "title",
        "unit_code",
        "unit_name",
        "is_example",
        "year",
        "table_order",
        "row_order",
        "unit_name_en",
    )

    def part(queryset, value_label, value, table):
        publication = f"{table}__publication"
        return (
            queryset.filter(_all_words(found, one_word))
            .annotate(
                value_label=Value(value_label),
                value=F(value),
                slug=F(f"{table}__slug"),
                title=F(f"{table}__title"),
                unit_code=F(f"{publication}__unit__code"),
                unit_name=F(f"{publication}__unit__name"),
                is_example=F(f"{publication}__unit__is_example"),
                year=F(f"{publication}__year"),
                table_order=F(f"{table}__order"),
                row_order=F("order"),
                unit_name_en=F(f"{publication}__unit__name_en"),
            )
            .values_list(*columns)
            .order_by()
        )

    # The labels are stored in the query (a UNION needs the column) and translated when shown.
    targets = part(
        IndicatorTarget.objects.published(), gettext_noop("目标值"), "target", "plan__section"
    )
    results = part(
        EvaluationItem.objects.published(),
        gettext_noop("实际完成值"),
        "actual",
        "evaluation__section",
    )
    rows = list(
        targets.union(results, all=True).order_by(
            "is_example", "-year", "unit_code", "table_order", "row_order"
        )[: limit + 1]
    )
    hits = []
    for row in rows[:limit]:
        value_label, level1, level2, level3, value, slug, title, unit, name, example, year, *_ = row
        unit_name_en = row[-1]
        hits.append(
            Hit(
                INDICATORS,
                level3 or level1,
                reverse("budgets:performance", args=[unit, year]) + f"#{slug}",
                unit_code=unit,
                unit_name=name,
                unit_name_en=unit_name_en,
                year=year,
                label=title,
                label_is_data=True,
                context=" › ".join(level for level in (level1, level2) if level and level3),
                text=gettext("%(label)s：%(value)s")
                % {"label": gettext(value_label), "value": value}
                if value
                else "",
                is_example=example,
            )
        )
    return hits, len(rows) > limit


# -- the publications' texts ------------------------------------------------------------------


def find_texts(found: list[str], limit: int) -> tuple[list[Hit], bool]:
    """The publications' explanations (reasons, uses, definitions) by their heading or text,
    linking to their section's page."""
    rows = list(
        Explanation.objects.filter(**published_lookup("section__publication"))
        .filter(_all_words(found, _in_text("label", "text")))
        .select_related("section__publication__unit")
        .order_by(
            "section__publication__unit__is_example",
            "-section__publication__year",
            "section__publication__unit__code",
            "section__publication__kind",
            "section__order",
            "order",
        )[: limit + 1]
    )
    hits = []
    for explanation in rows[:limit]:
        section = explanation.section
        publication = section.publication
        hits.append(
            Hit(
                TEXTS,
                explanation.label,
                section.get_absolute_url(),
                unit_code=publication.unit.code,
                unit_name=publication.unit.name,
                unit_name_en=publication.unit.name_en,
                year=publication.year,
                label=gettext(str(explanation.get_kind_display())),
                context=f"{section.code} {section.title}",
                context_lead=gettext(str(publication.get_kind_display())),
                text=explanation.text,
                is_example=publication.unit.is_example,
            )
        )
    return hits, len(rows) > limit


def _data(marked: SafeString) -> SafeString:
    """Published text with its words marked, in <span lang="zh-Hans"> on English pages when it
    is Chinese: budgets.i18n.data_text, which keeps the marks (already escaped HTML)."""
    return i18n.data_text(marked) if marked else marked


def _name(hit: Hit, found: list[str]) -> SafeString:
    """The hit's name, its words marked: on English pages the name_en staff gave, followed by
    the published name (what a search in Chinese matched)."""
    published = _data(highlight(hit.name, found))
    if hit.name_en and i18n.in_english():
        return format_html("{} ({})", highlight(hit.name_en, found), published)
    return published


def _context(hit: Hit, found: list[str]) -> SafeString:
    """Where the hit is: the portal's word (context_lead) and the published place."""
    if not hit.context_lead:
        return _data(highlight(hit.context, found))
    if not i18n.in_english():
        return highlight(f"{hit.context_lead} {hit.context}", found)
    return format_html("{} {}", hit.context_lead, _data(highlight(hit.context, found)))


def full_context(hit: Hit) -> str:
    """The hit's place as plain text (the CSV's column)."""
    return " ".join(part for part in (hit.context_lead, hit.context) if part)


FINDERS = {
    UNITS: find_units,
    SUBJECTS: find_subjects,
    PROJECTS: find_projects,
    INDICATORS: find_indicators,
    TEXTS: find_texts,
}


def search(query: str, kind: str = "") -> list[Group]:
    """The groups of hits for the query, every kind (LIMIT rows each) or one (KIND_LIMIT);
    nothing without a word to search for."""
    found = words(query)
    if not found:
        return []
    kinds = [kind] if kind else list(FINDERS)
    limit = KIND_LIMIT if kind else LIMIT
    groups = []
    english = i18n.in_english()
    for name in kinds:
        hits, more = FINDERS[name](found, limit)
        for hit in hits:
            text = excerpt(hit.text, found) if hit.kind == TEXTS else hit.text
            hit.marked = {
                "name": _name(hit, found),
                "code": highlight(hit.code, found),
                "context": _context(hit, found),
                "text": _data(highlight(text, found)),
                "label": _data(escape(hit.label)) if hit.label_is_data else hit.label,
                # name_en where staff gave one (English pages), else the published name.
                "unit_name": (english and hit.unit_name_en) or i18n.data_text(hit.unit_name),
            }
        groups.append(Group(name, KINDS[name], hits, more))
    return groups
