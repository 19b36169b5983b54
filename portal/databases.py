"""How the portal's processes connect to their databases.

`database(name, url)` reads one database address (DATABASE_URL, DATABASE_REPLICA_URL) into
Django's settings the one way both are read; `limit_statements(databases, ms)` gives the web
processes' PostgreSQL connections their statement timeout (portal/wsgi.py). Imported by
portal/settings.py, so it imports nothing of Django's that needs settings.
"""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def database(name: str, url: str, *, conn_max_age: int) -> dict:
    """The settings of the database at `url`, read from the environment variable `name` (named
    in the error when it cannot be read)."""
    try:
        settings = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    except (ValueError, dj_database_url.ParseError) as error:
        raise ImproperlyConfigured(f"{name} is not a database address: {error}") from None
    engine = settings["ENGINE"]
    options = settings.setdefault("OPTIONS", {})
    if engine == "django.db.backends.sqlite3":
        # Two admin saves at once must wait for each other, not fail with "database is locked":
        # a transaction takes the write lock when it begins (a deferred one that has read cannot
        # wait for it), waits up to 20 s for it, and readers are not blocked meanwhile (WAL).
        options.update(
            transaction_mode="IMMEDIATE", timeout=20, init_command="PRAGMA journal_mode=WAL"
        )
    elif engine == "django.db.backends.postgresql":
        if not settings["NAME"]:
            raise ImproperlyConfigured(f"{name} names no database: {url!r}")
        # No JIT compilation: the portal's queries are short index scans whose estimated cost at
        # a million lines passes jit_above_cost, and compiling them took longer than running them
        # (the first row of a 214,000-line CSV after 0.97 s, 0.48 s of it JIT; 23 ms without).
        # An `options` given in the address is kept and this is added to it.
        add_options(settings, "-c jit=off")
    if "pool" in options and not isinstance(options["pool"], bool):
        # dj-database-url reads true/false; anything else would reach Django as a truthy string.
        raise ImproperlyConfigured(f"{name}: pool must be true or false, got {options['pool']!r}")
    if options.get("pool"):
        # psycopg's pool manages connections itself; Django refuses persistent connections with it.
        settings["CONN_MAX_AGE"] = 0
    return settings


def add_options(settings: dict, text: str) -> None:
    """Add `-c name=value` server settings to a PostgreSQL database's startup `options`: sent
    with the connection itself, so they cost no statement and hold for the whole session (a
    PgBouncer in front passes startup options only if told to: see docs/deploy.md)."""
    options = settings.setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options", ""), text]))


def limit_statements(databases: dict, milliseconds: int) -> None:
    """Every PostgreSQL database's connections end a statement after `milliseconds` (0: leave
    them alone). For the web processes only (portal/wsgi.py): a command or the task worker,
    which read whole tables on purpose, keeps no limit. Connections opened before this are not
    changed, so it runs before the first request."""
    if not milliseconds:
        return
    for settings in databases.values():
        if settings["ENGINE"] == "django.db.backends.postgresql":
            add_options(settings, f"-c statement_timeout={milliseconds}")
