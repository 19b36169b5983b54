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
        post_save.connect(check_after_loading, sender=Publication)
        post_save.connect(rebuild_downloads_on_correction, sender=Correction)
        pre_create_historical_record.connect(record_correction)


def record_correction(sender, instance, history_instance, **kwargs):
    """A change saved as part of a correction names it in its history row."""
    correction = getattr(instance, "_history_correction", None)
    if correction is not None:
        history_instance.history_correction = correction


def data_changed(publications) -> None:
    """What the public sees of these publications changed (published, corrected, loaded):
    once the change is committed, everything read from the published data follows it. Every
    consumer of "the published data changed" hangs here, in one place. Never on a page view."""
    from django.conf import settings
    from django.db import transaction

    from budgets import open_lines, quality, tasks

    publications = list(publications)
    # In the same transaction: the lines page and the API never show a half-published state.
    open_lines.refresh(publications)
    for publication in publications:
        # Bound now: the loop variable would be the last publication by commit time.
        transaction.on_commit(lambda publication=publication: quality.store(publication))
    if settings.DOWNLOADS_BUILD_ON_PUBLISH:
        # Queued, never built here: a build at city scale takes a minute. Robust: a queue that
        # cannot be reached is logged and recorded, and the committed publish still succeeds.
        reason = "；".join(str(publication) for publication in publications) or "数据变更"
        transaction.on_commit(lambda: tasks.request_build(reason), robust=True)


def rebuild_downloads_on_publish(sender, instance, raw=False, **kwargs):
    """Publishing changes what the public may download and what its check page shows.
    (Not while loading fixtures: load_publications builds and checks once at its end.)"""
    if instance.is_published and not raw:
        data_changed([instance])


def rebuild_downloads_on_correction(sender, instance, created, raw=False, **kwargs):
    """So does a correction of a published figure."""
    if created and not raw:
        data_changed([instance.publication])


# The (unit, year) of publications that loaddata saved in the transaction under way.
_LOADED_YEARS: set[tuple[int, int]] = set()


def check_after_loading(sender, instance, raw=False, **kwargs):
    """loaddata (`loaddata fixtures/*.json`, a dump restored) saves a publication before its
    figures: once the load is committed, check every published publication of its year (the
    final accounts are compared with the budget), so that its quality page has its report.
    Never on a page view: a check runs about a thousand queries."""
    from django.db import transaction

    if raw:
        _LOADED_YEARS.add((instance.unit_id, instance.year))
        transaction.on_commit(check_loaded_years)


def check_loaded_years():
    """Each year once, however many of its publications were loaded (a load that was rolled
    back leaves its years here; checking them again is harmless)."""
    from budgets import open_lines, quality
    from budgets.models import Publication

    while _LOADED_YEARS:
        unit_id, year = _LOADED_YEARS.pop()
        loaded = Publication.objects.filter(unit_id=unit_id, year=year)
        open_lines.refresh(loaded)
        for publication in loaded.published().select_related("unit"):
            quality.store(publication)
