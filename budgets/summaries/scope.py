"""Which publications a page of one unit and year shows."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery

from budgets.choices import PublicationKind
from budgets.models import Publication, PublicationContact, Unit
from budgets.summaries.sources import SourceSection, section_rows, source_sections


@dataclass(frozen=True)
class Scope:
    """The published publications of one unit and year: what every page of that year shows."""

    unit: Unit
    year: int
    budget: Publication | None
    final: Publication | None
    # (year, kind) of every publication the unit has published: the year navigation.
    published: frozenset[tuple[int, str]] = frozenset()
    # The sections of the budget then the final accounts, each in its publication's order:
    # what the source lines name (budgets.summaries.sources).
    sections: tuple[SourceSection, ...] = ()

    @property
    def publications(self) -> list[Publication]:
        return [p for p in (self.budget, self.final) if p is not None]

    @property
    def publication_ids(self) -> list[int]:
        return [p.pk for p in self.publications]

    @property
    def years(self) -> list[int]:
        """Every year the unit has published, oldest first."""
        return sorted({year for year, _ in self.published})

    def sections_of(self, kind: str, *topics: str) -> list[SourceSection]:
        """The sections of this year's publication of the kind, on any of the topics if given."""
        return [s for s in self.sections if s.kind == kind and (not topics or s.holds(topics))]

    @property
    def corrected(self) -> bool:
        """Whether any publication was corrected (published_scope counts the corrections)."""
        return any(getattr(p, "correction_count", 0) for p in self.publications)


def published_scope(unit_code: str, year: int) -> Scope | None:
    """The unit's published budget and final accounts for the year; None if it has neither.
    One query: the unit's publications of every year are read (two a year at most), so that
    the pages can link to the other years at no extra cost, with the sections of each (as a
    JSON list built by the database), so that source lines cost no query, and the unit's phone
    and address as the publication prints them (the footer's publisher)."""
    contacts = PublicationContact.objects.filter(section__publication=OuterRef("pk")).order_by("pk")
    publications = list(
        Publication.objects.published()
        .filter(unit__code=unit_code)
        .select_related("unit", "unit__parent")
        .annotate(
            correction_count=Count("corrections"),
            section_rows=section_rows(),
            contact_phone=Subquery(contacts.exclude(phone="").values("phone")[:1]),
            contact_address=Subquery(contacts.exclude(address="").values("address")[:1]),
        )
    )
    by_kind = {p.kind: p for p in publications if p.year == year}
    if not by_kind:
        return None
    budget, final = by_kind.get(PublicationKind.BUDGET), by_kind.get(PublicationKind.FINAL)
    return Scope(
        unit=publications[0].unit,
        year=year,
        budget=budget,
        final=final,
        published=frozenset((p.year, p.kind) for p in publications),
        sections=tuple(s for p in (budget, final) if p for s in source_sections(p)),
    )
