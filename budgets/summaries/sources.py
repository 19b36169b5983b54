"""Where a page's figures are printed: the sections of a unit-year's publications, found by
what they hold (their topic), never by a table number, since numbering varies between
localities (三公 is 公开09 in one city, 公开07 in another) and a unit with several projects has
one 表12 per project.

The sections come with the scope (published_scope reads them in its one query), so that a
source line costs no query.
"""

from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    Exists,
    Func,
    JSONField,
    OuterRef,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _

from budgets.choices import ExplanationKind, PublicationKind
from budgets.models import Explanation, Section

# Not a topic: the narrative section that gives the reasons for the differences between the
# initial budget and the final accounts (it holds explanations of that kind).
VARIANCE_REASONS = "variance_reasons"


@dataclass(frozen=True)
class SourceSection:
    """A section as a source line names it: its printed code, linking to its page."""

    id: int
    unit_code: str
    year: int
    kind: str  # the publication's kind (budget or final)
    topic: str
    code: str
    title: str
    slug: str
    order: int
    explains_variances: bool = False

    @property
    def kind_label(self) -> str:
        return PublicationKind(self.kind).label

    @property
    def url(self) -> str:
        return reverse("budgets:section", args=[self.unit_code, self.year, self.kind, self.slug])

    def holds(self, wanted) -> bool:
        return self.topic in wanted or (VARIANCE_REASONS in wanted and self.explains_variances)


@dataclass(frozen=True)
class Source:
    """A source line as pieces of text, each a section's code with its address or plain text;
    str() is the line as text (CSV files, chart descriptions)."""

    pieces: tuple[tuple[str, str, str], ...]  # (text, url or "", section title or "")

    def __str__(self) -> str:
        return "".join(text for text, _, _ in self.pieces)

    def __bool__(self) -> bool:
        return bool(self.pieces)


class JSONList(Aggregate):
    """The aggregated values as one JSON array, built by the database."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


class JSONRow(Func):
    """The named values as one JSON object, built by the database. Not Django's JSONObject:
    on SQLite that probes the database for JSON support the first time it is used, an extra
    query on whichever page comes first."""

    function = "JSONB_BUILD_OBJECT"
    output_field = JSONField()

    def __init__(self, **values):
        pairs = [(Cast(Value(key), TextField()), value) for key, value in values.items()]
        super().__init__(*(arg for pair in pairs for arg in pair))

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSON_OBJECT", **extra_context)


def section_rows() -> Subquery:
    """The sections of the publication of the outer query as a JSON list, so that the
    publications and their sections come in one query."""
    explains_variances = Exists(
        Explanation.objects.filter(section=OuterRef("pk"), kind=ExplanationKind.VARIANCE_REASON)
    )
    rows = JSONRow(
        id="pk",
        topic="topic",
        code="code",
        title="title",
        slug="slug",
        order="order",
        explains_variances=explains_variances,
    )
    return Subquery(
        Section.objects.filter(publication=OuterRef("pk"))
        .order_by()
        .values("publication")
        .annotate(rows=JSONList(rows))
        .values("rows")
    )


def source_sections(publication) -> list[SourceSection]:
    """The sections of a publication read with section_rows(), in the publication's order."""
    rows = getattr(publication, "section_rows", None) or []
    return sorted(
        (
            SourceSection(
                id=row["id"],
                unit_code=publication.unit.code,
                year=publication.year,
                kind=publication.kind,
                topic=row["topic"],
                code=row["code"],
                title=row["title"],
                slug=row["slug"],
                order=row["order"],
                explains_variances=bool(row["explains_variances"]),
            )
            for row in rows
        ),
        key=lambda section: section.order,
    )


def publication_label(kind: str, year: int) -> str:
    """How a source line names a publication, e.g. "2024年单位预算", "2024年度单位决算"."""
    if kind == PublicationKind.BUDGET:
        return _("%(year)s年单位预算") % {"year": year}
    return _("%(year)s年度单位决算") % {"year": year}


def _codes(sections, note: str = "") -> list[tuple[str, str, str]]:
    pieces = []
    for section in sections:
        if pieces:
            pieces.append((_("、"), "", ""))
        pieces.append((section.code, section.url, section.title))
    if pieces and note:
        pieces.append((note, "", ""))
    return pieces


def _joined(groups) -> list[tuple[str, str, str]]:
    pieces = []
    for group in groups:
        if group and pieces:
            pieces.append((_("、"), "", ""))
        pieces.extend(group)
    return pieces


def topic_source(scope, budget=(), final=()) -> Source:
    """The source line of a page of one unit-year: each published publication asked for, with
    the codes of its sections on the given topics, e.g. "2024年单位预算表3、表5-1；2024年度
    单位决算公开03、公开05、第三部分五（差异原因）".

    `budget` and `final` are each topics (or VARIANCE_REASONS), or groups of topics each
    with a note printed after its codes: [((Topic.X, Topic.Y), ""), ((VARIANCE_REASONS,),
    "（差异原因）")]. A publication with no group asked for is left out;
    one without a section on the topics is named alone."""
    parts = []
    for publication, groups in ((scope.budget, budget), (scope.final, final)):
        if publication is None or not groups:
            continue
        if all(isinstance(item, str) for item in groups):  # topics alone: one group, no note
            groups = [(groups, "")]
        sections = scope.sections_of(publication.kind)
        codes = _joined(
            _codes([s for s in sections if s.holds(topics)], note) for topics, note in groups
        )
        if parts:
            parts.append((_("；"), "", ""))
        parts.append((publication_label(publication.kind, scope.year), "", ""))
        parts.extend(codes)
    return Source(tuple(parts))


def section_source(scope, section_ids) -> Source:
    """A short source line naming given sections by their publication's kind and code:
    "预算表12", "预算表12（P1）"."""
    wanted = set(section_ids)
    pieces = []
    for section in scope.sections:
        if section.id in wanted:
            if pieces:
                pieces.append((_("、"), "", ""))
            pieces.append((PublicationKind(section.kind).label, "", ""))
            pieces.append((section.code, section.url, section.title))
    return Source(tuple(pieces))
