from django.apps import AppConfig
from django.db.models.signals import post_save


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = "预决算数据"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from budgets.models import Publication

        post_save.connect(rebuild_downloads_on_publish, sender=Publication)


def rebuild_downloads_on_publish(sender, instance, **kwargs):
    """Publishing changes what the public may download: rebuild the files once the change is
    committed (never on a page view)."""
    from django.conf import settings
    from django.db import transaction

    from budgets import downloads
    from budgets.choices import PublicationStatus

    if settings.DOWNLOADS_BUILD_ON_PUBLISH and instance.status == PublicationStatus.PUBLISHED:
        transaction.on_commit(downloads.build)
