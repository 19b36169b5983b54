"""What corrections changed: for each correction of a publication, the figures before and
after it, read from the audit trail (the history row the correction made and the one before).

Runs one query for the corrections and two per kind of record they touched, whatever the size
of the history."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from budgets.models import Correction, Publication


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class CorrectionRow:
    correction: Correction
    table: str
    record: str
    changes: list[FieldChange]
    stage: str = ""  # the corrected record's stage, for records that have one


BLANK = "（空白）"


def shown(field, value) -> str:
    if value is None or value == "":
        return BLANK
    choices = dict(field.flatchoices) if field.choices else {}
    if value in choices:
        return str(choices[value])
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def field_changes(model, before, after) -> list[FieldChange]:
    changes = []
    for field in model.history.model.tracked_fields:
        if field.attname == model._meta.pk.attname:
            continue
        old = getattr(before, field.attname) if before is not None else None
        new = getattr(after, field.attname)
        if old != new:
            changes.append(
                FieldChange(str(field.verbose_name), shown(field, old), shown(field, new))
            )
    return changes


def corrections_of(publication: Publication) -> list[CorrectionRow]:
    """The publication's corrections, newest first, each with the fields it changed."""
    return correction_rows(
        publication.corrections.select_related("content_type").order_by("-corrected_at", "-pk")
    )


def correction_rows(corrections) -> list[CorrectionRow]:
    """These corrections (with their content_type read), in their order, each with the
    fields it changed (the API's pages of corrections of many publications)."""
    corrections = list(corrections)
    by_model = defaultdict(list)
    for correction in corrections:
        by_model[correction.content_type.model_class()].append(correction)
    found = {}
    for model, items in by_model.items():
        ids = {item.object_id for item in items}
        versions = defaultdict(list)
        history = model.history.filter(id__in=ids).order_by("id", "history_date", "history_id")
        for version in history:
            versions[version.id].append(version)
        forward = [f.name for f in model._meta.concrete_fields if f.is_relation]
        live = model._default_manager.select_related(*forward).in_bulk(ids)
        for item in items:
            chain = versions[item.object_id]
            at = next(
                (i for i, version in enumerate(chain) if version.history_correction_id == item.pk),
                None,
            )
            changes = []
            if at is not None:
                changes = field_changes(model, chain[at - 1] if at else None, chain[at])
            record = live.get(item.object_id)
            found[item.pk] = CorrectionRow(
                correction=item,
                table=str(model._meta.verbose_name),
                record=str(record) if record is not None else f"记录 {item.object_id}（已删除）",
                changes=changes,
                stage=getattr(record, "stage", "") or "",
            )
    return [found[correction.pk] for correction in corrections]


def corrections_in_scope(publications) -> list[Correction]:
    """The corrections of the given publications, for the note on every page of their year."""
    return list(
        Correction.objects.filter(publication__in=publications)
        .select_related("publication__unit")  # each note links to its publication's page
        .order_by("-corrected_at", "-pk")
    )
