"""下载文件生成: every build of the bulk downloads, queued or run, with its progress and its
error; reviewers queue a rebuild from here (the build runs in the background worker)."""

from django.contrib import admin, messages
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html

from budgets import access, tasks
from budgets.models import DownloadBuild


@admin.register(DownloadBuild)
class DownloadBuildAdmin(admin.ModelAdmin):
    list_display = [
        "requested_at",
        "status_label",
        "reason",
        "requests",
        "started_at",
        "finished_at",
        "duration",
        "progress",
        "error_line",
    ]
    list_filter = ["status"]
    fields = [
        "status",
        "reason",
        "requests",
        "requested_at",
        "started_at",
        "finished_at",
        "current_file",
        "rows",
        "built_at",
        "task_id",
        "error",
    ]
    readonly_fields = fields
    change_list_template = "admin/budgets/downloadbuild/change_list.html"

    # Builds cover every unit's files: reviewers (who may publish) see them; nobody edits them.
    def has_view_permission(self, request, obj=None):
        return access.can_publish(request.user)

    def has_module_permission(self, request):
        return access.can_publish(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        rebuild = path(
            "rebuild/",
            self.admin_site.admin_view(self.rebuild_view),
            name="budgets_downloadbuild_rebuild",
        )
        return [rebuild, *super().get_urls()]

    def rebuild_view(self, request):
        """Queue a build of every download file (POST, reviewers only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        changelist = reverse("admin:budgets_downloadbuild_changelist")
        if not access.can_publish(request.user):
            self.message_user(request, "只有审核人员可以重新生成下载文件。", messages.ERROR)
            return HttpResponseRedirect(changelist)
        build = tasks.request_build(f"审核人员 {request.user.get_username()} 要求重新生成")
        self.message_user(
            request,
            f"已加入生成队列（{build.requested_at:%Y-%m-%d %H:%M:%S} 的请求），"
            "由后台任务生成，通常一分钟内完成；本页显示进度。",
        )
        return HttpResponseRedirect(changelist)

    @admin.display(description="状态", ordering="status")
    def status_label(self, build):
        return build.get_status_display()

    @admin.display(description="用时")
    def duration(self, build):
        if build.started_at is None or build.finished_at is None:
            return ""
        return f"{(build.finished_at - build.started_at).total_seconds():.1f} 秒"

    @admin.display(description="文件 · 行数")
    def progress(self, build):
        if build.status == DownloadBuild.Status.RUNNING:
            return format_html("{} · {} 行", build.current_file or "准备中", build.rows)
        if build.status == DownloadBuild.Status.SUCCEEDED:
            return f"全部 · {build.rows} 行"
        if build.status == DownloadBuild.Status.FAILED and build.current_file:
            return f"停在 {build.current_file} · {build.rows} 行"
        return ""

    @admin.display(description="错误")
    def error_line(self, build):
        """The error's last line (the exception); the whole traceback is on the build's page."""
        lines = [line for line in build.error.splitlines() if line.strip()]
        return lines[-1][:200] if lines else ""
