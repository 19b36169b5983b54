"""Helpers of benchmarks/bench_city.py (the city-scale benchmark of issue 11)."""

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "benchmarks" / ".city"  # git-ignored: SQLite copy, downloads, logs
STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:6.1f} s] {message}", file=sys.stderr, flush=True)


def manage(*args: str, quiet: bool = False) -> None:
    """Run a management command of the portal with the benchmark's environment."""
    output = subprocess.DEVNULL if quiet else None
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True, stdout=output)


def load_average() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])
