"""The changelog of a build (budgets.changelog.compare) between two builds' lines.csv, with its
time and peak RSS:

    .venv/bin/python benchmarks/bench_changelog.py OLD_BUILD_DIR NEW_BUILD_DIR

(two directories of PORTAL_DOWNLOADS_DIR/builds/, e.g. from two runs of bench_downloads.py with
a correction between them).
"""

import csv
import io
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from budgets import changelog


def main(old: Path, new: Path) -> None:
    started = time.monotonic()
    counts = changelog.compare(
        old / "lines.csv", new / "lines.csv", "lines", csv.writer(io.StringIO())
    )
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print({change: counts[change] for change in changelog.COMPARISONS})
    print(f"{seconds:.1f} s, peak RSS {peak} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
