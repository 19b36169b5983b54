from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from budgets.models import Publication
from budgets.models.history import BASELINE_REASON, audited_models, record_baseline

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = (
        "Load the publications in fixtures/*.json into an empty database. A database that already "
        "holds publications is left alone (figures corrected in the admin stay corrected) unless "
        "--force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="load even if publications are present"
        )

    def handle(self, *args, force=False, **options):
        if Publication.objects.exists() and not force:
            self.stdout.write("Publications already loaded; nothing to do (use --force to reload).")
            return
        fixtures = sorted(str(path) for path in FIXTURES_DIR.glob("*.json"))
        call_command("loaddata", *fixtures, verbosity=options["verbosity"])
        # loaddata writes no history: record what was loaded as the first version of each record.
        for model in audited_models():
            record_baseline(model, model.objects.all(), BASELINE_REASON)
        # loaddata checked the published publications it loaded (budgets.apps).
