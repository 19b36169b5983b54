"""Server time of the city's pages without cache, two checkouts taking turns: what bench_city.py
reports as "server ms" (requests one at a time on one kept-alive connection, their p50), for a
change measured on a shared, noisy machine against the version before it in the same minutes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pages_bench \\
        .venv/bin/python benchmarks/bench_page_turns.py /path/to/main/checkout [--rounds 3]

Starts gunicorn (portal/gunicorn.conf.py, citybench.nocache_settings: every cache a DummyCache)
from each checkout with this virtualenv, on --port and --port + 1; each round asks every page of
each in turn (the order swapped every round) for --seconds; prints each round's p50 and their
median. Both checkouts need collected static files (manage.py collectstatic). Never write to the
benchmark city itself: give a copy (createdb -T portal_bench_city).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

PAGES = [
    ("home /", "/"),
    ("department", "/departments/{d}/"),
    ("department year", "/departments/{d}/{y}/"),
    ("unit overview", "/units/{u}/{y}/"),
    ("functional", "/units/{u}/{y}/functional/"),
    ("subject", "/units/{u}/{y}/subjects/functional/{c}/"),
]


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", help="the other checkout (e.g. a worktree of main)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--port", type=int, default=8161)
    parser.add_argument(
        "--addresses", default="901,901001,2024,208", help="department,unit,year,code"
    )
    return parser.parse_args()


def main():
    from citybench import load

    args = arguments()
    d, u, y, c = args.addresses.split(",")
    pages = [(name, path.format(d=d, u=u, y=y, c=c)) for name, path in PAGES]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "citybench.nocache_settings",
        "PORTAL_OPEN_DATA_INCLUDES_EXAMPLES": "true",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    checkouts = {"other": Path(args.other).resolve(), "this": ROOT}
    servers = {}
    for offset, (name, root) in enumerate(checkouts.items()):
        port = args.port + offset
        command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "portal/gunicorn.conf.py"]
        command += ["--bind", f"127.0.0.1:{port}", "--pythonpath", "benchmarks"]
        servers[name] = (subprocess.Popen(command, cwd=root, env=env), port)
    try:
        for _process, port in servers.values():
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60).read()
                    break
                except OSError:
                    time.sleep(1)
        found = {(name, view): [] for name in servers for view, _ in pages}
        for turn in range(args.rounds):
            order = list(servers.items())
            for view, path in pages:
                for name, (_process, port) in order if turn % 2 == 0 else order[::-1]:
                    url = f"http://127.0.0.1:{port}{path}"
                    load.warm(url)
                    result = load.server_time(url, args.seconds)
                    if result.not_200:
                        raise SystemExit(f"{name} {path}: not 200")
                    found[(name, view)].append(result.p50)
            print(f"round {turn + 1}: load average {os.getloadavg()[0]:.1f}", flush=True)
        print(f"{'view':16} {'other p50 ms: median (rounds)':36} this")
        for view, _ in pages:
            cells = []
            for name in servers:
                times = found[(name, view)]
                rounds = ", ".join(f"{t:.1f}" for t in times)
                cells.append(f"{statistics.median(times):6.1f} ({rounds})")
            print(f"{view:16} {cells[0]:36} {cells[1]}")
    finally:
        for process, _port in servers.values():
            process.terminate()
        for process, _port in servers.values():
            process.wait()


if __name__ == "__main__":
    main()
