"""CPU time of one request in this process, through the whole WSGI stack (every middleware),
for the views of bench_city.py: what a worker pays per request, measured on a busy shared
machine where wall-clock throughput is noise.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_city \\
        .venv/bin/python benchmarks/bench_cpu.py [--repeat 200] [--only API] [--profile NAME]

Each view is asked once (filling the page cache), then `--repeat` times as a hit ("cached")
and `--repeat` times with PAGE_CACHE_SECONDS = 0 ("uncached"); time.process_time() counts this
process only, so PostgreSQL's own time is not in it (the wall ms column has it, load and all).
`--gzip` sends Accept-Encoding: gzip, as browsers do. `--profile` prints cProfile's top
functions for the views whose name contains it (uncached).
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=200, help="requests of each kind a view")
    parser.add_argument("--uncached-repeat", type=int, default=0, help="default: repeat ÷ 10")
    parser.add_argument("--only", help="views whose name contains this")
    parser.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip")
    parser.add_argument("--profile", help="cProfile the uncached views whose name holds this")
    parser.add_argument("--cached-only", action="store_true")
    return parser.parse_args()


def environ(path: str, gzip: bool) -> dict:
    from io import BytesIO

    path, _, query = path.partition("?")
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_ACCEPT": "*/*",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if gzip:
        env["HTTP_ACCEPT_ENCODING"] = "gzip, deflate, br"
    return env


def call(app, path: str, gzip: bool) -> tuple[str, int, dict]:
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    result = app(environ(path, gzip), start_response)
    size = sum(len(chunk) for chunk in result)
    if hasattr(result, "close"):
        result.close()
    return seen["status"], size, seen["headers"]


def run(app, path: str, times: int, gzip: bool) -> tuple[float, float]:
    """(CPU ms, wall ms) a request, mean of `times`."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(times):
        call(app, path, gzip)
    return (
        (time.process_time() - cpu) * 1000 / times,
        (time.perf_counter() - wall) * 1000 / times,
    )


def main():
    args = arguments()
    os.environ.update(
        {
            "PORTAL_OPEN_DATA_INCLUDES_EXAMPLES": "true",
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from citybench import city
    from citybench.views import views
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    where = city.addresses()
    all_views = views(where)
    all_views[-1].ours = deep_page(app)
    uncached_times = args.uncached_repeat or max(3, args.repeat // 10)
    print(f"{'view':34} {'status':6} {'bytes':>9} {'hit CPU ms':>10} {'hit wall':>9} "
          f"{'miss CPU ms':>11} {'miss wall':>9}")  # fmt: skip
    seconds = settings.PAGE_CACHE_SECONDS
    for view in all_views:
        if not view.ours or (args.only and args.only not in view.name):
            continue
        settings.PAGE_CACHE_SECONDS = seconds
        status, size, _ = call(app, view.ours, args.gzip)
        call(app, view.ours, args.gzip)
        hit_cpu, hit_wall = run(app, view.ours, args.repeat, args.gzip)
        miss_cpu = miss_wall = float("nan")
        if not args.cached_only:
            settings.PAGE_CACHE_SECONDS = 0
            call(app, view.ours, args.gzip)
            miss_cpu, miss_wall = run(app, view.ours, uncached_times, args.gzip)
            if args.profile and args.profile in view.name:
                profiler = cProfile.Profile(time.process_time)  # CPU, not waits
                profiler.enable()
                for _ in range(uncached_times):
                    call(app, view.ours, args.gzip)
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
                print(out.getvalue())
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
                print(out.getvalue())
        settings.PAGE_CACHE_SECONDS = seconds
        print(
            f"{view.name:34} {status[:3]:6} {size:>9,} {hit_cpu:>10.3f} {hit_wall:>9.3f} "
            f"{miss_cpu:>11.3f} {miss_wall:>9.3f}",
            flush=True,
        )


def deep_page(app) -> str:
    """The API page 50,000 rows deep, reached by following `next` links 1,000 rows a step."""
    import json
    import urllib.parse

    path = "/api/lines/?page_size=1000"
    seen = 0
    while seen < 49_000:
        result = app(environ(path, False), lambda status, headers, exc_info=None: None)
        data = json.loads(b"".join(result))
        seen += len(data["results"])
        parts = urllib.parse.urlsplit(data["next"])
        path = f"{parts.path}?{parts.query}"
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query))
    query["page_size"] = "50"
    return f"/api/lines/?{urllib.parse.urlencode(query)}"


if __name__ == "__main__":
    main()
