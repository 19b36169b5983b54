"""The rules of budgets.access applied to every admin page of the app.

budgets.access knows how each record reaches its unit and its publication. From that, lists
and change pages show the user's units only (a guessed address of another unit's record finds
nothing), records of a published publication are read-only, and a reviewer's change to one is
a correction: the form asks for its reason and the change is recorded with it.
"""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from budgets import access
from budgets.admin.history_ids import HistoryAdmin
from budgets.models import Correction
from budgets.models.history import record_baseline

PUBLISHED_READ_ONLY = "“{publication}”已公开，其数据只能由审核人员以更正的方式修改。"
OUTSIDE_UNITS = "您不是“{unit}”的工作人员，不能为其添加或修改数据。"
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
            kwargs["queryset"] = related._default_manager.filter(
                access.scope_filter(request.user, related)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedAdmin(ScopedFields, HistoryAdmin):
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

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if self.is_correction(obj) and "correction_reason" not in fields:
            fields.append("correction_reason")
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.is_correction(obj) and self.fieldsets:
            fieldsets = [*fieldsets, ("更正", {"fields": ["correction_reason"]})]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        bases = (ScopedForm, self.form)
        if self.is_correction(obj):
            bases = (ScopedForm, CorrectionReasonForm, self.form)
        form = type("ScopedAdminForm", bases, {"scoped_user": request.user})
        return super().get_form(request, obj, change=change, form=form, **kwargs)

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("correction_reason")
        with transaction.atomic():
            if change:
                original = type(obj)._default_manager.filter(pk=obj.pk)
                record_baseline(type(obj), original, "载入公开文件")
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


class ScopedStackedInline(ScopedInline):
    template = admin.StackedInline.template
