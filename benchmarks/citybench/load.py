"""Measuring: wrk on one address at a time, the deep page of a paginated list found by
following its `next` links, and a bulk CSV fetched whole with curl while the gunicorn workers'
memory is sampled."""

import csv
import http.client
import json
import statistics
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass

from citybench import ROOT, WORK
from citybench.servers import Server, get, get_json, memory_kb

LUA = ROOT / "benchmarks" / "citybench" / "stats.lua"


@dataclass
class Load:
    rps: float
    p50: float  # ms
    p99: float  # ms
    requests: int
    not_200: int
    errors: int  # socket errors and timeouts (30 s)


def wrk(url: str, connections: int, seconds: float) -> Load:
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "30s",
        "-s",
        str(LUA),
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("BENCH "))
    stats = json.loads(line.removeprefix("BENCH "))
    answered = stats["requests"] > 0  # none: every request outlived the run
    return Load(
        rps=stats["rps"],
        p50=stats["p50"] / 1000 if answered else None,
        p99=stats["p99"] / 1000 if answered else None,
        requests=stats["requests"],
        not_200=stats["not_200"],
        errors=stats["socket_errors"] + stats["timeouts"],
    )


def server_time(url: str, seconds: float, at_least: int = 3) -> Load:
    """What one request costs alone: requests one after another on one kept-alive connection
    for `seconds` (at least `at_least` of them), p50 and p99 of their times."""
    parts = urllib.parse.urlsplit(url)
    target = urllib.parse.urlunsplit(("", "", parts.path, parts.query, ""))
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    times, not_200 = [], 0
    started = time.perf_counter()
    while len(times) < at_least or time.perf_counter() - started < seconds:
        before = time.perf_counter()
        connection.request("GET", target)
        response = connection.getresponse()
        response.read()
        times.append((time.perf_counter() - before) * 1000)
        not_200 += response.status != 200
    connection.close()
    times.sort()
    return Load(
        rps=len(times) / (time.perf_counter() - started),
        p50=statistics.median(times),
        p99=times[min(len(times) - 1, round(0.99 * (len(times) - 1)))],
        requests=len(times),
        not_200=not_200,
        errors=0,
    )


def warm(url: str, times: int = 2) -> tuple[int, int]:
    """GET the address a few times (connections, caches); (last status, bytes)."""
    status, body = 0, b""
    for _ in range(times):
        status, body, _ = get(url)
    return status, len(body)


def _with_parameter(url: str, name: str, value) -> str:
    parts = urllib.parse.urlsplit(url)
    query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    query[name] = str(value)
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(("", "", parts.path, parts.query, ""))


def deep_page(base: str, path: str, next_key: str, size_param: str, depth: int, size: int = 50):
    """The address of the page of `size` rows that starts `depth` rows into a list, reached as
    a client would: page numbers are computed, cursors are followed (1,000 rows a step, the
    largest page both sides give), then asked for `size` rows. (path, how) or (None, why)."""
    step = 1000
    url = _with_parameter(base + path, size_param, step)
    data = get_json(url)
    following = data.get(next_key)
    if not following:
        return None, "no next link"
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(following).query))
    if "page" in query and not any("cursor" in key or key == "_next" for key in query):
        page = depth // size + 1
        deep = _with_parameter(_with_parameter(base + path, "page", page), size_param, size)
        return _path(deep), f"page={page}"
    seen = len(data.get("results", data.get("rows", [])))
    hops = 1
    while seen < depth:
        data = get_json(following)
        seen += len(data.get("results", data.get("rows", [])))
        hops += 1
        following = data.get(next_key)
        if not following:
            return None, f"the list ended after {seen} rows"
    return _path(_with_parameter(following, size_param, size)), f"{hops} next links"


@dataclass
class Csv:
    status: int
    rows: int
    seconds: float
    first_byte: float
    megabytes: float
    rss_growth_mb: float | None  # the largest growth of one worker's RSS during the download
    hwm_growth_mb: float | None

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def fetch_csv(url: str, server: Server | None, name: str) -> Csv:
    """Fetch a CSV whole with curl; count its rows with a CSV reader (a cut stream shows as
    missing rows); sample the gunicorn workers' RSS every 20 ms meanwhile."""
    target = WORK / f"{name}.csv"
    workers = server.workers() if server else []
    before = {pid: memory_kb(pid) for pid in workers}
    peak = {pid: values.get("VmRSS", 0) for pid, values in before.items()}
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            for pid in workers:
                peak[pid] = max(peak[pid], memory_kb(pid).get("VmRSS", 0))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    command = ["curl", "-sL", "-o", str(target), "--max-time", "900"]  # -L: a redirect to a file
    command += ["-w", "%{http_code} %{time_total} %{time_starttransfer} %{size_download}", url]
    done = subprocess.run(command, capture_output=True, text=True)
    stop.set()
    sampler.join()
    after = {pid: memory_kb(pid) for pid in workers}
    status, total, first_byte, size = done.stdout.split()
    rows = 0
    if target.exists() and status == "200":
        with open(target, encoding="utf-8-sig", newline="") as stream:
            rows = sum(1 for _ in csv.reader(stream)) - 1  # the header
    target.unlink(missing_ok=True)
    growth = hwm = None
    if workers:
        growth = max(peak[pid] - before[pid].get("VmRSS", 0) for pid in workers) / 1024
        hwm = (
            max(after[pid].get("VmHWM", 0) - before[pid].get("VmHWM", 0) for pid in workers) / 1024
        )
    return Csv(
        status=int(status),
        rows=max(rows, 0),
        seconds=float(total),
        first_byte=float(first_byte),
        megabytes=int(size) / 1e6,
        rss_growth_mb=growth,
        hwm_growth_mb=hwm,
    )
