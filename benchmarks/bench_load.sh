#!/usr/bin/env bash
# A bounded load test, not run in CI: gunicorn as in production (portal/gunicorn.conf.py:
# gthread workers of 4 threads), 50 connections for 30 s on loopback, a mix of pages, CSVs
# and API calls (benchmarks/load/mix.lua), against PostgreSQL with the publications loaded.
# Needs wrk (Debian: apt-get install wrk). Results go in benchmarks/README.md.
#
#   psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE portal_load"
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_load benchmarks/bench_load.sh
#
# CONNECTIONS, DURATION and PORT change the defaults (50, 30s, 8799). The database is migrated
# and filled on first use: never point it at real data.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database this test may fill}"
connections=${CONNECTIONS:-50}
duration=${DURATION:-30s}
port=${PORT:-8799}
work=$(mktemp -d)
export PORTAL_DOWNLOADS_DIR=$work/downloads

.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_publications >/dev/null
.venv/bin/python manage.py build_downloads >/dev/null
.venv/bin/python manage.py collectstatic --noinput -v0

.venv/bin/gunicorn -c portal/gunicorn.conf.py --bind "127.0.0.1:$port" \
    --error-logfile "$work/gunicorn.log" &
gunicorn_pid=$!
trap 'kill "$gunicorn_pid"; wait "$gunicorn_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.2
done

status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/units/503033/2024/")
[ "$status" = 200 ] || { echo "the overview answers $status: is the database loaded?" >&2; exit 1; }

# mix.lua counts every answer that is not 200, by status; wrk counts socket errors and timeouts.
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
.venv/bin/python - <<'PY'
import runpy

conf = runpy.run_path("portal/gunicorn.conf.py")
print(f"gunicorn: {conf['workers']} {conf['worker_class']} workers of {conf['threads']} threads")
PY
wrk -t2 -c"$connections" -d"$duration" --timeout 10s --latency \
    -s benchmarks/load/mix.lua "http://127.0.0.1:$port"
echo "gunicorn errors logged: $(grep -c -E 'Error|Traceback' "$work/gunicorn.log" || true)"
