"""Errors in the data reported by the public ("报告数据错误"), for staff to check.

A report names the page it was sent from and, when sent from a table row, that row's id. The
reporter's address is never stored: only a keyed hash of it (budgets.views.reports), enough to
count reports from one client for the rate limit, not to find out who sent them.
"""

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

REFERENCE_PREFIX = "BG"


class ErrorReport(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "待处理"
        HANDLED = "handled", "已处理"

    # NULL until the row has its primary key (submit): unique, and NULLs never collide.
    reference = models.CharField(  # noqa: DJ001
        "受理编号", max_length=20, unique=True, null=True, editable=False
    )
    page = models.CharField("页面地址", max_length=300)
    figure = models.CharField("数字（表格行）", max_length=64, blank=True)
    unit_code = models.CharField(
        "单位或部门编码",
        max_length=20,
        blank=True,
        db_index=True,
        help_text="页面地址中的单位或部门编码；据此只向该单位的工作人员显示。",
    )
    description = models.TextField("错误描述")
    contact = models.CharField("联系方式（选填）", max_length=200, blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    # Who closed it and when, in place of a history table: a report changes once.
    handled_at = models.DateTimeField("处理时间", null=True, blank=True, editable=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    client_hash = models.CharField("来源摘要", max_length=64, editable=False)

    class Meta:
        verbose_name = "数据错误报告"
        verbose_name_plural = "数据错误报告"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.reference or f"#{self.pk}"

    @classmethod
    def submit(cls, **fields) -> "ErrorReport":
        """Store a report and give it its reference, BG-<year>-<number>: the number is the
        primary key, so references never repeat, whatever the year."""
        with transaction.atomic():
            report = cls.objects.create(**fields)
            year = timezone.localtime(report.created_at).year
            report.reference = f"{REFERENCE_PREFIX}-{year}-{report.pk:06d}"
            report.save(update_fields=["reference"])
        return report
