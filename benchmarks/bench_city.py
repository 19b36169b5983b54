"""The portal against Datasette at city scale (issue 11), in one command:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_city \\
        .venv/bin/python benchmarks/bench_city.py

1. Generates a city with `generate_city` (reused when it holds ≥1 M example facts), opens the
   example lines to the open data (PORTAL_OPEN_DATA_INCLUDES_EXAMPLES=true), fills the OpenLine
   read model when it is not complete, runs `build_downloads` under /usr/bin/time -v, and copies
   the open lines to a SQLite file with equivalent indexes (benchmarks/citybench/sqlite_copy.py).
2. Serves the portal twice with gunicorn (portal/gunicorn.conf.py, DEBUG off): once as
   configured ("cached") and once with every Django cache a DummyCache ("no cache",
   benchmarks/citybench/nocache_settings.py); and Datasette (its own virtualenv,
   benchmarks/.venv-datasette) on the SQLite copy, immutable.
3. Fetches the bulk CSVs whole (rows/s, the gunicorn workers' RSS growth), then measures each
   view: requests one at a time on the uncached portal (server time: their p50, at least 3),
   then wrk with 8 connections on the uncached and the cached portal and on Datasette's
   equivalent view.
4. Prints one table and every goal of the issue as met / not met; the same in Markdown goes to
   benchmarks/.city/last-run.md.

Never point DATABASE_URL at real data: the city is generated into it. Needs wrk
(apt-get install wrk), curl and /usr/bin/time. Takes about 8 minutes once the city and the
SQLite copy exist (plus the build), on 2 cores.
"""

import argparse
import os
import platform
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from citybench import ROOT, WORK, load_average, log, manage

DEPTH = 50_000  # "paginated deep": page 1,001 of 50 rows


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-facts", type=int, default=1_000_000)
    parser.add_argument("--departments", type=int, default=60)
    parser.add_argument("--units", type=int, default=1500)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=float, default=10, help="s of wrk, 8 connections")
    parser.add_argument("--cached-duration", type=float, default=6)
    parser.add_argument(
        "--server-duration", type=float, default=3, help="s of requests one at a time"
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--build-limit",
        type=float,
        default=180,
        help="stop build_downloads after this many seconds (0: never); the goal is 60",
    )
    parser.add_argument(
        "--refresh-open-lines",
        action="store_true",
        help="refill OpenLine even when it holds as many rows as the open facts",
    )
    parser.add_argument("--skip-build", action="store_true", help="report the build as not run")
    parser.add_argument("--port", type=int, default=8811, help="first of three ports")
    parser.add_argument(
        "--uncached-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment of the uncached portal (e.g. a page-cache switch)",
    )
    parser.add_argument("--only", help="measure only views whose name contains this")
    return parser.parse_args()


def environment():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database this benchmark may fill")
    for tool in ("wrk", "curl", "/usr/bin/time"):
        if subprocess.run(["which", tool], capture_output=True).returncode:
            raise SystemExit(f"{tool} is missing (Debian: apt-get install wrk curl time)")
    WORK.mkdir(exist_ok=True)
    os.environ.update(
        {
            "PORTAL_OPEN_DATA_INCLUDES_EXAMPLES": "true",
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PORTAL_DOWNLOADS_DIR": str(WORK / "downloads"),
            "PORTAL_DOWNLOADS_BUILD_ON_PUBLISH": "false",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()


def machine() -> str:
    cpu = "?"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as info:
        memory = int(info.readline().split()[1]) / 1024 / 1024
    return f"{socket.gethostname()}, {os.cpu_count()} cores ({cpu}), {memory:.0f} GB RAM"


def postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def gunicorn_shape() -> str:
    import runpy

    conf = runpy.run_path(str(ROOT / "portal" / "gunicorn.conf.py"))
    return f"{conf['workers']} {conf['worker_class']} workers × {conf.get('threads', 1)} threads"


def static_files_stale() -> bool:
    """Whether collectstatic must run (DEBUG off serves hashed names from its manifest)."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if os.path.getmtime(storage.path(path)) > built:
                return True
    return False


def main():
    args = arguments()
    environment()
    from citybench import city, load, servers, sqlite_copy
    from citybench.views import views

    header = {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine(),
        "software": f"Python {platform.python_version()}, PostgreSQL {postgres_version()}",
        "load_before": load_average(),
    }
    log(f"load average {header['load_before']}")
    facts, generated, generate_seconds = city.ensure_city(
        args.min_facts, args.departments, args.units, args.years, args.seed
    )
    open_lines, refreshed, refresh_seconds = city.ensure_open_lines(args.refresh_open_lines)
    started = time.perf_counter()
    vacuumed = city.fresh_statistics()
    if vacuumed:
        log(f"VACUUM ANALYZE {', '.join(vacuumed)} in {time.perf_counter() - started:.0f} s")

    build = None
    if not args.skip_build:
        log(f"build_downloads (limit {args.build_limit:g} s)")
        build = city.build_downloads(args.build_limit or None)
        log(f"build_downloads: {build.seconds:.1f} s, peak {build.peak_mb:.0f} MB {build.note}")
    lines_csv_rows = city.manifest_lines_rows()

    database, sqlite_rows, sqlite_seconds = sqlite_copy.export()
    datasette_version = servers.ensure_datasette()
    if static_files_stale():
        log("collectstatic")
        manage("collectstatic", "--noinput", "-v0")
    where = city.addresses()
    from django.db import connection

    connection.close()

    extra = dict(pair.partition("=")[::2] for pair in args.uncached_env)
    nocache = servers.start_gunicorn("nocache", args.port, "citybench.nocache_settings", extra)
    cached = servers.start_gunicorn("cached", args.port + 1)
    datasette = servers.start_datasette(database, args.port + 2)
    running = [nocache, cached, datasette]
    try:
        for server in running:
            servers.wait_ready(server, "/city/lines.json?_size=1" if server is datasette else "/")
        log("servers ready; following next links to row 50,000")
        results = measure(args, where, views(where), nocache, cached, datasette, load)
    finally:
        for server in running:
            server.stop()
    header.update(
        load_after=load_average(),
        datasette=datasette_version,
        gunicorn=gunicorn_shape(),
        facts=facts,
        generated=generated,
        generate_seconds=generate_seconds,
        open_lines=open_lines,
        refreshed=refreshed,
        refresh_seconds=refresh_seconds,
        vacuumed=vacuumed,
        lines_csv_rows=lines_csv_rows,
        sqlite_rows=sqlite_rows,
        sqlite_seconds=sqlite_seconds,
        errors_logged=servers.errors_logged(nocache) + servers.errors_logged(cached),
        where=where,
    )
    from citybench.report import report

    text = report(header, build, results, args)
    print(text)
    (WORK / "last-run.md").write_text(text)


def measure(args, where, all_views, nocache, cached, datasette, load):
    results = {"views": [], "csv": {}}
    deep, how = load.deep_page(nocache.base, "/api/lines/", "next", "page_size", DEPTH)
    deep_datasette, how_datasette = load.deep_page(
        datasette.base, "/city/lines.json?_nosuggest=1", "next_url", "_size", DEPTH
    )
    all_views[-1].ours, all_views[-1].datasette = deep, deep_datasette
    results["deep"] = (how, how_datasette)
    log(f"deep pages: ours {deep} ({how}); Datasette {deep_datasette} ({how_datasette})")

    if not args.only or "csv" in args.only:
        y = where.year
        log(f"CSV: /data/browse.csv?year={y} on the cached portal")
        results["csv"]["ours"] = load.fetch_csv(
            f"{cached.base}/data/browse.csv?year={y}", cached, "ours"
        )
        log(f"CSV: Datasette lines.csv?year={y}&_stream=on")
        results["csv"]["datasette"] = load.fetch_csv(
            f"{datasette.base}/city/lines.csv?year={y}&_stream=on&_size=max", None, "datasette"
        )
        log("CSV: the built /data/lines.csv")
        results["csv"]["built"] = load.fetch_csv(f"{cached.base}/data/lines.csv", cached, "built")
        results["csv"]["expected"] = where.lines_in_year

    for view in all_views:
        if args.only and args.only not in view.name:
            continue
        row = {"view": view}
        log(f"{view.name}: {view.ours}  (load average {load_average()})")
        if view.ours:
            status, size = load.warm(nocache.base + view.ours, times=1)
            row["status"], row["bytes"] = status, size
            if status == 200:
                row["server"] = load.server_time(nocache.base + view.ours, args.server_duration)
                row["nocache"] = load.wrk(nocache.base + view.ours, args.connections, args.duration)
                load.warm(cached.base + view.ours, times=1)  # fills a page cache
                row["cached"] = load.wrk(
                    cached.base + view.ours, args.connections, args.cached_duration
                )
        if view.datasette:
            status, _ = load.warm(datasette.base + view.datasette, times=1)
            row["datasette_status"] = status
            if status == 200:
                row["datasette"] = load.wrk(
                    datasette.base + view.datasette, args.connections, args.duration
                )
        results["views"].append(row)
        time.sleep(0.5)
    return results


if __name__ == "__main__":
    main()
