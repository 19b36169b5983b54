import time

from django.core.management.base import BaseCommand

from budgets import open_lines


class Command(BaseCommand):
    help = (
        "Rewrite every open line (budgets.models.OpenLine, the table behind the lines page, the "
        "API's lines and the bulk CSV) from the published facts, in one transaction. Publishing, "
        "corrections, loaddata and generate_city keep them up to date; run this after changing "
        "PORTAL_OPEN_DATA_INCLUDES_EXAMPLES or writing facts by other means."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = open_lines.refresh_all()
        seconds = time.perf_counter() - started
        self.stdout.write(f"{count} open lines written in {seconds:.1f} s")
