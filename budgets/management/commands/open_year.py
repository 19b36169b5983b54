from django.core.management.base import BaseCommand, CommandError

from budgets.classification import YearNotOpened, open_year


class Command(BaseCommand):
    help = (
        "Open a year's subject lists (科目): copy the functional and economic subjects of the "
        "latest earlier year (or --from YEAR), following the crosswalk (科目调整) recorded for "
        "the new year. Running it again adds nothing. Reviewers do the same in the admin "
        "(科目 → 开启新年度科目)."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="the year to open (four digits)")
        parser.add_argument(
            "--from", dest="source_year", type=int, help="the year to copy from (default: latest)"
        )

    def handle(self, *args, year, source_year, **options):
        try:
            result = open_year(year, source_year)
        except YearNotOpened as error:
            raise CommandError(str(error)) from None
        self.stdout.write(result.summary())
