"""The rules of budgets.access applied to every admin page of the app.

budgets.access knows how each record reaches its unit and its publication. From that, lists
and change pages show the user's units only (a guessed address of another unit's record finds
nothing), records of a published publication are read-only, and a reviewer's change to one is
a correction: the form asks for its reason and the change is recorded with it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from budgets import access, reconciliation
from budgets.admin.history_ids import HistoryAdmin
from budgets.admin.versions import SEEN_VERSION, VersionedForm, VersionedInlineFormSet
from budgets.models import Correction, Unit
from budgets.models.history import BASELINE_REASON, record_baseline

PUBLISHED_READ_ONLY = "“{publication}”已公开，其数据只能由审核人员以更正的方式修改。"
OUTSIDE_UNITS = "您不是“{unit}”的工作人员，不能为其添加或修改数据。"
NOT_FOUND = "没有找到该记录。"
# List filters offer only the publications (sections...) that the user's rows point at.
ONLY_USED = admin.RelatedOnlyFieldListFilter


class CorrectionReasonForm(forms.ModelForm):
    """The change form of a record of a published publication: a correction needs a reason."""

    correction_reason = forms.CharField(
        label="更正原因",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="将在公开页面上显示为“更正于 日期：原因”，更正前的数字仍可查看。",
    )


class ScopedForm(forms.ModelForm):
    """After the model's own validation, refuse a record of a unit the user does not work
    for, or one that would land in (or leave) a published publication other than by a
    reviewer's correction within that publication. The admin sets `scoped_user`."""

    scoped_user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        publication = access.publication_of(self.instance) if self.instance.pk else None
        self.original_publication_id = publication.pk if publication else None

    def _post_clean(self):
        super()._post_clean()
        user, instance = self.scoped_user, self.instance
        unit = access.unit_of(instance)
        if unit is not None and not access.works_for(user, unit.pk):
            self.add_error(None, OUTSIDE_UNITS.format(unit=unit.name))
        publication = access.publication_of(instance)
        if publication is None or not publication.is_published:
            return
        if not (access.can_publish(user) and self.original_publication_id == publication.pk):
            self.add_error(None, PUBLISHED_READ_ONLY.format(publication=publication))


class ScopedFields:
    """Choices of units, publications, sections, projects... limited to the user's units."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if access.unit_path(related) is not None and "queryset" not in kwargs:
            scope = access.scope_filter(request.user, related)
            if related is Unit:
                scope = access.unit_choices(request.user)
            kwargs["queryset"] = related._default_manager.filter(scope)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NotFoundOutsideUnits:
    """The history and delete pages of a record outside the user's units answer 404, exactly as
    for a record that never existed, so that a guessed address tells nothing. (Change pages
    already treat both alike: they return to the index saying the record was not found.)"""

    def delete_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404(NOT_FOUND)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        object_id = unquote(object_id)
        if self.get_object(request, object_id) is None and not self.deleted_but_visible(
            request, object_id
        ):
            raise Http404(NOT_FOUND)
        return super().history_view(request, object_id, extra_context)

    def deleted_but_visible(self, request, object_id) -> bool:
        """A deleted record keeps its versions; the user's own units' stay viewable."""
        history = getattr(self.model, "history", None)
        try:
            pk = self.model._meta.pk.to_python(object_id)
        except ValidationError:
            return False
        if history is None or pk is None:
            return False
        last = (
            history.filter(**{self.model._meta.pk.attname: pk})
            .order_by("-history_date", "-history_id")
            .first()
        )
        if last is None:
            return False
        unit = access.unit_of(last.instance)
        if unit is None:
            return request.user.is_superuser
        return access.works_for(request.user, unit.pk)


class ScopedAdmin(NotFoundOutsideUnits, ScopedFields, HistoryAdmin):
    """A model admin that keeps to the user's units and to draft publications."""

    def get_queryset(self, request):
        scope = access.scope_filter(request.user, self.model)
        return super().get_queryset(request).filter(scope)

    def is_correction(self, obj) -> bool:
        publication = access.publication_of(obj) if obj is not None else None
        return bool(publication and publication.is_published)

    def has_view_permission(self, request, obj=None):
        if obj is not None and not access.may_see(request.user, obj):
            return False
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        if not access.may_see(request.user, obj):
            return False
        return not self.is_correction(obj) or access.can_publish(request.user)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or (access.may_see(request.user, obj) and not self.is_correction(obj))

    def get_actions(self, request):
        # Deleting a whole selection would skip the per-record rule for published publications.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def is_versioned(self, request, obj) -> bool:
        """A change form that may be saved carries the version it was opened at."""
        return obj is not None and self.has_change_permission(request, obj)

    def moves_totals(self, obj) -> bool:
        """A correction of an amount that printed totals add up."""
        return self.is_correction(obj) and isinstance(obj, reconciliation.AMOUNT_MODELS)

    @admin.display(description="此项更正影响的公开合计")
    def affected_totals(self, obj):
        figures = reconciliation.figures_adding_up(obj).select_related("section__publication")
        items = [
            (
                reverse("admin:budgets_publishedfigure_change", args=[figure.pk]),
                f"{figure.section.publication.get_kind_display()} {figure.section.code} · "
                f"{' '.join(filter(None, [figure.row_code, figure.row_label]))} · "
                f"{figure.column}：{figure.text}",
            )
            for figure in figures.order_by("section__publication", "section__order", "row_order")
        ]
        if not items:
            return "没有公开的合计包含这个数字。"
        return format_html(
            "<p>更正这个数字后，下列公开的合计也要一并更正（点击打开、以更正方式修改），"
            "否则数据核对会把差额列为不一致：</p><ul>{}</ul>",
            format_html_join("", '<li><a href="{}">{}</a></li>', items),
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.moves_totals(obj):
            readonly.append("affected_totals")
        return readonly

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self.moves_totals(obj) and "affected_totals" not in fields:
            fields.append("affected_totals")
        if self.is_correction(obj) and "correction_reason" not in fields:
            fields.append("correction_reason")
        if self.is_versioned(request, obj) and SEEN_VERSION not in fields:
            fields.append(SEEN_VERSION)
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.is_correction(obj) and self.fieldsets:
            fields = ["affected_totals"] if self.moves_totals(obj) else []
            fieldsets = [*fieldsets, ("更正", {"fields": [*fields, "correction_reason"]})]
        if self.is_versioned(request, obj) and self.fieldsets:
            fieldsets = [*fieldsets, (None, {"fields": [SEEN_VERSION]})]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        bases = [ScopedForm, self.form]
        if self.is_correction(obj):
            bases.insert(1, CorrectionReasonForm)
        if self.is_versioned(request, obj):
            bases.insert(1, VersionedForm)
        form = type("ScopedAdminForm", tuple(bases), {"scoped_user": request.user})
        return super().get_form(request, obj, change=change, form=form, **kwargs)

    def save_formset(self, request, form, formset, change):
        # Rows loaded from fixtures get their first version before an edit replaces it, as the
        # record itself does in save_model.
        touched = [f.instance.pk for f in formset.initial_forms if f.has_changed()]
        touched += [f.instance.pk for f in formset.deleted_forms if f.instance.pk is not None]
        if touched:
            rows = formset.model._default_manager.filter(pk__in=touched)
            record_baseline(formset.model, rows, BASELINE_REASON)
        super().save_formset(request, form, formset, change)

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("correction_reason")
        with transaction.atomic():
            if change:
                original = type(obj)._default_manager.filter(pk=obj.pk)
                record_baseline(type(obj), original, BASELINE_REASON)
            if change and reason:
                correction = Correction.objects.create(
                    publication=access.publication_of(obj),
                    content_type=ContentType.objects.get_for_model(obj),
                    object_id=obj.pk,
                    reason=reason.strip(),
                    corrected_by=request.user,
                )
                # Read by the history signal (budgets.apps) and by django-simple-history.
                obj._history_correction = correction
                obj._change_reason = f"更正：{correction.reason}"
            super().save_model(request, obj, form, change)
        if change and reason and self.moves_totals(obj):
            count = reconciliation.figures_adding_up(obj).count()
            if count:
                message = (
                    f"此更正影响 {count} 个公开合计，请一并更正"
                    "（见本记录修改页的“此项更正影响的公开合计”）；在此之前，数据核对把差额列为不一致。"
                )
                self.message_user(request, message, messages.WARNING)


class ScopedInline(ScopedFields, admin.TabularInline):
    """Rows shown inside a parent's page: read-only once the parent's publication is public
    (a correction changes one record at a time, on that record's own page), and always when
    the rows may belong to several publications (a project's amounts by year)."""

    rows_follow_parent = True

    def parent_is_published(self, obj) -> bool:
        if not self.rows_follow_parent:
            return True
        publication = access.publication_of(obj) if obj is not None else None
        return bool(publication and publication.is_published)

    def has_add_permission(self, request, obj=None):
        return not self.parent_is_published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self.parent_is_published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.parent_is_published(obj) and super().has_delete_permission(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        # Editable rows carry the version they were shown at, as a record's own page does.
        if obj is not None and self.has_change_permission(request, obj):
            kwargs.setdefault("formset", VersionedInlineFormSet)
            kwargs.setdefault("form", type("VersionedRowForm", (VersionedForm, self.form), {}))
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        editable = obj is not None and self.has_change_permission(request, obj)
        if editable and SEEN_VERSION not in fields:
            fields.append(SEEN_VERSION)
        return fields


class ScopedStackedInline(ScopedInline):
    template = admin.StackedInline.template
