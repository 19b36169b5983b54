"""Requests per second and latency of the city's pages, without and with the page cache.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_city_big \\
        .venv/bin/python benchmarks/bench_pages.py [--seconds 10] [--connections 8]

Needs a generated city in that database (benchmarks/README.md, generate_city), collected
static files (`manage.py collectstatic`) and wrk. For each mode it starts gunicorn as in
production (portal/gunicorn.conf.py: gthread workers of 4 threads, one worker a core) and, for
each page, runs wrk with one connection (the p50 is then the time of one request) and with
`--connections` connections (throughput). Modes: uncached (PORTAL_PAGE_CACHE_SECONDS=0),
cached in each worker's memory, and cached in Redis (when REDIS_URL or 127.0.0.1:6379
answers). A page is asked once before it is measured, so cached modes measure hits.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("home", "/"),
    ("home, page 2 by final", "/?page=2&sort=-final"),
    ("department", "/departments/901/"),
    ("department year", "/departments/901/2024/"),
    ("unit overview", "/units/901001/2024/"),
    ("functional", "/units/901001/2024/functional/"),
    ("subject", "/units/901001/2024/subjects/functional/2080150/"),
]


def wrk(url: str, seconds: int, connections: int) -> dict:
    threads = min(2, connections)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label):
        found = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not found:
            return float("nan")
        value, unit = float(found[1]), found[2]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(rate[1]) if rate else float("nan"),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "non2xx": int(errors[1]) if errors else 0,
    }


def serve(port: int, environ: dict) -> subprocess.Popen:
    env = {**os.environ, **environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"}
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "-c",
            "portal/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/data/dictionary/", timeout=5)
            return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise SystemExit("gunicorn did not answer")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        return None
    return url


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=8731)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL must name the PostgreSQL database of a generated city")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    modes = [("uncached", {"PORTAL_PAGE_CACHE_SECONDS": "0"}), ("cached, memory", {})]
    shared = redis_url()
    if shared:
        prefix = f"bench-{os.getpid()}"
        modes.append(("cached, Redis", {"REDIS_URL": shared, "PORTAL_CACHE_KEY_PREFIX": prefix}))
    print(f"# {time.strftime('%Y-%m-%d %H:%M')} · {os.uname().nodename} · {os.cpu_count()} cores")
    print(f"# load average before: {os.getloadavg()[0]:.1f}")
    print("| page | mode | 1 connection p50 ms | req/s | p50 ms | p99 ms | non-2xx |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for mode, environ in modes:
        process = serve(args.port, environ)
        try:
            for name, path in PAGES:
                url = f"http://127.0.0.1:{args.port}{path}"
                for _ in range(3):  # warm: connections, the cache
                    urllib.request.urlopen(url, timeout=60).read()
                alone = wrk(url, max(3, args.seconds // 2), 1)
                loaded = wrk(url, args.seconds, args.connections)
                print(
                    f"| {name} | {mode} | {alone['p50']:.1f} | {loaded['rps']:.0f} | "
                    f"{loaded['p50']:.1f} | {loaded['p99']:.1f} | "
                    f"{loaded['non2xx'] + alone['non2xx']} |",
                    flush=True,
                )
        finally:
            stop(process)
    if shared:
        import redis

        server = redis.Redis.from_url(shared)
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)
    print(f"# load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
