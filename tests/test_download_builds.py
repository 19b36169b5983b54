"""The downloads build as a background task: a publish queues it and returns, the worker
builds, ten publishes make one build, builds run one at a time, failures are recorded, and
reviewers follow (and queue) builds in the admin."""

import pytest
from django.db import connection, connections
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from budgets import datasets, downloads, tasks
from budgets.models import DownloadBuild, Publication
from tests.staff import staff_user

pytestmark = pytest.mark.django_db
Status = DownloadBuild.Status
# Session, user, its own and its groups' permissions, builds counted (shown, in all), the page.
BUILDS_PAGE_QUERIES = 7


@pytest.fixture
def on_publish(settings):
    settings.DOWNLOADS_BUILD_ON_PUBLISH = True


@pytest.fixture
def draft():
    final = Publication.objects.get(kind="final")
    Publication.objects.filter(pk=final.pk).update(status="draft")
    final.refresh_from_db()
    return final


def run_worker() -> int:
    """What `manage.py db_worker` does with each queued task (claim, run, record the result),
    in the test's transaction (its polling loop would close the test's connection)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    queued = list(DBTaskResult.objects.ready())
    for result in queued:
        result.claim(worker.worker_id)
        worker.run_task(result)
    return len(queued)


def publish(client, publication, capture):
    client.force_login(staff_user("shenhe", "审核人员", "503033"))
    with capture(execute=True):
        response = client.post(
            reverse("admin:budgets_publication_changelist"),
            {"action": "publish", "_selected_action": [publication.pk]},
        )
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == "published"


def test_publishing_queues_a_build_and_returns_without_building(
    client, draft, on_publish, django_capture_on_commit_callbacks
):
    publish(client, draft, django_capture_on_commit_callbacks)
    assert downloads.manifest() is None
    [build] = DownloadBuild.objects.all()
    assert build.status == Status.PENDING
    assert str(draft) in build.reason
    [queued] = DBTaskResult.objects.ready()
    assert queued.task_path == "budgets.tasks.build_downloads"
    assert queued.args_kwargs["args"] == [build.pk]
    assert build.task_id == str(queued.id)


def test_the_worker_builds_what_was_queued(
    client, draft, on_publish, django_capture_on_commit_callbacks
):
    publish(client, draft, django_capture_on_commit_callbacks)
    assert run_worker() == 1
    build = DownloadBuild.objects.get()
    assert build.status == Status.SUCCEEDED
    assert build.started_at <= build.finished_at
    lines = next(e for e in downloads.manifest()["files"] if e["name"] == "lines.csv")
    assert lines["rows"] == 121  # the published final accounts are in the files
    assert build.rows == sum(entry["rows"] or 0 for entry in downloads.manifest()["files"])
    assert build.built_at == downloads.manifest()["built_at"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_ten_publishes_in_a_row_make_one_build(on_publish, django_capture_on_commit_callbacks):
    publication = Publication.objects.get(kind="final")
    for _ in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            publication.save()
    [build] = DownloadBuild.objects.all()
    assert (build.status, build.requests) == (Status.PENDING, 10)
    assert DBTaskResult.objects.count() == 1
    assert run_worker() == 1
    # A publish after the build started is not in it: it queues the next one.
    with django_capture_on_commit_callbacks(execute=True):
        publication.save()
    assert DownloadBuild.objects.filter(status=Status.PENDING).count() == 1
    assert DownloadBuild.objects.filter(status=Status.SUCCEEDED).count() == 1


def test_saving_a_draft_queues_nothing(on_publish, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        draft.save()
    assert callbacks == []
    assert not DownloadBuild.objects.exists()


def test_a_failing_build_is_recorded_with_its_error_and_leaves_the_files_as_they_were(
    monkeypatch, settings
):
    before = downloads.build()

    def broken():
        yield from ()
        raise OSError("设备上没有空间")

    monkeypatch.setitem(datasets.ROWS, "indicators", broken)
    build = tasks.request_build("测试")
    assert run_worker() == 1
    build.refresh_from_db()
    assert build.status == Status.FAILED
    assert "OSError: 设备上没有空间" in build.error
    assert build.current_file == "indicators.csv"
    assert downloads.manifest() == before
    assert len(list((settings.DOWNLOADS_DIR / "builds").iterdir())) == 1
    assert DBTaskResult.objects.get().status == "FAILED"
    # Not waiting any more: the next publish queues a new build.
    assert tasks.request_build("测试").pk != build.pk


def test_a_build_left_running_by_a_dead_worker_is_marked_interrupted_by_the_next():
    dead = DownloadBuild.objects.create(status=Status.RUNNING, reason="测试")
    tasks.build_now("测试")
    dead.refresh_from_db()
    assert dead.status == Status.FAILED
    assert dead.error == tasks.INTERRUPTED


def test_a_task_for_a_build_already_run_does_nothing():
    build = tasks.request_build("测试")
    build_id = build.pk
    assert tasks.build_downloads.call(build_id) is not None
    built_at = downloads.manifest()["built_at"]
    assert tasks.build_downloads.call(build_id) is None
    assert downloads.manifest()["built_at"] == built_at


def test_builds_run_one_at_a_time():
    other = connections.create_connection("default") if connection.vendor == "postgresql" else None
    try:
        with tasks.build_lock(), tasks.build_lock(wait=False, using=other) as taken:
            assert not taken
        with tasks.build_lock(wait=False, using=other) as taken:
            assert taken
    finally:
        if other is not None:
            other.close()


def test_the_command_builds_at_once_and_records_it():
    from django.core.management import call_command

    call_command("build_downloads", verbosity=0)
    build = DownloadBuild.objects.get()
    assert (build.status, build.reason) == (Status.SUCCEEDED, "命令行 manage.py build_downloads")
    assert downloads.manifest() is not None


def changelist():
    return reverse("admin:budgets_downloadbuild_changelist")


def test_only_reviewers_see_the_builds_and_queue_a_rebuild(client):
    client.force_login(staff_user("caiwu", "财务人员", "503033"))
    assert client.get(changelist()).status_code == 403
    client.post(reverse("admin:budgets_downloadbuild_rebuild"))
    assert not DownloadBuild.objects.exists()
    client.force_login(staff_user("shenhe", "审核人员", "503033"))
    assert client.get(reverse("admin:budgets_downloadbuild_rebuild")).status_code == 405
    response = client.post(reverse("admin:budgets_downloadbuild_rebuild"), follow=True)
    assert "已加入生成队列" in response.content.decode()
    build = DownloadBuild.objects.get()
    assert build.status == Status.PENDING
    assert "shenhe" in build.reason
    assert downloads.manifest() is None  # queued, not built in the request
    assert run_worker() == 1
    assert downloads.manifest() is not None


def test_the_builds_page_shows_progress_and_errors_in_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    client.force_login(staff_user("shenhe", "审核人员", "503033"))

    def page(builds: int) -> None:
        DownloadBuild.objects.all().delete()
        DownloadBuild.objects.bulk_create(
            DownloadBuild(status=Status.FAILED, reason=f"测试 {n}", error="Traceback\nOSError: 满")
            for n in range(builds)
        )
        DownloadBuild.objects.create(
            status=Status.RUNNING, reason="测试", current_file="lines.csv", rows=120000
        )
        with django_assert_num_queries(BUILDS_PAGE_QUERIES):
            html = client.get(changelist()).content.decode()
        assert "lines.csv · 120000 行" in html
        assert "OSError: 满" in html
        assert "重新生成全部下载文件" in html

    page(3)
    page(30)
