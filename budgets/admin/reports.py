"""数据错误报告: what the public reported with 报告数据错误, for staff to check and close.

A report about a page of a unit or department (its code is in the page's address) is seen by
the staff who work for that unit, as the figures are (budgets.access); a report about a page of
no unit (the home page, the open data) by reviewers, who answer for the whole portal. Staff
change one thing: the status, 待处理 → 已处理 (with who and when). The reporter's words and
contact are never edited; only a superuser deletes a report (spam).
"""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html

from budgets import access
from budgets.models import ErrorReport, Unit


def visible_reports(user) -> Q:
    ids = access.unit_ids(user)
    if ids is None:
        return Q()
    codes = Unit.objects.filter(pk__in=ids).values("code")
    scope = Q(unit_code__in=codes)
    if access.can_publish(user):
        scope |= Q(unit_code="")
    return scope


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    list_display = ["reference", "created_at", "status", "page_link", "summary"]
    list_display_links = ["reference"]
    list_filter = ["status", "created_at"]
    date_hierarchy = "created_at"
    search_fields = ["reference", "page", "figure", "description"]
    fields = [
        "reference",
        "status",
        "created_at",
        "page_link",
        "figure",
        "unit_code",
        "description",
        "contact",
        "handled_at",
        "handled_by",
    ]
    readonly_fields = [name for name in fields if name != "status"]
    actions = ["mark_handled"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(visible_reports(request.user))

    def has_add_permission(self, request):
        return False  # reports come from the public form only

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="页面", ordering="page")
    def page_link(self, report):
        anchor = f"#{report.figure}" if report.figure else ""
        return format_html(
            '<a href="{}{}" target="_blank" rel="noopener">{}</a>', report.page, anchor, report.page
        )

    @admin.display(description="错误描述")
    def summary(self, report):
        text = " ".join(report.description.split())
        return text if len(text) <= 60 else text[:60] + "…"

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            handled = obj.status == ErrorReport.Status.HANDLED
            obj.handled_at = timezone.now() if handled else None
            obj.handled_by = request.user if handled else None
        super().save_model(request, obj, form, change)

    @admin.action(description="标记为已处理", permissions=["change"])
    def mark_handled(self, request, queryset):
        count = queryset.filter(status=ErrorReport.Status.NEW).update(
            status=ErrorReport.Status.HANDLED, handled_at=timezone.now(), handled_by=request.user
        )
        self.message_user(request, f"已将 {count} 份报告标记为已处理。")
