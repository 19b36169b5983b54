"""The audit trail in the admin: django-simple-history shows each record's versions on its
「历史」 page; these views download every change (of one publication, or of all the user's
units) as CSV."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from budgets import access, audit
from budgets.exports import stream_csv
from budgets.models import Publication


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


@staff_member_required
def all_changes_csv(request):
    return stream_csv(
        audit.HEADER,
        audit.change_rows(request.user),
        f"changes-{_stamp()}.csv",
        f"修改记录-{_stamp()}.csv",
    )


@staff_member_required
def publication_changes_csv(request, publication_id):
    publication = get_object_or_404(Publication.objects.select_related("unit"), pk=publication_id)
    if not access.may_see(request.user, publication):
        raise Http404("没有找到该公开文件。")
    code = f"{publication.unit.code}-{publication.year}-{publication.kind}"
    return stream_csv(
        audit.HEADER,
        audit.change_rows(request.user, publication),
        f"changes-{code}-{_stamp()}.csv",
        f"{publication}修改记录-{_stamp()}.csv",
    )
