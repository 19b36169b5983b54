"""Who may work on which unit's figures, and the corrections made after publishing.

Every change to the figures is recorded by django-simple-history (a `history` table beside each
model). A change made to a published publication belongs to a Correction, which gives it a
reason and a date that the public pages print, and lets them show the figures it replaced.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from budgets.models.organisation import Publication, Unit


class UnitMembership(models.Model):
    """A staff member works for a unit. Membership of a department covers its units too."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="unit_memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="memberships"
    )

    class Meta:
        verbose_name = "单位成员"
        verbose_name_plural = "单位成员"
        ordering = ["unit__code", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="one_membership_per_user_unit")
        ]

    def __str__(self):
        return f"{self.user} · {self.unit}"


class Correction(models.Model):
    """A change to one record of a published publication, with the reason it is printed with.

    The record's history row of the change points back here (`history_correction`); the row
    before it holds the figures the correction replaced, which stay viewable.
    """

    publication = models.ForeignKey(
        Publication,
        verbose_name="公开文件",
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name="更正的表", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField("更正的记录编号")
    reason = models.TextField("更正原因")
    corrected_at = models.DateTimeField("更正时间", auto_now_add=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="更正人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "更正"
        verbose_name_plural = "更正"
        ordering = ["publication", "-corrected_at", "-pk"]

    def __str__(self):
        return f"{self.publication} 更正于 {self.corrected_at:%Y-%m-%d}：{self.reason}"

    def get_absolute_url(self):
        publication = self.publication
        return reverse(
            "budgets:corrections",
            kwargs={
                "unit_code": publication.unit.code,
                "year": publication.year,
                "kind": publication.kind,
            },
        )


class QualityReport(models.Model):
    """The last data-quality check of a publication (budgets.quality), kept so that its public
    page reads it instead of re-running every comparison on each visit. Checked again when
    the publication is published or corrected, and by `manage.py check_publications`."""

    publication = models.OneToOneField(
        Publication,
        verbose_name="公开文件",
        on_delete=models.CASCADE,
        related_name="quality_report",
    )
    checked_at = models.DateTimeField("核对时间", auto_now=True)
    report = models.JSONField("核对结果", default=dict)

    class Meta:
        verbose_name = "数据核对结果"
        verbose_name_plural = "数据核对结果"

    def __str__(self):
        return f"{self.publication} 数据核对"
