import time

from django.core.management.base import BaseCommand, CommandError

from budgets.example_city import ExampleCityError, generate_city


class Command(BaseCommand):
    help = (
        "Generate a synthetic city of example units (示例数据, Unit.is_example) with a budget and "
        "final accounts for each of the last YEARS years, from the real subject lists. Refuses "
        "when example units exist unless --replace, which deletes example data only. Never "
        "writes to fixtures/; never reaches the open data. See budgets/example_city.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("--departments", type=int, required=True)
        parser.add_argument("--units", type=int, required=True)
        parser.add_argument("--years", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--last-year", type=int, help="default: latest year with subjects")
        parser.add_argument(
            "--replace", action="store_true", help="delete the example data first (only them)"
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help="leave the last year's final accounts of every fifth unit as drafts",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            counts = generate_city(
                options["departments"],
                options["units"],
                options["years"],
                options["seed"],
                replace=options["replace"],
                drafts=options["draft"],
                last_year=options["last_year"],
            )
        except ExampleCityError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"示例数据: {counts.departments} departments, {counts.units} units, "
            f"years {counts.years[0]}–{counts.years[-1]}, {counts.publications} publications, "
            f"{counts.facts} facts, {counts.projects} projects, "
            f"{counts.subjects_copied} subjects copied, in {seconds:.1f} s"
        )
