from django.apps import AppConfig
from django.db.models.signals import post_save


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = "预决算数据"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from budgets.models import Correction, Publication

        post_save.connect(rebuild_downloads_on_publish, sender=Publication)
        post_save.connect(rebuild_downloads_on_correction, sender=Correction)
        pre_create_historical_record.connect(record_correction)


def record_correction(sender, instance, history_instance, **kwargs):
    """A change saved as part of a correction names it in its history row."""
    correction = getattr(instance, "_history_correction", None)
    if correction is not None:
        history_instance.history_correction = correction


def rebuild_downloads(sender, **kwargs):
    """Rebuild the public downloads once the change that calls this is committed (never on a
    page view)."""
    from django.conf import settings
    from django.db import transaction

    from budgets import downloads

    if settings.DOWNLOADS_BUILD_ON_PUBLISH:
        transaction.on_commit(downloads.build)


def recheck(publication):
    """Check the publication again once the change is committed, for its data-quality page."""
    from django.db import transaction

    from budgets import quality

    transaction.on_commit(lambda: quality.store(publication))


def rebuild_downloads_on_publish(sender, instance, raw=False, **kwargs):
    """Publishing changes what the public may download and what its check page shows.
    (Not while loading fixtures: load_publications builds and checks once at its end.)"""
    if instance.is_published and not raw:
        rebuild_downloads(sender)
        recheck(instance)


def rebuild_downloads_on_correction(sender, instance, created, raw=False, **kwargs):
    """So does a correction of a published figure."""
    if created and not raw:
        rebuild_downloads(sender)
        recheck(instance.publication)
