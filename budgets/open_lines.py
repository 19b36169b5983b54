"""Keeping the open lines (budgets.models.OpenLine) equal to the published facts, and reading
them out as CSV.

`refresh(publications)` rewrites the rows of some publications from their facts, in the
transaction that changed them; `refresh_all()` rewrites every row (after a bulk load).
`csv_chunks(lines)` gives the bytes of a CSV of some open lines: the BOM, the header of
lines.csv and one row per line, exactly as lines.csv prints them.
"""

from collections.abc import Iterable, Iterator

from django.db import transaction

from budgets.datasets import (
    CHUNK,
    LINE_FIELDS,
    LINES,
    _batches,
    _line,
    fact_sources,
    open_facts,
    project_links,
)
from budgets.exports import BATCH_ROWS, BOM, csv_cell
from budgets.models import OpenLine

# The columns of OpenLine in the order of lines.csv.
CSV_FIELDS = [
    "year",
    "stage",
    "direction",
    "unit_code",
    "unit_name",
    "breakdown",
    "functional_code",
    "functional_name",
    "functional_level",
    "economic_code",
    "economic_name",
    "expenditure_type",
    "expense_class",
    "fund_source",
    "project_code",
    "amount",
    "source",
]
assert len(CSV_FIELDS) == len(LINES.header)


def _open_lines(facts) -> Iterator[OpenLine]:
    fields = (*LINE_FIELDS, "publication_id")
    for batch in _batches(facts.order_by("pk").values_list(*fields).iterator(chunk_size=CHUNK)):
        sources = fact_sources([row[0] for row in batch])
        links = project_links({row[-2] for row in batch})
        for row in batch:
            cells = _line(row[:-1], sources.get(row[0], ""), links)
            values = dict(zip(CSV_FIELDS, cells, strict=True))
            values["breakdown"] = values["breakdown"] or ""
            yield OpenLine(
                fact_id=row[0],
                publication_id=row[-1],
                unit_id=row[-2],
                subject_code=row[7] or "",
                **values,
            )


def _write(facts) -> int:
    count = 0
    for batch in _batches(_open_lines(facts)):
        OpenLine.objects.bulk_create(batch)
        count += len(batch)
    return count


def refresh(publications: Iterable) -> int:
    """Rewrite the open lines of these publications (objects or ids) from their facts: none
    when a publication is not (or no longer) open. Returns the number of lines written."""
    ids = [getattr(p, "pk", p) for p in publications]
    with transaction.atomic():
        OpenLine.objects.filter(publication_id__in=ids).delete()
        return _write(open_facts().filter(publication_id__in=ids))


def refresh_all() -> int:
    """Rewrite every open line (after loaddata, generate_city or a change of settings)."""
    with transaction.atomic():
        OpenLine.objects.all().delete()
        return _write(open_facts())


def csv_chunks(lines) -> Iterator[bytes]:
    """lines.csv of these open lines, in the queryset's order (the key's when it has none),
    as UTF-8 bytes with a BOM, a few hundred rows a chunk."""
    import csv

    from budgets.exports import _Echo

    if not lines.query.order_by:
        lines = lines.order_by("pk")
    writer = csv.writer(_Echo())
    batch = [BOM + writer.writerow(LINES.header)]
    for row in lines.values_list(*CSV_FIELDS).iterator(chunk_size=CHUNK):
        batch.append(writer.writerow([csv_cell(cell) for cell in row]))
        if len(batch) >= BATCH_ROWS:
            yield "".join(batch).encode()
            batch = []
    if batch:
        yield "".join(batch).encode()


__all__ = ["csv_chunks", "refresh", "refresh_all"]


def write_csv(path) -> int:
    """Write lines.csv of every open line to `path`; returns the number of rows."""
    rows = 0
    with open(path, "wb") as stream:
        for chunk in csv_chunks(OpenLine.objects.all()):
            stream.write(chunk)
    rows = OpenLine.objects.count()
    return rows
