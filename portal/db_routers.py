"""Which database a query goes to when DATABASE_REPLICA_URL names a read-only replica.

Only the reads of an anonymous visitor's GET or HEAD request go to the replica, and only while
that request has written nothing and is outside a transaction. Everything else goes to the
primary (`default`): the admin and every request of staff (anyone with the admin's session
cookie or credentials, the same test as the page cache's), every write, the reads after a write
or inside a transaction (so what a request wrote it reads back), and everything outside a web
request: management commands, the task worker (`manage.py db_worker`) and the downloads build.
The decision is made per request by `ReplicaReadsMiddleware` and held in a context variable,
so it never outlives the request nor leaks into another thread's.

The page cache and the replica. The cache (budgets/page_cache.py) keys a page by the data
version it reads on every request, and reads it from the primary on purpose: a correction is
committed on the primary with its new version, and the next request must not be answered with
the page of the old version. But the page itself would be rendered from the replica, which may
not have received that commit yet: the old figures would then be stored under the new version's
key and served until the next change. So before a page that is going to be stored is read from
the replica, the middleware reads the version on the replica too (one indexed row, only on a
cache miss) and uses the replica only when it shows the same version: the replica applies
commits in the primary's order, and the version changes in the same transaction as the data, so
a replica at version N holds all the data of version N. Otherwise the page is read from the
primary. (Reading the version from the replica instead would keep the cache consistent but show
a correction only once the replica has it; the primary stays the authority.) Without the page
cache nothing is stored, and a public page may be as old as the replica's lag.

Code that takes a connection itself (`django.db.connection`) uses the primary whatever this
says: the page cache's version, the downloads build, the build lock.
"""

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"


@dataclass
class _Request:
    wrote: bool = False


# Set while an anonymous visitor's page is answered from the replica; None everywhere else.
_public_reads: ContextVar[_Request | None] = ContextVar("portal_public_reads", default=None)


def has_replica() -> bool:
    return REPLICA in connections.settings


def _in_transaction() -> bool:
    # Django's TestCase wraps each test in atomic blocks of its own (marked _from_testcase, as
    # Django's own durable check tells them apart); only a block the code opened counts.
    return any(not block._from_testcase for block in connections[PRIMARY].atomic_blocks)


class PrimaryReplicaRouter:
    """DATABASE_ROUTERS when there is a replica (portal/settings.py)."""

    def db_for_read(self, model, **hints):
        state = _public_reads.get()
        if state is None or state.wrote or _in_transaction():
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        state = _public_reads.get()
        if state is not None:
            state.wrote = True  # read your writes: the rest of this request reads the primary
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data, whichever copy an object was read from

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # the replica receives the primary's schema by replication


def _public(request) -> bool:
    from budgets.page_cache import is_staff_request

    return (
        request.method in ("GET", "HEAD")
        and not request.path_info.startswith(f"/{settings.ADMIN_PATH}")
        and not is_staff_request(request)
    )


def _replica_has(version: int) -> bool:
    from budgets.page_cache import current_version

    try:
        return current_version(connections[REPLICA]) == version
    except DatabaseError:
        return False  # a replica that cannot answer: the primary can


class ReplicaReadsMiddleware:
    """Reads of an anonymous GET or HEAD go to the replica (see the module's docstring); does
    nothing without one. Right after the page cache, which leaves the data version it read from
    the primary on the request (`data_version`) when it is going to store the answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not has_replica() or not _public(request):
            return self.get_response(request)
        version = getattr(request, "data_version", None)
        if version is not None and not _replica_has(version):
            return self.get_response(request)  # the replica is behind: render from the primary
        token = _public_reads.set(_Request())
        try:
            return self.get_response(request)
        finally:
            _public_reads.reset(token)
