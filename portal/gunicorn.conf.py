"""gunicorn in production: `.venv/bin/gunicorn -c portal/gunicorn.conf.py` (command-line
options such as --bind override what is set here).

gthread workers, because the sync worker is aborted after `timeout` seconds on a request that
is still running: before the first byte that abort is gunicorn's own English "Internal Server
Error" page (a query waiting on a lock did it, checked), after it a truncated CSV. A gthread
worker's main thread keeps telling the arbiter it is alive while its threads serve, so a long
stream or a slow page is never aborted; `timeout` then only restarts a worker whose main loop
is stuck, and `graceful_timeout` lets the streams in flight finish when workers are restarted.
"""

import multiprocessing
import os

wsgi_app = "portal.wsgi:application"
bind = "127.0.0.1:8000"  # behind the reverse proxy that terminates TLS
worker_class = "gthread"
threads = 4
# One worker a core (WEB_CONCURRENCY, gunicorn's own variable, overrides); each thread holds
# one database connection, so PostgreSQL sees workers × threads connections.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count())
timeout = 120
graceful_timeout = 120
keepalive = 5
# Long addresses reach Django, which answers them in Chinese (a 4,301-digit page_size is the
# portal's 400); gunicorn's default of 4094 bytes answered its own English 414. 8190 is the
# largest gunicorn allows short of no limit at all.
limit_request_line = 8190
