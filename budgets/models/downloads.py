"""The builds of the bulk downloads: each one queued, run in the background and recorded, so
that reviewers see in the admin (下载文件生成) what is being built, how far it got and why a
build failed. budgets.tasks queues and runs them."""

from django.db import models
from django.db.models import Q


class DownloadBuild(models.Model):
    """One build of every download file. At most one build waits at a time (a publish while one
    waits joins it: `requests` counts them); builds run one at a time (budgets.tasks). `rows` is
    the rows written so far of `current_file` while running, the rows of every CSV once done."""

    class Status(models.TextChoices):
        PENDING = "pending", "等待生成"
        RUNNING = "running", "正在生成"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "失败"

    status = models.CharField("状态", max_length=16, choices=Status.choices)
    reason = models.CharField("原因", max_length=200)
    requests = models.PositiveIntegerField("合并的请求数", default=1)
    requested_at = models.DateTimeField("请求时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    current_file = models.CharField("正在写的文件", max_length=100, blank=True)
    rows = models.PositiveBigIntegerField("行数", default=0)
    built_at = models.CharField("生成的版本", max_length=32, blank=True)
    error = models.TextField("错误", blank=True)
    task_id = models.CharField("任务编号", max_length=64, blank=True)

    class Meta:
        verbose_name = "下载文件生成"
        verbose_name_plural = "下载文件生成"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # Debounce: publishing ten times in a row queues one build, not ten.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="pending"),
                name="one_pending_download_build",
            )
        ]

    def __str__(self):
        return f"{self.requested_at:%Y-%m-%d %H:%M:%S} {self.get_status_display()}"
