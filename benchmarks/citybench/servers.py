"""The servers of one run: the portal under gunicorn as in production (portal/gunicorn.conf.py)
twice, with and without its caches, and Datasette on the SQLite copy; all stopped on exit."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from citybench import ROOT, WORK, log

DATASETTE_VENV = ROOT / "benchmarks" / ".venv-datasette"
DATASETTE_VERSION = "datasette==0.65.*"


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log_path: object
    env: dict = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        """gunicorn's worker processes (the children of its arbiter)."""
        pid = self.process.pid
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as children:
                return [int(p) for p in children.read().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_gunicorn(name: str, port: int, settings: str | None = None, extra=None) -> Server:
    env = {**os.environ, **(extra or {})}
    if settings:
        env["DJANGO_SETTINGS_MODULE"] = settings
    log_path = WORK / f"gunicorn-{name}.log"
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "-c",
        "portal/gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--pythonpath",
        "benchmarks",
        "--error-logfile",
        str(log_path),
        "--capture-output",  # Django's own log (tracebacks of 500s) goes to the same file
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    return Server(name, port, process, log_path)


def ensure_datasette() -> str:
    """Datasette in its own virtualenv (benchmarks/.venv-datasette, git-ignored)."""
    binary = DATASETTE_VENV / "bin" / "datasette"
    if not binary.exists():
        log(f"installing {DATASETTE_VERSION} into {DATASETTE_VENV.relative_to(ROOT)}")
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
        pip = [str(DATASETTE_VENV / "bin" / "pip"), "install", "-q", DATASETTE_VERSION]
        subprocess.run(pip, check=True)
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True)
    return version.stdout.strip()


def start_datasette(database, port: int) -> Server:
    log_path = WORK / "datasette.log"
    command = [
        str(DATASETTE_VENV / "bin" / "datasette"),
        "serve",
        "-i",
        str(database),
        "-p",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "10000",
        "--setting",
        "default_page_size",
        "50",
    ]
    with open(log_path, "wb") as output:
        process = subprocess.Popen(command, cwd=WORK, stdout=output, stderr=subprocess.STDOUT)
    return Server("datasette", port, process, log_path)


def wait_ready(server: Server, path: str = "/", seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited: see {server.log_path}")
        try:
            with urllib.request.urlopen(server.base + path, timeout=30):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{server.name} did not answer on {server.base} in {seconds} s")


def get(url: str, timeout: float = 120) -> tuple[int, bytes, dict]:
    """(status, body, headers) of a GET; HTTP errors are answers, not exceptions."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def get_json(url: str) -> dict:
    status, body, _ = get(url)
    if status != 200:
        raise ValueError(f"{url}: HTTP {status}")
    return json.loads(body)


def memory_kb(pid: int) -> dict:
    """VmRSS and VmHWM of a process, in kB (empty when it is gone)."""
    values = {}
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0])
    except OSError:
        pass
    return values


def errors_logged(server: Server) -> int:
    try:
        text = server.log_path.read_text(errors="replace")
    except OSError:
        return 0
    return sum(1 for line in text.splitlines() if "Traceback" in line or "[ERROR]" in line)
