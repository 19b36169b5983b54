from django.core.management.base import BaseCommand

from budgets import downloads, tasks


class Command(BaseCommand):
    help = (
        "Build the bulk downloads (CSV, XLSX, datapackage.json) from the published data now, in "
        "this process (recorded in the admin's 下载文件生成 like a queued build; waits for a "
        "build under way). Publishing queues builds for the worker (manage.py db_worker)."
    )

    def handle(self, *args, **options):
        tasks.build_now("命令行 manage.py build_downloads")
        manifest = downloads.manifest()
        if options["verbosity"] == 0:
            return
        for entry in manifest["files"]:
            rows = "" if entry["rows"] is None else f"{entry['rows']} rows, "
            self.stdout.write(f"{entry['name']}: {rows}{entry['bytes']} bytes")
        self.stdout.write(f"built at {manifest['built_at']} in {downloads.current_dir()}")
