"""Background tasks: the build of the bulk downloads, off the request path.

A publish or a correction calls `request_build()` once it is committed. It queues a build
through Django's tasks API (the django-tasks backport; by default the database backend,
whose worker `manage.py db_worker` bin/serve starts) unless a build is already waiting: that one
will read the data when it starts, so it covers this change too, and ten publishes in a row
make one build. Builds run one at a time under a lock (a PostgreSQL advisory lock, or a file
lock beside the downloads on other databases): a build queued while another runs waits for it,
still counted as waiting, and then reads the latest data. Each build is a DownloadBuild row:
its progress (file, rows) while it runs, its error if it fails.
"""

import fcntl
import traceback
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from budgets import downloads
from budgets.models import DownloadBuild

Status = DownloadBuild.Status
# Any number that no other advisory lock of the portal uses ("DLBUILD" in ASCII).
LOCK_KEY = 0x444C4255494C44
LOCK_FILE = ".build.lock"
INTERRUPTED = "生成中断：运行它的进程在生成时退出（例如被停止或内存不足），下一次生成会重新开始。"


def request_build(reason: str) -> DownloadBuild:
    """Queue a build of the downloads, or count this request in the build already waiting.
    Returns the waiting build. Call it after the change is committed (transaction.on_commit)."""
    reason = reason[: DownloadBuild._meta.get_field("reason").max_length]
    with transaction.atomic():
        waiting = DownloadBuild.objects.select_for_update().filter(status=Status.PENDING).first()
        if waiting is not None:
            DownloadBuild.objects.filter(pk=waiting.pk).update(requests=F("requests") + 1)
            return waiting
        try:
            with transaction.atomic():
                build = DownloadBuild.objects.create(status=Status.PENDING, reason=reason)
        except IntegrityError:
            # Another request queued one between our look and our insert: it covers us.
            return DownloadBuild.objects.get(status=Status.PENDING)
        _enqueue(build)
    return build


def _enqueue(build: DownloadBuild) -> None:
    """Queue the task of a waiting build. The database backend queues it in the transaction that
    records the build (both or neither); any other backend only once that is committed, so that
    its worker finds the build."""
    if _queues_in_this_database():
        _send(build)
    else:
        transaction.on_commit(lambda: _send(build))


def _queues_in_this_database() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(build_downloads.get_backend(), DatabaseBackend)


def _send(build: DownloadBuild) -> None:
    try:
        result = build_downloads.enqueue(build.pk)
    except Exception:
        DownloadBuild.objects.filter(pk=build.pk, status=Status.PENDING).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            error="未能加入任务队列：\n" + traceback.format_exc(),
        )
        raise
    # With an immediate backend the build has run by now; its row says so already.
    DownloadBuild.objects.filter(pk=build.pk).update(task_id=str(result.id))


@task()
def build_downloads(build_id: int) -> dict | None:
    """The task: run the waiting build `build_id`, after any build under way. Returns the
    manifest's time and rows, or None when another task ran this build already."""
    try:
        with build_lock():
            started = DownloadBuild.objects.filter(pk=build_id, status=Status.PENDING).update(
                status=Status.RUNNING, started_at=timezone.now()
            )
            if not started:
                return None
            return run(build_id)
    except BaseException:
        # Failed before it started (the lock could not be had): not waiting any more, so that
        # the next publish queues a build. (run() records what fails once it started.)
        DownloadBuild.objects.filter(pk=build_id, status=Status.PENDING).update(
            status=Status.FAILED, finished_at=timezone.now(), error=traceback.format_exc()
        )
        raise


def build_now(reason: str) -> dict:
    """Build at once in this process (manage.py build_downloads), recorded like a queued build
    and under the same lock."""
    with build_lock():
        build = DownloadBuild.objects.create(
            status=Status.RUNNING, reason=reason, started_at=timezone.now()
        )
        return run(build.pk)


def run(build_id: int) -> dict:
    """Build the downloads for the running build `build_id` (the lock held), recording its
    progress, its end and its error."""
    # Holding the lock, no other build runs: one still marked running died with its process.
    DownloadBuild.objects.filter(status=Status.RUNNING).exclude(pk=build_id).update(
        status=Status.FAILED, finished_at=timezone.now(), error=INTERRUPTED
    )
    builds = DownloadBuild.objects.filter(pk=build_id)

    def progress(file: str, rows: int) -> None:
        builds.update(current_file=file, rows=rows)

    try:
        manifest = downloads.build(progress=progress)
    except BaseException:
        builds.update(
            status=Status.FAILED, finished_at=timezone.now(), error=traceback.format_exc()
        )
        raise
    rows = sum(entry["rows"] or 0 for entry in manifest["files"])
    builds.update(
        status=Status.SUCCEEDED,
        finished_at=timezone.now(),
        current_file="",
        rows=rows,
        built_at=manifest["built_at"],
    )
    return {"built_at": manifest["built_at"], "rows": rows}


@contextmanager
def build_lock(wait: bool = True, using=None):
    """Hold the downloads build lock; yields whether it was taken (always, when waiting). Both
    locks go with the process that holds them: a build killed midway blocks no other."""
    if (using or connection).vendor == "postgresql":
        with _advisory_lock(using or connection, wait) as taken:
            yield taken
        return
    root = downloads.downloads_dir()
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _advisory_lock(database, wait: bool):
    with database.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
            taken = True
        else:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            taken = cursor.fetchone()[0]
    try:
        yield taken
    finally:
        if taken:
            with database.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
