from django.core.management.base import BaseCommand

from budgets import downloads


class Command(BaseCommand):
    help = "Build the bulk downloads (CSV, XLSX, datapackage.json) from the published data."

    def handle(self, *args, **options):
        manifest = downloads.build()
        if options["verbosity"] == 0:
            return
        for entry in manifest["files"]:
            rows = "" if entry["rows"] is None else f"{entry['rows']} rows, "
            self.stdout.write(f"{entry['name']}: {rows}{entry['bytes']} bytes")
        self.stdout.write(f"built at {manifest['built_at']} in {downloads.current_dir()}")
