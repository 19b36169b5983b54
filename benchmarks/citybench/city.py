"""The generated city the benchmark runs on: made (or reused) with generate_city, its open lines
filled, its downloads built, and the addresses of its pages found in the database.

Needs Django set up by the caller (bench_city.py) with the environment the servers get.
"""

import re
import subprocess
import sys
import time
from dataclasses import dataclass

from citybench import ROOT, log, manage


@dataclass
class CityFacts:
    example_facts: int
    generated: bool
    generate_seconds: float | None
    open_lines: int
    refreshed: bool
    refresh_seconds: float | None


def example_fact_count() -> int:
    from budgets.models import Fact

    return Fact.objects.filter(unit__is_example=True).count()


def ensure_city(min_facts: int, departments: int, units: int, years: int, seed: int):
    """Migrate; generate the city unless it already holds `min_facts` example facts."""
    from budgets.models import Publication, Unit

    manage("migrate", "-v0")
    facts = example_fact_count()
    if facts >= min_facts:
        log(f"city: reusing {facts:,} example facts")
        return facts, False, None
    if not Publication.objects.filter(unit__is_example=False).exists():
        manage("load_publications", quiet=True)  # generate_city copies the real subject lists
    options = ["--departments", departments, "--units", units, "--years", years, "--seed", seed]
    if Unit.objects.filter(is_example=True).exists():
        options.append("--replace")
    log(f"city: {facts:,} example facts, generating {departments}×{units}×{years} years")
    started = time.perf_counter()
    manage("generate_city", *map(str, options))
    seconds = time.perf_counter() - started
    return example_fact_count(), True, seconds


def ensure_open_lines(force: bool = False):
    """Fill the OpenLine read model when it does not hold exactly the open facts (the city was
    just generated, or the settings that open the examples were off when it was filled), or
    when asked (a migration changed what its rows hold)."""
    from django.core.management import get_commands

    from budgets.datasets import open_facts
    from budgets.models import OpenLine

    expected, present = open_facts().count(), OpenLine.objects.count()
    if present == expected and not force:
        log(f"open lines: {present:,}, as many as the open facts")
        return present, False, None
    log(f"open lines: {present:,} of {expected:,} open facts, refreshing")
    started = time.perf_counter()
    if "refresh_open_lines" in get_commands():
        manage("refresh_open_lines")
    else:
        code = "from budgets.open_lines import refresh_all; refresh_all()"
        manage("shell", "-c", code, quiet=True)
    seconds = time.perf_counter() - started
    return OpenLine.objects.count(), True, seconds


def fresh_statistics() -> list[str]:
    """VACUUM ANALYZE the tables a bulk load left without statistics or visibility map (what
    autovacuum does to a production database sooner or later; on a shared machine it may not
    have yet). Returns the tables done."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT relname FROM pg_stat_user_tables
            WHERE relname LIKE 'budgets%' AND n_live_tup > 1000 AND (
                n_mod_since_analyze > n_live_tup / 10
                OR coalesce(last_vacuum, last_autovacuum) IS NULL)
            ORDER BY relname"""
        )
        tables = [name for (name,) in cursor.fetchall()]
        for table in tables:
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')
    return tables


@dataclass
class Build:
    seconds: float
    peak_mb: float
    finished: bool
    note: str


def build_downloads(limit: float | None) -> Build:
    """Run build_downloads under /usr/bin/time -v; past `limit` seconds the build is stopped
    and reported as such (it took 9 minutes and 4.8 GB at this scale when the issue was filed)."""
    command = ["/usr/bin/time", "-v", sys.executable, "manage.py", "build_downloads", "-v0"]
    started = time.perf_counter()
    timer = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    child = None
    finished = True
    while timer.poll() is None:
        time.sleep(0.25)
        if limit and time.perf_counter() - started > limit:
            child = child or _only_child(timer.pid)
            if child:
                subprocess.run(["kill", str(child)], check=False)
            finished = False
            break
    _, report = timer.communicate()
    seconds = time.perf_counter() - started
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    peak_mb = int(peak.group(1)) / 1024 if peak else float("nan")
    elapsed = re.search(r"Elapsed \(wall clock\) time.*: ([\d:.]+)", report)
    if finished and timer.returncode != 0:
        tail = "\n".join(report.splitlines()[-30:])
        raise SystemExit(f"build_downloads failed (exit {timer.returncode}):\n{tail}")
    note = f"wall {elapsed.group(1)}" if elapsed else ""
    if not finished:
        note = f"stopped after {limit:.0f} s (--build-limit); peak so far"
    return Build(seconds, peak_mb, finished, note)


def _only_child(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            pids = children.read().split()
    except OSError:
        return None
    return int(pids[0]) if pids else None


def manifest_lines_rows() -> int | None:
    from budgets import downloads

    try:
        manifest = downloads.manifest()
    except Exception:  # no build yet, or a build stopped by --build-limit
        return None
    for entry in (manifest or {}).get("files", []):
        if entry["name"] == "lines.csv":
            return entry["rows"]
    return None


@dataclass
class Addresses:
    department: str
    unit: str
    year: int
    code: str  # a functional 类 (3 digits) the unit spends on in `year`
    lines_in_year: int


def addresses() -> Addresses:
    """The first example department, its first unit, the latest year, a functional class."""
    from budgets.models import OpenLine, Unit

    department = (
        Unit.objects.filter(is_example=True, kind=Unit.Kind.DEPARTMENT).order_by("code").first()
    )
    if department is None:
        raise SystemExit("no example department: did generate_city run?")
    unit = Unit.objects.filter(parent=department).order_by("code").first()
    lines = OpenLine.objects.filter(unit_code=unit.code)
    year = max(lines.values_list("year", flat=True).distinct())
    functional = lines.filter(year=year, breakdown="functional", direction="expenditure")
    code = functional.order_by("functional_code").values_list("functional_code", flat=True)[0]
    return Addresses(
        department=department.code,
        unit=unit.code,
        year=year,
        code=code[:3],
        lines_in_year=OpenLine.objects.filter(year=year).count(),
    )
