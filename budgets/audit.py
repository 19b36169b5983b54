"""The audit trail as rows: every recorded change to the app's records (who, when, which
field, old value, new value, reason), read from django-simple-history's tables.

Rows come table by table, record by record, in the order the changes were made, so each
change is compared with the version before it without holding more than one record in memory.
"""

from collections.abc import Iterator

from django.utils import timezone

from budgets import access
from budgets.models.history import audited_models

HEADER = ["时间", "用户", "表", "记录编号", "操作", "字段", "原值", "新值", "原因", "更正编号"]
ACTIONS = {"+": "新增", "~": "修改", "-": "删除"}
CHUNK_ROWS = 2000


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def _changes(previous, record, fields):
    """(field name, old, new) for each field this version changed."""
    for field in fields:
        new = getattr(record, field.attname)
        old = getattr(previous, field.attname) if previous is not None else None
        if previous is None and record.history_type == "+" and new in (None, ""):
            continue
        if previous is None or old != new:
            yield str(field.verbose_name), old, new


def history_of(model, user, publication=None):
    """The model's history rows that the user may see, optionally of one publication only."""
    pk = model._meta.pk.attname
    # A history row's own pk is history_id: a lookup that starts at the record itself (units,
    # publications) goes through the record's id instead.
    rows = model.history.all()
    ids = access.unit_ids(user)
    unit_path = access.unit_path(model)
    if ids is not None and unit_path is not None:
        rows = rows.filter(**{f"{unit_path or pk}__in": ids})
    if publication is not None:
        path = access.publication_path(model)
        if path is None:
            return rows.none()
        rows = rows.filter(**{path or pk: publication.pk})
    return rows.select_related("history_user").order_by(pk, "history_date", "history_id")


def change_rows(user, publication=None) -> Iterator[list]:
    """One row per changed field (one per deleted record), table by table."""
    for model in audited_models():
        fields = [
            field
            for field in model.history.model.tracked_fields
            if field.attname != model._meta.pk.attname
        ]
        table = str(model._meta.verbose_name)
        previous = None
        for record in history_of(model, user, publication).iterator(chunk_size=CHUNK_ROWS):
            if previous is not None and previous.id != record.id:
                previous = None
            common = [
                _when(record.history_date),
                record.history_user.get_username() if record.history_user else "",
                table,
                record.id,
                ACTIONS.get(record.history_type, record.history_type),
            ]
            tail = [record.history_change_reason or "", record.history_correction_id]
            if record.history_type == "-":
                yield [*common, "", "", "", *tail]
            else:
                for name, old, new in _changes(previous, record, fields):
                    yield [*common, name, old, new, *tail]
            previous = record
