"""Which publications a page of one unit and year shows."""

from dataclasses import dataclass

from django.db.models import Count

from budgets.choices import PublicationKind
from budgets.models import Publication, Unit


@dataclass(frozen=True)
class Scope:
    """The published publications of one unit and year: what every page of that year shows."""

    unit: Unit
    year: int
    budget: Publication | None
    final: Publication | None
    # (year, kind) of every publication the unit has published: the year navigation.
    published: frozenset[tuple[int, str]] = frozenset()

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

    @property
    def corrected(self) -> bool:
        """Whether any publication was corrected (published_scope counts the corrections)."""
        return any(getattr(p, "correction_count", 0) for p in self.publications)


def published_scope(unit_code: str, year: int) -> Scope | None:
    """The unit's published budget and final accounts for the year; None if it has neither.
    One query: the unit's publications of every year are read (two a year at most), so that
    the pages can link to the other years at no extra cost."""
    publications = list(
        Publication.objects.published()
        .filter(unit__code=unit_code)
        .select_related("unit", "unit__parent")
        .annotate(correction_count=Count("corrections"))
    )
    by_kind = {p.kind: p for p in publications if p.year == year}
    if not by_kind:
        return None
    return Scope(
        unit=publications[0].unit,
        year=year,
        budget=by_kind.get(PublicationKind.BUDGET),
        final=by_kind.get(PublicationKind.FINAL),
        published=frozenset((p.year, p.kind) for p in publications),
    )
