"""Every kept build of the downloads at its own address (/data/builds/<id>/<file>), which
never changes, and the page listing them with what changed in each."""

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from budgets import downloads, served_files
from budgets.changelog import COMPARISONS
from budgets.views.common import no_parameters


class BuildId:
    """A build's id: the UTC time it started, as its directory is named."""

    regex = downloads.BUILD_ID

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


def build_file(request, build_id, name):
    """A file of one build: the same bytes for as long as the build is kept (immutable)."""
    found = downloads.built_file(name, build_id)
    if found is None:
        raise Http404(
            _("没有生成批次“%(build)s”的文件“%(name)s”：批次不存在、已被清理，或没有这个文件。")
            % {"build": build_id, "name": name}
        )
    path, entry, listed = found
    return served_files.serve(request, path, entry, listed["built_at"], immutable=True)


def _changes(build: dict) -> list[dict]:
    """The build's changelog as rows of a table: one per dataset compared."""
    changes = build["changes"] or {}
    if not changes.get("previous"):
        return []  # the first build: nothing compared
    rows = []
    for name, counts in (changes.get("datasets") or {}).items():
        if counts is None:
            rows.append({"dataset": name, "compared": False})
        else:
            rows.append({"dataset": name, "compared": True, **{c: counts[c] for c in COMPARISONS}})
    return rows


def index(request):
    no_parameters(request)
    builds = [
        {
            **build,
            "change_rows": _changes(build),
            "previous": (build["changes"] or {}).get("previous"),
        }
        for build in downloads.kept_builds()
    ]
    response = render(
        request,
        "budgets/builds.html",
        {"builds": builds, "keep": downloads.settings.DOWNLOADS_KEEP_BUILDS},
    )
    # The list is read from the disk, which no data version announces: never in the page cache.
    patch_cache_control(response, no_cache=True)
    return response
