from django.core.management.base import BaseCommand

from budgets import quality
from budgets.models import Publication


class Command(BaseCommand):
    help = (
        "Run the data-quality check of every publication (drafts included) and keep each report "
        "for its public page (/units/<unit>/<year>/<kind>/quality/, shown once published)."
    )

    def handle(self, *args, **options):
        for publication in Publication.objects.select_related("unit"):
            report = quality.store(publication)
            if options["verbosity"]:
                self.stdout.write(f"{publication}：{report.summary()}")
