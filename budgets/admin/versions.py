"""Two people editing the same record: the version a change form was opened at travels with
it, and a save from a form opened before someone else's change is refused.

A record's version is the id of its latest history row (django-simple-history records every
change, by hand or by import; 0 for a record loaded from fixtures and never changed). The form
carries it in a hidden field; saving locks the record (SELECT ... FOR UPDATE on PostgreSQL; on
SQLite the admin's transaction holds the write lock from its start, see portal/settings.py),
then compares. A refused editor is told who changed what and when; the form comes back with
the current values, except in the fields the editor changed, and with the current version, so
that saving it again is a deliberate choice. A save that changed no field since the form was
opened (a page saved as it was) is no conflict.
"""

from dataclasses import dataclass

from django import forms
from django.db import models
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.functional import cached_property

from budgets.models.history import BASELINE_REASON

SEEN_VERSION = "seen_version"


def current_versions(model, pks, lock=False) -> dict:
    """{pk: version} of the records; with `lock`, the records stay locked until the end of the
    transaction (taken in pk order, so that two saves never wait for each other in a circle)."""
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return {}
    if lock:
        list(
            model._default_manager.select_for_update()
            .filter(pk__in=pks)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    pk_name = model._meta.pk.attname
    rows = (
        model.history.filter(**{f"{pk_name}__in": pks})
        .values(pk_name)
        .annotate(latest=Max("history_id"))
        .order_by()
    )
    found = {row[pk_name]: row["latest"] for row in rows}
    return {pk: found.get(pk, 0) for pk in pks}


def _shown(field, value) -> str:
    if value is None or value == "":
        return "（空白）"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


@dataclass
class Conflict:
    """A form opened at one version of a record, saved after another: the record as the form
    showed it (None if unknown) and as it is now, and what to tell the editor."""

    message: str
    before: models.Model | None
    now: models.Model | None


def _edited_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.editable and not f.primary_key]


def conflict(model, pk, seen: str, current: int) -> Conflict | None:
    """Why a form opened at version `seen` may not be saved over version `current`, in
    Chinese: who changed the record since, when, and each field before and now. None when the
    form is current, or when what was saved since changed none of the record's fields."""
    seen_id = int(seen) if seen.isascii() and seen.isdigit() else 0 if seen == "" else -1
    if seen_id == current:
        return None
    history = model.history.filter(**{model._meta.pk.attname: pk})
    # The version the form shows: the row of that id; for a form opened before any was
    # recorded, the first version if it is the one recorded on loading (载入公开文件).
    if seen_id > 0:
        before = history.filter(history_id=seen_id).first()
    else:
        before = history.order_by("history_id").first()
        if before is not None and before.history_change_reason != BASELINE_REASON:
            before = None
    now = model._default_manager.filter(pk=pk).first()
    changes = None
    if before is not None and now is not None:
        changes = [
            f"{field.verbose_name}：您打开时为 {_shown(field, getattr(before, field.attname))}，"
            f"现为 {_shown(field, getattr(now, field.attname))}"
            for field in _edited_fields(model)
            if getattr(before, field.attname) != getattr(now, field.attname)
        ]
        if not changes:
            return None
    later = [
        row
        for row in history.filter(history_id__gt=max(seen_id, 0))
        .select_related("history_user")
        .order_by("history_id")
        if row.history_change_reason != BASELINE_REASON
    ]
    names = []
    for row in later:
        name = row.history_user.get_username() if row.history_user else "其他用户"
        if name not in names:
            names.append(name)
    when = timezone.localtime(later[-1].history_date if later else None)
    message = (
        f"您打开此页后，{'、'.join(names) or '其他用户'} 于 {when:%Y-%m-%d %H:%M:%S} "
        "修改了此记录，您的修改没有保存。"
    )
    if changes:
        message += "改动：" + "；".join(changes) + "。"
    message += (
        "表单已换成当前的值，您改过的栏目保留您填写的内容；请核对后，如仍要保存，请再次点击保存。"
    )
    return Conflict(message, before if changes else None, now)


class VersionedForm(forms.ModelForm):
    """A change form that carries the version it was opened at and refuses a stale save."""

    seen_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, seen_versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A formset reads its rows' versions at once and checks them together.
        self.checked_by_formset = seen_versions is not None
        pk = self.instance.pk
        if pk is not None:
            versions = seen_versions
            if versions is None:
                versions = current_versions(type(self.instance), [pk])
            self.fields[SEEN_VERSION].initial = str(versions.get(pk, 0))

    @property
    def changed_data(self):
        return [name for name in super().changed_data if name != SEEN_VERSION]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and not self.checked_by_formset:
            model = type(self.instance)
            self.compare(current_versions(model, [self.instance.pk], lock=True)[self.instance.pk])
        return cleaned

    def compare(self, current: int) -> None:
        seen = self.cleaned_data.get(SEEN_VERSION) or ""
        found = conflict(type(self.instance), self.instance.pk, seen, current)
        if found is None:
            return
        self.add_error(None, found.message)
        # The form shown again holds the current values, except where the editor typed
        # something else than what they were shown; saving it again is a deliberate choice.
        data = self.data.copy()
        data[self.add_prefix(SEEN_VERSION)] = str(current)
        if found.before is not None and found.now is not None:
            for field in _edited_fields(type(self.instance)):
                self._refresh(data, field, found.before, found.now)
        self.data = data

    def _refresh(self, data, model_field, before, now) -> None:
        name = model_field.name
        form_field = self.fields.get(name)
        if (
            form_field is None
            or name not in self.cleaned_data
            or isinstance(form_field.widget, forms.MultiWidget)
        ):
            return
        shown, current = getattr(before, model_field.attname), getattr(now, model_field.attname)
        typed = getattr(self.cleaned_data[name], "pk", self.cleaned_data[name])
        if shown == current or typed != shown:
            return
        key = self.add_prefix(name)
        if isinstance(form_field, forms.BooleanField):
            if current:
                data[key] = "on"
            else:
                data.pop(key, None)
        else:
            value = form_field.prepare_value(current)
            data[key] = "" if value is None else str(value)


class VersionedInlineFormSet(BaseInlineFormSet):
    """Rows edited inside a parent's page: their versions read in one query, and the rows
    that are changed or deleted checked together when the page is saved."""

    @cached_property
    def versions(self) -> dict:
        return current_versions(self.model, [obj.pk for obj in self.get_queryset()])

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "seen_versions": self.versions}

    def clean(self):
        super().clean()
        touched = [
            form
            for form in self.initial_forms
            if form.instance.pk is not None
            and hasattr(form, "cleaned_data")
            and (form.has_changed() or self._should_delete_form(form))
        ]
        current = current_versions(self.model, [form.instance.pk for form in touched], lock=True)
        for form in touched:
            form.compare(current[form.instance.pk])
