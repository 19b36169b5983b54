"""The downloads build and publishing at city scale.

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE portal_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \
        .venv/bin/python benchmarks/bench_downloads.py [--departments 60 --units 1500 --years 5]

Uses (and fills, on first run, with generate_city --draft: about 1.07 M facts) the database
named by DATABASE_URL: never point it at real data; it publishes drafts and corrects figures.
The example city is the open data here (PORTAL_OPEN_DATA_INCLUDES_EXAMPLES=true). Prints:
- the whole build (`manage.py build_downloads` in a child process): time, peak RSS, each file;
- publishing a draft and correcting a figure through the admin (the request, median of 5),
  and queueing a build (`budgets.tasks.request_build`: a new build, and joining one);
- the worker (`manage.py db_worker --batch`) running the one build those queued: time, RSS.
Results go in benchmarks/README.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("PORTAL_DOWNLOADS_DIR", tempfile.mkdtemp(prefix="bench-downloads-"))
os.environ["PORTAL_OPEN_DATA_INCLUDES_EXAMPLES"] = "true"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from budgets import open_lines, tasks  # noqa: E402
from budgets.models import DownloadBuild, Fact, OpenLine, Publication, Unit  # noqa: E402
from tests.staff import fact_form  # noqa: E402

MANAGE = [sys.executable, str(ROOT / "manage.py")]


def prepare(departments: int, units: int, years: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_publications", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the admin's pages need it
    if not Unit.objects.filter(is_example=True).exists():
        call_command(
            "generate_city",
            departments=departments,
            units=units,
            years=years,
            draft=True,
            verbosity=0,
        )
    if OpenLine.objects.count() < open_lines.open_facts().count():
        open_lines.refresh_all()


def child(command: list[str]) -> tuple[float, float, str]:
    """Run a manage.py command in a child process: wall seconds, its peak RSS in MB, output."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(MANAGE + command, stdout=output, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        if process.returncode:
            raise SystemExit(f"{command} failed ({process.returncode})")
        output.seek(0)
        return seconds, usage.ru_maxrss / 1024, output.read()


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f} ms (min {min(samples) * 1000:.0f}, max " + (
        f"{max(samples) * 1000:.0f})"
    )


def requests() -> None:
    user, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    changelist = reverse("admin:budgets_publication_changelist")
    client.get(changelist)  # warm-up: the first request of a process loads the admin
    publishing = []
    for publication in Publication.objects.filter(status="draft").order_by("pk")[:5]:
        start = time.perf_counter()
        action = {"action": "publish", "_selected_action": [publication.pk]}
        response = client.post(changelist, action)
        publishing.append(time.perf_counter() - start)
        assert response.status_code == 302
    correcting = []
    facts = Fact.objects.filter(publication__status="published", amount__isnull=False)
    for fact in facts.filter(publication__unit__is_example=True).order_by("-pk")[:5]:
        amount = str(fact.amount + Decimal("0.01"))
        data = fact_form(fact, amount=amount, correction_reason="基准测试")
        start = time.perf_counter()
        response = client.post(reverse("admin:budgets_fact_change", args=[fact.pk]), data)
        correcting.append(time.perf_counter() - start)
        assert response.status_code == 302
    print(f"publish a draft (admin action, the request): {median_ms(publishing)}")
    print(f"correct a figure (admin change form, the request): {median_ms(correcting)}")
    waiting = DownloadBuild.objects.get(status=DownloadBuild.Status.PENDING)
    print(f"builds queued by those {waiting.requests} changes: 1")
    joining = []
    for _ in range(20):
        start = time.perf_counter()
        tasks.request_build("基准测试")
        joining.append(time.perf_counter() - start)
    print(f"request_build joining the waiting build: {median_ms(joining)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=60)
    parser.add_argument("--units", type=int, default=1500)
    parser.add_argument("--years", type=int, default=5)
    options = parser.parse_args()
    prepare(options.departments, options.units, options.years)
    facts, lines = Fact.objects.count(), OpenLine.objects.count()
    print(f"database: {django.db.connection.vendor}, facts: {facts}, open lines: {lines}")
    DownloadBuild.objects.filter(status=DownloadBuild.Status.PENDING).update(
        status=DownloadBuild.Status.FAILED, error="基准测试：清除等待中的生成"
    )
    seconds, peak, output = child(["build_downloads"])
    print(output.strip())
    print(f"manage.py build_downloads: {seconds:.1f} s, peak RSS {peak:.0f} MB")
    requests()
    seconds, peak, _ = child(["db_worker", "--batch", "--no-startup-delay", "--verbosity", "0"])
    build = DownloadBuild.objects.filter(status=DownloadBuild.Status.SUCCEEDED).first()
    took = (build.finished_at - build.started_at).total_seconds()
    print(f"db_worker --batch: {seconds:.1f} s, peak RSS {peak:.0f} MB; the build {took:.1f} s")


if __name__ == "__main__":
    main()
