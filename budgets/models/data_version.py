"""The version of what the public sees: one row whose number changes with every change of the
published data, so that cached pages (budgets.page_cache) are keyed by it."""

from django.db import models


class DataVersion(models.Model):
    """A single row (pk 1). `version` is increased in the transaction that changes the data, so
    it becomes visible to other connections at the same moment as the change itself: a request
    that reads the new number also reads the new data. It starts at a random number, so that a
    row created again (after a flush) never repeats a number an older cache entry was keyed by.
    """

    version = models.BigIntegerField("数据版本")
    changed_at = models.DateTimeField("最近变更时间")

    class Meta:
        verbose_name = "数据版本"
        verbose_name_plural = "数据版本"

    def __str__(self):
        return f"数据版本 {self.version}"
