"""Units, publications and their sections, staff memberships and corrections."""

from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from budgets import access, quality
from budgets.admin import audit, imports
from budgets.admin.scoping import (
    ONLY_USED,
    NotFoundOutsideUnits,
    ScopedAdmin,
    ScopedInline,
    ScopedStackedInline,
)
from budgets.choices import PublicationStatus
from budgets.models import (
    Correction,
    Explanation,
    Publication,
    PublicationContact,
    PublicationSource,
    PublishedFigure,
    Section,
    Unit,
    UnitMembership,
)


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["parent"]


class SectionInline(ScopedInline):
    model = Section
    fields = ["order", "code", "slug", "title", "kind", "topic"]
    extra = 0
    show_change_link = True


class SourceInline(ScopedStackedInline):
    """The original document: where it was published and the text the figures come from."""

    model = PublicationSource
    fields = ["document_title", "address", "page_count", "file_name", "method", "text"]
    extra = 0
    max_num = 1


class CorrectionInline(admin.TabularInline):
    model = Correction
    fields = ["corrected_at", "reason", "corrected_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Publication)
class PublicationAdmin(ScopedAdmin):
    list_display = ["title", "unit", "year", "kind", "status", "published_on"]
    list_filter = ["year", "kind", "status"]
    search_fields = ["title", "unit__name", "unit__code"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    inlines = [SourceInline, SectionInline, CorrectionInline]
    actions = ["publish"]
    change_form_template = "admin/budgets/publication/change_form.html"
    change_list_template = "admin/budgets/publication/change_list.html"

    def get_urls(self):
        changes = [
            path(
                "changes.csv",
                self.admin_site.admin_view(audit.all_changes_csv),
                name="budgets_publication_changes",
            ),
            path(
                "<int:publication_id>/quality/",
                self.admin_site.admin_view(self.quality_view),
                name="budgets_publication_quality",
            ),
            path(
                "<int:publication_id>/import/",
                self.admin_site.admin_view(partial(imports.import_view, self)),
                name="budgets_publication_import",
            ),
            path(
                "<int:publication_id>/template.xlsx",
                self.admin_site.admin_view(partial(imports.template_view, self)),
                name="budgets_publication_template",
            ),
            path(
                "<int:publication_id>/changes.csv",
                self.admin_site.admin_view(audit.publication_changes_csv),
                name="budgets_publication_changes_of",
            ),
        ]
        return changes + super().get_urls()

    def view_on_site(self, obj):
        # A draft has no public page yet.
        return obj.get_absolute_url() if obj.is_published else None

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # Only a reviewer publishes, and a published publication stays published: what changes
        # afterwards is a correction, on the record it concerns.
        if not access.can_publish(request.user) or (obj and obj.is_published):
            readonly.append("status")
        if obj is not None and obj.is_published:
            readonly += ["unit", "year", "kind"]
        return readonly

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not access.can_publish(request.user):
            actions.pop("publish", None)
        return actions

    def quality_view(self, request, publication_id):
        """The data-quality check run now, on a draft or a published publication."""
        publication = self.get_object(request, str(publication_id))
        if publication is None or not self.has_view_permission(request, publication):
            raise Http404("没有找到该公开文件。")
        report = quality.check(publication)
        context = {
            **self.admin_site.each_context(request),
            "title": f"数据核对：{publication}",
            "opts": self.model._meta,
            "original": publication,
            "report": report,
        }
        return TemplateResponse(request, "admin/budgets/publication/quality.html", context)

    @admin.action(description="公开所选文件（审核人员）")
    def publish(self, request, queryset):
        if not access.can_publish(request.user):
            self.message_user(request, "只有审核人员可以公开文件。", messages.ERROR)
            return
        for publication in queryset.filter(status=PublicationStatus.DRAFT):
            publication.status = PublicationStatus.PUBLISHED
            publication._change_reason = "公开"
            publication.save()
            report = quality.check(publication)
            level = messages.WARNING if report.mismatches else messages.SUCCESS
            message = f"已公开“{publication}”。数据核对：{report.summary()}"
            self.message_user(request, message, level)


class PublishedFigureInline(ScopedInline):
    model = PublishedFigure
    fields = ["row_order", "row_code", "row_label", "part", "column", "value", "unit_of_measure"]
    extra = 0
    show_change_link = True


class ExplanationInline(ScopedStackedInline):
    model = Explanation
    fields = ["order", "kind", "subject", "label", "text"]
    autocomplete_fields = ["subject"]
    extra = 0


class ContactInline(ScopedInline):
    model = PublicationContact
    extra = 0


@admin.register(Section)
class SectionAdmin(ScopedAdmin):
    list_display = ["code", "title", "publication", "kind", "topic", "order"]
    list_filter = [("publication", ONLY_USED), "kind", "topic"]
    search_fields = ["code", "title", "slug"]
    list_select_related = ["publication__unit"]
    inlines = [PublishedFigureInline, ExplanationInline, ContactInline]


@admin.register(PublishedFigure)
class PublishedFigureAdmin(ScopedAdmin):
    list_display = [
        "section",
        "row_label",
        "column",
        "value",
        "unit_of_measure",
        "measure",
        "kind",
        "year",
        "stage",
    ]
    list_filter = [("section__publication", ONLY_USED), "kind", "measure", "year", "stage"]
    search_fields = ["row_label", "row_code", "subject_code", "note", "printed_text"]
    list_select_related = ["section__publication__unit"]
    autocomplete_fields = ["section", "unit", "project"]


@admin.register(Explanation)
class ExplanationAdmin(ScopedAdmin):
    list_display = ["label", "kind", "subject", "section"]
    list_filter = ["kind", ("section__publication", ONLY_USED)]
    search_fields = ["label", "text", "subject__code"]
    list_select_related = ["subject", "section__publication__unit"]
    autocomplete_fields = ["section", "subject"]


@admin.register(PublicationContact)
class PublicationContactAdmin(ScopedAdmin):
    list_display = ["role", "name", "phone", "section"]
    search_fields = ["name", "role"]
    list_select_related = ["section__publication__unit"]
    autocomplete_fields = ["section"]


@admin.register(Correction)
class CorrectionAdmin(NotFoundOutsideUnits, admin.ModelAdmin):
    """Corrections are made on the records they change; here they are listed, never edited.
    A correction keeps no versions of its own (it never changes): its 历史 page leads to the
    history of the record it corrected, where the figures before and after are."""

    list_display = ["publication", "corrected_at", "reason", "corrected_by"]
    list_filter = [("publication", ONLY_USED)]
    list_select_related = ["publication__unit", "corrected_by"]
    readonly_fields = ["publication", "reason", "corrected_at", "corrected_by", "corrected_record"]
    object_history_template = "admin/budgets/correction/object_history.html"

    @staticmethod
    def corrected_history_url(correction) -> str | None:
        model = correction.content_type.model_class()
        if model is None or not admin.site.is_registered(model):
            return None
        meta = model._meta
        return reverse(
            f"admin:{meta.app_label}_{meta.model_name}_history", args=[correction.object_id]
        )

    @admin.display(description="更正的记录")
    def corrected_record(self, correction):
        url = self.corrected_history_url(correction)
        label = f"{correction.content_type.name} #{correction.object_id}"
        return format_html('<a href="{}">{}的修改历史</a>', url, label) if url else label

    def history_view(self, request, object_id, extra_context=None):
        correction = self.get_object(request, unquote(object_id))
        extra = {"corrected_history_url": correction and self.corrected_history_url(correction)}
        return super().history_view(request, object_id, {**extra, **(extra_context or {})})

    def get_queryset(self, request):
        scope = access.scope_filter(request.user, Correction)
        return super().get_queryset(request).filter(scope)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnitMembership)
class UnitMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit"]
    list_filter = [("unit", ONLY_USED)]
    search_fields = ["user__username", "unit__code", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["user", "unit"]


class MembershipInline(admin.TabularInline):
    model = UnitMembership
    autocomplete_fields = ["unit"]
    extra = 0
    verbose_name = "所属单位"
    verbose_name_plural = "所属单位（只能查看和修改这些单位及其下属单位的数据）"


class UserWithUnitsAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, MembershipInline]


admin.site.unregister(User)
admin.site.register(User, UserWithUnitsAdmin)


@admin.register(PublicationSource)
class PublicationSourceAdmin(ScopedAdmin):
    list_display = ["publication", "document_title", "file_name", "method", "page_count"]
    list_filter = ["method"]
    search_fields = ["document_title", "file_name", "publication__title"]
    list_select_related = ["publication__unit"]
    autocomplete_fields = ["publication"]

    def get_queryset(self, request):
        # The list never shows the text (tens of kilobytes each); its change page loads it.
        queryset = super().get_queryset(request)
        return (
            queryset
            if request.resolver_match.url_name.endswith("_change")
            else queryset.defer("text")
        )
