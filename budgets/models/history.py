"""The audit trail: django-simple-history keeps every version of every record, with who
changed it and when. Each history row may also name the Correction that made the change."""

from django.db import models
from simple_history.models import HistoricalRecords

# The change reason of a record's first version when it was loaded rather than entered.
BASELINE_REASON = "载入公开文件"


class CorrectionOfChange(models.Model):
    """The base of every history table: the correction, if any, that made the change."""

    history_correction = models.ForeignKey(
        "budgets.Correction",
        verbose_name="更正",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


def audited(**kwargs) -> HistoricalRecords:
    """History for a model of this app, readable in Chinese in the admin."""
    return HistoricalRecords(bases=[CorrectionOfChange], cascade_delete_history=False, **kwargs)


def record_baseline(model, queryset, reason: str) -> int:
    """Give records that have no history yet (loaded from fixtures, which django-simple-history
    does not record) a first history row, so that the figures a later change replaces stay
    viewable. Returns how many rows were written."""
    history = model.history
    missing = list(queryset.exclude(pk__in=history.values(model._meta.pk.attname)))
    for obj in missing:
        obj._history_user = None  # not the user whose change prompted this: nobody's change
    history.bulk_history_create(missing, batch_size=1000, default_change_reason=reason)
    return len(missing)


def audited_models(app_label: str = "budgets") -> list:
    from django.apps import apps

    return [
        model
        for model in apps.get_app_config(app_label).get_models()
        if hasattr(model, "history") and not model.__name__.startswith("Historical")
    ]
